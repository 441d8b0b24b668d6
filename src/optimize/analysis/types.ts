// What the analyzers read and what they answer. Analyzers are pure functions: metric histories
// and settings in, a finding (a suggested change with its evidence) or the reason there is none
// out. They never fetch, never read the clock (`now` is passed in) and never throw on data.

/** One sample of a metric: `t` ms since the epoch, `v` its value. */
export interface Sample { t: number; v: number }

/** A bucket of the evidence chart: the mean, min and max of the samples in [t, t + step). */
export interface ChartPoint { t: number; mean: number; min: number; max: number; n: number }

/**
 * What an analyzer sees of one metric over the analysis window. Built incrementally by
 * `MetricHistory` (history.ts) from samples in time order; percentiles come from a histogram whose
 * sample weights halve every `halfLifeMs` (newer samples count more, like the VPA recommender).
 */
export interface MetricView {
  /** The metric's name in the Optimization document. */
  readonly name: string;
  /** Shown beside values (`ms`, `cores`, `bytes` …), from the metric's source; absent when not given. */
  readonly unit?: string;
  /** Samples in the window. */
  readonly count: number;
  /** Time of the first and the last sample in the window (NaN when empty). */
  readonly firstAt: number;
  readonly lastAt: number;
  /** The newest value (NaN when empty). */
  readonly last: number;
  /** The largest value in the window (NaN when empty). */
  readonly max: number;
  /** A percentile (q in [0, 1]) of the decaying histogram; NaN when empty. */
  quantile(q: number): number;
  /** The raw samples kept since `t` (the newest up to the ring's capacity), oldest first. */
  since(t: number): Sample[];
  /** The evidence chart: at most `points` buckets over the window, oldest first. */
  chart(points?: number): ChartPoint[];
}

export type AnalyzerName = 'workers' | 'resources' | 'cache' | 'errors' | 'thresholds';
export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type Direction = 'up' | 'down';

/** How much data an analysis needs before it suggests anything. */
export interface DataRule { minSamples: number; minSpanMs: number }

/** What every analyzer is told besides its metrics: the document's analysis window and data rule. */
export interface Scope { windowMs: number; rule: DataRule }

/** An open incident of the plugin, shown beside an error diagnosis. */
export interface IncidentRef { id: string; title: string; openedAt: number }

/** The numbers behind a finding, for people and for the chart. */
export interface Evidence {
  metric: string;
  /** The metric's unit, as the document names it (`ms`, `bytes`, `cores`). */
  unit?: string;
  windowMs: number;
  samples: number;
  spanMs: number;
  /** p50, p90, p95, p99 and max of the metric over the window (decaying). */
  percentiles: Record<'p50' | 'p90' | 'p95' | 'p99' | 'max', number>;
  /** Other numbers an analyzer used, by name (utilisation p90, hit ratio, oom events …). */
  figures: Record<string, number>;
  chart: ChartPoint[];
}

/** A change an analyzer suggests. */
export interface Finding {
  analyzer: AnalyzerName;
  /** e.g. `scale_workers`, `cpu_limit`, `memory_limit`, `cache_size`, `cache_ttl`, `diagnose_errors`, `threshold`. */
  type: string;
  /** The value the change sets and the one it replaces (absent for a diagnosis). */
  value?: number;
  previous?: number;
  unit?: string;
  description: { en: string; ko: string };
  evidence: Evidence;
  /** The metric the change should move, the way it should move and by how much (a fraction, 0.2 = 20%). */
  /**
   * `hold`: a saving (fewer workers, a tighter limit) that may move the metric `direction` by up to
   * `size`; the verification then checks that it did not move further, instead of looking for an improvement.
   */
  expected: { metric: string; direction: Direction; size: number; hold?: boolean };
  severity: Severity;
  /** In [0, 1]: from the history's span and sample count. */
  confidence: number;
  /** For the errors analyzer: the top signatures and what they point at. */
  signatures?: Array<{ template: string; count: number; example: string }>;
  likelyCause?: string;
  /** For the errors analyzer: the plugin's open incidents it was given, newest first. */
  incidents?: IncidentRef[];
}

/** No finding: why not, in words (`insufficient-data` is said in `status`). */
export interface NoFinding {
  analyzer: AnalyzerName;
  reason: 'insufficient-data' | 'within-target' | 'missing-metric';
  message: string;
  /** For a threshold rule: the metric it judged (each rule has its own suggestion). */
  metric?: string;
}

export type Analysis = Finding | NoFinding;
export const isFinding = (a: Analysis): a is Finding => 'evidence' in a;
