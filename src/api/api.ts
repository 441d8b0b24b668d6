// The HTTP API that `pluginops serve` mounts under `/api/`: a handler over node:http, no
// framework. One request goes through, in order:
//
//   nosniff header → CORS (listed origins only) → OPTIONS? answer it → route match (404 / 405)
//   → token (or dashboard session, with its CSRF token on writes) and scope (401 / 403, before the body is read) → path ids (400) → query (400)
//   → body (413 / 415 / 400 / 422) → handler → the envelope, every string masked (and `Location`
//   for a 201 or 202 whose route names one).
//
// Handlers throw; this is the one place that turns what they throw into an answer. Known errors
// become their code (errors.ts); anything else is logged with its stack and answered 500
// E_INTERNAL with no detail. A handler that streams (server-sent events) writes its own answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskDeep, projectMask, type Mask } from '../engine/mask.ts';
import { authorize, type Access, type Caller } from './auth.ts';
import { defaultBodyLimit } from './body.ts';
import { allowedOrigin, corsHeaders, preflightHeaders } from './cors.ts';
import type { ServerDoc } from '../documents/schema/project.ts';
import type { ApiDeps } from './deps.ts';
import { sendBare, sendData, sendError } from './envelope.ts';
import { ApiError, ClientGoneError, fromThrown } from './errors.ts';
import { fillLocation, locationStatuses } from './location.ts';
import { buildOpenApi } from './openapi.ts';
import { readParams, readQuery, readRouteBody } from './request.ts';
import { matchRoute, splitTarget } from './router.ts';
import { streamed } from './route.ts';
import { routes } from './routes.ts';
import { cookieValue, csrfHeader, csrfMatches, sessionCookie } from './sessions.ts';

export type { ApiDeps } from './deps.ts';
export { routes } from './routes.ts';

export const openApiDocument: object = buildOpenApi(routes);

export interface Api {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const one = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);

export function createApi(deps: ApiDeps): Api {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    const gone = new AbortController();
    const onClose = () => { if (!res.writableFinished) gone.abort(); };
    res.on('close', onClose);
    const method = req.method ?? 'GET';
    const { path, query } = splitTarget(req.url ?? '/');
    let mask: Mask = (t) => t;
    try {
      const project = deps.project();
      mask = projectMask(project.config, deps.env);
      const server = project.config.server;
      const origin = allowedOrigin(one(req.headers.origin), server);
      if (origin) for (const [k, v] of Object.entries(corsHeaders(origin))) res.setHeader(k, v);
      if (method === 'OPTIONS') return options(req, res, path, origin);
      const match = matchRoute(routes, method, path);
      if (match.kind === 'none') throw new ApiError('notFound', `no route ${method} ${path.slice(0, 200)}; the routes are listed in /api/openapi.json`);
      if (match.kind === 'method') {
        throw new ApiError('method', `${method} is not allowed here; expected ${match.allowed.join(' or ')}`, undefined, { allow: [...match.allowed, 'OPTIONS'].join(', ') });
      }
      const route = match.route;
      const caller = authorize(route.access, one(req.headers.authorization), server, deps.env, sessionCaller(req, method, route.access, deps, server));
      const params = readParams(match.rawParams);
      const q = readQuery(route, query);
      const body = await readRouteBody(route, req, server?.bodyLimit ?? defaultBodyLimit);
      const reply = await route.handle({ params, query: q, body, caller, deps, openApi: openApiDocument, mask, req, res, signal: gone.signal });
      if (reply === streamed) return;
      const status = reply.status ?? route.answer.status;
      const answer = route.answer;
      if ('bare' in answer && answer.bare) sendBare(res, status, reply.data);
      else {
        const location = 'location' in answer && answer.location !== undefined && locationStatuses.includes(status) ? { location: fillLocation(answer.location, reply.data) } : undefined;
        sendData(res, status, route.unmasked ? reply.data : maskDeep(reply.data, mask), reply.message === undefined ? undefined : mask(reply.message), { ...reply.headers, ...location });
      }
    } catch (e) {
      fail(e, method, path, res, mask);
    } finally {
      res.off('close', onClose);
    }
  }

  /** The caller of a dashboard session sent as a cookie (no `Authorization`); writes need its CSRF token. */
  function sessionCaller(req: IncomingMessage, method: string, access: Access, deps: ApiDeps, server: ServerDoc | undefined): Caller | undefined {
    if (access === 'public' || !deps.sessions || one(req.headers.authorization)) return undefined;
    const id = cookieValue(one(req.headers.cookie), sessionCookie);
    if (id === undefined) return undefined;
    const session = deps.sessions.get(id, server, deps.env);
    if (!session) throw new ApiError('unauthorized', 'the dashboard session has expired or ended; sign in again', undefined, { 'www-authenticate': 'Bearer realm="pluginops"' });
    if (method !== 'GET' && !csrfMatches(session, one(req.headers[csrfHeader]))) {
      throw new ApiError('csrf', 'this request carries no CSRF token or a stale one (`X-CSRF-Token`); reload the page and try again');
    }
    return deps.sessions.caller(session, server);
  }

  function options(req: IncomingMessage, res: ServerResponse, path: string, origin: string | undefined): void {
    const allowed = [...new Set(routes.filter((r) => matchRoute([r], r.method, path).kind === 'found').map((r) => r.method))];
    if (allowed.length === 0) throw new ApiError('notFound', `no route at ${path.slice(0, 200)}`);
    if (req.headers.origin !== undefined && !origin) throw new ApiError('forbidden', 'this origin is not allowed; list it in `server.cors.origins`');
    res.writeHead(204, { allow: [...allowed, 'OPTIONS'].join(', '), 'cache-control': 'no-store', ...(origin ? preflightHeaders(origin, [...allowed, 'OPTIONS']) : {}) });
    res.end();
  }

  function fail(e: unknown, method: string, path: string, res: ServerResponse, mask: Mask): void {
    if (e instanceof ClientGoneError) { res.destroy(); return; }
    const known = fromThrown(e);
    if (known) {
      if (known.status === 401 || known.status === 403) deps.log(`${method} ${path.slice(0, 200)} refused: ${known.message}`, 'warn', { status: known.status, code: known.code });
      sendError(res, known, mask);
      return;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    deps.log(`internal error in ${method} ${path.slice(0, 200)}: ${mask(err.message)}`, 'error', { stack: err.stack === undefined ? undefined : mask(err.stack) });
    if (res.headersSent) { res.end(); return; }
    sendError(res, new ApiError('internal', 'internal error; the server logged it'));
  }

  return { handle };
}
