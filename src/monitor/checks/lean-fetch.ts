// A lean HTTP client for the scheduler's probes, on node:http(s) with keep-alive agents. It gives
// the HTTP probe the little it reads — the status and a reader over the body — without the
// WHATWG streams, Headers and Request objects that `fetch` allocates per request, which at
// hundreds of probes a second is most of the process's garbage. Redirects are followed (up to
// 10, like a browser would for GET); the abort signal ends the request and its socket.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface ProbeReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}

/** What the HTTP probe reads from an answer; the global `Response` has the same shape. */
export interface ProbeResponse {
  status: number;
  body: { getReader(): ProbeReader } | null;
}

export type ProbeFetch = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal; redirect?: 'follow' }) => Promise<ProbeResponse>;

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };
const redirects = new Set([301, 302, 303, 307, 308]);
const maxRedirects = 10;

export const leanFetch: ProbeFetch = (url, init) => go(new URL(url), init, 0);

function go(url: URL, init: Parameters<ProbeFetch>[1], hops: number): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    if (init.signal?.aborted) return reject(init.signal.reason ?? new Error('aborted'));
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') return reject(new Error(`unsupported protocol ${url.protocol}`));
    const req = (secure ? httpsRequest : httpRequest)(url, { method: init.method ?? 'GET', headers: init.headers, agent: secure ? agents.https : agents.http });
    const onAbort = () => req.destroy(init.signal?.reason instanceof Error ? init.signal.reason : new Error('aborted'));
    init.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => init.signal?.removeEventListener('abort', onAbort);
    req.once('error', (e) => { done(); reject(e); });
    req.once('response', (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (redirects.has(status) && location && init.redirect !== undefined && hops < maxRedirects) {
        res.resume();
        done();
        const method = status === 303 || ((status === 301 || status === 302) && init.method === 'POST') ? 'GET' : init.method;
        const next = { ...init, ...(method ? { method } : {}), ...(method === 'GET' ? { body: undefined } : {}) };
        go(new URL(location, url), next, hops + 1).then(resolve, reject);
        return;
      }
      res.once('close', done);
      resolve({ status, body: { getReader: () => reader(res) } });
    });
    req.end(init.body);
  });
}

function reader(res: IncomingMessage): ProbeReader {
  const it = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    async read() {
      const r = await it.next();
      return r.done ? { done: true } : { done: false, value: r.value };
    },
    async cancel() { res.destroy(); },
  };
}
