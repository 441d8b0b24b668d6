// The guardrails of automatic remediation. When an alert fires and its rule names
// `remediate: { plan, with, cooldown }`, the engine asks `decide` whether it may run the plan
// against the target, and reports what the run achieved with `recordOutcome`. Pure: no I/O and
// no clock; every operation takes the time in ms since the epoch and returns the new state, which
// is plain JSON-safe data (state.ts). Limits are per key, a (plan, target) pair: the same plan
// on another target has its own cooldown, rate limit and breaker.
//
// `decide` checks, in this order, and the first that applies is the answer:
// 1. maintenance: `inMaintenance` skips before anything else counts; nothing is recorded.
// 2. circuit-open: the breaker of the key is open. Without `breakerResetMs` it stays open until a
//    person calls `resetBreaker`, and the message says so. With it, once `breakerResetMs` has
//    passed since the breaker opened, one trial run is allowed (subject to 3-5 like any run) and
//    the breaker turns half-open; until that trial's outcome is recorded every decision is
//    circuit-open again. The trial's outcome closes the breaker ('fixed') or re-opens it from
//    that moment (anything else).
// 3. cooldown: the last attempt for the key was less than `cooldownMs` ago; `until` is when it ends.
// 4. rate-limit: `maxPerWindow` attempts already lie in the sliding window (at - windowMs, at];
//    `until` is when the oldest of them leaves it.
// 5. approval-required: `approvalRequired` holds, checked last so a person is only asked for a run
//    the limits allow. Nothing is recorded; the engine decides again once someone has approved.
// Otherwise the answer is `run`, and the attempt time is recorded at once, so a remediation that
// hangs and never reports still counts for the cooldown and the rate limit.
//
// Dry-run (`policy.dryRun`) changes only the final answer: `dry-run` instead of `run`. The would-be
// attempt is recorded exactly like a real one, so cooldown and rate limit skip the same alerts in
// both modes and a dry run shows what production would do. Since nothing runs, no outcome follows,
// so a dry run never consumes the trial of a breaker (it stays open, not half-open).
//
// `recordOutcome`: 'not-fixed' (it ran but verification failed), 'failed' and 'timed-out' are bad
// and count toward the breaker; `breakerThreshold` bad outcomes in a row open it ('opened').
// 'fixed' resets the count and closes a half-open breaker ('closed'). An outcome arriving while the
// breaker is fully open is recorded but never closes it: only a person or a trial run does.
// `resetBreaker` closes the breaker and clears the count; the cooldown of the last attempt still
// applies.
//
// State stays bounded: attempt times that left the window are dropped whenever a key is touched
// (an attempt, an outcome or a reset), and on every `decide` and `recordOutcome` keys untouched
// for more than 7 days are dropped, or later if their cooldown or window still needs them. A key
// whose breaker is open or half-open is never dropped, so "needs a person" cannot expire unseen.
// Time going backwards (an `at` earlier than the last one any operation was given) or a time that
// is not a finite number is a RangeError, as is an invalid policy (policy.ts).
import { checkPolicy, type GuardPolicy } from './policy.ts';
import {
  advance, inWindow, iso, keyId, newKeyState, prune, touch, withKey, idleKeyMs,
  type Breaker, type GuardKey, type GuardState, type KeyState, type Outcome,
} from './state.ts';

export { defaultGuardPolicy, guardPolicy, type GuardPolicy } from './policy.ts';
export { emptyGuardState, type GuardKey, type GuardState, type KeyState, type Outcome } from './state.ts';

export type SkipReason = 'cooldown' | 'rate-limit' | 'circuit-open' | 'maintenance' | 'approval-required';

export type Decision =
  | { kind: 'run' }
  | { kind: 'dry-run'; wouldRun: true }
  | { kind: 'skip'; reason: SkipReason; until?: number; message: string };

export interface DecideOptions {
  inMaintenance?: boolean;
  approvalRequired?: boolean;
}

export type BreakerChange = 'opened' | 'closed';

export const outcomes = ['fixed', 'not-fixed', 'failed', 'timed-out'] as const satisfies readonly Outcome[];

export function decide(
  state: GuardState, key: GuardKey, policy: GuardPolicy, at: number, o: DecideOptions = {},
): { decision: Decision; state: GuardState } {
  checkPolicy(policy);
  const now = advance(state, at, 'decide');
  const next: GuardState = { ...now, keys: prune(now.keys, at) };
  const id = keyId(key);
  const current = next.keys[id] ?? newKeyState(key, at);
  const skip = (reason: SkipReason, text: string, until?: number) => ({
    decision: { kind: 'skip', reason, ...(until === undefined ? {} : { until }), message: `remediation ${label(key)}: ${text}` } satisfies Decision,
    state: next,
  });

  if (o.inMaintenance === true) return skip('maintenance', 'skipped, the target is in a maintenance window');

  const breaker = current.breaker;
  let trial = false;
  if (breaker.status === 'half-open') {
    return skip('circuit-open', `circuit breaker is half-open: the trial run started at ${iso(breaker.trialAt)} has no outcome yet`);
  }
  if (breaker.status === 'open') {
    const opened = `circuit breaker open since ${iso(breaker.since)} after repeated failed or ineffective runs`;
    if (policy.breakerResetMs === undefined) {
      return skip('circuit-open', `${opened}; it needs a person to look at it and reset the breaker`);
    }
    const until = breaker.since + policy.breakerResetMs;
    if (at < until) return skip('circuit-open', `${opened}; a trial run is allowed from ${iso(until)}, or a person can reset it`, until);
    trial = true;
  }

  if (current.lastAttemptAt !== undefined && at < current.lastAttemptAt + policy.cooldownMs) {
    const until = current.lastAttemptAt + policy.cooldownMs;
    return skip('cooldown', `cooling down after the attempt at ${iso(current.lastAttemptAt)}, until ${iso(until)}`, until);
  }

  const attempts = inWindow(current.attempts, at, policy.windowMs);
  if (attempts.length >= policy.maxPerWindow) {
    const until = attempts[attempts.length - policy.maxPerWindow]! + policy.windowMs;
    return skip('rate-limit', `${attempts.length} attempts in the last ${policy.windowMs} ms reach the limit of ${policy.maxPerWindow}; the next is allowed at ${iso(until)}`, until);
  }

  if (o.approvalRequired === true) return skip('approval-required', 'waiting for a person to approve the run');

  const halfOpen: Breaker = { status: 'half-open', since: breaker.status === 'open' ? breaker.since : at, trialAt: at };
  const recorded = touch(
    { ...current, attempts: [...attempts, at], lastAttemptAt: at, breaker: trial && !policy.dryRun ? halfOpen : breaker },
    at, policy,
  );
  const decision: Decision = policy.dryRun ? { kind: 'dry-run', wouldRun: true } : { kind: 'run' };
  return { decision, state: withKey(next, id, recorded) };
}

export function recordOutcome(
  state: GuardState, key: GuardKey, outcome: Outcome, at: number, policy: GuardPolicy,
): { state: GuardState; breaker?: BreakerChange } {
  checkPolicy(policy);
  if (!(outcomes as readonly string[]).includes(outcome)) {
    throw new RangeError(`recordOutcome: the outcome must be one of ${outcomes.join(', ')}, found ${String(outcome)}`);
  }
  const now = advance(state, at, 'recordOutcome');
  const next: GuardState = { ...now, keys: prune(now.keys, at) };
  const id = keyId(key);
  const current = next.keys[id] ?? newKeyState(key, at);
  const bad = outcome !== 'fixed';
  const consecutiveBad = bad ? current.consecutiveBad + 1 : 0;
  const { breaker, change } = nextBreaker(current.breaker, bad, consecutiveBad, policy, at);
  const updated = touch({ ...current, consecutiveBad, breaker, lastOutcome: { outcome, at } }, at, policy);
  const result = { state: withKey(next, id, updated) };
  return change === undefined ? result : { ...result, breaker: change };
}

function nextBreaker(breaker: Breaker, bad: boolean, consecutiveBad: number, policy: GuardPolicy, at: number): { breaker: Breaker; change?: BreakerChange } {
  switch (breaker.status) {
    case 'closed':
      return bad && consecutiveBad >= policy.breakerThreshold ? { breaker: { status: 'open', since: at }, change: 'opened' } : { breaker };
    case 'half-open':
      return bad ? { breaker: { status: 'open', since: at }, change: 'opened' } : { breaker: { status: 'closed' }, change: 'closed' };
    case 'open':
      return { breaker };
  }
}

/** A person closes the breaker of a key; `by` names them. A key the state does not hold is left as is. */
export function resetBreaker(state: GuardState, key: GuardKey, by: string, at: number): GuardState {
  const next = advance(state, at, 'resetBreaker');
  if (by.trim() === '') throw new RangeError('resetBreaker: the person resetting the breaker must be named');
  const id = keyId(key);
  const current: KeyState | undefined = next.keys[id];
  if (current === undefined) return next;
  return withKey(next, id, {
    ...current,
    breaker: { status: 'closed' },
    consecutiveBad: 0,
    lastReset: { by, at },
    touchedAt: at,
    retainUntil: Math.max(current.retainUntil, at + idleKeyMs),
  });
}

function label(key: GuardKey): string {
  return `${key.plan} on ${key.target}`;
}
