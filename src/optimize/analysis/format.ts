// Numbers in the words of a finding: durations (`40m`, `1d 2h`), bytes in binary units
// (`512 MiB`), shares as percents (`85%`) and plain values with at most three significant digits
// and the metric's unit (`340 ms`, `0.25 cores`). Descriptions in both languages use these.

const durationUnits: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]];

/** A duration in its two largest units: `1d 2h`, `40m`, `90s` → `1m 30s`, `500ms`, `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0s';
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1_000) * 1_000;
  for (const [name, size] of durationUnits) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(`${n}${name}`);
    if (n > 0) rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.length > 0 ? parts.join(' ') : '0s';
}

/** At most three significant digits, without trailing zeros: 340, 0.25, 12.3, 1234 → 1234. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Bytes in the largest binary unit that keeps the number at 1 or more: `512 MiB`, `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  let x = bytes, i = 0;
  while (Math.abs(x) >= 1024 && i < byteUnits.length - 1) {
    x /= 1024;
    i++;
  }
  return `${formatNumber(x)} ${byteUnits[i]}`;
}

/** A share as a percent: 0.853 → `85.3%`. */
export function formatPercent(share: number): string {
  return `${formatNumber(share * 100)}%`;
}

/** A value with the metric's unit: bytes in binary units, anything else as `340 ms`. */
export function formatValue(x: number, unit?: string): string {
  if (unit === 'bytes' || unit === 'B') return formatBytes(x);
  return unit ? `${formatNumber(x)} ${unit}` : formatNumber(x);
}

/** Cores in English: `1 core`, `0.42 cores`. */
export function formatCores(cores: number): string {
  const n = formatNumber(cores);
  return `${n} ${n === '1' ? 'core' : 'cores'}`;
}
