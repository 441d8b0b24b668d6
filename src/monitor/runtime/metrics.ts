// Pushed metrics: samples that plugins and scripts send (`{plugin, metric, value, timestamp}`),
// kept per (metric, plugin) as a bounded series for the rules that read them. A sample is checked
// on the way in and refused with a reason — a batch keeps its good samples.
export interface PushedSample {
  metric: string;
  value: number;
  plugin?: string;
  /** ms since the epoch, or an ISO time; the time of the push when absent. */
  timestamp?: number | string;
}

export interface PushResult {
  accepted: number;
  rejected: Array<{ index: number; error: string }>;
}

export interface MetricSeries {
  labels: Record<string, string>;
  samples: Array<{ t: number; v: number }>;
}

/** Samples kept per series. */
export const seriesCapacity = 1_000;
const metricName = /^[A-Za-z_:][A-Za-z0-9_:.-]{0,127}$/;

export class MetricStore {
  readonly #series = new Map<string, { metric: string; plugin?: string; samples: Array<{ t: number; v: number }> }>();

  push(samples: readonly PushedSample[], now: number): PushResult {
    const result: PushResult = { accepted: 0, rejected: [] };
    samples.forEach((s, index) => {
      const error = problem(s);
      if (error) { result.rejected.push({ index, error }); return; }
      const t = s.timestamp === undefined ? now : typeof s.timestamp === 'number' ? s.timestamp : Date.parse(s.timestamp);
      const key = `${s.metric}\u0000${s.plugin ?? ''}`;
      let series = this.#series.get(key);
      if (!series) { series = { metric: s.metric, ...(s.plugin ? { plugin: s.plugin } : {}), samples: [] }; this.#series.set(key, series); }
      // Kept in time order; a late sample is placed, not appended.
      let i = series.samples.length;
      while (i > 0 && series.samples[i - 1]!.t > t) i--;
      series.samples.splice(i, 0, { t, v: s.value });
      if (series.samples.length > seriesCapacity) series.samples.splice(0, series.samples.length - seriesCapacity);
      result.accepted++;
    });
    return result;
  }

  /** The series of `metric` (one per plugin), or only `plugin`'s. */
  series(metric: string, plugin?: string): MetricSeries[] {
    return [...this.#series.values()]
      .filter((s) => s.metric === metric && (plugin === undefined || s.plugin === plugin))
      .map((s): MetricSeries => ({ labels: s.plugin ? { plugin: s.plugin } : {}, samples: s.samples }));
  }
}

function problem(s: PushedSample): string | undefined {
  if (!s || typeof s !== 'object') return 'expected an object with metric and value';
  if (typeof s.metric !== 'string' || !metricName.test(s.metric)) return `metric must be a name like cpu_usage (letters, digits, _ : . -), found ${JSON.stringify(s.metric)}`;
  if (typeof s.value !== 'number' || !Number.isFinite(s.value)) return `value must be a finite number, found ${JSON.stringify(s.value)}`;
  if (s.plugin !== undefined && (typeof s.plugin !== 'string' || s.plugin.length === 0 || s.plugin.length > 128)) return 'plugin must be a non-empty string';
  if (s.timestamp !== undefined) {
    const t = typeof s.timestamp === 'number' ? s.timestamp : typeof s.timestamp === 'string' ? Date.parse(s.timestamp) : Number.NaN;
    if (!Number.isFinite(t)) return `timestamp must be ms since the epoch or an ISO time, found ${JSON.stringify(s.timestamp)}`;
  }
  return undefined;
}
