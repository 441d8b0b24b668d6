// How a worker talks to `serve`: JSON requests with the worker's token; an error answer becomes a
// WorkerHttpError with the API's code and status, a server that does not answer a
// ServerUnreachable (the worker waits and tries again; its tasks keep their lease meanwhile).
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';

/** The server refused a request: its status and its code (`details.reason` when it says one: E_WORKER_NAME_TAKEN, E_STALE_CLAIM, …). */
export class WorkerHttpError extends PluginopsError {
  override name = 'WorkerHttpError';
  readonly kind: ErrorKind = 'failed';
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

/** No answer (or a 5xx): the worker waits and tries again. */
export class ServerUnreachable extends PluginopsError {
  override name = 'ServerUnreachable';
  readonly code = 'E_UNAVAILABLE';
  readonly kind = 'unavailable';
}

export interface WorkerClient {
  request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal, timeoutMs?: number): Promise<T>;
}

export function workerClient(url: string, token: string | undefined, fetch: typeof globalThis.fetch): WorkerClient {
  const base = url.replace(/\/+$/, '');
  return {
    async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal, timeoutMs = 30_000): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        if (signal?.aborted) throw e;
        const why = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
        throw new ServerUnreachable(`no pluginops serve answered at ${base} (${why})`);
      }
      const text = await res.text();
      let envelope: { success?: boolean; data?: unknown; message?: string; code?: string; details?: { reason?: unknown } } | undefined;
      try { envelope = JSON.parse(text) as typeof envelope; } catch { envelope = undefined; }
      if (res.ok && envelope?.success === true) return envelope.data as T;
      if (res.status >= 500 && res.status !== 503) throw new ServerUnreachable(`${method} ${path} answered ${res.status}`);
      const reason = envelope?.details && typeof envelope.details === 'object' && typeof envelope.details.reason === 'string' ? envelope.details.reason : undefined;
      throw new WorkerHttpError(res.status, reason ?? envelope?.code ?? `E_HTTP_${res.status}`, envelope?.message ?? `${method} ${path} answered ${res.status}`);
    },
  };
}
