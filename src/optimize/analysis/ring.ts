// The newest raw samples of a metric, in a fixed-capacity ring of two Float64Arrays (times and
// values), oldest first. `since(t)` finds its start by binary search (samples are in time order).
import type { Sample } from './types.ts';

export interface RingJSON { t: number[]; v: number[] }

export class SampleRing {
  readonly capacity: number;
  #t: Float64Array;
  #v: Float64Array;
  /** Index of the oldest sample. */
  #head = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ringCapacity must be a positive integer; found ${capacity}`);
    this.capacity = capacity;
    this.#t = new Float64Array(capacity);
    this.#v = new Float64Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Adds a sample, dropping the oldest when full. */
  push(t: number, v: number): void {
    const cap = this.capacity;
    let at: number;
    if (this.#size === cap) {
      at = this.#head;
      this.#head = at + 1 === cap ? 0 : at + 1;
    } else {
      at = this.#head + this.#size;
      if (at >= cap) at -= cap;
      this.#size++;
    }
    this.#t[at] = t;
    this.#v[at] = v;
  }

  /** `push` for i in [from, to); only the newest `capacity` of them can stay, so only those are written. */
  pushRun(ts: Float64Array, vs: Float64Array, from: number, to: number): void {
    for (let i = Math.max(from, to - this.capacity); i < to; i++) this.push(ts[i]!, vs[i]!);
  }

  #at(i: number): number {
    const k = this.#head + i;
    return k >= this.capacity ? k - this.capacity : k;
  }

  /** The samples at or after `t`, oldest first. */
  since(t: number): Sample[] {
    let lo = 0, hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#t[this.#at(mid)]! < t) lo = mid + 1;
      else hi = mid;
    }
    const out: Sample[] = [];
    for (let i = lo; i < this.#size; i++) out.push({ t: this.#t[this.#at(i)]!, v: this.#v[this.#at(i)]! });
    return out;
  }

  toJSON(): RingJSON {
    const j: RingJSON = { t: [], v: [] };
    for (let i = 0; i < this.#size; i++) {
      j.t.push(this.#t[this.#at(i)]!);
      j.v.push(this.#v[this.#at(i)]!);
    }
    return j;
  }

  /** A ring of `capacity` holding the newest of `j`'s samples. */
  static fromJSON(capacity: number, j: RingJSON): SampleRing {
    const r = new SampleRing(capacity);
    const n = Math.min(j.t.length, j.v.length);
    for (let i = Math.max(0, n - capacity); i < n; i++) r.push(j.t[i]!, j.v[i]!);
    return r;
  }
}
