// Error lines grouped by their message template: the parts that vary between occurrences of one
// error (numbers, ids, addresses, quoted values, times) are masked, so "timeout after 5012ms
// calling 10.0.3.7:8080" and "timeout after 30s calling 10.0.3.9:8080" are one signature,
// "timeout after <dur> calling <ip>".
//
// Masks, in this order (an earlier one wins over a later one inside its match):
//   "…" and '…' (a quote not inside a word)      → <str>
//   ISO times 2024-05-01T12:00:00.123Z           → <time>
//   UUIDs, 0x… and hex runs of 8+ with a digit   → <id>
//   IPv4 with an optional port, [IPv6]           → <ip>
//   durations 250ms, 1.5s, 1m30s, 20µs           → <dur>
//   other numbers                                → <n>
// then runs of white space become one space. Cost is bounded: every pattern is linear, a line is
// cut at 2 KB and at most 10,000 lines are read.
export const maxLineLength = 2048;
export const maxLines = 10_000;

const masks: Array<[RegExp, string]> = [
  [/"(?:[^"\\\n]|\\.)*"|(?<!\w)'(?:[^'\\\n]|\\.)*'(?!\w)/g, '<str>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/\b0x[0-9a-f]+\b/gi, '<id>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<id>'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, '<ip>'],
  [/\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d{1,5})?/gi, '<ip>'],
  [/\b(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d))+(?![\w])/g, '<dur>'],
  [/\b\d+(?:\.\d+)?\b/g, '<n>'],
];

/** The line's template (see the header). */
export function template(line: string): string {
  let t = line.length > maxLineLength ? line.slice(0, maxLineLength) : line;
  for (const [re, mask] of masks) t = t.replace(re, mask);
  return t.replace(/\s+/g, ' ').trim();
}

export interface Signature {
  template: string;
  count: number;
  /** The first line seen with this template (the newest when lines come newest first), cut at 2 KB, on one line. */
  example: string;
}

/** The `k` most frequent templates of the first 10,000 lines, most frequent first (ties: first seen first). */
export function topSignatures(lines: readonly string[], k = 5): Signature[] {
  const seen = new Map<string, Signature>();
  const n = Math.min(lines.length, maxLines);
  for (let i = 0; i < n; i++) {
    const line = lines[i]!;
    const key = template(line);
    if (key === '') continue;
    const s = seen.get(key);
    if (s) s.count++;
    else seen.set(key, { template: key, count: 1, example: line.slice(0, maxLineLength).replace(/[\r\n]+/g, ' ') });
  }
  // Map keeps insertion order and sort is stable: equal counts stay in first-seen order.
  return [...seen.values()].sort((a, b) => b.count - a.count).slice(0, Math.max(0, k));
}
