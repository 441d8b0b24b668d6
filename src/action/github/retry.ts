// When a failed GitHub request is tried again, and after how long. Pure: the port classifies what
// went wrong into a Failure, and this file answers with a verdict.
//
// Safety: reads (GET), updates (PATCH of a comment body) and deployment statuses are retried on
// network errors, timeouts, 5xx and rate limits. Creating a comment or a deployment is not
// idempotent: after a 5xx, a timeout or a connection lost mid-request the server may already have
// created it, and a retry would make a second one. Those requests are retried only when the
// failure proves the server never acted on them:
//   - a network error while connecting (refused, DNS, unreachable, connect timeout): nothing was sent;
//   - a rate-limit answer (429, or 403 with `retry-after` / `x-ratelimit-remaining: 0` / a
//     "secondary rate limit" message): GitHub rejected the request without processing it, which is
//     also why Octokit's throttling plugin retries POSTs on it.
import { nextRetry, type RetryPolicy as Backoff } from '../../retry/policy.ts';
import { parseRetryAfter } from '../../retry/retry-after.ts';

/** The retry policy (a rate limit asking for more than `maxServerDelayMs` is given up on) plus the wait of a rate limit with no hint. */
export interface RetryPolicy extends Backoff {
  /** A rate limit with no hint of how long to wait waits this long (GitHub: "at least one minute"). */
  rateLimitDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 4, delayMs: 1_000, factor: 2, maxDelayMs: 15_000, rateLimitDelayMs: 60_000, maxServerDelayMs: 90_000,
};

export type Failure =
  | { kind: 'network'; /** True when the connection was never established, so nothing was sent. */ connect: boolean; detail: string }
  | { kind: 'http'; status: number; headers: Readonly<Record<string, string | undefined>>; message: string };

export type Verdict = { retry: false } | { retry: true; delayMs: number };

/** Error codes (Node and undici) that mean the request never left this machine. */
const connectCodes = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT',
]);

export function isConnectCode(code: string | undefined): boolean {
  return code !== undefined && connectCodes.has(code);
}

export function isRateLimit(f: Failure): boolean {
  if (f.kind !== 'http') return false;
  if (f.status === 429) return true;
  if (f.status !== 403) return false;
  return f.headers['retry-after'] !== undefined || f.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(f.message);
}

/** How long the server asked us to wait, in ms, when it said so. */
function serverWaitMs(f: Failure, now: number): number | undefined {
  if (f.kind !== 'http') return undefined;
  const after = f.headers['retry-after'];
  const asked = after === undefined ? undefined : parseRetryAfter(after, now);
  if (asked !== undefined) return asked;
  const reset = Number(f.headers['x-ratelimit-reset']);
  if (f.headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

/** Whether to try again after failed attempt number `attempt` (1-based), and after what delay. */
export function retryVerdict(f: Failure, o: { attempt: number; idempotent: boolean; now: number; policy: RetryPolicy }): Verdict {
  const { attempt, idempotent, now, policy } = o;
  const retryable = isRateLimit(f) || (f.kind === 'network' ? idempotent || f.connect : f.status >= 500 && idempotent);
  if (!retryable) return { retry: false };
  // A rate limit waits as long as GitHub asks, or `rateLimitDelayMs` when it does not say.
  const next = nextRetry(policy, attempt, isRateLimit(f) ? { serverDelayMs: serverWaitMs(f, now) ?? policy.rateLimitDelayMs } : {});
  return next.retry ? { retry: true, delayMs: next.delayMs } : { retry: false };
}

/** Walks an error's `cause` chain (and AggregateError members) for the first Node/undici code and name. */
function codesOf(error: unknown, depth = 0): Array<{ code?: string; name?: string; message?: string }> {
  if (depth > 5 || typeof error !== 'object' || error === null) return [];
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const here = {
    code: typeof e.code === 'string' ? e.code : undefined,
    name: typeof e.name === 'string' ? e.name : undefined,
    message: typeof e.message === 'string' ? e.message : undefined,
  };
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => codesOf(x, depth + 1)) : [];
  return [here, ...codesOf(e.cause, depth + 1), ...nested];
}

/**
 * What an Octokit call's rejection means. An Octokit RequestError with a `response` is an HTTP
 * answer; one without (Octokit reports those as status 500) never got an answer.
 */
export function failureOf(error: unknown): Failure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown; message?: unknown; response?: { headers?: Record<string, unknown> };
  };
  if (typeof e.status === 'number' && e.response) {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(e.response.headers ?? {})) headers[k.toLowerCase()] = v === undefined ? undefined : String(v);
    return { kind: 'http', status: e.status, headers, message: typeof e.message === 'string' ? e.message : '' };
  }
  const chain = codesOf(error);
  const timedOut = chain.some((c) => c.name === 'TimeoutError' || c.name === 'AbortError');
  const code = chain.find((c) => c.code !== undefined)?.code;
  const deepest = [...chain].reverse().find((c) => c.message)?.message ?? String(error);
  return {
    kind: 'network',
    connect: !timedOut && isConnectCode(code),
    detail: timedOut ? 'timed out' : code ? `${code} (${deepest})` : deepest,
  };
}
