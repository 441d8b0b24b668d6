// The dashboard `serve` answers at `/` on the API's port. Everything that is not the API, the
// health and metrics endpoints or Slack's callback comes here:
//
//   /assets/<file>   the script, styles and icon, from memory, cached for good (hash in the URL)
//   /sign-in         GET the form; POST a token → a session cookie (HttpOnly, SameSite=Strict)
//   /sign-out        POST with the session's CSRF token
//   /events          server-sent events: which topics changed (pulse.ts)
//   every page       GET: the page in its frame, or only its main content for the live script
//                    (`X-Fragment: main`); unknown paths and ids answer a 404 page
//
// Who may look: a signed-in session (its token's scopes), or anyone when `server.anonymousRead`
// is on; anyone else is sent to sign in. Pages read the API in process as that caller, so they
// show exactly what the API would answer; buttons appear only for scopes that allow them, and
// the API refuses a write without the scope or the CSRF token anyway.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { authorize, may, type Caller } from '../api/auth.ts';
import { readBody } from '../api/body.ts';
import type { ApiDeps } from '../api/deps.ts';
import { sendError } from '../api/envelope.ts';
import { ApiError, fromThrown } from '../api/errors.ts';
import { readApi } from '../api/invoke.ts';
import { parseDuration } from '../documents/duration.ts';
import type { ServerDoc } from '../documents/schema/project.ts';
import { matchRoute, splitTarget } from '../api/router.ts';
import { streamCaller } from '../api/stream-slots.ts';
import { cookieValue, csrfMatches, defaultSessionTtlMs, sessionCookie, type Session } from '../api/sessions.ts';
import { readParams } from '../api/request.ts';
import { assets } from './assets.ts';
import { pickLocale, type Locale } from './i18n.ts';
import { layout } from './layout.ts';
import { errorPage, signInPage } from './pages/frame-pages.ts';
import type { Page, PageContext, Topic } from './page.ts';
import { topics } from './page.ts';
import type { Pulse } from './pulse.ts';

const gzipAsync = promisify(gzip);
const langCookie = 'pluginops_lang';
const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
} as const;

export interface UiDeps {
  api: ApiDeps & { sessions: NonNullable<ApiDeps['sessions']> };
  pages: readonly Page[];
  pulse: Pulse;
}

export interface Ui {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

interface Viewer {
  caller: Caller;
  session?: Session;
}

const one = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);

/** How long a sign-in lasts: `server.dashboard.session`, else 12 hours. */
export const sessionTtl = (server: ServerDoc | undefined): number =>
  server?.dashboard?.session ? parseDuration(server.dashboard.session) : defaultSessionTtlMs;

/**
 * Whether the client reads pages: a browser asks for text/html (a fragment request comes from the
 * page's own script). Others (curl, monitoring probes, API clients) get the API's JSON errors.
 */
export function wantsHtml(req: IncomingMessage): boolean {
  return /\btext\/html\b/.test(one(req.headers.accept) ?? '') || one(req.headers['x-fragment']) !== undefined;
}

/**
 * A path inside this site to go to after signing in, as it goes into a Location header; anything
 * else is `/`. Browsers drop tabs and line breaks from URLs and read `\` as `/`, so a value with
 * any control character, space or backslash is refused rather than cleaned; what is left must
 * resolve on this origin, and is written back percent-encoded.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || /[\x00-\x20\x7f\\]/.test(next)) return '/';
  let url: URL;
  try { url = new URL(next, 'http://here.invalid'); } catch { return '/'; }
  if (url.origin !== 'http://here.invalid' || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

export function createUi(deps: UiDeps): Ui {
  const routes = deps.pages.map((page) => ({ method: 'GET' as const, path: page.path, page }));

  function localeOf(req: IncomingMessage, query: URLSearchParams): Locale {
    return pickLocale({
      query: query.get('lang'), cookie: cookieValue(one(req.headers.cookie), langCookie),
      acceptLanguage: one(req.headers['accept-language']), project: deps.api.project().config.locale,
    });
  }

  /** The signed-in session or anonymous reading; undefined when the caller must sign in. */
  function viewer(req: IncomingMessage): Viewer | undefined {
    const server = deps.api.project().config.server;
    const session = deps.api.sessions.get(cookieValue(one(req.headers.cookie), sessionCookie), server, deps.api.env);
    if (session) return { caller: deps.api.sessions.caller(session, server), session };
    if (server?.anonymousRead) return { caller: { scopes: ['read'] } };
    return undefined;
  }

  async function send(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): Promise<void> {
    const all: Record<string, string> = { ...securityHeaders, 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8', vary: 'accept-encoding, cookie', ...headers };
    let bytes = Buffer.from(body, 'utf8');
    if (bytes.length > 1024 && /\bgzip\b/.test(one(req.headers['accept-encoding']) ?? '')) {
      bytes = await gzipAsync(bytes, { level: 6 });
      all['content-encoding'] = 'gzip';
    }
    all['content-length'] = String(bytes.length);
    res.writeHead(status, all);
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  function redirect(res: ServerResponse, where: string, headers: Record<string, string | string[]> = {}): void {
    res.writeHead(303, { ...securityHeaders, 'cache-control': 'no-store', location: where, ...headers });
    res.end();
  }

  function secure(req: IncomingMessage): boolean {
    return Boolean((req.socket as { encrypted?: boolean }).encrypted) || one(req.headers['x-forwarded-proto']) === 'https';
  }

  function langHeader(query: URLSearchParams, locale: Locale): Record<string, string> {
    return query.has('lang') ? { 'set-cookie': `${langCookie}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax` } : {};
  }

  async function serveAsset(req: IncomingMessage, res: ServerResponse, name: string, query: URLSearchParams): Promise<void> {
    const a = assets().get(name);
    if (!a) return notFound(req, res, `/assets/${name}`, new URLSearchParams());
    const zipped = /\bgzip\b/.test(one(req.headers['accept-encoding']) ?? '');
    const body = zipped ? a.gzip : a.body;
    res.writeHead(200, {
      ...securityHeaders, 'content-type': a.type, 'content-length': String(body.length), etag: `"${a.hash}"`, vary: 'accept-encoding',
      'cache-control': query.get('v') === a.hash ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(zipped ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function notFound(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, message?: string): Promise<void> {
    if (!wantsHtml(req)) return sendError(res, new ApiError('notFound', message ?? `nothing at ${path}`));
    const locale = localeOf(req, query);
    const v = viewer(req);
    const body = errorPage(locale, 404, message);
    await send(req, res, 404, layout({ locale, title: body.title, main: body.main, here: safeNext(path), ...(v?.session ? { session: { name: v.session.name, csrf: v.session.csrf } } : {}), bare: !v }).text);
  }

  /** A form posted from this site: no Origin (an older browser), or exactly this origin (`null` and junk are other sites). */
  function sameOrigin(req: IncomingMessage): boolean {
    const origin = one(req.headers.origin);
    if (origin === undefined) return one(req.headers['sec-fetch-site']) !== 'cross-site';
    let url: URL;
    try { url = new URL(origin); } catch { return false; }
    return url.host === req.headers.host && url.protocol === (secure(req) ? 'https:' : 'http:');
  }

  async function signInForm(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, status = 200, error?: 'token' | 'origin'): Promise<void> {
    const locale = localeOf(req, query);
    const server = deps.api.project().config.server;
    const body = signInPage(locale, { next: safeNext(query.get('next')), ...(error ? { error } : {}), tokensConfigured: (server?.tokens?.length ?? 0) > 0, expired: query.get('expired') === '1' });
    await send(req, res, status, layout({ locale, title: body.title, main: body.main, here: `/sign-in?next=${encodeURIComponent(safeNext(query.get('next')))}`, bare: true }).text, langHeader(query, locale));
  }

  async function signIn(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    // A form from another site may not sign a browser in (the Origin header says where it came from).
    if (!sameOrigin(req)) return signInForm(req, res, query, 403, 'origin');
    const form = new URLSearchParams((await readBody(req, 16 * 1024)).toString('utf8'));
    const token = form.get('token') ?? '';
    const next = safeNext(form.get('next'));
    const server = deps.api.project().config.server;
    let caller: Caller;
    try {
      caller = authorize('read', `Bearer ${token.trim()}`, server, deps.api.env);
    } catch (e) {
      deps.api.log(`dashboard sign-in refused: ${(e as Error).message}`, 'warn');
      return signInForm(req, res, new URLSearchParams({ next }), 401, 'token');
    }
    const ttl = sessionTtl(server);
    const session = deps.api.sessions.create(caller.name!, token.trim());
    deps.api.log(`dashboard sign-in: ${caller.name}`, 'info', { scopes: caller.scopes });
    const cookie = `${sessionCookie}=${session.id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(ttl / 1000)}${secure(req) ? '; Secure' : ''}`;
    redirect(res, next, { 'set-cookie': cookie });
  }

  async function signOut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(req, 16 * 1024)).toString('utf8'));
    const server = deps.api.project().config.server;
    const id = cookieValue(one(req.headers.cookie), sessionCookie);
    const session = deps.api.sessions.get(id, server, deps.api.env);
    if (session && !csrfMatches(session, form.get('csrf') ?? undefined)) throw new ApiError('csrf', 'the sign-out form is stale; reload the page and sign out again');
    if (session) { deps.api.sessions.end(session.id); deps.api.log(`dashboard sign-out: ${session.name}`, 'info'); }
    redirect(res, '/sign-in', { 'set-cookie': `${sessionCookie}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure(req) ? '; Secure' : ''}` });
  }

  function events(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const v = viewer(req);
    if (!v) throw new ApiError('unauthorized', 'sign in to follow changes');
    const wanted = (query.get('topics') ?? '').split(',').filter((t): t is Topic => (topics as readonly string[]).includes(t));
    if (wanted.length === 0) throw new ApiError('badRequest', `name topics to follow: ?topics= any of ${topics.join(', ')}`);
    const release = deps.api.streams.take(streamCaller(v.caller, req));
    res.writeHead(200, { ...securityHeaders, 'cache-control': 'no-cache, no-store', 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    const stop = deps.pulse.subscribe(wanted, (changed) => { res.write(`event: changed\ndata: ${JSON.stringify(changed)}\n\n`); });
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    beat.unref();
    res.on('close', () => { release(); stop(); clearInterval(beat); });
  }

  async function page(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, signal: AbortSignal): Promise<void> {
    const match = matchRoute(routes, 'GET', path);
    if (match.kind !== 'found') return notFound(req, res, path, query);
    const v = viewer(req);
    const here = `${path}${query.size ? `?${query.toString()}` : ''}`;
    if (!v) {
      const expired = cookieValue(one(req.headers.cookie), sessionCookie) !== undefined;
      if (one(req.headers['x-fragment'])) throw new ApiError('unauthorized', 'sign in again');
      return redirect(res, `/sign-in?next=${encodeURIComponent(here.replace(/([?&])lang=[^&]*&?/, '$1').replace(/[?&]$/, ''))}${expired ? '&expired=1' : ''}`);
    }
    const locale = localeOf(req, query);
    let params: Record<string, string>;
    try { params = readParams(match.rawParams); } catch { return notFound(req, res, path, query); }
    const { page: p } = match.route;
    const ctx: PageContext = {
      locale, caller: v.caller, may: (access) => may(v.caller, access), path, params, query, deps: deps.api,
      api: (target) => readApi(deps.api, v.caller, target, signal), now: deps.api.now(), signal,
    };
    let body;
    try {
      body = await p.render(ctx);
    } catch (e) {
      const known = fromThrown(e);
      if (known?.status === 404) return notFound(req, res, path, query, known.message);
      if (known && known.status < 500) {
        const b = errorPage(locale, known.status, known.message);
        body = { ...b, status: known.status };
      } else throw e;
    }
    // A page that only leads elsewhere (a run's page is its execution's).
    if (body.redirect !== undefined) return redirect(res, body.redirect);
    const status = body.status ?? 200;
    if (one(req.headers['x-fragment']) === 'main') return send(req, res, status, body.main.text, { 'x-title': encodeURIComponent(body.title) });
    const frame = {
      locale, title: body.title, main: body.main, here, ...(p.nav ? { nav: p.nav } : {}), ...(p.live ? { live: p.live } : {}),
      ...(v.session ? { session: { name: v.session.name, csrf: v.session.csrf } } : {}),
    };
    await send(req, res, status, layout(frame).text, langHeader(query, locale));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, query: q } = splitTarget(req.url ?? '/');
    const query = new URLSearchParams(q);
    const method = req.method ?? 'GET';
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      if (path.startsWith('/assets/') && (method === 'GET' || method === 'HEAD')) return await serveAsset(req, res, path.slice('/assets/'.length), query);
      if (path === '/sign-in') {
        if (method === 'POST') return await signIn(req, res, query);
        if (method === 'GET' || method === 'HEAD') return await signInForm(req, res, query);
      }
      if (path === '/sign-out' && method === 'POST') return await signOut(req, res);
      if (path === '/events' && method === 'GET') return events(req, res, query);
      if (method !== 'GET' && method !== 'HEAD') throw new ApiError('method', `${method} is not allowed here; pages are read with GET and changed through /api/`, undefined, { allow: 'GET, HEAD' });
      return await page(req, res, path, query, gone.signal);
    } catch (e) {
      const known = fromThrown(e);
      if (!known) throw e;
      if (res.headersSent) { res.end(); return; }
      if (!wantsHtml(req)) return sendError(res, known);
      const locale = localeOf(req, query);
      const body = errorPage(locale, known.status, known.message);
      await send(req, res, known.status, one(req.headers['x-fragment']) ? body.main.text : layout({ locale, title: body.title, main: body.main, here: safeNext(path), bare: true }).text, known.headers);
    }
  }

  return { handle };
}
