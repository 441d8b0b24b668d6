// Where two changes to the same base meet: the files both touched, how many lines lie between
// their nearest hunks, and the level that makes. Pure.
import type { ConflictFile, ConflictLevel, ConflictOverlap, Hunk } from '../types.ts';

/** One side's change to a file: its hunks on the base, or null when the file changed as a whole (binary, deleted, renamed, no hunks). */
export interface FileChange {
  path: string;
  hunks: Hunk[] | null;
}

/** Nearest hunks this many lines apart or fewer make a `medium` level. */
export const mediumWithinLines = 20;
/** Hunks kept per side and file in a report, around the nearest pair. */
export const maxHunksShown = 20;

/** The base lines a hunk covers, `from` to `to`; an insertion after line a covers none (`from` a+1, `to` a). */
interface Region { from: number; to: number }

const regionOf = (h: Hunk): Region => h.lines > 0 ? { from: h.start, to: h.start + h.lines - 1 } : { from: h.start + 1, to: h.start };

/** Unchanged base lines between two hunks; 0 when they overlap or touch (git conflicts on both). */
export function gap(a: Hunk, b: Hunk): number {
  const x = regionOf(a);
  const y = regionOf(b);
  return Math.max(0, Math.max(y.from - x.to, x.from - y.to) - 1);
}

const byStart = (a: Hunk, b: Hunk) => a.start - b.start || a.lines - b.lines;

export interface NearestPair {
  distance: number;
  /** Indexes into the hunks sorted by start. */
  ours: number;
  theirs: number;
}

/** The nearest pair of hunks of two sorted, disjoint lists: linear, walking both at once. */
export function nearestPair(ours: readonly Hunk[], theirs: readonly Hunk[]): NearestPair | undefined {
  let best: NearestPair | undefined;
  for (let i = 0, j = 0; i < ours.length && j < theirs.length;) {
    const a = ours[i]!;
    const b = theirs[j]!;
    const d = gap(a, b);
    if (!best || d < best.distance) best = { distance: d, ours: i, theirs: j };
    if (d === 0) break;
    // The hunk ending first is nearer to the other's current hunk than to any later one.
    if (regionOf(a).to < regionOf(b).to) i++; else j++;
  }
  return best;
}

function around<T>(list: readonly T[], index: number, cap: number): T[] {
  const from = Math.max(0, Math.min(index - Math.floor(cap / 2), list.length - cap));
  return list.slice(from, from + cap);
}

/** The files both sides touched, with the distance between their nearest hunks, nearest first. */
export function overlapFiles(ours: readonly FileChange[], theirs: readonly FileChange[]): ConflictFile[] {
  const other = new Map(theirs.map((f) => [f.path, f.hunks]));
  const out: ConflictFile[] = [];
  for (const mine of ours) {
    if (!other.has(mine.path)) continue;
    const a = [...(mine.hunks ?? [])].sort(byStart);
    const b = [...(other.get(mine.path) ?? [])].sort(byStart);
    const pair = mine.hunks && other.get(mine.path) ? nearestPair(a, b) : undefined;
    out.push({
      path: mine.path,
      distance: pair?.distance ?? null,
      ours: around(a, pair?.ours ?? 0, maxHunksShown),
      theirs: around(b, pair?.theirs ?? 0, maxHunksShown),
    });
    other.delete(mine.path);
  }
  return out.sort(byDistance);
}

/** Whole-file changes first, then the nearest. */
const distanceKey = (d: number | null) => d ?? -1;
function byDistance(a: ConflictFile, b: ConflictFile): number {
  return distanceKey(a.distance) - distanceKey(b.distance) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** `high` when hunks meet, a side changed the file as a whole, or git found a conflict; `medium` when the nearest are within `mediumWithinLines`; `low` when they only share files. */
export function levelOf(files: readonly ConflictFile[], conflicts?: boolean): Exclude<ConflictLevel, 'none'> {
  if (conflicts === true || files.some((f) => f.distance === null || f.distance === 0)) return 'high';
  return files.some((f) => f.distance !== null && f.distance <= mediumWithinLines) ? 'medium' : 'low';
}

export const levelRank: Record<ConflictLevel, number> = { none: 0, low: 1, medium: 2, high: 3 };

/** The nearest distance of an overlap's files (a whole-file change counts as 0), for ordering. */
export function nearestDistance(files: readonly ConflictFile[]): number {
  return files.reduce((min, f) => Math.min(min, f.distance ?? 0), Number.POSITIVE_INFINITY);
}

/** An overlap with its level; undefined when the two sides share no file. */
export function conflictOverlap(
  other: ConflictOverlap['other'],
  files: ConflictFile[],
  git: { conflicts?: boolean; conflicted?: string[] } = {},
): ConflictOverlap | undefined {
  if (files.length === 0) return undefined;
  return {
    other,
    level: levelOf(files, git.conflicts),
    ...(git.conflicts !== undefined && { conflicts: git.conflicts }),
    ...(git.conflicted && git.conflicted.length > 0 && { conflicted: git.conflicted }),
    files,
  };
}
