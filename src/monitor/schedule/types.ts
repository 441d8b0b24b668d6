// The shapes a scheduler user sees: the job they hand in, what each run is told, what a run
// report carries, and the per-job statistics. Times are ms since the epoch on the injected clock.

export interface JobRun {
  id: string;
  /** The slot this run stands for (the latest due slot when several were due). */
  scheduledAt: number;
  startedAt: number;
  /** startedAt - scheduledAt. */
  lagMs: number;
  /** Slots skipped before this run (overlap or a late timer). */
  missed: number;
  /** Aborted when `stop()` gives up waiting for the run. */
  signal: AbortSignal;
}

/**
 * When a job runs: at a fixed rate, `every` ms (at least 1), or at the occurrences of a cron
 * expression (5 fields, or 6 with seconds first, or an @shortcut) read in the IANA `timeZone`
 * (UTC by default).
 */
export type Cadence = { every: number } | { cron: string; timeZone?: string };

export interface JobSpec {
  id: string;
  cadence: Cadence;
  /** Shifts the job's slots by a deterministic offset in [0, staggerMs) taken from a hash of the id. */
  staggerMs?: number;
  run: (r: JobRun) => Promise<void>;
  /** Asked at each slot: a job paused (by a person, see monitor/controls) lets the slot pass without a run. */
  paused?: () => JobPause | undefined;
}

/** Why a job does not run: who paused it, when, why, and until when (ms since the epoch) if it ends by itself. */
export interface JobPause { by: string; at: number; reason: string; until?: number }

export interface JobStats {
  id: string;
  /** Runs started. */
  runs: number;
  /** Runs that threw or rejected (including runs that rejected after `stop()` aborted them). */
  failures: number;
  /** Slots that did not get a run of their own. */
  missed: number;
  lastLagMs?: number;
  maxLagMs: number;
  running: boolean;
  nextAt?: number;
  lastStartedAt?: number;
  lastDurationMs?: number;
  /** Present while the job is paused. */
  paused?: JobPause;
  /** Slots that passed without a run because the job was paused. */
  pausedSlots?: number;
}

export type LogLevel = 'info' | 'warn' | 'error';

export type RunReport = JobRun & { durationMs: number; error?: string };

export interface SchedulerOptions {
  log?: (line: string, level: LogLevel) => void;
  onRun?: (r: RunReport) => void;
}
