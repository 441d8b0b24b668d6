// The report over every comparison: the highest level, the riskiest overlaps first, and bounded
// so a busy repository still gives a short answer that says how much it left out. Pure.
import type { ConflictLevel, ConflictOverlap, ConflictReport } from '../types.ts';
import { levelRank, nearestDistance } from './overlap.ts';

/** Overlaps kept in a report (the riskiest). */
export const maxOverlaps = 50;
/** Files kept per overlap (the nearest). */
export const maxFilesPerOverlap = 50;

export interface ReportInput {
  source: ConflictReport['source'];
  compared: number;
  /** Others left out by the cap on comparisons. */
  notCompared?: number;
  overlaps: ConflictOverlap[];
}

const labelOf = (o: ConflictOverlap) => o.other.number !== undefined ? String(o.other.number).padStart(12, '0') : o.other.branch ?? '';

function byRisk(a: ConflictOverlap, b: ConflictOverlap): number {
  return levelRank[b.level] - levelRank[a.level]
    || Number(b.conflicts === true) - Number(a.conflicts === true)
    || nearestDistance(a.files) - nearestDistance(b.files)
    || (labelOf(a) < labelOf(b) ? -1 : labelOf(a) > labelOf(b) ? 1 : 0);
}

function bounded(o: ConflictOverlap): ConflictOverlap {
  if (o.files.length <= maxFilesPerOverlap) return o;
  return { ...o, files: o.files.slice(0, maxFilesPerOverlap), moreFiles: (o.moreFiles ?? 0) + o.files.length - maxFilesPerOverlap };
}

export function conflictReport(r: ReportInput): ConflictReport {
  const sorted = [...r.overlaps].sort(byRisk);
  const level = sorted.reduce<ConflictLevel>((max, o) => levelRank[o.level] > levelRank[max] ? o.level : max, 'none');
  return {
    source: r.source,
    level,
    compared: r.compared,
    ...(r.notCompared ? { notCompared: r.notCompared } : {}),
    overlaps: sorted.slice(0, maxOverlaps).map(bounded),
    ...(sorted.length > maxOverlaps && { moreOverlaps: sorted.length - maxOverlaps }),
  };
}

/** A check that could not run: level none, and why, in words. */
export function skippedReport(source: ConflictReport['source'], reason: string): ConflictReport {
  return { source, level: 'none', compared: 0, overlaps: [], skipped: `the conflict check was skipped: ${reason}` };
}
