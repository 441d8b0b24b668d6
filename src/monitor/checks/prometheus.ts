// The Prometheus probe: one instant query. Fields: value (the first series' value; null when the
// result is empty or NaN), series (how many series the query returned) and responseTime (ms
// until the answer was read). An error answer, a malformed one or a timeout is a failed probe.
// The evidence holds the query and each series' labels and value.
import { prometheusEvidence } from '../incidents/gathered.ts';
import { queryPrometheus, type QueryServer } from '../sources/prometheus.ts';
import type { Fetch } from './http.ts';
import type { CheckFields, ProbeOutcome } from './result.ts';

export interface PrometheusProbe {
  server: QueryServer;
  query: string;
  timeoutMs: number;
}

export interface PrometheusEdges {
  fetch: Fetch;
  now: () => number;
  signal?: AbortSignal;
}

export async function probePrometheus(probe: PrometheusProbe, edges: PrometheusEdges): Promise<ProbeOutcome> {
  const fields: CheckFields = { value: null, series: null, responseTime: null };
  const started = edges.now();
  const result = await queryPrometheus(probe.server, probe.query, { timeoutMs: probe.timeoutMs }, { fetch: edges.fetch, signal: edges.signal });
  if (!result.ok) return { ok: false, fields, error: result.error };
  fields.responseTime = edges.now() - started;
  fields.series = result.series.length;
  const first = result.series[0]?.value;
  fields.value = first === undefined || Number.isNaN(first) ? null : first;
  return { ok: true, fields, evidence: prometheusEvidence(probe.query, result.series, started) };
}
