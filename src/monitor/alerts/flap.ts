// Flap detection, after Nagios: the share of changes among the last 21 evaluations (20 possible
// changes between them), with hysteresis: flapping starts above 30% and stops below 25%.
//
// - What counts as a change is the caller's choice; `conditionChanged` from state.ts (the
//   evaluation's condition differs from the previous one) is the intended input, as Nagios
//   counts changes of check results rather than of notifications.
// - The ratio always divides by 20, so a short history cannot look like flapping (two
//   evaluations that differ are 1/20 = 5%).
// - `plain` weighting (the default, as the issue describes it) counts each change as 1;
//   `weighted` is Nagios's: weights rise linearly from 0.8 (oldest) to 1.2 (newest) and sum to
//   20, so recent changes count more.
// - A flapping alert notifies that it flaps, once, and its firing/resolved notifications are
//   held back until flapping stops; then its current state (firing, or resolved for anything
//   else) is notified once, so receivers converge on the truth.
import type { AlertStateName, Transition } from './state.ts';

export const flapWindow = 20;
export const flapStartAbove = 0.3;
export const flapStopBelow = 0.25;

export type FlapWeighting = 'plain' | 'weighted';

export interface FlapState {
  /** The last (at most 20) change flags, oldest first. */
  changes: boolean[];
  flapping: boolean;
}

export interface FlapResult {
  flapping: boolean;
  ratio: number;
  started?: true;
  stopped?: true;
}

export const initialFlapState: FlapState = { changes: [], flapping: false };

/** The pure step: records one evaluation's change flag. */
const steady: FlapResult = Object.freeze({ flapping: false, ratio: 0 });

export function flapStep(prev: FlapState, changed: boolean, weighting: FlapWeighting = 'plain'): { next: FlapState; result: FlapResult } {
  // The common case, a full window of no changes that stays that way, allocates nothing.
  if (!changed && !prev.flapping && prev.changes.length === flapWindow && !prev.changes.includes(true)) return { next: prev, result: steady };
  const changes = prev.changes.length < flapWindow ? [...prev.changes, changed] : [...prev.changes.slice(1), changed];
  const ratio = flapRatio(changes, weighting);
  if (!prev.flapping && ratio > flapStartAbove) {
    return { next: { changes, flapping: true }, result: { flapping: true, ratio, started: true } };
  }
  if (prev.flapping && ratio < flapStopBelow) {
    return { next: { changes, flapping: false }, result: { flapping: false, ratio, stopped: true } };
  }
  return { next: { changes, flapping: prev.flapping }, result: { flapping: prev.flapping, ratio } };
}

/** Share of changes over the window, rounded to 4 decimals so ratios compare exactly. */
export function flapRatio(changes: readonly boolean[], weighting: FlapWeighting = 'plain'): number {
  // Align the flags to the newest end of a full window, so weights follow recency.
  const offset = flapWindow - changes.length;
  let sum = 0;
  changes.forEach((changed, i) => {
    if (changed) sum += weighting === 'plain' ? 1 : 0.8 + (0.4 * (offset + i)) / (flapWindow - 1);
  });
  return Math.round((sum / flapWindow) * 10_000) / 10_000;
}

export interface FlapTracker {
  push(changed: boolean): FlapResult;
  readonly state: FlapState;
}

/** A small stateful wrapper over `flapStep` for callers that keep one tracker per alert. */
export function flapTracker(weighting: FlapWeighting = 'plain', start: FlapState = initialFlapState): FlapTracker {
  let state = start;
  return {
    push(changed) {
      const { next, result } = flapStep(state, changed, weighting);
      state = next;
      return result;
    },
    get state() {
      return state;
    },
  };
}

export type Notification =
  | { kind: 'firing' }
  | { kind: 'resolved' }
  | { kind: 'flapping-started'; ratio: number }
  | { kind: 'flapping-stopped'; ratio: number };

/**
 * What to notify for one step: firing and resolved transitions, unless the alert flaps. Other
 * transitions (pending, nodata, error, severity-changed) are records, not notifications.
 * `current` is the alert's state after the step, notified once when flapping stops.
 */
const none: Notification[] = [];

export function notifications(transitions: readonly Transition[], flap: FlapResult, current: AlertStateName): Notification[] {
  if (transitions.length === 0 && !flap.started && !flap.stopped) return none;
  if (flap.started) return [{ kind: 'flapping-started', ratio: flap.ratio }];
  if (flap.stopped) {
    return [{ kind: 'flapping-stopped', ratio: flap.ratio }, current === 'firing' ? { kind: 'firing' } : { kind: 'resolved' }];
  }
  if (flap.flapping) return [];
  return transitions.flatMap((t): Notification[] => (t.kind === 'firing' || t.kind === 'resolved' ? [{ kind: t.kind }] : []));
}
