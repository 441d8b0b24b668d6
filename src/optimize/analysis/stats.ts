// Plain statistics over samples: percentiles of a sorted array, the relative change of the median,
// and the Mann–Whitney rank-sum test that judges whether an applied change moved a metric.
//
// Mann–Whitney U (two-sided, normal approximation):
//   ranks of the pooled samples, ties given their average rank;
//   U = R_after − n_after (n_after + 1) / 2, the number of (before, after) pairs where the after
//   value is larger, ties counting half; so U > n_b n_a / 2 means `after` tends to be larger;
//   mean μ = n_b n_a / 2, variance σ² = n_b n_a / 12 × ((n + 1) − Σ(t³ − t) / (n (n − 1))) with t
//   the size of each group of ties (the tie correction);
//   z = (|U − μ| − 0.5) / σ with the sign of U − μ (the continuity correction, never past 0);
//   p = 2 (1 − Φ(|z|)) = erfc(|z| / √2).
// An empty side, or every value tied (σ = 0), gives z 0 and p 1: nothing can be told apart.

/** The q-th percentile (q in [0, 1]) of an ascending array, interpolating between ranks; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(q)) return Number.NaN;
  const at = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** The median of any array (sorted here); NaN when empty. */
export function median(xs: readonly number[]): number {
  return percentile(ascending(xs), 0.5);
}

/** A sorted copy. */
export function ascending(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

/**
 * The change of the median from `before` to `after` as a share of the before median
 * ((after − before) / |before|); the plain difference when the before median is 0.
 */
export function relativeChange(before: readonly number[], after: readonly number[]): number {
  let b = median(before), a = median(after);
  // Medians that tie say nothing of a rate that is mostly zero (a share of failed checks): the means do.
  if (a === b) { b = mean(before); a = mean(after); }
  return b === 0 ? a - b : (a - b) / Math.abs(b);
}

export function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return xs.length ? sum / xs.length : Number.NaN;
}

/** erfc(x) for x ≥ 0 with a fractional error under 1.2e-7 (a Chebyshev fit). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(poly);
}

/** Two-sided p of a standard normal z. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

export interface RankSum {
  /** U of `after`: pairs where the after value is larger, ties counting half. */
  u: number;
  z: number;
  p: number;
}

/** The Mann–Whitney rank-sum test of `after` against `before` (see the header). */
export function mannWhitney(before: readonly number[], after: readonly number[]): RankSum {
  const nb = before.length, na = after.length, n = nb + na;
  if (nb === 0 || na === 0) return { u: Number.NaN, z: 0, p: 1 };
  const pooled = [...before.map((v) => ({ v, after: false })), ...after.map((v) => ({ v, after: true }))];
  pooled.sort((x, y) => x.v - y.v);
  let rankSumAfter = 0, ties = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && pooled[j]!.v === pooled[i]!.v) j++;
    const rank = (i + 1 + j) / 2; // average of ranks i + 1 … j
    for (let k = i; k < j; k++) if (pooled[k]!.after) rankSumAfter += rank;
    const t = j - i;
    ties += t * t * t - t;
    i = j;
  }
  const u = rankSumAfter - (na * (na + 1)) / 2;
  const mu = (nb * na) / 2;
  const variance = ((nb * na) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, p: 1 };
  const d = Math.max(0, Math.abs(u - mu) - 0.5);
  const z = (Math.sign(u - mu) * d) / Math.sqrt(variance);
  return { u, z, p: twoSidedP(z) };
}
