// One retry policy for everything that tries again: how many attempts, and how long to wait
// before each. Pure: randomness and the server's answer come in as parameters, time is not read.
//
// The wait after failed attempt n (1-based) is `delayMs × factor^(n-1)`, capped at `maxDelayMs`,
// then lowered by a random share of at most `jitter`, rounded to whole milliseconds. A wait the
// server asked for (Retry-After, a rate-limit reset) replaces that computed wait, uncapped by
// `maxDelayMs`, without jitter; when it is longer than `maxServerDelayMs` the caller gives up.

export interface RetryPolicy {
  /** Attempts in all, the first included (Infinity: never give up for lack of attempts). */
  attempts: number;
  /** The wait after the first failed attempt. */
  delayMs: number;
  /** Each further wait is the one before times this (1, the default: a fixed delay; 2 doubles). */
  factor?: number;
  /** No computed wait is longer than this (default: no cap). */
  maxDelayMs?: number;
  /** Up to this share (0 to 1) of each computed wait is taken off at random (default 0). */
  jitter?: number;
  /** A server asking for a longer wait than this is given up on (default: any wait is honoured). */
  maxServerDelayMs?: number;
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  /** Every attempt the policy allows has been made. */
  | { retry: false; reason: 'attempts'; attempts: number }
  /** The server asked for a longer wait than the policy accepts. */
  | { retry: false; reason: 'server-delay'; askedMs: number; maxMs: number };

export interface RetryHints {
  /** A number in [0, 1); needed only when the policy has jitter (default Math.random). */
  random?: () => number;
  /** How long the server asked to wait, in ms (see parseRetryAfter); absent when it did not say. */
  serverDelayMs?: number;
}

/** The computed wait after failed attempt `attempt` (1-based): growth, cap, then jitter. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const grown = policy.delayMs * (policy.factor ?? 1) ** (attempt - 1);
  const capped = Math.min(grown, policy.maxDelayMs ?? Number.POSITIVE_INFINITY);
  const jitter = policy.jitter ?? 0;
  return Math.round(jitter > 0 ? capped * (1 - jitter * random()) : capped);
}

/** Whether to try again after failed attempt `attempt` (1-based), and after how long. */
export function nextRetry(policy: RetryPolicy, attempt: number, hints: RetryHints = {}): RetryDecision {
  if (attempt >= policy.attempts) return { retry: false, reason: 'attempts', attempts: attempt };
  const asked = hints.serverDelayMs;
  if (asked !== undefined) {
    const maxMs = policy.maxServerDelayMs ?? Number.POSITIVE_INFINITY;
    return asked > maxMs ? { retry: false, reason: 'server-delay', askedMs: asked, maxMs } : { retry: true, delayMs: asked };
  }
  return { retry: true, delayMs: backoffDelay(policy, attempt, hints.random) };
}
