// One metric's history over the analysis window, built incrementally from samples in time order:
// what `MetricView` promises the analyzers, in fixed memory per metric.
//
// - A decaying histogram (histogram.ts) of every sample: the percentiles. It is not cut at the
//   window; old samples fade with the half-life instead, as in the VPA recommender.
// - A chart ring (chart.ts), one bucket per `chartStepMs` over the window: the window's count,
//   first sample and maximum (rounded out to whole steps) and the evidence chart.
// - A raw ring (ring.ts) of the newest `ringCapacity` samples for `since(t)`.
//
// Samples must arrive oldest first: a non-finite sample, or one older than the newest already
// seen, is refused (`add` returns false) and counted in `rejected`. Adding is O(1) and allocates
// nothing; `addMany` takes runs of acceptable samples through each part in one pass. The window
// summary is computed on demand (O(window / step)) and kept; a sample that lands in the newest
// chart bucket updates it in place, so a minute's new sample does not sum the window again.
import { ChartRing, type ChartJSON, type WindowSummary } from './chart.ts';
import { DecayingHistogram, type HistogramJSON } from './histogram.ts';
import { SampleRing, type RingJSON } from './ring.ts';
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

/** The persisted form. */
export interface HistoryJSON {
  name: string;
  unit?: string;
  windowMs: number;
  halfLifeMs: number;
  chartStepMs: number;
  ringCapacity: number;
  /** The newest sample (null when there is none). */
  lastAt: number | null;
  last: number | null;
  histogram: HistogramJSON;
  chart: ChartJSON;
  ring: RingJSON;
}

export class MetricHistory implements MetricView {
  readonly name: string;
  readonly unit?: string;
  readonly windowMs: number;
  readonly chartStepMs: number;
  readonly ringCapacity: number;
  #histogram: DecayingHistogram;
  #chart: ChartRing;
  #ring: SampleRing;
  #lastAt = Number.NaN;
  #last = Number.NaN;
  #rejected = 0;
  #summary: WindowSummary | undefined;
  /** The last chart asked for, kept while the window's buckets stay where they are. */
  #chartCache: { points: number; value: ChartPoint[] } | undefined;

  constructor(o: HistoryOptions) {
    this.name = o.name;
    if (o.unit !== undefined) this.unit = o.unit;
    this.windowMs = o.windowMs;
    this.chartStepMs = o.chartStepMs;
    this.ringCapacity = o.ringCapacity ?? 4096;
    this.#histogram = new DecayingHistogram({ halfLifeMs: o.halfLifeMs });
    this.#chart = new ChartRing(o.windowMs, o.chartStepMs);
    this.#ring = new SampleRing(this.ringCapacity);
  }

  /** Adds a sample; false (counted in `rejected`) when it is not finite or older than the newest. */
  add(t: number, v: number): boolean {
    if (!Number.isFinite(t) || !Number.isFinite(v) || t < this.#lastAt) {
      this.#rejected++;
      return false;
    }
    const kept = this.#summary;
    // The window keeps its first bucket when the sample stays within the newest one: the summary
    // grows by the sample instead of being summed again (every new minute of an incremental analysis).
    const step = this.chartStepMs, w = this.windowMs;
    const sameWindow = kept !== undefined && kept.count > 0 && Math.floor(t / step) === Math.floor(this.#lastAt / step) && Math.floor((t - w) / step) === Math.floor((this.#lastAt - w) / step);
    this.#histogram.add(t, v);
    this.#chart.add(t, v);
    this.#ring.push(t, v);
    this.#lastAt = t;
    this.#last = v;
    this.#summary = sameWindow ? { count: kept.count + 1, firstAt: kept.firstAt, max: v > kept.max ? v : kept.max } : undefined;
    // The same window: the sample joins the chart's newest point, which holds the newest bucket.
    const last = sameWindow ? this.#chartCache?.value.at(-1) : undefined;
    if (last) {
      last.mean = (last.mean * last.n + v) / (last.n + 1);
      last.n++;
      if (v < last.min) last.min = v;
      if (v > last.max) last.max = v;
    } else this.#chartCache = undefined;
    return true;
  }

  /** Adds `ts[i], vs[i]` in order, as `add` would one by one; returns how many were accepted. */
  addMany(ts: Float64Array, vs: Float64Array): number {
    const n = Math.min(ts.length, vs.length);
    if (n === 1) return this.add(ts[0]!, vs[0]!) ? 1 : 0;
    let accepted = 0, i = 0;
    while (i < n) {
      let prev = this.#lastAt, j = i;
      for (; j < n; j++) {
        const t = ts[j]!;
        if (!Number.isFinite(t) || !Number.isFinite(vs[j]!) || t < prev) break;
        prev = t;
      }
      if (j > i) {
        this.#histogram.addRun(ts, vs, i, j);
        this.#chart.addRun(ts, vs, i, j);
        this.#ring.pushRun(ts, vs, i, j);
        this.#lastAt = ts[j - 1]!;
        this.#last = vs[j - 1]!;
        this.#summary = undefined;
        this.#chartCache = undefined;
        accepted += j - i;
      }
      if (j < n) this.#rejected++;
      i = j + 1;
    }
    return accepted;
  }

  /** The decaying histogram behind `quantile`. */
  get histogram(): DecayingHistogram {
    return this.#histogram;
  }

  /** Samples refused so far (not finite, or out of order). */
  get rejected(): number {
    return this.#rejected;
  }

  #window(): WindowSummary {
    return (this.#summary ??= this.#chart.summary());
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

  /** The histogram's percentile, never above the window's largest sample (a bucket's upper edge can be). */
  quantile(q: number): number {
    const x = this.#histogram.quantile(q);
    const max = this.max;
    return Number.isFinite(max) && x > max ? max : x;
  }

  since(t: number): Sample[] {
    return this.#ring.since(t);
  }

  /** The evidence chart; a copy, since the history keeps the last one to update it in place. */
  chart(points = 120): ChartPoint[] {
    const kept = this.#chartCache;
    const value = kept && kept.points === points ? kept.value : this.#chart.chart(points);
    this.#chartCache = { points, value };
    return value.map((p) => ({ ...p }));
  }

  toJSON(): HistoryJSON {
    return {
      name: this.name, ...(this.unit !== undefined ? { unit: this.unit } : {}), windowMs: this.windowMs,
      halfLifeMs: this.#histogram.halfLifeMs, chartStepMs: this.chartStepMs, ringCapacity: this.ringCapacity,
      lastAt: Number.isNaN(this.#lastAt) ? null : this.#lastAt, last: Number.isNaN(this.#last) ? null : this.#last,
      histogram: this.#histogram.toJSON(), chart: this.#chart.toJSON(), ring: this.#ring.toJSON(),
    };
  }

  /** Rebuilds a history from `toJSON`. */
  static fromJSON(j: HistoryJSON): MetricHistory {
    const h = new MetricHistory(j);
    h.#histogram = DecayingHistogram.fromJSON(j.histogram);
    h.#chart = ChartRing.fromJSON(j.windowMs, j.chartStepMs, j.chart);
    h.#ring = SampleRing.fromJSON(h.ringCapacity, j.ring);
    h.#lastAt = j.lastAt ?? Number.NaN;
    h.#last = j.last ?? Number.NaN;
    return h;
  }
}
