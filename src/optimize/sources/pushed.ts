// A `pushed` metric for one plugin: the samples plugins sent to `POST /api/metrics`, as the
// monitor's metric store keeps them (a bounded series per metric and plugin), newer than `since`,
// in time order. Non-finite values are left out.
import type { MetricSeries } from '../../monitor/runtime/metrics.ts';
import type { Sample } from '../analysis/types.ts';

/** The store's reader: `MetricStore.series` (src/monitor/runtime/metrics.ts). */
export type PushedSeries = (metric: string, plugin?: string) => ReadonlyArray<Pick<MetricSeries, 'samples'>>;

export function pushedSamples(series: PushedSeries, metric: string, plugin: string, since: number): Sample[] {
  const out: Sample[] = [];
  for (const s of series(metric, plugin)) {
    for (const { t, v } of s.samples) if (t > since && Number.isFinite(v)) out.push({ t, v });
  }
  return out.sort((a, b) => a.t - b.t);
}
