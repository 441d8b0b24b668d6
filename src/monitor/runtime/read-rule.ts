// Reading the samples a query or metric rule judges at one evaluation:
// - prometheus: one instant query at the evaluation time; each series is an alert;
// - loki: the count of matching lines in the rule's window ending now; one alert;
// - metric: the pushed samples newer than what each alert has judged. A series with nothing new
//   for `staleAfter` (5 evaluations, at least 5 minutes) is gone: its alert gets `nodata`.
// A query that fails is an `error` read: the caller puts that rule's alerts in `error`. A query's
// read carries its evidence (the lines matched, the series answered) for the alerts it fires.
import type { MonitorConfig } from './config.ts';
import type { MetricStore } from './metrics.ts';
import { queryPrometheus } from '../sources/prometheus.ts';
import { countLoki } from '../sources/loki.ts';
import type { CompiledRule } from '../rules/compile.ts';
import type { Evidence } from '../incidents/evidence.ts';
import { lokiEvidence, prometheusEvidence } from '../incidents/gathered.ts';

export type RuleRead =
  | { kind: 'skip' }
  | { kind: 'error'; message: string }
  /** `complete`: an alert whose labels are not among `series` has no data. */
  | { kind: 'series'; series: Array<{ labels: Record<string, string>; samples: Array<{ t: number; v: number }> }>; complete: boolean; evidence?: Evidence };

export interface ReadEdges {
  at: number;
  servers: MonitorConfig['servers'];
  metrics: MetricStore;
  fetch: typeof globalThis.fetch;
  signal?: AbortSignal;
  /** The newest sample an alert with these labels has judged. */
  lastT: (labels: Record<string, string>) => number;
  /** The project's mask, for log lines before they are cut. */
  mask?: (text: string) => string;
}

export const queryTimeoutMs = 10_000;

export async function readRule(rule: CompiledRule, e: ReadEdges): Promise<RuleRead> {
  const s = rule.source;
  const edges = { fetch: e.fetch, ...(e.signal ? { signal: e.signal } : {}), ...(e.mask ? { mask: e.mask } : {}) };
  switch (s.kind) {
    case 'status': case 'field': return { kind: 'skip' };
    case 'prometheus': {
      const server = s.server ? { url: s.server } : e.servers.prometheus;
      if (!server) return { kind: 'error', message: 'no Prometheus server: set source.server or monitoring.prometheus.url in the project file' };
      const r = await queryPrometheus(server, s.query, { at: e.at, timeoutMs: queryTimeoutMs }, edges);
      if (!r.ok) return { kind: 'error', message: r.error };
      return { kind: 'series', complete: true, series: r.series.map((x) => ({ labels: x.labels, samples: [{ t: e.at, v: x.value }] })), evidence: prometheusEvidence(s.query, r.series, e.at) };
    }
    case 'loki': {
      const server = s.server ? { url: s.server } : e.servers.loki;
      if (!server) return { kind: 'error', message: 'no Loki server: set source.server or monitoring.loki.url in the project file' };
      const r = await countLoki(server, s.query, { windowMs: s.windowMs, end: e.at, timeoutMs: queryTimeoutMs }, edges);
      if (!r.ok) return { kind: 'error', message: r.error };
      return { kind: 'series', complete: true, series: [{ labels: {}, samples: [{ t: e.at, v: r.total }] }], evidence: lokiEvidence(s.query, r.newest, r.total, e.at, r.truncated === true) };
    }
    case 'metric': {
      const staleAfter = Math.max(5 * rule.everyMs, 5 * 60_000);
      const series = e.metrics.series(s.metric, s.plugin)
        .filter((x) => (x.samples.at(-1)?.t ?? Number.NEGATIVE_INFINITY) > e.at - staleAfter)
        .map((x) => {
          const labels = { ...rule.labels, ...x.labels };
          const after = e.lastT(labels);
          return { labels: x.labels, samples: x.samples.filter((p) => p.t > after) };
        });
      return { kind: 'series', complete: true, series };
    }
  }
}
