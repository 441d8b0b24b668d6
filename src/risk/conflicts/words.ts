// A conflict report in words, shared by the Markdown and text renderers. Pure.
import type { ConflictFile, ConflictReport, Hunk } from '../types.ts';
import { nearestPair } from './overlap.ts';

/** A hunk's base lines: `10–14`, `10`, `after 10` (an insertion), `before 1`. */
export function hunkWords(h: Hunk): string {
  if (h.lines === 0) return h.start === 0 ? 'before 1' : `after ${h.start}`;
  return h.lines === 1 ? String(h.start) : `${h.start}–${h.start + h.lines - 1}`;
}

const overlaps = (a: Hunk, b: Hunk) => a.lines > 0 && b.lines > 0 && Math.max(a.start, b.start) <= Math.min(a.start + a.lines, b.start + b.lines) - 1;

/** "lines 10–14 and 12–20 overlap", "lines 10–12 and 13 touch", "8 lines apart (lines 10–12 and 21)", "same file, whole-file change". */
export function distanceWords(f: ConflictFile): string {
  const pair = f.distance === null ? undefined : nearestPair(f.ours, f.theirs);
  const a = pair && f.ours[pair.ours];
  const b = pair && f.theirs[pair.theirs];
  if (f.distance === null || !a || !b) return 'same file, whole-file change';
  const lines = `lines ${hunkWords(a)} and ${hunkWords(b)}`;
  if (f.distance === 0) return `${lines} ${overlaps(a, b) ? 'overlap' : 'touch'}`;
  return `${plural(f.distance, 'line')} apart (${lines})`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the others are called. */
export function othersNoun(r: Pick<ConflictReport, 'source'>): { one: string; many: string; column: string } {
  return r.source === 'github'
    ? { one: 'open pull request', many: 'open pull requests', column: 'Pull request' }
    : { one: 'branch', many: 'branches', column: 'Branch' };
}

/** "3 other open pull requests compared; the 12 oldest were not, …". */
export function comparedWords(r: ConflictReport): string {
  const { one, many } = othersNoun(r);
  const counted = `${plural(r.compared, `other ${one}`, `other ${many}`)} compared`;
  if (!r.notCompared) return counted;
  const older = r.source === 'github' ? 'oldest' : 'least recent';
  return `${counted}; the ${r.notCompared} ${older} were not, to keep the check short`;
}
