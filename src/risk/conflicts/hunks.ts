// Hunk headers of a unified diff (`@@ -a,b +c,d @@`), read on the old (base) side: what each
// change replaced in the common base. Only header lines are read; everything else is skipped.
import type { Hunk } from '../types.ts';

/** A file with more hunks than this is read up to here (the nearest overlap is found among them). */
export const maxHunksPerFile = 10_000;

const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/;

/** The old side of one hunk header (`b` omitted means 1; `b` 0 means an insertion after line `a`), or undefined for any other line. */
export function parseHunkHeader(line: string): Hunk | undefined {
  const m = header.exec(line);
  if (!m) return undefined;
  const start = Number(m[1]);
  const lines = m[2] === undefined ? 1 : Number(m[2]);
  return Number.isSafeInteger(start) && Number.isSafeInteger(lines) ? { start, lines } : undefined;
}

/** The lines of `text`, one at a time, without splitting it all at once. */
export function* linesOf(text: string): Generator<string> {
  for (let at = 0; at < text.length;) {
    const end = text.indexOf('\n', at);
    const stop = end === -1 ? text.length : end;
    yield text.slice(at, text[stop - 1] === '\r' ? stop - 1 : stop);
    at = stop + 1;
  }
}

/** The hunks of one file's patch (GitHub's `patch` field, or one file's section of `git diff`), at most `maxHunksPerFile`. */
export function parseHunks(patch: string): Hunk[] {
  const out: Hunk[] = [];
  for (const line of linesOf(patch)) {
    if (!line.startsWith('@@ -')) continue;
    const hunk = parseHunkHeader(line);
    if (hunk) out.push(hunk);
    if (out.length >= maxHunksPerFile) break;
  }
  return out;
}
