// The bucket grid of the decaying histogram. Bucket 0 holds every value ≤ 0; bucket k ≥ 1 holds
// the positive values in [start(k), start(k + 1)) with start(1) = 0 and start(k) = (ratio^(k − 1)
// − 1) / scale, scale = (ratio − 1) / first: the first positive bucket is `first` wide and each
// next one `ratio` times wider. `maxValue` bounds the grid; larger values go to the last bucket.
//
// Finding a value's bucket without a logarithm (one costs tens of ns, more than a whole add may):
// the estimate log2(v × scale + 1) / log2(ratio) + 1 comes from the double's exponent bits plus a
// 4096-entry table of log2 of the mantissa's top 12 bits. The table's truncation makes it low by
// less than 3.6e-4 / log2(ratio) (≈ 0.005 of a bucket at ratio 1.05), so at most one step against
// the exact bounds finds the bucket, and the bounds alone decide membership. start[1] = 0 < v and
// start[size] = ∞ keep that step inside the grid; it is branch-free (two comparisons).
//
// A grid is immutable, so histograms on the same grid share one; the default grid is built once.

export interface BucketGrid {
  first: number;
  ratio: number;
  maxValue: number;
  /** Buckets, the zero bucket included. */
  size: number;
  /** start[k]: the lower bound of bucket k (k ≥ 1); start[size] = Infinity. */
  start: Float64Array;
  /** log2(1 + i / 4096) / log2(ratio): the bucket offset of mantissa prefix i. */
  steps: Float64Array;
  /** 1 / log2(ratio): buckets per doubling. */
  perOctave: number;
  scale: number;
}

export const defaultGrid = { first: 1e-6, ratio: 1.05, maxValue: 1e13 } as const;

const mantissaLog2 = Float64Array.from({ length: 4096 }, (_, i) => Math.log2(1 + i / 4096));
// A view of a double's bits; the high word holds the sign, the exponent and the mantissa's top 20 bits.
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const highWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function makeGrid(first: number, ratio: number, maxValue: number): BucketGrid {
  if (!(first > 0) || !(ratio > 1) || !(maxValue > first)) throw new RangeError(`bad bucket grid: first ${first}, ratio ${ratio}, maxValue ${maxValue}`);
  const perOctave = 1 / Math.log2(ratio);
  const scale = (ratio - 1) / first;
  const size = Math.ceil(Math.log2(maxValue * scale + 1) * perOctave) + 1;
  const start = new Float64Array(size + 1);
  for (let k = 2; k < size; k++) start[k] = (Math.pow(ratio, k - 1) - 1) / scale;
  start[size] = Infinity;
  return { first, ratio, maxValue, size, start, steps: mantissaLog2.map((x) => x * perOctave), perOctave, scale };
}

const shared = makeGrid(defaultGrid.first, defaultGrid.ratio, defaultGrid.maxValue);

/** The grid for these parameters (the shared one for the defaults). */
export function gridOf(first: number = defaultGrid.first, ratio: number = defaultGrid.ratio, maxValue: number = defaultGrid.maxValue): BucketGrid {
  return first === shared.first && ratio === shared.ratio && maxValue === shared.maxValue ? shared : makeGrid(first, ratio, maxValue);
}

/** The bucket of a finite value (see the header). */
export function bucketIn(g: BucketGrid, v: number): number {
  return bucketAt(v, g.scale, g.perOctave, g.steps, g.start, g.size - 1);
}

/**
 * `bucketIn` with the grid's fields passed one by one, for a loop that has them in local
 * variables (read from the grid object on every sample they cost a third of an add).
 */
export function bucketAt(v: number, scale: number, perOctave: number, steps: Float64Array, start: Float64Array, last: number): number {
  if (!(v > 0)) return 0;
  scratch[0] = v * scale + 1;
  const hi = scratchWords[highWord]!;
  let k = (((hi >>> 20) - 1023) * perOctave + steps[(hi >>> 8) & 0xfff]! + 1) | 0;
  if (k > last) k = last;
  return k + (v >= start[k + 1]! ? 1 : 0) - (v < start[k]! ? 1 : 0);
}

/** The lower bound of bucket `k` (0 for the zero bucket and the first positive one, ∞ past the grid). */
export function bucketStart(g: BucketGrid, k: number): number {
  return k <= 1 ? 0 : k >= g.size ? Infinity : g.start[k]!;
}
