// The Loki probe: how many log lines the query matched in the last `window` (5m unless given).
// Fields: count (lines, or for a metric query the sum of each series' newest value), lines (up
// to 5 newest lines, each cut at 1,000 characters), truncated (true when there were more lines than pluginops pages through:
// count is then a lower bound) and responseTime (ms for every page). An error answer, a
// malformed one or a timeout is a failed probe. The evidence holds the query and the newest 50
// lines matched, with their time and labels.
import { lokiEvidence } from '../incidents/gathered.ts';
import { countLoki, type QueryServer } from '../sources/loki.ts';
import type { Fetch } from './http.ts';
import type { CheckFields, ProbeOutcome } from './result.ts';

export interface LokiProbe {
  server: QueryServer;
  query: string;
  windowMs: number;
  timeoutMs: number;
}

export interface LokiEdges {
  fetch: Fetch;
  now: () => number;
  signal?: AbortSignal;
  /** Masks each matched line whole, before it is cut. */
  mask?: (text: string) => string;
}

/** Used when a loki HealthCheck gives no `window`. */
export const defaultWindowMs = 5 * 60_000;

const maxLineChars = 1_000;

export async function probeLoki(probe: LokiProbe, edges: LokiEdges): Promise<ProbeOutcome> {
  const fields: CheckFields = { count: null, lines: null, truncated: null, responseTime: null };
  const started = edges.now();
  const result = await countLoki(probe.server, probe.query, { windowMs: probe.windowMs, end: started, timeoutMs: probe.timeoutMs }, { fetch: edges.fetch, signal: edges.signal, ...(edges.mask ? { mask: edges.mask } : {}) });
  if (!result.ok) return { ok: false, fields, error: result.error };
  fields.responseTime = edges.now() - started;
  fields.count = result.total;
  fields.lines = result.sample.map((line) => (line.length > maxLineChars ? `${line.slice(0, maxLineChars - 3)}...` : line));
  fields.truncated = result.truncated === true;
  return { ok: true, fields, evidence: lokiEvidence(probe.query, result.newest, result.total, started, result.truncated === true) };
}
