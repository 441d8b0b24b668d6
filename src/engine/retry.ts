// How long to wait before the next attempt, and whether a failure retries at all.
import type { RetryPolicy } from './plan.ts';

export type FailureKind = 'failure' | 'timeout';

/** Delay before attempt `attempt + 1`, with jitter lowering it by up to `jitter` of itself. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const base = policy.backoff === 'exponential' ? policy.delayMs * 2 ** (attempt - 1) : policy.delayMs;
  const capped = Math.min(base, policy.maxDelayMs);
  return Math.round(capped * (1 - policy.jitter * random()));
}

export function shouldRetry(policy: RetryPolicy, attempt: number, kind: FailureKind, exitCode: number | undefined): boolean {
  if (attempt > policy.limit) return false;
  if (!policy.on.includes(kind)) return false;
  if (kind === 'failure' && policy.exitCodes && (exitCode === undefined || !policy.exitCodes.includes(exitCode))) return false;
  return true;
}
