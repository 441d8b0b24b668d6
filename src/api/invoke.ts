// Reading the API in process, as a given caller: what a dashboard page shows is exactly what the
// API answers that caller (the same route, scope check, query validation and masking), without
// a round trip over HTTP. Only GET routes that answer JSON; writes go through HTTP.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskDeep, projectMask } from '../engine/mask.ts';
import { authorize, type Caller } from './auth.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';
import { readParams, readQuery } from './request.ts';
import { matchRoute, splitTarget } from './router.ts';
import { streamed } from './route.ts';
import { routes } from './routes.ts';
import { openApiDocument } from './api.ts';

export interface Read<T> {
  data: T;
  message?: string;
  headers: Record<string, string>;
}

/** `GET target` (a path under /api/ with its query) as `caller`; throws ApiError as the API would answer. */
export async function readApi<T = unknown>(deps: ApiDeps, caller: Caller, target: string, signal: AbortSignal = new AbortController().signal): Promise<Read<T>> {
  const { path, query } = splitTarget(target);
  const match = matchRoute(routes, 'GET', path);
  if (match.kind !== 'found') throw new ApiError('notFound', `no route GET ${path.slice(0, 200)}`);
  const route = match.route;
  if (route.answer && 'stream' in route.answer) throw new ApiError('method', `GET ${path} streams; read it over HTTP`);
  const project = deps.project();
  if (route.access !== 'public') authorize(route.access, undefined, project.config.server, deps.env, caller);
  const params = readParams(match.rawParams);
  const q = readQuery(route, query);
  const mask = projectMask(project.config, deps.env);
  const reply = await route.handle({
    params, query: q, body: undefined, caller, deps, openApi: openApiDocument, mask,
    req: undefined as unknown as IncomingMessage, res: undefined as unknown as ServerResponse, signal,
  });
  if (reply === streamed) throw new ApiError('method', `GET ${path} streams; read it over HTTP`);
  return { data: maskDeep(reply.data, mask) as T, ...(reply.message !== undefined ? { message: mask(reply.message) } : {}), headers: reply.headers ?? {} };
}
