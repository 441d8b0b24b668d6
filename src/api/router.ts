// Matching a request to a route: pure, over the raw (still percent-encoded) path, split on `/`
// before anything is decoded, so an encoded slash stays inside one segment and a `..` segment
// matches no route. `{name}` in a template matches exactly one non-empty segment; a literal
// segment wins over a parameter when both would match.
import type { Method } from './route.ts';

export interface RouteShape {
  method: Method;
  path: string;
}

export type Match<R> =
  | { kind: 'found'; route: R; rawParams: Record<string, string> }
  | { kind: 'method'; allowed: Method[] }
  | { kind: 'none' };

type Segment = { literal: string } | { param: string };

const compiled = new WeakMap<RouteShape, Segment[]>();

function segmentsOf(r: RouteShape): Segment[] {
  let s = compiled.get(r);
  if (!s) {
    s = r.path.split('/').slice(1).map((p) => (p.startsWith('{') && p.endsWith('}') ? { param: p.slice(1, -1) } : { literal: p }));
    compiled.set(r, s);
  }
  return s;
}

/** Parameters when `rawPath` fits `route`'s template, and how many literal segments matched. */
function fit(route: RouteShape, parts: readonly string[]): { params: Record<string, string>; literals: number } | undefined {
  const segments = segmentsOf(route);
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  let literals = 0;
  for (let i = 0; i < parts.length; i++) {
    const seg = segments[i]!, part = parts[i]!;
    if ('literal' in seg) {
      if (seg.literal !== part) return undefined;
      literals++;
    } else {
      if (part === '') return undefined;
      params[seg.param] = part;
    }
  }
  return { params, literals };
}

export function matchRoute<R extends RouteShape>(routes: readonly R[], method: string, rawPath: string): Match<R> {
  const parts = rawPath.split('/').slice(1);
  const fits = routes.flatMap((route) => {
    const f = fit(route, parts);
    return f ? [{ route, ...f }] : [];
  });
  if (fits.length === 0) return { kind: 'none' };
  const best = Math.max(...fits.map((f) => f.literals));
  const top = fits.filter((f) => f.literals === best);
  const hit = top.find((f) => f.route.method === method);
  if (hit) return { kind: 'found', route: hit.route, rawParams: hit.params };
  return { kind: 'method', allowed: [...new Set(top.map((f) => f.route.method))] };
}

/** The path and query of a request target (`/api/x?y=1`), without normalising anything. */
export function splitTarget(requestTarget: string): { path: string; query: string } {
  // The absolute form (`GET http://host/api/x`) names the same path after its authority.
  const target = requestTarget.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const hash = path.indexOf('#');
  return { path: hash === -1 ? path : path.slice(0, hash), query: q === -1 ? '' : target.slice(q + 1) };
}
