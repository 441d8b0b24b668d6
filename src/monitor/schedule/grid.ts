// Slot grids: where a job's slots lie on the clock, built once when the job is armed.
//
// - Interval: `anchor + k·everyMs` for k ≥ 0, the anchor being the arming time plus the stagger
//   offset. The grid never moves with run duration (fixed rate, not fixed delay).
// - Cron: the `cron` package's occurrences in the job's time zone, each shifted by the stagger
//   offset; the first slot is the first occurrence strictly after the arming time.
//
// `due(slot, now)` answers "the timer for `slot` fired at `now`: how many slots are due, which is
// the latest, and which comes next". Interval grids answer by arithmetic. Cron grids walk the occurrences (a Luxon
// look-up each), counting at most `cronCountCap`; past the cap the count saturates (`capped`)
// and the latest slot is found by bisection, so a clock that jumped a year stays cheap.
import type { ParsedCadence } from './cadence.ts';

export interface Due {
  /** Slots in [slot, now]. */
  count: number;
  latest: number;
  /** The first slot strictly after now. */
  next: number;
  capped: boolean;
}

export interface Grid {
  readonly first: number;
  /** The first slot strictly after `t`. */
  after(t: number): number;
  due(slot: number, now: number): Due;
}

export const cronCountCap = 1_000;

export function gridFor(cadence: ParsedCadence, armedAt: number, offsetMs: number): Grid {
  return 'every' in cadence ? intervalGrid(armedAt + offsetMs, cadence.every) : cronGrid(cadence, armedAt, offsetMs);
}

export function intervalGrid(anchor: number, everyMs: number): Grid {
  const after = (t: number): number => {
    if (t < anchor) return anchor;
    const at = anchor + (Math.floor((t - anchor) / everyMs) + 1) * everyMs;
    return at > t ? at : at + everyMs;
  };
  return {
    first: anchor,
    after,
    due(slot, now) {
      if (now < slot) return { count: 0, latest: slot, next: slot, capped: false };
      let count = Math.floor((now - slot) / everyMs) + 1;
      if (slot + (count - 1) * everyMs > now) count--;
      return { count, latest: slot + (count - 1) * everyMs, next: after(now), capped: false };
    },
  };
}

function cronGrid(cadence: Extract<ParsedCadence, { cron: string }>, armedAt: number, offsetMs: number): Grid {
  const after = (t: number): number => cadence.time.getNextDateFrom(new Date(t - offsetMs), cadence.timeZone).toMillis() + offsetMs;
  return {
    first: after(armedAt),
    after,
    due(slot, now) {
      if (now < slot) return { count: 0, latest: slot, next: slot, capped: false };
      let count = 1;
      let latest = slot;
      let next = after(latest);
      for (; next <= now; next = after(latest)) {
        if (count >= cronCountCap) return { count, latest: latestBefore(after, latest, now), next: after(now), capped: true };
        count++;
        latest = next;
      }
      // No slot lies between `latest` and `next`, and next > now: it is the first slot after now.
      return { count, latest, next, capped: false };
    },
  };
}

/** The latest slot ≤ now, given a slot `from` ≤ now: bisects for the largest t with after(t) ≤ now. */
function latestBefore(after: (t: number) => number, from: number, now: number): number {
  let lo = from;
  let hi = now;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (after(mid) <= now) lo = mid;
    else hi = mid;
  }
  const candidate = after(lo);
  return candidate <= now ? candidate : from;
}
