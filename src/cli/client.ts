// The CLI as a client of a running `pluginops serve`: commands that steer what only the serving
// process holds (its incidents, its monitoring controls) send the same requests a script would,
// to `--url` (or `PLUGINOPS_URL`, default http://127.0.0.1:8080) with the token in
// `PLUGINOPS_TOKEN`. An error answer becomes a CliError of the kind the API's table names, so
// the exit code follows from it; a server that does not answer is `unavailable`.
import { problemKinds } from '../api/errors.ts';
import type { ErrorKind } from '../errors/kinds.ts';
import type { CliContext } from './context.ts';
import { CliError } from './errors.ts';

export const defaultUrl = 'http://127.0.0.1:8080';

/** The options every client command takes. */
export const clientOptions = {
  url: { type: 'string' },
  timeout: { type: 'string' },
} as const;

export interface ServeClient {
  readonly url: string;
  /** Sends a request; answers the envelope's `data` (and message, and the HTTP status), or throws a CliError. */
  request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ data: T; message?: string; status: number }>;
}

export interface ClientEdges {
  fetch: typeof globalThis.fetch;
}

export function serveClient(ctx: Pick<CliContext, 'env' | 'signal'>, values: { url?: string | undefined; timeout?: string | undefined }, edges: ClientEdges = { fetch: globalThis.fetch }): ServeClient {
  const url = baseUrl(values.url ?? ctx.env.PLUGINOPS_URL ?? defaultUrl);
  const timeoutMs = values.timeout === undefined ? 30_000 : Number(values.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CliError('E_USAGE', `--timeout expects a positive number of seconds, found "${values.timeout}"`);
  const token = ctx.env.PLUGINOPS_TOKEN;
  return {
    url,
    async request<T>(method: string, path: string, body?: unknown) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let res: Response;
      try {
        res = await edges.fetch(`${url}${path}`, {
          method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
        });
      } catch (e) {
        if (ctx.signal.aborted) throw new CliError('E_CANCELLED', 'cancelled', 'cancelled');
        const why = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
        throw new CliError('E_UNAVAILABLE', `no pluginops serve answered at ${url} (${why}); start one with \`pluginops serve\`, or point --url or PLUGINOPS_URL at it`, 'unavailable');
      }
      const text = await res.text();
      let envelope: { success?: boolean; data?: unknown; message?: string; code?: string; details?: unknown } | undefined;
      try { envelope = JSON.parse(text) as typeof envelope; } catch { envelope = undefined; }
      if (!envelope || typeof envelope !== 'object') {
        throw new CliError('E_BAD_ANSWER', `${method} ${url}${path} answered ${res.status} without a pluginops JSON body; is --url a pluginops serve?`, 'failed');
      }
      if (res.ok && envelope.success === true) return { data: envelope.data as T, status: res.status, ...(envelope.message !== undefined ? { message: envelope.message } : {}) };
      const code = envelope.code ?? `E_HTTP_${res.status}`;
      const details = detailLines(envelope.details);
      throw new CliError(code, `${envelope.message ?? `HTTP ${res.status}`}${details}`, kindOf(res.status, code));
    },
  };
}

function baseUrl(text: string): string {
  let u: URL;
  try { u = new URL(text); } catch { throw new CliError('E_USAGE', `--url expects an http(s) URL, found "${text}"`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError('E_USAGE', `--url expects an http(s) URL, found "${text}"`);
  return u.href.replace(/\/+$/, '');
}

/** The kind the API's table gives this status and code; an unknown answer is a failure. */
function kindOf(status: number, code: string): ErrorKind {
  const found = Object.values(problemKinds).find((p) => p.status === status && p.code === code)
    ?? Object.values(problemKinds).find((p) => p.status === status);
  return found?.kind ?? 'failed';
}

/** Located problems (`details: [{ line, col, code, message }]`) as lines under the message. */
function detailLines(details: unknown): string {
  if (!Array.isArray(details)) return '';
  const lines = details.flatMap((d: unknown) => {
    if (!d || typeof d !== 'object') return [];
    const { file, line, col, code, message, path } = d as Record<string, unknown>;
    if (typeof message !== 'string') return [];
    const where = [file, line, col].filter((x) => x !== undefined).join(':') || (typeof path === 'string' ? path : '');
    return [`  ${where ? `${where}: ` : ''}${typeof code === 'string' ? `${code} ` : ''}${message}`];
  });
  return lines.length ? `\n${lines.join('\n')}` : '';
}
