// The robust z-score: median and MAD (median absolute deviation) instead of mean and std. One
// outlier moves the mean by outlier/n and the std by about outlier/√n, enough to hide the next
// anomaly; it moves the median and the MAD by at most one rank.
//
// Scales (Iglewicz & Hoaglin): MAD is the raw median of |x − median|; sigma = 1.4826 × MAD is
// its normal-consistent estimate of the std; the modified z is 0.6745 × (x − median) / MAD
// (0.6745 ≈ 1/1.4826, so modified z ≈ (x − median) / sigma; applying both factors at once would
// count the scale twice). Default threshold 3.5, their recommendation for the modified z.
//
// The window keeps its values in a sorted Float64Array next to the ring: a push is a binary
// search plus one shift to remove the evicted value and one to insert the new one (O(log n) +
// O(n) memmove); the median is O(1) and the MAD O(log n) (a k-th smallest of two sorted runs).
//
// Constant guard, as for the plain z-score: when sigma < minStd (default 1e-9 × max(1, |median|),
// typical when more than half the window holds one value) sigma is floored at minStd: anomaly
// when |x − median| > threshold × minStd with z = (x − median) / minStd, else `constant`.
import { RollingWindow, type WindowOptions } from './rolling.ts';
import { defaultMinStd } from './zscore.ts';

export interface MadOptions {
  /** |modified z| above this is an anomaly (default 3.5). */
  threshold?: number;
  /** Fewer samples than this (at least 3) is `insufficient` (default 10). */
  minSamples?: number;
  /** A sigma (1.4826 × MAD) below this is treated as constant (default 1e-9 × max(1, |median|)). */
  minStd?: number;
}

export type MadResult =
  | { kind: 'insufficient'; count: number }
  | { kind: 'constant'; median: number; mad: number }
  | { kind: 'ok' | 'anomaly'; z: number; median: number; mad: number; sigma: number };

export const madToSigma = 1.4826;
export const modifiedZFactor = 0.6745;
export const defaultMadThreshold = 3.5;

/** Median of an ascending array (NaN when empty). */
export function medianOf(sorted: ArrayLike<number>, n = sorted.length): number {
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** First index in sorted[0, n) whose value is ≥ x. */
function lowerBound(sorted: ArrayLike<number>, n: number, x: number): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The k-th smallest (0-based) deviation |x − median| of an ascending array. Left of the median the
 * deviations grow leftward (A[i] = median − s[split − 1 − i]), right of it they grow rightward
 * (B[j] = s[split + j] − median): two sorted runs, so this is the k-th smallest of their union,
 * found by binary search on how many come from A (O(log n)).
 */
function kthDeviation(s: ArrayLike<number>, n: number, median: number, split: number, k: number): number {
  const p = split, q = n - split;
  let lo = Math.max(0, k + 1 - q), hi = Math.min(k + 1, p);
  for (;;) {
    const i = (lo + hi) >> 1, j = k + 1 - i;
    // A[i] vs B[j − 1], A[i − 1] vs B[j]
    if (i < p && j > 0 && s[split + j - 1]! - median > median - s[split - 1 - i]!) lo = i + 1;
    else if (i > 0 && j < q && median - s[split - i]! > s[split + j]! - median) hi = i - 1;
    else {
      const a = i > 0 ? median - s[split - i]! : -Infinity;
      const b = j > 0 ? s[split + j - 1]! - median : -Infinity;
      return a > b ? a : b;
    }
  }
}

/** Raw MAD of an ascending array around its `median`: the middle one(s) of the deviations, O(log n). */
export function madOf(sorted: ArrayLike<number>, median: number, n = sorted.length): number {
  if (n === 0) return Number.NaN;
  const split = lowerBound(sorted, n, median);
  const upper = kthDeviation(sorted, n, median, split, n >> 1);
  return n % 2 ? upper : (kthDeviation(sorted, n, median, split, (n >> 1) - 1) + upper) / 2;
}

/** A rolling window that also keeps its values sorted, for the median and the MAD. */
export class MedianWindow {
  readonly window: RollingWindow;
  #sorted: Float64Array;

  constructor(capacity: number, o: WindowOptions = {}) {
    this.window = new RollingWindow(capacity, o);
    this.#sorted = new Float64Array(capacity);
  }

  /** Same contract as `RollingWindow.push`: false (counted) for a non-finite sample. */
  push(t: number, v: number): boolean {
    const w = this.window;
    const evicted = w.full ? w.valueAt(0) : Number.NaN;
    if (!w.push(t, v)) return false;
    const s = this.#sorted;
    let n = w.count;
    if (!Number.isNaN(evicted)) {
      const i = lowerBound(s, n, evicted); // s[i] === evicted: it is in the array
      s.copyWithin(i, i + 1, n);
      n--;
    } else {
      n--; // the count already includes v
    }
    const j = lowerBound(s, n, v);
    s.copyWithin(j + 1, j, n);
    s[j] = v;
    return true;
  }

  get count(): number {
    return this.window.count;
  }

  median(): number {
    return medianOf(this.#sorted, this.window.count);
  }

  /** Raw MAD (not scaled). */
  mad(): number {
    const n = this.window.count;
    return madOf(this.#sorted, medianOf(this.#sorted, n), n);
  }

  /** The values, ascending (a copy). */
  sorted(): number[] {
    return Array.from(this.#sorted.subarray(0, this.window.count));
  }
}

/** Modified z-score of `value` against the window's median and MAD. Throws a RangeError for a non-finite value. */
export function madScore(w: MedianWindow, value: number, o: MadOptions = {}): MadResult {
  if (!Number.isFinite(value)) throw new RangeError(`madScore of a non-finite value: ${value}`);
  const count = w.count;
  if (count < Math.max(3, o.minSamples ?? 10)) return { kind: 'insufficient', count };
  const threshold = o.threshold ?? defaultMadThreshold;
  const median = w.median(), mad = w.mad();
  const sigma = madToSigma * mad;
  const minStd = o.minStd ?? defaultMinStd(median);
  if (!(sigma >= minStd)) {
    const z = (value - median) / minStd;
    return Math.abs(z) > threshold ? { kind: 'anomaly', z, median, mad, sigma } : { kind: 'constant', median, mad };
  }
  const z = (modifiedZFactor * (value - median)) / mad;
  return { kind: Math.abs(z) > threshold ? 'anomaly' : 'ok', z, median, mad, sigma };
}
