// A client for Prometheus's HTTP API: instant queries (GET /api/v1/query) and range queries
// (GET /api/v1/query_range). Instant answers of every result type become series:
//  - vector: one series per element;
//  - scalar: one series with no labels;
//  - matrix (a range selector such as `up[5m]`): each series' newest sample;
//  - string: an error, since a check needs a number.
// Values keep NaN and ±Inf; a native histogram sample has no single value and reads as NaN.
// Errors (an error body, a status, a body that is not the documented shape, a timeout) come back
// as `{ ok: false, error }` in words; nothing here throws.
import { Malformed, labels, list, malformed, readEnvelope, record, sample, type Server } from './envelope.ts';
import { budget, endpoint, get, type Failed, type QueryServer, type SourceEdges } from './request.ts';
import { PluginopsError } from '../../errors/base.ts';

export type { QueryServer, SourceEdges } from './request.ts';

export interface Series {
  labels: Record<string, string>;
  /** May be NaN or ±Infinity. */
  value: number;
  /** ms since the epoch. */
  at: number;
}

export type QueryResult = { ok: true; series: Series[]; warnings?: string[] } | Failed;

export interface RangeSeries {
  labels: Record<string, string>;
  /** Oldest first. */
  samples: Array<{ at: number; value: number }>;
}

export type RangeResult = { ok: true; series: RangeSeries[]; warnings?: string[] } | Failed;

const server: Server = 'Prometheus';

/** An instant query at `at` (ms since the epoch; the server's now when absent). */
export async function queryPrometheus(to: QueryServer, query: string, o: { at?: number; timeoutMs: number }, edges: SourceEdges): Promise<QueryResult> {
  const params: Record<string, string> = { query, timeout: seconds(o.timeoutMs) };
  if (o.at !== undefined) params.time = seconds(o.at);
  const answer = await call(to, '/api/v1/query', params, o.timeoutMs, edges);
  if (!answer.ok) return answer;
  return decode(() => instantSeries(answer.data), answer.warnings);
}

/** A range query from `start` to `end` (ms since the epoch) every `stepMs`. */
export async function queryPrometheusRange(to: QueryServer, query: string, o: { start: number; end: number; stepMs: number; timeoutMs: number }, edges: SourceEdges): Promise<RangeResult> {
  if (!(Number.isFinite(o.start) && Number.isFinite(o.end) && o.start <= o.end)) return { ok: false, error: `the range ${o.start}..${o.end} is not a time range; expected start <= end (ms since the epoch)` };
  if (!(Number.isFinite(o.stepMs) && o.stepMs > 0)) return { ok: false, error: `the step ${o.stepMs}ms is not positive` };
  const params = { query, start: seconds(o.start), end: seconds(o.end), step: seconds(o.stepMs), timeout: seconds(o.timeoutMs) };
  const answer = await call(to, '/api/v1/query_range', params, o.timeoutMs, edges);
  if (!answer.ok) return answer;
  return decode(() => {
    if (answer.data.resultType !== 'matrix') throw new Malformed(`\`data.resultType\` is ${JSON.stringify(answer.data.resultType) ?? 'missing'}; a range query answers "matrix"`);
    return list(answer.data.result, 'data.result').map((s, i) => matrixSeries(s, `data.result[${i}]`));
  }, answer.warnings);
}

/** Reads `data` with the shape readers; what they find wrong becomes the error. */
function decode<T>(read: () => T[], warnings: string[] | undefined): { ok: true; series: T[]; warnings?: string[] } | Failed {
  try {
    const series = read();
    return warnings ? { ok: true, series, warnings } : { ok: true, series };
  } catch (e) {
    if (e instanceof NotANumber) return { ok: false, error: e.message };
    return malformed(server, e instanceof Error ? e.message : String(e));
  }
}

async function call(to: QueryServer, path: string, params: Record<string, string>, timeoutMs: number, edges: SourceEdges) {
  const url = endpoint(to, path, params);
  if (!(url instanceof URL)) return url;
  const limit = budget(timeoutMs, `Prometheus at ${url.host}`, edges.signal);
  try {
    const answer = await get(url, to, limit, edges.fetch);
    return answer.ok ? readEnvelope(server, answer.status, answer.text) : answer;
  } finally {
    limit.dispose();
  }
}

export class NotANumber extends PluginopsError {
  readonly code = 'E_NOT_A_NUMBER';
  readonly kind = 'failed';
}

function instantSeries(data: Record<string, unknown>): Series[] {
  switch (data.resultType) {
    case 'vector':
      return list(data.result, 'data.result').map((s, i) => vectorSeries(s, `data.result[${i}]`));
    case 'scalar':
      return [{ labels: {}, ...sample(data.result, 'data.result') }];
    case 'matrix':
      return list(data.result, 'data.result').flatMap((s, i) => {
        const { labels: l, samples } = matrixSeries(s, `data.result[${i}]`);
        const newest = samples.reduce<{ at: number; value: number } | undefined>((a, b) => (a && a.at >= b.at ? a : b), undefined);
        return newest ? [{ labels: l, ...newest }] : [];
      });
    case 'string': {
      const text = Array.isArray(data.result) ? String(data.result[1]) : '?';
      throw new NotANumber(`the query answers a string ("${text.slice(0, 60)}"), not a number; expected an expression whose result is a number or a vector`);
    }
    default:
      throw new Malformed(`\`data.resultType\` is ${JSON.stringify(data.resultType) ?? 'missing'}; expected vector, scalar, matrix or string`);
  }
}

function vectorSeries(v: unknown, path: string): Series {
  const s = record(v, path);
  const l = labels(s.metric ?? {}, `${path}.metric`);
  if (s.value === undefined && Array.isArray(s.histogram)) return { labels: l, ...histogramSample(s.histogram, `${path}.histogram`) };
  return { labels: l, ...sample(s.value, `${path}.value`) };
}

function matrixSeries(v: unknown, path: string): RangeSeries {
  const s = record(v, path);
  const l = labels(s.metric ?? {}, `${path}.metric`);
  const values = s.values === undefined && s.histograms !== undefined ? [] : list(s.values, `${path}.values`);
  const samples = values.map((p, i) => sample(p, `${path}.values[${i}]`));
  if (s.histograms !== undefined) samples.push(...list(s.histograms, `${path}.histograms`).map((p, i) => histogramSample(p, `${path}.histograms[${i}]`)));
  return { labels: l, samples: samples.sort((a, b) => a.at - b.at) };
}

/** A native histogram has no single value: its time, with NaN. */
function histogramSample(v: unknown, path: string): { at: number; value: number } {
  if (!Array.isArray(v) || typeof v[0] !== 'number') throw new Malformed(`\`${path}\` is not a [time, histogram] pair`);
  return { at: Math.round(v[0] * 1000), value: NaN };
}

/** ms → the seconds Prometheus reads, without float noise (1.5, not 1.5000000000000002). */
const seconds = (ms: number): string => String(ms / 1000);
