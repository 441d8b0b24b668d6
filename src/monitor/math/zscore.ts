// The plain z-score of a value against a window: z = (x − mean) / std, with the SAMPLE standard
// deviation (n − 1). A window is a sample of the process, not the whole population; for the
// 1,000-sample windows of the engine the difference is 0.05 %, for a 10-sample window it is 5 %.
//
// Near-constant guard: when std < minStd (default 1e-9 × max(1, |mean|)) the spread is noise of
// the arithmetic, not of the metric, so the value is not divided by it. Instead the std is
// floored at minStd: the value is an anomaly when |x − mean| > threshold × minStd, reported
// with z = (x − mean) / minStd (so |z| > threshold by construction); otherwise the result is
// `constant`. A metric that is always 0 and suddenly reads 1 is therefore an anomaly; a metric
// that is quantised (counts) and legitimately flat for long stretches should set a larger
// `minStd` (e.g. half its resolution).

export interface ZScoreOptions {
  /** |z| above this is an anomaly (default 2.5). */
  threshold?: number;
  /** Fewer samples than this (at least 2) is `insufficient` (default 10). */
  minSamples?: number;
  /** A std below this is treated as constant (default 1e-9 × max(1, |mean|)). */
  minStd?: number;
}

/** What a z-score needs from a window; `RollingWindow` has it. */
export interface SampleMoments {
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly std: number;
}

export type ZScoreResult =
  | { kind: 'insufficient'; count: number }
  | { kind: 'constant'; mean: number; std: number }
  | { kind: 'ok' | 'anomaly'; z: number; mean: number; std: number };

export const defaultZThreshold = 2.5;
export const defaultMinSamples = 10;

/** The default floor under which a spread counts as none: 1e-9 relative, 1e-9 absolute near 0. */
export function defaultMinStd(center: number): number {
  return 1e-9 * Math.max(1, Math.abs(center));
}

/**
 * Scores `value` against the window's mean and sample std. Score a new value before pushing it,
 * so an outlier does not widen the spread it is judged by. Throws a RangeError for a non-finite
 * value (the window refuses those; check `push`'s return first).
 */
export function zscore(w: SampleMoments, value: number, o: ZScoreOptions = {}): ZScoreResult {
  if (!Number.isFinite(value)) throw new RangeError(`zscore of a non-finite value: ${value}`);
  const threshold = o.threshold ?? defaultZThreshold;
  const count = w.count;
  if (count < Math.max(2, o.minSamples ?? defaultMinSamples)) return { kind: 'insufficient', count };
  const mean = w.mean, std = w.std;
  const minStd = o.minStd ?? defaultMinStd(mean);
  if (!(std >= minStd)) {
    const z = (value - mean) / minStd;
    return Math.abs(z) > threshold ? { kind: 'anomaly', z, mean, std } : { kind: 'constant', mean, std };
  }
  const z = (value - mean) / std;
  return { kind: Math.abs(z) > threshold ? 'anomaly' : 'ok', z, mean, std };
}
