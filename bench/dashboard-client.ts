// A dashboard client for the `dashboard` benchmark, over node:http so the bytes on the wire are
// what is counted (fetch would decompress): signing in, timed GETs (request sent to last byte
// received), the assets a page references, and a browser tab's live script (an EventSource on
// /events and, when a topic changes, the page's main content fetched again, at most once a second,
// as src/ui/assets/app.js does; and every `everyMs` besides, so a quiet system still has tabs
// that fetch).
import { request, Agent, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export interface Got { status: number; ms: number; bytes: number; body: Buffer; headers: IncomingHttpHeaders }

/** GET `url`; `ms` runs from sending the request to the last byte; `bytes` is the body as sent (compressed or not). */
export function get(url: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, bytes: raw.length, body, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Signs in with `token` (POST /sign-in, as the form does) and returns the session cookie. */
export function signIn(base: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams({ token, next: '/' }).toString();
    const req = request(`${base}/sign-in`, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('pluginops_session='));
      if (res.statusCode === 303 && cookie) resolve(cookie);
      else reject(new Error(`sign-in answered ${res.statusCode} without a session cookie`));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The same-origin stylesheets, scripts, icons and images a page's HTML references. */
export function referencedAssets(page: string): string[] {
  const found = [...page.matchAll(/<(?:link|script|img)\b[^>]*?\b(?:href|src)="(\/[^"/][^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  return [...new Set(found)];
}

export interface Tab { fetches(): number; close(): void }

/** One open dashboard tab on `page`: its live stream on `topics`, and a fragment fetch after changes (at most 1/s) and every `everyMs`. */
export function openTab(base: string, cookie: string, page: string, topics: string, everyMs: number): Tab {
  let fetched = 0;
  let closed = false;
  let pending: NodeJS.Timeout | undefined;
  let last = 0;
  const refresh = async () => {
    pending = undefined;
    if (closed) return;
    last = Date.now();
    const r = await get(`${base}${page}`, { cookie, 'x-fragment': 'main', 'accept-encoding': 'gzip' }).catch(() => undefined);
    if (r) fetched++;
  };
  const req = request(`${base}/events?topics=${topics}`, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (!closed && chunk.includes('event: changed') && !pending) pending = setTimeout(() => void refresh(), Math.max(0, 1000 - (Date.now() - last)));
    });
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end();
  const timer = setInterval(() => { if (!pending) pending = setTimeout(() => void refresh(), 0); }, everyMs);
  return {
    fetches: () => fetched,
    close() { closed = true; clearInterval(timer); if (pending) clearTimeout(pending); req.destroy(); },
  };
}

export const closeClient = (): void => agent.destroy();
