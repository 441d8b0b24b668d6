// Whether an applied change did what it was expected to: the expected metric over a window after
// the change against the same length of window before it.
//
//   insufficient  fewer than `minSamples` (default 20) on either side;
//   better        the rank-sum test tells the sides apart (p < alpha, default 0.05) and the
//                 median moved the expected way by at least `minEffect` (default 0.1 = 10%);
//   worse         p < alpha and the median moved the other way by at least `minEffect`;
//   no-change     anything else.
// The move is the relative change of the median (stats.ts; the plain difference when the before
// median is 0). Only the expected direction matters here: the expected size is what the analyzer
// predicted, for people, not a bar the change must clear.
import { ascending, mannWhitney, percentile, relativeChange } from './stats.ts';
import type { Direction, Sample } from './types.ts';

export type Outcome = 'better' | 'worse' | 'no-change' | 'insufficient';

export interface SideSummary { n: number; median: number; p90: number }

export interface Verdict {
  outcome: Outcome;
  before: SideSummary;
  after: SideSummary;
  /** Relative change of the median, after against before. */
  change: number;
  /** Two-sided p of the rank-sum test (1 when insufficient). */
  p: number;
}

export interface VerdictOptions { alpha?: number; minEffect?: number; minSamples?: number }

function summary(values: number[]): SideSummary {
  const sorted = ascending(values);
  return { n: sorted.length, median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
}

export function verdict(before: readonly Sample[], after: readonly Sample[], expected: { direction: Direction; size?: number }, o: VerdictOptions = {}): Verdict {
  const alpha = o.alpha ?? 0.05, minEffect = o.minEffect ?? 0.1, minSamples = o.minSamples ?? 20;
  const b = before.map((x) => x.v).filter(Number.isFinite), a = after.map((x) => x.v).filter(Number.isFinite);
  const sides = { before: summary(b), after: summary(a) };
  if (b.length < minSamples || a.length < minSamples) {
    return { outcome: 'insufficient', ...sides, change: b.length && a.length ? relativeChange(b, a) : Number.NaN, p: 1 };
  }
  const change = relativeChange(b, a);
  const { p } = mannWhitney(b, a);
  const moved = expected.direction === 'up' ? change : -change;
  const significant = p < alpha;
  const outcome: Outcome = significant && moved >= minEffect ? 'better' : significant && moved <= -minEffect ? 'worse' : 'no-change';
  return { outcome, ...sides, change, p };
}
