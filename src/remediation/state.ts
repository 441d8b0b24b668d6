// What the guard remembers, per (plan, target): plain JSON-safe data with no undefined fields, so
// a state written with JSON.stringify and read back is equal to the original. Every function here
// returns new objects and never changes its arguments.
import type { GuardPolicy } from './policy.ts';

const day = 24 * 60 * 60 * 1000;
/** A key that has seen no attempt, outcome or reset for this long is dropped. */
export const idleKeyMs = 7 * day;

export type Outcome = 'fixed' | 'not-fixed' | 'failed' | 'timed-out';

export interface GuardKey {
  plan: string;
  target: string;
}

export type Breaker =
  | { status: 'closed' }
  | { status: 'open'; since: number }
  /** One trial run was granted at `trialAt`; its outcome closes or re-opens the breaker. */
  | { status: 'half-open'; since: number; trialAt: number };

export interface KeyState {
  plan: string;
  target: string;
  /** Attempt times (runs and dry-runs), ascending, only those still inside the window. */
  attempts: number[];
  /** Kept apart from `attempts` because the cooldown may be longer than the window. */
  lastAttemptAt?: number;
  lastOutcome?: { outcome: Outcome; at: number };
  /** Bad outcomes ('not-fixed', 'failed', 'timed-out') since the last 'fixed' or reset. */
  consecutiveBad: number;
  breaker: Breaker;
  lastReset?: { by: string; at: number };
  /** The last attempt, outcome or reset. */
  touchedAt: number;
  /** Dropped by pruning from here on, unless its breaker is not closed. */
  retainUntil: number;
}

export interface GuardState {
  /** The latest time any operation was given; an earlier time is a RangeError. */
  lastAt?: number;
  /** By `keyId(key)`. */
  keys: Record<string, KeyState>;
}

export function emptyGuardState(): GuardState {
  return { keys: {} };
}

/** Unambiguous for any plan and target text (a plan may contain any separator). */
export function keyId(key: GuardKey): string {
  return JSON.stringify([key.plan, key.target]);
}

export function newKeyState(key: GuardKey, at: number): KeyState {
  return { plan: key.plan, target: key.target, attempts: [], consecutiveBad: 0, breaker: { status: 'closed' }, touchedAt: at, retainUntil: at + idleKeyMs };
}

/** Moves the clock to `at`; a RangeError when `at` is not a finite time or earlier than the last one seen. */
export function advance(state: GuardState, at: number, operation: string): GuardState {
  if (!Number.isFinite(at)) throw new RangeError(`${operation}: the time must be a finite number of ms, found ${at}`);
  if (state.lastAt !== undefined && at < state.lastAt) {
    throw new RangeError(`${operation}: time went backwards, from ${iso(state.lastAt)} to ${iso(at)}`);
  }
  return { ...state, lastAt: at };
}

/**
 * Marks a key as touched at `at` under `policy`: its attempts outside the window are dropped and
 * it is retained for `idleKeyMs`, or longer while its cooldown or window still needs it.
 */
export function touch(key: KeyState, at: number, policy: GuardPolicy): KeyState {
  const attempts = inWindow(key.attempts, at, policy.windowMs);
  const last = key.lastAttemptAt;
  const needed = last === undefined ? 0 : last + Math.max(policy.cooldownMs, policy.windowMs);
  return { ...key, attempts, touchedAt: at, retainUntil: Math.max(at + idleKeyMs, needed) };
}

/** Attempts inside the sliding window (at - windowMs, at]. */
export function inWindow(attempts: readonly number[], at: number, windowMs: number): number[] {
  return attempts.filter((t) => t > at - windowMs);
}

/**
 * Drops keys past `retainUntil` whose breaker is closed. An open or half-open breaker is kept
 * however old, because only a person (or a trial run) may close it.
 */
export function prune(keys: Record<string, KeyState>, at: number): Record<string, KeyState> {
  const kept: Record<string, KeyState> = {};
  for (const [id, key] of Object.entries(keys)) {
    if (at < key.retainUntil || key.breaker.status !== 'closed') kept[id] = key;
  }
  return kept;
}

export function withKey(state: GuardState, id: string, key: KeyState): GuardState {
  return { ...state, keys: { ...state.keys, [id]: key } };
}

export function iso(at: number): string {
  return Number.isFinite(at) && Math.abs(at) <= 8.64e15 ? new Date(at).toISOString() : String(at);
}
