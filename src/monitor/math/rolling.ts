// A fixed-capacity rolling window over (timestamp ms, value) samples. A ring buffer holds the
// samples; every push updates, in O(1), the count, the mean and the spread of the values
// (Welford's add and remove) and the co-moments of a least-squares line of value over time.
//
// Numerics:
// - Welford-style updates keep centred sums (M2 = Σ(v − v̄)², Cuv = Σ(u − ū)(v − v̄)) instead of
//   raw sums (Σv², Σuv), so a window of values near 1e6 with a spread of 1 does not lose its
//   variance to cancellation.
// - Time enters as u = t − origin, where origin is the oldest sample's timestamp at the last
//   recompute, so epoch milliseconds (~1.7e12) never appear in a product. Values likewise enter
//   as w = v − vOrigin (the oldest value at the last recompute): a window of values near 1e6 then
//   keeps its running mean near 0, where its rounding error is ~1e-15 instead of ~1e-10, which
//   is what keeps the slope of a short, noisy window within 1e-9 of a two-pass computation.
// - Add-then-remove drifts a little per update; every `recomputeEvery` accepted pushes (default:
//   the capacity, so the O(capacity) pass costs O(1) amortised) the state is rebuilt from the
//   ring with a two-pass computation and the origin moves to the oldest sample.
//
// Non-finite timestamps or values are rejected: `push` returns false and `rejected` counts them;
// the window is left as it was. Timestamps need not increase (the fit does not depend on order).

export interface WindowOptions {
  /** Rebuild the sums from the ring every this many accepted pushes (default: the capacity). */
  recomputeEvery?: number;
}

/** Centred sums of a least-squares fit of value over time; time is `origin + u` (ms). */
export interface LeastSquares {
  n: number;
  /** Absolute timestamp (ms) that `meanU` is relative to. */
  origin: number;
  /** Mean of t − origin. */
  meanU: number;
  meanV: number;
  /** Σ(u − ū)² */
  suu: number;
  /** Σ(u − ū)(v − v̄) */
  suv: number;
  /** Σ(v − v̄)² */
  svv: number;
}

export interface Sample {
  t: number;
  v: number;
}

export class RollingWindow {
  readonly capacity: number;
  readonly recomputeEvery: number;
  #t: Float64Array;
  #v: Float64Array;
  /** Ring index of the oldest sample. */
  #head = 0;
  #size = 0;
  #rejected = 0;
  #sinceRecompute = 0;
  #origin = 0;
  #vOrigin = 0;
  #meanU = 0;
  #meanV = 0;
  #suu = 0;
  #suv = 0;
  #svv = 0;

  constructor(capacity: number, o: WindowOptions = {}) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer; found ${capacity}`);
    const every = o.recomputeEvery ?? capacity;
    if (!Number.isInteger(every) || every < 1) throw new RangeError(`recomputeEvery must be a positive integer; found ${every}`);
    this.capacity = capacity;
    this.recomputeEvery = every;
    this.#t = new Float64Array(capacity);
    this.#v = new Float64Array(capacity);
  }

  /** Adds a sample, evicting the oldest when full. Returns false (and counts it) when t or v is not finite. */
  push(t: number, v: number): boolean {
    if (!Number.isFinite(t) || !Number.isFinite(v)) {
      this.#rejected++;
      return false;
    }
    if (this.#size === 0) {
      this.#origin = t;
      this.#vOrigin = v;
    }
    let slot: number;
    if (this.#size === this.capacity) {
      slot = this.#head;
      this.#remove(this.#t[slot]! - this.#origin, this.#v[slot]! - this.#vOrigin, this.#size - 1);
      this.#head = (this.#head + 1) % this.capacity;
    } else {
      slot = (this.#head + this.#size) % this.capacity;
      this.#size++;
    }
    this.#t[slot] = t;
    this.#v[slot] = v;
    if (++this.#sinceRecompute >= this.recomputeEvery) this.recompute();
    else this.#add(t - this.#origin, v - this.#vOrigin, this.#size);
    return true;
  }

  /** Rebuilds every sum from the ring (two passes) and moves the time origin to the oldest sample. */
  recompute(): void {
    this.#sinceRecompute = 0;
    const n = this.#size;
    if (n === 0) return this.#reset();
    this.#origin = this.#t[this.#head]!;
    this.#vOrigin = this.#v[this.#head]!;
    let su = 0, sv = 0;
    for (let i = 0; i < n; i++) {
      const k = (this.#head + i) % this.capacity;
      su += this.#t[k]! - this.#origin;
      sv += this.#v[k]! - this.#vOrigin;
    }
    const mu = su / n, mv = sv / n;
    let suu = 0, suv = 0, svv = 0;
    for (let i = 0; i < n; i++) {
      const k = (this.#head + i) % this.capacity;
      const du = this.#t[k]! - this.#origin - mu, dv = this.#v[k]! - this.#vOrigin - mv;
      suu += du * du;
      suv += du * dv;
      svv += dv * dv;
    }
    this.#meanU = mu;
    this.#meanV = mv;
    this.#suu = suu;
    this.#suv = suv;
    this.#svv = svv;
  }

  /** Welford add; `n` is the count including the new sample. */
  #add(u: number, v: number, n: number): void {
    const du = u - this.#meanU, dv = v - this.#meanV;
    this.#meanU += du / n;
    this.#meanV += dv / n;
    // C_n = C_{n−1} + (x − x̄_{n−1})(y − ȳ_n)
    const dv2 = v - this.#meanV;
    this.#suu += du * (u - this.#meanU);
    this.#suv += du * dv2;
    this.#svv += dv * dv2;
  }

  /** Welford remove (the add run backwards); `n` is the count after removing. */
  #remove(u: number, v: number, n: number): void {
    if (n === 0) return this.#reset();
    const du = u - this.#meanU, dv = v - this.#meanV;
    this.#meanU -= du / n;
    this.#meanV -= dv / n;
    // C_{n−1} = C_n − (x − x̄_n)(y − ȳ_{n−1})
    const dv2 = v - this.#meanV;
    this.#suu = Math.max(0, this.#suu - du * (u - this.#meanU));
    this.#suv -= du * dv2;
    this.#svv = Math.max(0, this.#svv - dv * dv2);
  }

  #reset(): void {
    this.#meanU = this.#meanV = this.#suu = this.#suv = this.#svv = 0;
  }

  /** Accepted samples in the window. */
  get count(): number {
    return this.#size;
  }

  /** Pushes refused because the timestamp or value was not finite. */
  get rejected(): number {
    return this.#rejected;
  }

  get full(): boolean {
    return this.#size === this.capacity;
  }

  /** Mean of the values (NaN when empty). */
  get mean(): number {
    return this.#size === 0 ? Number.NaN : this.#vOrigin + this.#meanV;
  }

  /** Sample variance, Σ(v − v̄)² / (n − 1) (NaN below 2 samples). */
  get variance(): number {
    return this.#size < 2 ? Number.NaN : this.#svv / (this.#size - 1);
  }

  /** Population variance, Σ(v − v̄)² / n (NaN when empty). */
  get populationVariance(): number {
    return this.#size === 0 ? Number.NaN : this.#svv / this.#size;
  }

  /** Sample standard deviation (n − 1), the one the z-score uses. */
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** The centred sums of the least-squares fit of value over time. */
  leastSquares(): LeastSquares {
    return { n: this.#size, origin: this.#origin, meanU: this.#meanU, meanV: this.#vOrigin + this.#meanV, suu: this.#suu, suv: this.#suv, svv: this.#svv };
  }

  /** Value of the i-th sample, 0 = oldest. */
  valueAt(i: number): number {
    if (i < 0 || i >= this.#size) throw new RangeError(`index ${i} outside the window of ${this.#size}`);
    return this.#v[(this.#head + i) % this.capacity]!;
  }

  /** Timestamp of the i-th sample, 0 = oldest. */
  timeAt(i: number): number {
    if (i < 0 || i >= this.#size) throw new RangeError(`index ${i} outside the window of ${this.#size}`);
    return this.#t[(this.#head + i) % this.capacity]!;
  }

  /** Timestamp of the newest sample (NaN when empty): the "now" of trend forecasts. */
  get newestTime(): number {
    return this.#size === 0 ? Number.NaN : this.#t[(this.#head + this.#size - 1) % this.capacity]!;
  }

  /** The samples, oldest first (a copy). */
  samples(): Sample[] {
    const out: Sample[] = [];
    for (let i = 0; i < this.#size; i++) {
      const k = (this.#head + i) % this.capacity;
      out.push({ t: this.#t[k]!, v: this.#v[k]! });
    }
    return out;
  }
}
