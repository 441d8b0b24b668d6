// Who is calling, and may they. Tokens are named in `server.tokens` of pluginops.yml and their
// values are read from the environment at every request, so a rotation or a reload takes effect
// at once. A request sends `Authorization: Bearer <token>`.
//
// - Scopes are ranked: `admin` (run-time controls, documents written through the API) includes
//   `write` (executions, decisions, incidents), which includes `read`. A route needs a token
//   with its scope or a higher one; a read route needs nothing when `server.anonymousRead` is on. `public` routes (the OpenAPI document) need
//   nothing.
// - With no tokens configured every write is refused (401) with a message saying so.
// - A token is compared with every configured one, always all of them, as SHA-256 digests with
//   `timingSafeEqual`: neither the position of the first differing byte nor the length leaks.
// - 401 (who are you?) and 403 (not allowed) both come before the body is read.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerDoc } from '../documents/schema/project.ts';
import { ApiError } from './errors.ts';

export const scopes = ['read', 'write', 'admin'] as const;
export type Scope = (typeof scopes)[number];
export type Access = 'public' | Scope;

/** The scopes that grant a route's access: its own and every higher one. */
export const grants = (access: Scope): readonly Scope[] => scopes.slice(scopes.indexOf(access));

export interface Caller {
  /** The token's name from `server.tokens`; absent for anonymous callers. */
  name?: string;
  scopes: readonly Scope[];
}

const anonymous: Caller = { scopes: [] };
const realm = 'Bearer realm="pluginops"';
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The caller of a request with access `access`: from its `Authorization` header, else from its
 * dashboard session (`session`, already checked by the caller), else anonymous.
 */
export function authorize(access: Access, header: string | undefined, server: ServerDoc | undefined, env: Readonly<Record<string, string | undefined>>, session?: Caller): Caller {
  if (access === 'public') return anonymous;
  const tokens = server?.tokens ?? [];
  const none = 'no API tokens are configured: add `server.tokens` to pluginops.yml with each token in an environment variable';
  if ((header === undefined || header === '') && session) return allow(session, access);
  if (header === undefined || header === '') {
    if (access === 'read' && server?.anonymousRead) return { scopes: ['read'] };
    if (tokens.length === 0) throw unauthorized(access !== 'read' ? `${none}; writes always need a token` : `${none}, or set \`server.anonymousRead: true\``);
    throw unauthorized('missing `Authorization: Bearer <token>`');
  }
  const given = /^Bearer +([^\s]+) *$/i.exec(header)?.[1];
  if (!given) throw unauthorized('malformed Authorization header; expected `Bearer <token>`', true);
  const caller = match(given, tokens, env);
  if (!caller) throw unauthorized(tokens.length === 0 ? none : 'the token matches none of `server.tokens`', true);
  return allow(caller, access);
}

/** `caller` when one of its scopes grants `access`; else 403. */
function allow(caller: Caller, access: Scope): Caller {
  if (!grants(access).some((s) => caller.scopes.includes(s))) {
    throw new ApiError('forbidden', `token \`${caller.name}\` has the scopes [${caller.scopes.join(', ')}]; this route needs \`${access}\``, undefined,
      { 'www-authenticate': `${realm}, error="insufficient_scope", scope="${access}"` });
  }
  return caller;
}

/** Whether `caller` may do what `access` needs (a page shows a button only then). */
export const may = (caller: Caller, access: Access): boolean => access === 'public' || grants(access).some((s) => caller.scopes.includes(s));

/** The configured token equal to `given`; every configured token is compared. */
function match(given: string, tokens: NonNullable<ServerDoc['tokens']>, env: Readonly<Record<string, string | undefined>>): Caller | undefined {
  const g = digest(given);
  let found: Caller | undefined;
  for (const t of tokens) {
    const value = env[t.token.env];
    if (value === undefined || value === '') continue;
    if (timingSafeEqual(g, digest(value)) && !found) found = { name: t.name, scopes: t.scopes };
  }
  return found;
}

function unauthorized(message: string, invalid = false): ApiError {
  return new ApiError('unauthorized', message, undefined, { 'www-authenticate': invalid ? `${realm}, error="invalid_token"` : realm });
}
