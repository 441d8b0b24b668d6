// The numbers behind a finding: the metric (and its unit), its sample count and span over the
// window, its decaying percentiles and maximum, the analyzer's own figures and the chart people
// see beside the words.
import { spanOf } from './confidence.ts';
import type { Evidence, MetricView } from './types.ts';

/** Evidence of `view` over the window, with the analyzer's `figures` and a chart of at most `points` buckets. */
export function evidenceOf(view: MetricView, windowMs: number, figures: Record<string, number> = {}, points = 120): Evidence {
  return {
    metric: view.name,
    ...(view.unit !== undefined ? { unit: view.unit } : {}),
    windowMs,
    samples: view.count,
    spanMs: spanOf(view),
    percentiles: {
      p50: view.quantile(0.5),
      p90: view.quantile(0.9),
      p95: view.quantile(0.95),
      p99: view.quantile(0.99),
      max: view.max,
    },
    figures,
    chart: view.chart(points),
  };
}
