// The two ways an analysis ends without a suggestion that every analyzer shares: a metric the
// document names that brought no data, and a history too short to judge (checked before anything
// else, so no analyzer suggests from a handful of samples).
import { enoughData } from './confidence.ts';
import type { AnalyzerName, DataRule, MetricView, NoFinding } from './types.ts';

/** The document's metric `metric` (the analyzer's `role`) had no data. */
export function missingMetric(analyzer: AnalyzerName, role: string, metric: string): NoFinding {
  return { analyzer, reason: 'missing-metric', message: `metric ${metric} (${role}) has no data` };
}

/** Nothing to change: `message` says what was found and what it was held against. */
export function withinTarget(analyzer: AnalyzerName, message: string): NoFinding {
  return { analyzer, reason: 'within-target', message };
}

export function insufficientData(analyzer: AnalyzerName, message: string): NoFinding {
  return { analyzer, reason: 'insufficient-data', message };
}

/** Undefined when `view` holds enough data for `rule`; else the insufficient-data answer naming the metric. */
export function dataGate(analyzer: AnalyzerName, view: MetricView, rule: DataRule): NoFinding | undefined {
  const short = enoughData(view, rule);
  return short === undefined ? undefined : insufficientData(analyzer, `${view.name}: ${short}`);
}
