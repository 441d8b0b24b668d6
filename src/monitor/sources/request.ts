// One GET to a query server (Prometheus, Loki): its URL under the server's base path, the
// server's headers (and X-Scope-OrgID for a tenant), a deadline that covers the body as well as
// the headers, and the answer as status and text. Never throws: every failure comes back in
// words that name the server.
import { deadline, readBody } from '../checks/timeout.ts';

/** A Prometheus or Loki server with every `{ env: NAME }` already read: plain strings. */
export interface QueryServer {
  url: string;
  headers?: Record<string, string>;
  /** Sent as X-Scope-OrgID (Loki, Mimir, Cortex). */
  tenant?: string;
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface SourceEdges {
  fetch: Fetch;
  /** The caller stopping (a scheduler shutting down). */
  signal?: AbortSignal;
  /** Masks text a source hands on (log lines) whole, before anything cuts it: a cut secret no longer matches. */
  mask?: (text: string) => string;
}

export type Failed = { ok: false; error: string };
export type Answer = { ok: true; status: number; text: string } | Failed;

/** Answers are read up to this size; a bigger one is an error, not a partial result. */
export const maxAnswerBytes = 32 * 1024 * 1024;

/** The endpoint `path` under the server's URL (which may carry a path prefix), with `params`. */
export function endpoint(server: QueryServer, path: string, params: Record<string, string>): URL | Failed {
  let url: URL;
  try { url = new URL(server.url); } catch { return { ok: false, error: `\`${server.url}\` is not a URL; expected one such as http://prometheus:9090` }; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `\`${server.url}\` is not an http:// or https:// URL` };
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** A timeout shared by one or more requests, combined with the caller's signal. */
export interface Budget {
  signal: AbortSignal;
  /** Why the requests were cut short, or undefined. */
  reason: () => string | undefined;
  dispose: () => void;
}

export function budget(timeoutMs: number, what: string, outer?: AbortSignal): Budget {
  return deadline(timeoutMs, outer, `no answer within ${timeoutMs}ms from ${what}`);
}

export async function get(url: URL, server: QueryServer, limit: Budget, fetch: Fetch): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...server.headers };
  if (server.tenant !== undefined) headers['X-Scope-OrgID'] = server.tenant;
  try {
    const response = await fetch(url.href, { method: 'GET', headers, signal: limit.signal, redirect: 'follow' });
    const text = await readText(response);
    return text === undefined
      ? { ok: false, error: `the answer from ${url.host} is larger than ${maxAnswerBytes / 1024 / 1024} MiB` }
      : { ok: true, status: response.status, text };
  } catch (e) {
    return { ok: false, error: limit.reason() ?? `request to ${url.origin}${url.pathname} failed: ${causeText(e)}` };
  }
}

/** The body as text, or undefined when it passes maxAnswerBytes. */
async function readText(response: Response): Promise<string | undefined> {
  const { bytes, complete } = await readBody(response.body, maxAnswerBytes);
  return complete ? bytes.toString('utf8') : undefined;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** undici hides the reason (ECONNREFUSED, …) in `cause`. */
function causeText(e: unknown): string {
  const cause = e instanceof Error ? (e as { cause?: unknown }).cause : undefined;
  return cause ? `${errorText(e)} (${errorText(cause)})` : errorText(e);
}

/** The start of a body for an error message: one line, at most 200 characters. */
export function snippet(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
