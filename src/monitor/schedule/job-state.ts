// The scheduler's record of one job: its spec and cadence, its slot grid and armed timer, the
// run in flight, the slots skipped while that run was in flight (they turn into one catch-up
// run), and its counters. A removed job's record lives on while its last run is in flight, so
// a job re-added under the same id still never overlaps that run.
import type { ParsedCadence } from './cadence.ts';
import type { Grid } from './grid.ts';
import { staggerOffset } from './stagger.ts';
import type { JobSpec, JobStats } from './types.ts';

export interface Counters {
  runs: number;
  failures: number;
  missed: number;
  lastLagMs?: number;
  maxLagMs: number;
  lastStartedAt?: number;
  lastDurationMs?: number;
  pausedSlots?: number;
}

export interface Flight {
  controller: AbortController;
  /** The counters the run started under; a schedule change mid-run does not move it to the new ones. */
  counters: Counters;
  done: Promise<void>;
}

export interface JobState {
  spec: JobSpec;
  cadence: ParsedCadence;
  offsetMs: number;
  /** False once removed; the record then only waits for its in-flight run. */
  active: boolean;
  counters: Counters;
  grid?: Grid;
  nextAt?: number;
  cancelTimer?: () => void;
  current?: Flight;
  /** Slots that arrived while a run was in flight: how many, and the latest. */
  pending?: { count: number; slot: number };
}

export function newJobState(spec: JobSpec, cadence: ParsedCadence): JobState {
  return { spec, cadence, offsetMs: staggerOffset(spec.id, spec.staggerMs), active: true, counters: freshCounters() };
}

/** Gives a record a new schedule and fresh counters, keeping only its in-flight run. */
export function resetJobState(state: JobState, spec: JobSpec, cadence: ParsedCadence): void {
  state.spec = spec;
  state.cadence = cadence;
  state.offsetMs = staggerOffset(spec.id, spec.staggerMs);
  state.active = true;
  state.counters = freshCounters();
  state.grid = undefined;
  state.pending = undefined;
}

export function statsOf(state: JobState): JobStats {
  const c = state.counters;
  const paused = state.spec.paused?.();
  return {
    id: state.spec.id,
    runs: c.runs,
    failures: c.failures,
    missed: c.missed,
    ...(c.lastLagMs === undefined ? {} : { lastLagMs: c.lastLagMs }),
    maxLagMs: c.maxLagMs,
    running: state.current !== undefined,
    ...(state.nextAt === undefined ? {} : { nextAt: state.nextAt }),
    ...(c.lastStartedAt === undefined ? {} : { lastStartedAt: c.lastStartedAt }),
    ...(c.lastDurationMs === undefined ? {} : { lastDurationMs: c.lastDurationMs }),
    ...(paused === undefined ? {} : { paused }),
    ...(c.pausedSlots === undefined ? {} : { pausedSlots: c.pausedSlots }),
  };
}

function freshCounters(): Counters {
  return { runs: 0, failures: 0, missed: 0, maxLagMs: 0 };
}
