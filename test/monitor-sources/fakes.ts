// Fakes of Prometheus and Loki on 127.0.0.1 (port 0) that speak their documented JSON formats.
// The Prometheus fake answers each query with a function of the request's parameters; the Loki
// fake keeps log lines per query and really honours start (inclusive), end (exclusive), limit and
// direction, as Loki does, so paging is tested against the same rules. Both record requests.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded { path: string; params: URLSearchParams; headers: IncomingHttpHeaders }

/** A reply: a JSON value or raw text, with a status; `hang` never answers. */
export type Reply = { status?: number; json?: unknown; text?: string; contentType?: string } | 'hang';

export interface Fake { url: string; requests: Recorded[]; close: () => Promise<void> }

async function serve(handle: (r: Recorded) => Reply): Promise<Fake> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded = { path: url.pathname, params: url.searchParams, headers: req.headers };
    requests.push(recorded);
    const reply = handle(recorded);
    if (reply === 'hang') return;
    const body = reply.text ?? JSON.stringify(reply.json);
    res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? (reply.text === undefined ? 'application/json' : 'text/plain; charset=utf-8') });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

// Prometheus ------------------------------------------------------------------------------------

export type PromAnswer = (params: URLSearchParams) => Reply;

export const success = (data: unknown, warnings?: string[]): Reply => ({ json: { status: 'success', data, ...(warnings ? { warnings } : {}) } });
export const promError = (status: number, errorType: string, error: string): Reply => ({ status, json: { status: 'error', errorType, error } });
export const vector = (...series: Array<{ metric: Record<string, string>; value: [number, string] }>): Reply => success({ resultType: 'vector', result: series });

/** GET <prefix>/api/v1/query and /api/v1/query_range; an unknown query is a 400 bad_data, as Prometheus says of a parse error. */
export function fakePrometheus(answers: Record<string, PromAnswer>, prefix = ''): Promise<Fake> {
  return serve(({ path, params }) => {
    if (path !== `${prefix}/api/v1/query` && path !== `${prefix}/api/v1/query_range`) return { status: 404, text: '404 page not found' };
    const answer = answers[params.get('query') ?? ''];
    return answer ? answer(params) : promError(400, 'bad_data', `invalid parameter "query": 1:1: parse error: unknown query ${params.get('query')}`);
  });
}

// Loki ------------------------------------------------------------------------------------------

export interface Stream { labels: Record<string, string>; lines: Array<[bigint, string]> }

export interface LokiData {
  /** Log queries: their streams. */
  logs?: Record<string, Stream[]>;
  /** Metric queries: a reply built from the parameters. */
  metrics?: Record<string, PromAnswer>;
  /** What Loki's max_entries_limit_per_query would be. */
  maxLimit?: number;
}

export function fakeLoki(data: LokiData): Promise<Fake> {
  return serve(({ path, params }) => {
    if (path !== '/loki/api/v1/query_range') return { status: 404, text: '404 page not found\n' };
    const query = params.get('query') ?? '';
    const metric = data.metrics?.[query];
    if (metric) return metric(params);
    const streams = data.logs?.[query];
    if (!streams) return { status: 400, text: 'parse error : syntax error: unexpected IDENTIFIER, expecting { or ( or STRING\n' };
    const limit = Number(params.get('limit') ?? '100');
    if (limit > (data.maxLimit ?? 5000)) return { status: 400, text: `max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${data.maxLimit ?? 5000})\n` };
    const start = BigInt(params.get('start') ?? '0');
    const end = BigInt(params.get('end') ?? '0');
    const backward = (params.get('direction') ?? 'backward') === 'backward';
    // Every line in [start, end), newest first for backward; ties keep stream and line order.
    const inRange = streams.flatMap((s, si) => s.lines.map(([ts, line], li) => ({ si, li, ts, line })))
      .filter((e) => e.ts >= start && e.ts < end)
      .sort((a, b) => (a.ts === b.ts ? a.si - b.si || a.li - b.li : (a.ts > b.ts) === backward ? -1 : 1))
      .slice(0, limit);
    const result = streams.flatMap((s, si) => {
      const values = inRange.filter((e) => e.si === si).map((e) => [String(e.ts), e.line]);
      return values.length ? [{ stream: s.labels, values }] : [];
    });
    return success({ resultType: 'streams', result, stats: { summary: { totalEntriesReturned: inRange.length } } });
  });
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** ms since the epoch → Loki's nanoseconds. */
export const ns = (ms: number, extra = 0n): bigint => BigInt(ms) * 1_000_000n + extra;
