// One metric's history over the analysis window, built incrementally from samples in time order:
// what `MetricView` promises the analyzers, in fixed memory per metric.
//
// - A decaying histogram (histogram.ts) of every sample: the percentiles. It is not cut at the
//   window; old samples fade with the half-life instead, as in the VPA recommender.
// - A chart ring: one bucket per `chartStepMs` (bucket n covers [n × step, (n + 1) × step)) with
//   the count, sum, min, max and first sample time of its samples, ⌈window / step⌉ + 1 of them.
//   A bucket is reused when its slot comes round again. The window's count, first sample and
//   maximum are read from the buckets that overlap [lastAt − windowMs, lastAt], so the window is
//   rounded out to whole steps: it may hold up to one step's samples more than the exact window.
// - A raw ring of the newest `ringCapacity` samples (two Float64Arrays) for `since(t)`.
//
// Samples must arrive oldest first: a non-finite sample, or one older than the newest already
// seen, is refused (`add` returns false) and counted in `rejected`. Adding is O(1) and allocates
// nothing; the window summary is computed on demand (O(window / step)) and kept until the next add.
import { DecayingHistogram, type HistogramJSON } from './histogram.ts';
import type { ChartPoint, MetricView, Sample } from './types.ts';

export interface HistoryOptions {
  name: string;
  unit?: string;
  windowMs: number;
  halfLifeMs: number;
  chartStepMs: number;
  /** Raw samples kept for `since` (default 4096). */
  ringCapacity?: number;
}

/** The persisted form; the chart holds only non-empty buckets. */
export interface HistoryJSON {
  name: string;
  unit?: string;
  windowMs: number;
  halfLifeMs: number;
  chartStepMs: number;
  ringCapacity: number;
  histogram: HistogramJSON;
  chart: { bucket: number[]; first: number[]; n: number[]; sum: number[]; min: number[]; max: number[] };
  ring: { t: number[]; v: number[] };
}

interface Summary { count: number; firstAt: number; max: number }

export class MetricHistory implements MetricView {
  readonly name: string;
  readonly unit?: string;
  readonly windowMs: number;
  readonly chartStepMs: number;
  readonly ringCapacity: number;
  #histogram: DecayingHistogram;
  #slots: number;
  #bucket: Float64Array;
  #first: Float64Array;
  #n: Float64Array;
  #sum: Float64Array;
  #min: Float64Array;
  #max: Float64Array;
  #rt: Float64Array;
  #rv: Float64Array;
  #head = 0;
  #size = 0;
  #lastAt = Number.NaN;
  #last = Number.NaN;
  #rejected = 0;
  #summary: Summary | undefined;

  constructor(o: HistoryOptions) {
    const ring = o.ringCapacity ?? 4096;
    if (!(o.windowMs > 0) || !(o.chartStepMs > 0)) throw new RangeError(`windowMs and chartStepMs must be positive; found ${o.windowMs}, ${o.chartStepMs}`);
    if (!Number.isInteger(ring) || ring < 1) throw new RangeError(`ringCapacity must be a positive integer; found ${ring}`);
    this.name = o.name;
    if (o.unit !== undefined) this.unit = o.unit;
    this.windowMs = o.windowMs;
    this.chartStepMs = o.chartStepMs;
    this.ringCapacity = ring;
    this.#histogram = new DecayingHistogram({ halfLifeMs: o.halfLifeMs });
    const slots = (this.#slots = Math.ceil(o.windowMs / o.chartStepMs) + 1);
    this.#bucket = new Float64Array(slots).fill(Number.NaN);
    this.#first = new Float64Array(slots);
    this.#n = new Float64Array(slots);
    this.#sum = new Float64Array(slots);
    this.#min = new Float64Array(slots);
    this.#max = new Float64Array(slots);
    this.#rt = new Float64Array(ring);
    this.#rv = new Float64Array(ring);
  }

  /** Adds a sample; false (counted in `rejected`) when it is not finite or older than the newest. */
  add(t: number, v: number): boolean {
    if (!Number.isFinite(t) || !Number.isFinite(v) || t < this.#lastAt) {
      this.#rejected++;
      return false;
    }
    this.#histogram.add(t, v);
    const b = Math.floor(t / this.chartStepMs);
    const s = this.#slots;
    const slot = ((b % s) + s) % s;
    if (this.#bucket[slot] !== b) {
      this.#bucket[slot] = b;
      this.#first[slot] = t;
      this.#n[slot] = 0;
      this.#sum[slot] = 0;
      this.#min[slot] = v;
      this.#max[slot] = v;
    }
    this.#n[slot]!++;
    this.#sum[slot] = this.#sum[slot]! + v;
    if (v < this.#min[slot]!) this.#min[slot] = v;
    if (v > this.#max[slot]!) this.#max[slot] = v;
    const cap = this.ringCapacity;
    let at: number;
    if (this.#size === cap) {
      at = this.#head;
      this.#head = this.#head + 1 === cap ? 0 : this.#head + 1;
    } else {
      at = this.#head + this.#size;
      if (at >= cap) at -= cap;
      this.#size++;
    }
    this.#rt[at] = t;
    this.#rv[at] = v;
    this.#lastAt = t;
    this.#last = v;
    this.#summary = undefined;
    return true;
  }

  /**
   * Adds `ts[i], vs[i]` in order, as `add` would one by one; returns how many were accepted. Runs
   * of acceptable samples go through in batches: the histogram's `addRun`, the chart with the
   * current bucket in local variables, and only the newest `ringCapacity` of the run into the ring.
   */
  addMany(ts: Float64Array, vs: Float64Array): number {
    const n = Math.min(ts.length, vs.length);
    let accepted = 0, i = 0;
    while (i < n) {
      let prev = this.#lastAt, j = i;
      for (; j < n; j++) {
        const t = ts[j]!;
        if (!Number.isFinite(t) || !Number.isFinite(vs[j]!) || t < prev) break;
        prev = t;
      }
      if (j > i) {
        this.#addRun(ts, vs, i, j);
        accepted += j - i;
      }
      if (j < n) this.#rejected++;
      i = j + 1;
    }
    return accepted;
  }

  #addRun(ts: Float64Array, vs: Float64Array, from: number, to: number): void {
    this.#histogram.addRun(ts, vs, from, to);
    const step = this.chartStepMs, slots = this.#slots;
    const bucket = this.#bucket, first = this.#first, count = this.#n, sum = this.#sum, min = this.#min, max = this.#max;
    let end = -Infinity, slot = 0, bn = 0, bsum = 0, bmin = 0, bmax = 0;
    for (let i = from; i < to; i++) {
      const t = ts[i]!, v = vs[i]!;
      if (t >= end) {
        if (end !== -Infinity) {
          count[slot] = bn;
          sum[slot] = bsum;
          min[slot] = bmin;
          max[slot] = bmax;
        }
        const b = Math.floor(t / step);
        end = (b + 1) * step;
        slot = ((b % slots) + slots) % slots;
        if (bucket[slot] !== b) {
          bucket[slot] = b;
          first[slot] = t;
          count[slot] = 0;
          sum[slot] = 0;
          min[slot] = v;
          max[slot] = v;
        }
        bn = count[slot]!;
        bsum = sum[slot]!;
        bmin = min[slot]!;
        bmax = max[slot]!;
      }
      bn++;
      bsum += v;
      if (v < bmin) bmin = v;
      if (v > bmax) bmax = v;
    }
    count[slot] = bn;
    sum[slot] = bsum;
    min[slot] = bmin;
    max[slot] = bmax;
    const cap = this.ringCapacity;
    for (let i = Math.max(from, to - cap); i < to; i++) {
      let at: number;
      if (this.#size === cap) {
        at = this.#head;
        this.#head = this.#head + 1 === cap ? 0 : this.#head + 1;
      } else {
        at = this.#head + this.#size;
        if (at >= cap) at -= cap;
        this.#size++;
      }
      this.#rt[at] = ts[i]!;
      this.#rv[at] = vs[i]!;
    }
    this.#lastAt = ts[to - 1]!;
    this.#last = vs[to - 1]!;
    this.#summary = undefined;
  }

  /** The decaying histogram behind `quantile`. */
  get histogram(): DecayingHistogram {
    return this.#histogram;
  }

  /** Samples refused so far (not finite, or out of order). */
  get rejected(): number {
    return this.#rejected;
  }

  /** The first bucket number that overlaps the window [lastAt − windowMs, lastAt]. */
  #firstBucket(): number {
    return Math.floor((this.#lastAt - this.windowMs) / this.chartStepMs);
  }

  #slotOf(b: number): number {
    const s = this.#slots;
    return ((b % s) + s) % s;
  }

  #window(): Summary {
    if (this.#summary) return this.#summary;
    let count = 0, firstAt = Number.NaN, max = Number.NaN;
    if (!Number.isNaN(this.#lastAt)) {
      const lastBucket = Math.floor(this.#lastAt / this.chartStepMs);
      for (let b = this.#firstBucket(); b <= lastBucket; b++) {
        const slot = this.#slotOf(b);
        if (this.#bucket[slot] !== b) continue;
        count += this.#n[slot]!;
        if (Number.isNaN(firstAt)) firstAt = this.#first[slot]!;
        if (!(this.#max[slot]! <= max)) max = this.#max[slot]!;
      }
    }
    return (this.#summary = { count, firstAt, max });
  }

  get count(): number {
    return this.#window().count;
  }

  get firstAt(): number {
    return this.#window().firstAt;
  }

  get lastAt(): number {
    return this.#lastAt;
  }

  get last(): number {
    return this.#last;
  }

  get max(): number {
    return this.#window().max;
  }

  quantile(q: number): number {
    return this.#histogram.quantile(q);
  }

  since(t: number): Sample[] {
    const cap = this.ringCapacity, head = this.#head;
    let lo = 0, hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#rt[(head + mid) % cap]! < t) lo = mid + 1;
      else hi = mid;
    }
    const out: Sample[] = [];
    for (let i = lo; i < this.#size; i++) {
      const k = (head + i) % cap;
      out.push({ t: this.#rt[k]!, v: this.#rv[k]! });
    }
    return out;
  }

  chart(points = 120): ChartPoint[] {
    if (Number.isNaN(this.#lastAt) || !(points >= 1)) return [];
    const lastBucket = Math.floor(this.#lastAt / this.chartStepMs);
    let start = this.#firstBucket();
    while (start <= lastBucket && this.#bucket[this.#slotOf(start)] !== start) start++;
    const per = Math.max(1, Math.ceil((lastBucket - start + 1) / Math.floor(points)));
    const out: ChartPoint[] = [];
    for (let g = start; g <= lastBucket; g += per) {
      let n = 0, sum = 0, min = Infinity, max = -Infinity;
      for (let b = g; b < g + per && b <= lastBucket; b++) {
        const slot = this.#slotOf(b);
        if (this.#bucket[slot] !== b) continue;
        n += this.#n[slot]!;
        sum += this.#sum[slot]!;
        min = Math.min(min, this.#min[slot]!);
        max = Math.max(max, this.#max[slot]!);
      }
      if (n > 0) out.push({ t: g * this.chartStepMs, mean: sum / n, min, max, n });
    }
    return out;
  }

  toJSON(): HistoryJSON {
    const chart: HistoryJSON['chart'] = { bucket: [], first: [], n: [], sum: [], min: [], max: [] };
    if (!Number.isNaN(this.#lastAt)) {
      const lastBucket = Math.floor(this.#lastAt / this.chartStepMs);
      for (let b = lastBucket - this.#slots + 1; b <= lastBucket; b++) {
        const slot = this.#slotOf(b);
        if (this.#bucket[slot] !== b) continue;
        chart.bucket.push(b);
        chart.first.push(this.#first[slot]!);
        chart.n.push(this.#n[slot]!);
        chart.sum.push(this.#sum[slot]!);
        chart.min.push(this.#min[slot]!);
        chart.max.push(this.#max[slot]!);
      }
    }
    const ring = { t: [] as number[], v: [] as number[] };
    for (let i = 0; i < this.#size; i++) {
      const k = (this.#head + i) % this.ringCapacity;
      ring.t.push(this.#rt[k]!);
      ring.v.push(this.#rv[k]!);
    }
    return {
      name: this.name, ...(this.unit !== undefined ? { unit: this.unit } : {}), windowMs: this.windowMs,
      halfLifeMs: this.#histogram.halfLifeMs, chartStepMs: this.chartStepMs, ringCapacity: this.ringCapacity,
      histogram: this.#histogram.toJSON(), chart, ring,
    };
  }

  /** Rebuilds a history from `toJSON`. The newest sample is the ring's last one. */
  static fromJSON(j: HistoryJSON): MetricHistory {
    const h = new MetricHistory(j);
    h.#histogram = DecayingHistogram.fromJSON(j.histogram);
    const c = j.chart;
    for (let i = 0; i < c.bucket.length; i++) {
      const b = c.bucket[i]!, slot = h.#slotOf(b);
      h.#bucket[slot] = b;
      h.#first[slot] = c.first[i]!;
      h.#n[slot] = c.n[i]!;
      h.#sum[slot] = c.sum[i]!;
      h.#min[slot] = c.min[i]!;
      h.#max[slot] = c.max[i]!;
    }
    const n = Math.min(j.ring.t.length, j.ring.v.length, h.ringCapacity);
    const from = Math.min(j.ring.t.length, j.ring.v.length) - n;
    for (let i = 0; i < n; i++) {
      h.#rt[i] = j.ring.t[from + i]!;
      h.#rv[i] = j.ring.v[from + i]!;
    }
    h.#size = n;
    if (n > 0) {
      h.#lastAt = h.#rt[n - 1]!;
      h.#last = h.#rv[n - 1]!;
    }
    return h;
  }
}
