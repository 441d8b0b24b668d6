// Sessions of the dashboard: signing in exchanges a token for a random session id, kept by the
// browser in an HttpOnly cookie, and a CSRF token the page sends with every state-changing
// request (`X-CSRF-Token`). Sessions live in memory: a restart signs everyone out.
//
// A session remembers the token's name and a digest of its value. It is honoured only while that
// token is still configured with the same value, so removing or rotating a token ends its
// sessions at once; its scopes are read from the configuration at every request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerDoc } from '../documents/schema/project.ts';
import type { Caller } from './auth.ts';

export const sessionCookie = 'pluginops_session';
export const csrfHeader = 'x-csrf-token';
export const defaultSessionTtlMs = 12 * 3600_000;
/** The most sessions kept; signing in past it ends the oldest. */
export const maxSessions = 10_000;

export interface Session {
  id: string;
  csrf: string;
  /** The token's name in `server.tokens`. */
  name: string;
  expiresAt: number;
  /** SHA-256 of the token's value at sign-in. */
  digest: Buffer;
}

const digestOf = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
const random = (): string => randomBytes(24).toString('base64url');

export class Sessions {
  readonly #byId = new Map<string, Session>();
  constructor(private readonly now: () => number, private readonly ttlMs: () => number = () => defaultSessionTtlMs) {}

  /** A new session for the token named `name`, whose value is `token`. */
  create(name: string, token: string): Session {
    while (this.#byId.size >= maxSessions) this.#byId.delete(this.#byId.keys().next().value!);
    const s: Session = { id: random(), csrf: random(), name, expiresAt: this.now() + this.ttlMs(), digest: digestOf(token) };
    this.#byId.set(s.id, s);
    return s;
  }

  /** The live session with this id: not expired, and its token unchanged. */
  get(id: string | undefined, server: ServerDoc | undefined, env: Readonly<Record<string, string | undefined>>): Session | undefined {
    if (id === undefined || id === '') return undefined;
    const s = this.#byId.get(id);
    if (!s) return undefined;
    const token = server?.tokens?.find((t) => t.name === s.name);
    const value = token ? env[token.token.env] : undefined;
    if (s.expiresAt <= this.now() || !value || !timingSafeEqual(s.digest, digestOf(value))) {
      this.#byId.delete(id);
      return undefined;
    }
    return s;
  }

  /** Who the session acts for, with the token's scopes as configured now. */
  caller(s: Session, server: ServerDoc | undefined): Caller {
    return { name: s.name, scopes: server?.tokens?.find((t) => t.name === s.name)?.scopes ?? [] };
  }

  end(id: string): void { this.#byId.delete(id); }

  get size(): number { return this.#byId.size; }
}

/** Whether `given` is the session's CSRF token (constant time). */
export function csrfMatches(s: Session, given: string | undefined): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digestOf(given), digestOf(s.csrf));
}

/** The value of one cookie in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
