// Hostile document texts shared by the hardening tests: each is cheap to build and expensive to
// parse naively (the YAML library's own duplicate-key check is quadratic in the keys of a map,
// and deep flow nesting takes it to gigabytes).

/** `[` repeated: `bytes` long, nested `bytes` deep. */
export const brackets = (bytes: number): string => '['.repeat(bytes);

/** A flat map of `count` distinct keys (`k0000001: 1` …), at most `maxBytes` long when given. */
export function manyKeys(count: number, maxBytes = Infinity): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; i < count; i++) {
    const line = `k${String(i).padStart(7, '0')}: 1\n`;
    if (size + line.length > maxBytes) break;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

/** The time each of `fn`'s calls took, run one after the other every `everyMs` until `until` settles. */
export async function latenciesDuring(until: Promise<unknown>, fn: () => Promise<unknown>, everyMs = 25): Promise<number[]> {
  let done = false;
  void until.finally(() => { done = true; }).catch(() => undefined);
  const out: number[] = [];
  while (!done) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return out;
}
