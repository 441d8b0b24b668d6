// Durations as written in documents (`500ms`, `30s`, `1h30m`) to milliseconds, and back.

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number {
  const re = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)/gy;
  let total = 0, at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * unitMs[m[2] as keyof typeof unitMs];
    at = re.lastIndex;
  }
  if (at === 0 || at !== text.length) throw new RangeError(`"${text}" is not a duration such as 500ms, 30s, 5m, 1h30m`);
  return Math.round(total);
}

export const optionalDuration = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : parseDuration(text);

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60_000), s = Math.round((ms % 60_000) / 1_000);
  return m < 60 ? `${m}m${s ? `${s}s` : ''}` : `${Math.floor(m / 60)}h${m % 60 ? `${m % 60}m` : ''}`;
}
