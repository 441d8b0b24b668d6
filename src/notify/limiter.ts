// Spacing of messages per channel: each send takes the next free slot of its channel, at least
// `minIntervalMs` after the previous one, and waits for it on the clock.
import { sleep, type Clock } from '../engine/clock.ts';

export interface RateLimiter {
  /** Resolves when a message to `key` may go out; rejects (AbortedError) when `signal` aborts first. */
  acquire(key: string, minIntervalMs: number, signal?: AbortSignal): Promise<void>;
}

export function createRateLimiter(clock: Clock): RateLimiter {
  const nextFree = new Map<string, number>();
  return {
    async acquire(key, minIntervalMs, signal) {
      if (minIntervalMs <= 0) return;
      const now = clock.now();
      const slot = Math.max(now, nextFree.get(key) ?? now);
      nextFree.set(key, slot + minIntervalMs);
      if (slot > now) await sleep(clock, slot - now, signal);
    },
  };
}

// One limiter per clock, so every delivery in a process shares the spacing while tests with
// their own virtual clocks do not see each other.
const perClock = new WeakMap<Clock, RateLimiter>();

export function sharedRateLimiter(clock: Clock): RateLimiter {
  let limiter = perClock.get(clock);
  if (!limiter) perClock.set(clock, limiter = createRateLimiter(clock));
  return limiter;
}
