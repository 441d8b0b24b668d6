// The chart ring of a metric history: one bucket per `stepMs` (bucket b covers [b × step,
// (b + 1) × step)) with the count, sum, min, max and first sample time of its samples,
// ⌈window / step⌉ + 1 of them in parallel Float64Arrays. A bucket is reused when its slot comes
// round again, so memory is fixed whatever the number of samples.
//
// The window [lastAt − window, lastAt] is read from the buckets that overlap it, so it is rounded
// out to whole steps: it may hold up to one step's samples more than the exact window. That is
// what the window's count, first sample and maximum are, and what `chart` draws, merged down to a
// number of points. Samples must come in time order (the history checks).
import type { ChartPoint } from './types.ts';

/** The persisted form: the non-empty buckets of the window, oldest first, and the newest time. */
export interface ChartJSON {
  lastAt: number | null;
  bucket: number[];
  first: number[];
  n: number[];
  sum: number[];
  min: number[];
  max: number[];
}

export interface WindowSummary { count: number; firstAt: number; max: number }

export class ChartRing {
  readonly windowMs: number;
  readonly stepMs: number;
  readonly slots: number;
  #bucket: Float64Array;
  #first: Float64Array;
  #n: Float64Array;
  #sum: Float64Array;
  #min: Float64Array;
  #max: Float64Array;
  #lastAt = Number.NaN;

  constructor(windowMs: number, stepMs: number) {
    if (!(windowMs > 0) || !(stepMs > 0)) throw new RangeError(`windowMs and chartStepMs must be positive; found ${windowMs}, ${stepMs}`);
    this.windowMs = windowMs;
    this.stepMs = stepMs;
    const slots = (this.slots = Math.ceil(windowMs / stepMs) + 1);
    this.#bucket = new Float64Array(slots).fill(Number.NaN);
    this.#first = new Float64Array(slots);
    this.#n = new Float64Array(slots);
    this.#sum = new Float64Array(slots);
    this.#min = new Float64Array(slots);
    this.#max = new Float64Array(slots);
  }

  #slotOf(b: number): number {
    const s = this.slots;
    return ((b % s) + s) % s;
  }

  /** The slot of bucket `b`, emptied for it when it still holds an older bucket. */
  #claim(b: number, t: number, v: number): number {
    const slot = this.#slotOf(b);
    if (this.#bucket[slot] !== b) {
      this.#bucket[slot] = b;
      this.#first[slot] = t;
      this.#n[slot] = 0;
      this.#sum[slot] = 0;
      this.#min[slot] = v;
      this.#max[slot] = v;
    }
    return slot;
  }

  add(t: number, v: number): void {
    const slot = this.#claim(Math.floor(t / this.stepMs), t, v);
    this.#n[slot] = this.#n[slot]! + 1;
    this.#sum[slot] = this.#sum[slot]! + v;
    if (v < this.#min[slot]!) this.#min[slot] = v;
    if (v > this.#max[slot]!) this.#max[slot] = v;
    this.#lastAt = t;
  }

  /** `add` for i in [from, to), with the current bucket's figures in local variables. */
  addRun(ts: Float64Array, vs: Float64Array, from: number, to: number): void {
    if (from >= to) return;
    const step = this.stepMs, count = this.#n, sum = this.#sum, min = this.#min, max = this.#max;
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
        slot = this.#claim(b, t, v);
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
    this.#lastAt = ts[to - 1]!;
  }

  /** The bucket numbers that overlap the window, [first, last]; empty before any sample. */
  #range(): [number, number] {
    if (Number.isNaN(this.#lastAt)) return [0, -1];
    return [Math.floor((this.#lastAt - this.windowMs) / this.stepMs), Math.floor(this.#lastAt / this.stepMs)];
  }

  /** Count, first sample time and maximum of the buckets overlapping the window (0, NaN, NaN when empty). */
  summary(): WindowSummary {
    let count = 0, firstAt = Number.NaN, max = Number.NaN;
    const [from, to] = this.#range();
    for (let b = from; b <= to; b++) {
      const slot = this.#slotOf(b);
      if (this.#bucket[slot] !== b) continue;
      count += this.#n[slot]!;
      if (Number.isNaN(firstAt)) firstAt = this.#first[slot]!;
      if (!(this.#max[slot]! <= max)) max = this.#max[slot]!;
    }
    return { count, firstAt, max };
  }

  /** The window's buckets from the first non-empty one, merged ⌈buckets / points⌉ at a time; empty groups are left out. */
  chart(points = 120): ChartPoint[] {
    let [start, last] = this.#range();
    if (!(points >= 1)) return [];
    while (start <= last && this.#bucket[this.#slotOf(start)] !== start) start++;
    const per = Math.max(1, Math.ceil((last - start + 1) / Math.floor(points)));
    const out: ChartPoint[] = [];
    for (let g = start; g <= last; g += per) {
      let n = 0, sum = 0, min = Infinity, max = -Infinity;
      for (let b = g; b < g + per && b <= last; b++) {
        const slot = this.#slotOf(b);
        if (this.#bucket[slot] !== b) continue;
        n += this.#n[slot]!;
        sum += this.#sum[slot]!;
        min = Math.min(min, this.#min[slot]!);
        max = Math.max(max, this.#max[slot]!);
      }
      if (n > 0) out.push({ t: g * this.stepMs, mean: sum / n, min, max, n });
    }
    return out;
  }

  toJSON(): ChartJSON {
    const j: ChartJSON = { lastAt: Number.isNaN(this.#lastAt) ? null : this.#lastAt, bucket: [], first: [], n: [], sum: [], min: [], max: [] };
    const [, last] = this.#range();
    for (let b = last - this.slots + 1; b <= last; b++) {
      const slot = this.#slotOf(b);
      if (this.#bucket[slot] !== b) continue;
      j.bucket.push(b);
      j.first.push(this.#first[slot]!);
      j.n.push(this.#n[slot]!);
      j.sum.push(this.#sum[slot]!);
      j.min.push(this.#min[slot]!);
      j.max.push(this.#max[slot]!);
    }
    return j;
  }

  static fromJSON(windowMs: number, stepMs: number, j: ChartJSON): ChartRing {
    const c = new ChartRing(windowMs, stepMs);
    for (let i = 0; i < j.bucket.length; i++) {
      const b = j.bucket[i]!, slot = c.#slotOf(b);
      c.#bucket[slot] = b;
      c.#first[slot] = j.first[i]!;
      c.#n[slot] = j.n[i]!;
      c.#sum[slot] = j.sum[i]!;
      c.#min[slot] = j.min[i]!;
      c.#max[slot] = j.max[i]!;
    }
    c.#lastAt = j.lastAt ?? Number.NaN;
    return c;
  }
}
