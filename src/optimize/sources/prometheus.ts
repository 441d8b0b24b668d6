// A `prometheus` metric for one plugin: the query with `${{ plugin }}` filled in, read as a range
// over the window, and the plugin's one series as samples. Which series is the plugin's: the one
// labelled plugin=<id> when there is one, else the only series; more than one is an error that
// says how to write the query. NaN and ±Inf samples are dropped. Prometheus refuses a range of
// more than 11,000 points per series, so a longer one is asked for in chunks on the same step
// grid and the answers are joined; past `maxChunks` requests the step is too fine and that is the
// error. Never throws.
import { queryPrometheusRange, type QueryServer, type RangeSeries, type SourceEdges } from '../../monitor/sources/prometheus.ts';
import type { Sample } from '../analysis/types.ts';
import { fillQuery } from './template.ts';

export type Fetched = { ok: true; samples: Sample[] } | { ok: false; error: string };

export interface RangeOptions {
  /** The window, ms since the epoch. */
  start: number;
  end: number;
  stepMs: number;
  /** Per request. */
  timeoutMs: number;
  /** Requests at most for one range (default 100, 1.1 million points). */
  maxChunks?: number;
}

/** Prometheus refuses a range query whose (end − start) / step is over this. */
export const maxPointsPerQuery = 11_000;
export const defaultMaxChunks = 100;

export async function fetchPrometheus(server: QueryServer, query: string, plugin: string, o: RangeOptions, edges: SourceEdges): Promise<Fetched> {
  const filled = fillQuery(query, plugin);
  if (!filled.ok) return filled;
  if (!(Number.isFinite(o.stepMs) && o.stepMs > 0)) return { ok: false, error: `the step ${o.stepMs}ms is not positive` };
  const ranges = chunks(o.start, o.end, o.stepMs);
  const maxChunks = o.maxChunks ?? defaultMaxChunks;
  if (ranges.length > maxChunks) {
    return { ok: false, error: `the window at a step of ${o.stepMs}ms is ${ranges.length} requests of ${maxPointsPerQuery} points, more than ${maxChunks}; use a larger \`step\`` };
  }
  const samples: Sample[] = [];
  for (const range of ranges) {
    const answer = await queryPrometheusRange(server, filled.text, { ...range, stepMs: o.stepMs, timeoutMs: o.timeoutMs }, edges);
    if (!answer.ok) return answer;
    const series = pluginSeries(answer.series, plugin);
    if (!series.ok) return series;
    for (const s of series.samples) {
      const last = samples.at(-1);
      if (Number.isFinite(s.value) && (last === undefined || s.at > last.t)) samples.push({ t: s.at, v: s.value });
    }
  }
  return { ok: true, samples };
}

/**
 * [start, end] as ranges of at most `maxPointsPerQuery` points each, every one starting on the
 * grid start + k·step, so the joined answer has the points one query would have had.
 */
export function chunks(start: number, end: number, stepMs: number): Array<{ start: number; end: number }> {
  if (!(end >= start)) return [{ start, end }];
  const steps = Math.floor((end - start) / stepMs);
  if (steps <= maxPointsPerQuery) return [{ start, end }];
  const out: Array<{ start: number; end: number }> = [];
  for (let k = 0; k <= steps; k += maxPointsPerQuery) {
    const from = start + k * stepMs;
    out.push({ start: from, end: Math.min(end, from + (maxPointsPerQuery - 1) * stepMs) });
  }
  return out;
}

type Picked = { ok: true; samples: RangeSeries['samples'] } | { ok: false; error: string };

/** The plugin's series: labelled plugin=<id>, else the only one; none is no samples. */
export function pluginSeries(series: readonly RangeSeries[], plugin: string): Picked {
  const labelled = series.filter((s) => s.labels.plugin === plugin);
  if (labelled.length === 1) return { ok: true, samples: labelled[0]!.samples };
  if (labelled.length > 1) {
    return { ok: false, error: `the query answered ${labelled.length} series labelled plugin="${plugin}"; expected one (aggregate with \`sum by (plugin) (…)\`)` };
  }
  if (series.length === 0) return { ok: true, samples: [] };
  if (series.length === 1) return { ok: true, samples: series[0]!.samples };
  return { ok: false, error: `the query answered ${series.length} series; expected one per plugin (add a \`plugin\` label matcher or aggregate with \`sum by (plugin) (…)\`)` };
}
