// A decaying histogram, the estimator of the Kubernetes VPA recommender: percentiles of a metric
// in which newer samples count more. A sample at time t weighs weight × 2^((t − reference) /
// halfLife), so a sample one half-life older than another counts half as much.
//
// Buckets: bucket 0 holds every value ≤ 0 (zero-valued metrics such as an error rate or an
// out-of-memory count that stays at 0 answer exactly 0). Bucket k ≥ 1 holds the positive values
// in [start(k − 1), start(k)) of an exponential grid with start(j) = first × (ratio^j − 1) /
// (ratio − 1): the first positive bucket is `first` wide and each next one `ratio` times wider
// (defaults 1e-6 and 1.05, up to `maxValue` 1e13: about 840 buckets, a relative resolution of
// 5%). Values past the grid go to the last bucket. A quantile interpolates linearly inside its
// bucket, so it lands within a bucket's width of the exact sample percentile.
//
// Overflow: exponents grow with time since the reference. When one would pass 100 (weights near
// 2^100), every bucket is multiplied by 2^(−shift) and the reference moves forward by shift ×
// halfLife: the ratios between weights, and so every quantile, are unchanged.
//
// Cost: `add` is O(1), allocation-free and avoids transcendental functions on the common path
// (a logarithm and a power cost ~40 ns each, the whole add must cost less). The bucket comes from
// the float's exponent bits plus a 4096-entry table of log2 of the mantissa's top bits, corrected
// by at most a step or two against the exact bucket bounds (`#start`), so the bounds alone decide
// membership. The weight is carried from the previous sample's: w(t) = w(t′) × 2^((t − t′) /
// halfLife), and the factor for a gap is cached, so samples at a steady interval cost one
// multiplication; the weight is recomputed exactly every 65,536 adds and after every rescale, so
// rounding cannot drift. `quantile` walks the buckets between the lowest and highest non-empty one.

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

// A view of a double's bits, and log2(1 + i / 4096) for the top 12 bits i of its mantissa.
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const highWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const mantissaLog2 = Float64Array.from({ length: 4096 }, (_, i) => Math.log2(1 + i / 4096));

export class DecayingHistogram {
  readonly halfLifeMs: number;
  readonly first: number;
  readonly ratio: number;
  readonly maxValue: number;
  /** Bucket 0 is the zero bucket; bucket k ≥ 1 is exponential bucket k − 1. */
  readonly size: number;
  #w: Float64Array;
  /** #start[k]: the lower bound of bucket k (k ≥ 1), #start[size]: Infinity. */
  #start: Float64Array;
  /** mantissaLog2 / log2(ratio): a bucket offset per mantissa prefix. */
  #mantissaSteps: Float64Array;
  #perOctave: number;
  #scale: number;
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
    const first = o.first ?? 1e-6, ratio = o.ratio ?? 1.05, maxValue = o.maxValue ?? 1e13;
    if (!(o.halfLifeMs > 0)) throw new RangeError(`halfLifeMs must be positive; found ${o.halfLifeMs}`);
    if (!(first > 0) || !(ratio > 1) || !(maxValue > first)) throw new RangeError(`bad bucket grid: first ${first}, ratio ${ratio}, maxValue ${maxValue}`);
    this.halfLifeMs = o.halfLifeMs;
    this.first = first;
    this.ratio = ratio;
    this.maxValue = maxValue;
    this.#perOctave = 1 / Math.log2(ratio);
    this.#mantissaSteps = mantissaLog2.map((x) => x * this.#perOctave);
    this.#scale = (ratio - 1) / first;
    const size = (this.size = Math.ceil(Math.log2(maxValue * this.#scale + 1) * this.#perOctave) + 1);
    this.#w = new Float64Array(size);
    this.#start = new Float64Array(size + 1);
    for (let k = 2; k < size; k++) this.#start[k] = (Math.pow(ratio, k - 1) - 1) / this.#scale;
    this.#start[size] = Infinity;
  }

  /** The lower bound of bucket `k` (0 for the zero bucket and the first positive one). */
  bucketStart(k: number): number {
    return k <= 1 ? 0 : k >= this.size ? Infinity : this.#start[k]!;
  }

  /**
   * The bucket a value falls in: the estimate log2(v × scale + 1) / log2(ratio) + 1 from the bits
   * (the table's truncation makes it low by less than 3.6e-4 / log2(ratio) ≈ 0.005 of a bucket),
   * then at most one step to the bucket whose bounds hold v (#start[1] = 0 < v and #start[size] =
   * ∞ keep the step inside the grid). Branch-free: the step is the difference of two comparisons.
   */
  bucketOf(v: number): number {
    if (!(v > 0)) return 0;
    scratch[0] = v * this.#scale + 1;
    const hi = scratchWords[highWord]!;
    let k = (((hi >>> 20) - 1023) * this.#perOctave + this.#mantissaSteps[(hi >>> 8) & 0xfff]! + 1) | 0;
    if (k >= this.size) k = this.size - 1;
    const start = this.#start;
    return k + (v >= start[k + 1]! ? 1 : 0) - (v < start[k]! ? 1 : 0);
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
   * as `add` and `bucketOf`, with the state in local variables for the length of the run.
   */
  addRun(ts: Float64Array, vs: Float64Array, from: number, to: number): void {
    if (from >= to) return;
    if (Number.isNaN(this.#reference)) this.#reference = ts[from]!;
    const w = this.#w, start = this.#start, steps = this.#mantissaSteps;
    const scale = this.#scale, perOctave = this.#perOctave, last = this.size - 1, halfLife = this.halfLifeMs;
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
      let k = 0;
      if (v > 0) {
        scratch[0] = v * scale + 1;
        const bits = scratchWords[highWord]!;
        k = (((bits >>> 20) - 1023) * perOctave + steps[(bits >>> 8) & 0xfff]! + 1) | 0;
        if (k > last) k = last;
        k += (v >= start[k + 1]! ? 1 : 0) - (v < start[k]! ? 1 : 0);
      }
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
