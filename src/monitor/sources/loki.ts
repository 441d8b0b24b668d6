// A client for Loki's GET /loki/api/v1/query_range that counts what a query matches in the
// window [end - window, end):
//  - a log query answers `streams`: every line counts, one series per stream (value = its
//    lines), `sample` holds the newest five lines and `newest` the newest fifty, with their time
//    and stream labels (what an incident shows as evidence);
//  - a metric query answers `matrix`: each series' newest value, and the total is their sum.
// Loki returns at most `limit` lines per request, newest first (direction backward). When a page
// is full, the next page ends just after the oldest line seen (Loki's `end` is exclusive, so
// `oldest + 1ns` asks for that nanosecond again) and lines at that nanosecond already counted are
// skipped. After `maxPages` full pages the count so far comes back with `truncated: true`.
// Timestamps are nanosecond strings and stay BigInt. One timeout covers every page. Never throws.
import { Malformed, labels, list, malformed, readEnvelope, record, sample, type Server } from './envelope.ts';
import type { Series } from './prometheus.ts';
import { budget, endpoint, get, type Budget, type Failed, type QueryServer, type SourceEdges } from './request.ts';

export type { QueryServer, SourceEdges } from './request.ts';
export type { Series } from './prometheus.ts';

export interface CountOptions {
  windowMs: number;
  /** The window's end, ms since the epoch. */
  end: number;
  /** Lines per request (default 1000). */
  limit?: number;
  timeoutMs: number;
  /** Requests at most (default 10). */
  maxPages?: number;
}

/** A matched line as evidence shows it: its text, when it was logged (ms) and its stream's labels. */
export interface LogLine { text: string; at: number; labels: Record<string, string> }

export type CountResult = { ok: true; total: number; series: Series[]; sample: string[]; newest: LogLine[]; truncated?: boolean } | Failed;

export const defaultLimit = 1000;
export const defaultMaxPages = 10;
const sampleSize = 5;
/** Newest lines kept with their labels (the evidence cap). */
export const newestKept = 50;
const server: Server = 'Loki';

interface Line { stream: string; ts: bigint; line: string }

export async function countLoki(to: QueryServer, query: string, o: CountOptions, edges: SourceEdges): Promise<CountResult> {
  const limit = o.limit ?? defaultLimit;
  const maxPages = o.maxPages ?? defaultMaxPages;
  if (!(Number.isInteger(limit) && limit > 0)) return { ok: false, error: `the line limit ${limit} is not a positive whole number` };
  if (!(Number.isFinite(o.windowMs) && o.windowMs > 0 && Number.isFinite(o.end))) return { ok: false, error: `the window of ${o.windowMs}ms ending at ${o.end} is not a time range` };
  const start = BigInt(Math.round(o.end - o.windowMs)) * 1_000_000n;
  let end = BigInt(Math.round(o.end)) * 1_000_000n;
  const host = endpoint(to, '', {});
  const deadline = budget(o.timeoutMs, `Loki at ${host instanceof URL ? host.host : to.url}`, edges.signal);
  const counts: Counts = new Map();
  let newestLines: LogLine[] = [];
  let oldest: bigint | undefined;
  let atOldest = new Set<string>();
  try {
    for (let page = 0; page < maxPages; page++) {
      const params = { query, start: String(start), end: String(end), limit: String(limit), direction: 'backward' };
      const answer = await call(to, params, deadline, edges);
      if (!answer.ok) return answer;
      if (answer.kind === 'metric') return { ok: true, ...answer.totals, sample: [], newest: [] };
      const { lines, streams } = answer;
      if (page === 0) {
        newestLines = [...lines].sort((a, b) => (a.ts === b.ts ? 0 : a.ts > b.ts ? -1 : 1)).slice(0, newestKept)
          .map((l) => ({ text: edges.mask ? edges.mask(l.line) : l.line, at: Number(l.ts / 1_000_000n), labels: streams.get(l.stream) ?? {} }));
      }
      const fresh = lines.filter((l) => !(l.ts === oldest && atOldest.has(key(l))));
      for (const l of fresh) {
        const c = counts.get(l.stream) ?? { labels: streams.get(l.stream)!, value: 0, newest: l.ts };
        c.value++;
        if (l.ts > c.newest) c.newest = l.ts;
        counts.set(l.stream, c);
      }
      if (lines.length < limit) return summary(counts, newestLines, false);
      // A full page with nothing new: more than `limit` lines share one nanosecond.
      if (fresh.length === 0) return summary(counts, newestLines, true);
      const pageOldest = lines.reduce((m, l) => (l.ts < m ? l.ts : m), lines[0]!.ts);
      if (pageOldest !== oldest) { oldest = pageOldest; atOldest = new Set(); }
      for (const l of lines) if (l.ts === oldest) atOldest.add(key(l));
      end = oldest + 1n;
    }
    return summary(counts, newestLines, true);
  } finally {
    deadline.dispose();
  }
}

const key = (l: Line): string => `${l.stream}\u0000${l.ts}\u0000${l.line}`;

type Counts = Map<string, { labels: Record<string, string>; value: number; newest: bigint }>;

function summary(counts: Counts, newest: LogLine[], truncated: boolean): CountResult {
  const series = [...counts.values()].map((c) => ({ labels: c.labels, value: c.value, at: Number(c.newest / 1_000_000n) }));
  const total = series.reduce((n, s) => n + s.value, 0);
  const sample = newest.slice(0, sampleSize).map((l) => l.text);
  return truncated ? { ok: true, total, series, sample, newest, truncated } : { ok: true, total, series, sample, newest };
}

type Page =
  | { ok: true; kind: 'lines'; lines: Line[]; streams: Map<string, Record<string, string>> }
  | { ok: true; kind: 'metric'; totals: { total: number; series: Series[] } }
  | Failed;

async function call(to: QueryServer, params: Record<string, string>, deadline: Budget, edges: SourceEdges): Promise<Page> {
  const url = endpoint(to, '/loki/api/v1/query_range', params);
  if (!(url instanceof URL)) return url;
  const answer = await get(url, to, deadline, edges.fetch);
  if (!answer.ok) return answer;
  const envelope = readEnvelope(server, answer.status, answer.text);
  if (!envelope.ok) return envelope;
  try {
    return decode(envelope.data);
  } catch (e) {
    return malformed(server, e instanceof Error ? e.message : String(e));
  }
}

function decode(data: Record<string, unknown>): Page {
  const result = list(data.result, 'data.result');
  switch (data.resultType) {
    case 'streams': {
      const lines: Line[] = [];
      const streams = new Map<string, Record<string, string>>();
      result.forEach((s, i) => {
        const path = `data.result[${i}]`;
        const entry = record(s, path);
        const l = labels(entry.stream ?? {}, `${path}.stream`);
        const id = streamKey(l);
        streams.set(id, l);
        list(entry.values, `${path}.values`).forEach((v, j) => lines.push({ stream: id, ...logLine(v, `${path}.values[${j}]`) }));
      });
      return { ok: true, kind: 'lines', lines, streams };
    }
    case 'matrix': case 'vector': {
      const series = result.map((s, i) => {
        const path = `data.result[${i}]`;
        const entry = record(s, path);
        const l = labels(entry.metric ?? {}, `${path}.metric`);
        const points = data.resultType === 'vector' ? [sample(entry.value, `${path}.value`)]
          : list(entry.values, `${path}.values`).map((p, j) => sample(p, `${path}.values[${j}]`));
        const newest = points.reduce<{ at: number; value: number } | undefined>((a, b) => (a && a.at >= b.at ? a : b), undefined);
        return newest && { labels: l, ...newest };
      }).filter((s): s is Series => s !== undefined);
      const total = series.reduce((n, s) => (Number.isNaN(s.value) ? n : n + s.value), 0);
      return { ok: true, kind: 'metric', totals: { total, series } };
    }
    default:
      throw new Malformed(`\`data.resultType\` is ${JSON.stringify(data.resultType) ?? 'missing'}; expected streams or matrix`);
  }
}

/** `["<ns>", "<line>"]`, sometimes with a third element (structured metadata), which is ignored. */
function logLine(v: unknown, path: string): { ts: bigint; line: string } {
  if (!Array.isArray(v) || v.length < 2 || typeof v[0] !== 'string' || !/^\d+$/.test(v[0]) || typeof v[1] !== 'string') {
    throw new Malformed(`\`${path}\` is not a ["<nanoseconds>", "<line>"] pair`);
  }
  return { ts: BigInt(v[0]), line: v[1] };
}

const streamKey = (l: Record<string, string>): string => JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
