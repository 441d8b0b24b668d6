// A decaying histogram, the estimator of the Kubernetes VPA recommender: percentiles of a metric
// in which newer samples count more. A sample at time t weighs weight × 2^((t − reference) /
// halfLife), so a sample one half-life older than another counts half as much.
//
// Buckets (buckets.ts): a zero bucket for every value ≤ 0 (a metric that stays at 0, such as an
// error rate or an out-of-memory count, answers exactly 0) and an exponential grid for positive
// values (defaults: the first bucket 1e-6 wide, each next 1.05 times wider, up to 1e13: about 840
// buckets, a relative resolution of 5%). A quantile interpolates linearly inside its bucket, so
// it lands within a bucket's width of the exact sample percentile.
//
// Overflow: exponents grow with time since the reference. When one would pass 100 (weights near
// 2^100), every bucket is multiplied by 2^(−shift) and the reference moves forward by shift ×
// halfLife: the ratios between weights, and so every quantile, are unchanged.
//
// Cost: `add` is O(1), allocation-free and avoids transcendental functions on the common path.
// The weight is carried from the previous sample's, w(t) = w(t′) × 2^((t − t′) / halfLife), with
// the factor for a gap cached, so samples at a steady interval cost one multiplication; it is
// recomputed exactly every 65,536 adds and after every rescale, so rounding cannot drift.
// `addRun` is the same for a batch, with the state in local variables. `quantile` walks the
// buckets between the lowest and highest non-empty one.
import { bucketAt, bucketIn, bucketStart, gridOf, type BucketGrid } from './buckets.ts';

export interface HistogramOptions {
  /** Weights halve every this many ms (required, > 0). */
  halfLifeMs: number;
  /** Width of the first positive bucket (default 1e-6). */
  first?: number;
  /** Growth of each next bucket's width (default 1.05). */
  ratio?: number;
  /** The grid reaches at least this value (default 1e13). */
  maxValue?: number;
}

/** The persisted form: only the non-empty buckets, as parallel arrays of index and weight. */
export interface HistogramJSON {
  halfLifeMs: number;
  first: number;
  ratio: number;
  maxValue: number;
  /** Time (ms) of weight 1; null before the first sample. */
  reference: number | null;
  /** The running sum of the weights (kept, so quantiles after a round trip are the same to the bit). */
  total: number;
  index: number[];
  weight: number[];
}

const maxExponent = 100;
const resyncEvery = 65_536;

export class DecayingHistogram {
  readonly halfLifeMs: number;
  readonly first: number;
  readonly ratio: number;
  readonly maxValue: number;
  /** Bucket 0 is the zero bucket; bucket k ≥ 1 is exponential bucket k − 1. */
  readonly size: number;
  #grid: BucketGrid;
  #w: Float64Array;
  #reference = Number.NaN;
  // the weight carried from the previous add: at time #wT it was #wW; a gap of #dt multiplies by #dtF
  #wT = Number.NaN;
  #wW = 0;
  #dt = Number.NaN;
  #dtF = 1;
  #sinceSync = 0;
  #total = 0;
  #lo = Number.MAX_SAFE_INTEGER;
  #hi = -1;

  constructor(o: HistogramOptions) {
    if (!(o.halfLifeMs > 0)) throw new RangeError(`halfLifeMs must be positive; found ${o.halfLifeMs}`);
    const grid = (this.#grid = gridOf(o.first, o.ratio, o.maxValue));
    this.halfLifeMs = o.halfLifeMs;
    this.first = grid.first;
    this.ratio = grid.ratio;
    this.maxValue = grid.maxValue;
    this.size = grid.size;
    this.#w = new Float64Array(grid.size);
  }

  /** The lower bound of bucket `k` (0 for the zero bucket and the first positive one). */
  bucketStart(k: number): number {
    return bucketStart(this.#grid, k);
  }

  /** The bucket a value falls in. */
  bucketOf(v: number): number {
    return bucketIn(this.#grid, v);
  }

  /** 2^((t − reference) / halfLife), carried from the previous add's weight when it can be. */
  #weightAt(t: number): number {
    if (t === this.#wT) return this.#wW;
    const d = t - this.#wT;
    let w: number;
    if (Number.isNaN(d) || ++this.#sinceSync >= resyncEvery) {
      w = Math.pow(2, (t - this.#reference) / this.halfLifeMs);
      this.#sinceSync = 0;
    } else {
      if (d !== this.#dt) {
        this.#dt = d;
        this.#dtF = Math.pow(2, d / this.halfLifeMs);
      }
      w = this.#wW * this.#dtF;
    }
    this.#wT = t;
    this.#wW = w;
    return w;
  }

  /** Adds `weight` of value `v` seen at time `t` (ms). Non-finite `t`, `v` or weights ≤ 0 are ignored. */
  add(t: number, v: number, weight = 1): void {
    if (!(weight > 0) || !Number.isFinite(t) || !Number.isFinite(v)) return;
    if (Number.isNaN(this.#reference)) this.#reference = t;
    const e = (t - this.#reference) / this.halfLifeMs;
    if (e > maxExponent) this.#shift(Math.floor(e));
    const k = this.bucketOf(v);
    const w = weight * this.#weightAt(t);
    this.#w[k] = this.#w[k]! + w;
    this.#total += w;
    if (k < this.#lo) this.#lo = k;
    if (k > this.#hi) this.#hi = k;
  }

  /**
   * Adds vs[i] seen at ts[i], weight 1, for i in [from, to): the batch form of `add`, for times
   * that are finite and ascending and values that are finite (the caller checked). The same steps
   * as `add`, with the carried weight and the sums in local variables for the length of the run.
   */
  addRun(ts: Float64Array, vs: Float64Array, from: number, to: number): void {
    if (from >= to) return;
    if (Number.isNaN(this.#reference)) this.#reference = ts[from]!;
    const w = this.#w, halfLife = this.halfLifeMs;
    const { start, steps, scale, perOctave } = this.#grid, last = this.size - 1;
    let limit = this.#reference + maxExponent * halfLife;
    let wT = this.#wT, wW = this.#wW, dt = this.#dt, dtF = this.#dtF, sync = this.#sinceSync;
    let total = this.#total, lo = this.#lo, hi = this.#hi;
    for (let i = from; i < to; i++) {
      const t = ts[i]!, v = vs[i]!;
      if (t > limit) {
        this.#total = total;
        this.#lo = lo;
        this.#hi = hi;
        this.#shift(Math.floor((t - this.#reference) / halfLife));
        total = this.#total;
        limit = this.#reference + maxExponent * halfLife;
        wT = Number.NaN;
      }
      if (t !== wT) {
        const d = t - wT;
        if (Number.isNaN(d) || ++sync >= resyncEvery) {
          wW = Math.pow(2, (t - this.#reference) / halfLife);
          sync = 0;
        } else {
          if (d !== dt) {
            dt = d;
            dtF = Math.pow(2, d / halfLife);
          }
          wW *= dtF;
        }
        wT = t;
      }
      const k = bucketAt(v, scale, perOctave, steps, start, last);
      w[k] = w[k]! + wW;
      total += wW;
      if (k < lo) lo = k;
      if (k > hi) hi = k;
    }
    this.#wT = wT;
    this.#wW = wW;
    this.#dt = dt;
    this.#dtF = dtF;
    this.#sinceSync = sync;
    this.#total = total;
    this.#lo = lo;
    this.#hi = hi;
  }

  /** Moves the reference `halfLives` half-lives forward, scaling every weight down to match. */
  #shift(halfLives: number): void {
    const f = Math.pow(2, -halfLives);
    const w = this.#w;
    let total = 0;
    for (let k = this.#lo; k <= this.#hi; k++) {
      w[k] = w[k]! * f;
      total += w[k]!;
    }
    this.#total = total;
    this.#reference += halfLives * this.halfLifeMs;
    this.#wT = Number.NaN;
  }

  /** Sum of the (decayed) weights, relative to the current reference. */
  get totalWeight(): number {
    return this.#total;
  }

  get isEmpty(): boolean {
    return !(this.#total > 0);
  }

  /** The value below which a share `q` (in [0, 1]) of the weight lies; NaN when empty. */
  quantile(q: number): number {
    if (this.isEmpty || Number.isNaN(q)) return Number.NaN;
    const w = this.#w;
    const threshold = Math.min(1, Math.max(0, q)) * this.#total;
    let sum = 0;
    for (let k = this.#lo; k <= this.#hi; k++) {
      const wk = w[k]!;
      if (wk <= 0) continue;
      if (sum + wk >= threshold || k === this.#hi) {
        if (k === 0) return 0;
        const start = this.bucketStart(k);
        if (k === this.size - 1) return start;
        const share = Math.min(1, Math.max(0, (threshold - sum) / wk));
        return start + share * (this.bucketStart(k + 1) - start);
      }
      sum += wk;
    }
    return Number.NaN;
  }

  toJSON(): HistogramJSON {
    const index: number[] = [], weight: number[] = [];
    for (let k = this.#lo; k <= this.#hi; k++) {
      if (this.#w[k]! > 0) {
        index.push(k);
        weight.push(this.#w[k]!);
      }
    }
    return { halfLifeMs: this.halfLifeMs, first: this.first, ratio: this.ratio, maxValue: this.maxValue, reference: Number.isNaN(this.#reference) ? null : this.#reference, total: this.#total, index, weight };
  }

  /** Rebuilds a histogram from `toJSON`; bucket indexes outside the grid and weights ≤ 0 are dropped. */
  static fromJSON(j: HistogramJSON): DecayingHistogram {
    const h = new DecayingHistogram(j);
    h.#reference = j.reference ?? Number.NaN;
    const n = Math.min(j.index.length, j.weight.length);
    for (let i = 0; i < n; i++) {
      const k = j.index[i]!, w = j.weight[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= h.size || !(w > 0) || !Number.isFinite(w)) continue;
      h.#w[k] = h.#w[k]! + w;
      h.#total += w;
      if (k < h.#lo) h.#lo = k;
      if (k > h.#hi) h.#hi = k;
    }
    if (Number.isFinite(j.total) && j.total > 0 && h.#total > 0) h.#total = j.total;
    return h;
  }
}
