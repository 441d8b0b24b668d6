// Validation of a job spec into its cadence: exactly one of `everyMs` (a number ≥ 1) and `cron`
// (checked for syntax, then parsed by the `cron` package in its time zone, which must also find
// a next occurrence). Every error names the job and, for cron, the expression and zone.
import { CronTime } from 'cron';
import { cronProblem } from '../../documents/rules/cron-syntax.ts';
import type { JobSpec } from './types.ts';
import { PluginopsError } from '../../errors/base.ts';

export type Cadence =
  | { kind: 'every'; everyMs: number }
  | { kind: 'cron'; expression: string; timeZone: string; time: CronTime };

export class ScheduleError extends PluginopsError {
  readonly code = 'E_SCHEDULE';
  readonly kind = 'internal';
  override name = 'ScheduleError';
  constructor(
    readonly jobId: string,
    message: string,
  ) {
    super(`job ${JSON.stringify(jobId)}: ${message}`);
  }
}

export function cadenceOf(job: JobSpec, now: number): Cadence {
  if (typeof job.id !== 'string' || job.id === '') throw new ScheduleError(String(job.id), 'the id must be a non-empty string');
  if (typeof job.run !== 'function') throw new ScheduleError(job.id, 'run must be a function');
  if (job.staggerMs !== undefined && !(Number.isFinite(job.staggerMs) && job.staggerMs >= 0)) {
    throw new ScheduleError(job.id, `staggerMs must be a number ≥ 0, found ${job.staggerMs}`);
  }
  const hasEvery = job.everyMs !== undefined;
  const hasCron = job.cron !== undefined;
  if (hasEvery === hasCron) throw new ScheduleError(job.id, `give exactly one of everyMs or cron, found ${hasEvery ? 'both' : 'neither'}`);
  if (hasEvery) return everyCadence(job);
  return cronCadence(job, now);
}

/** True when both specs put their slots at the same times. */
export function sameSchedule(a: JobSpec, b: JobSpec): boolean {
  return a.everyMs === b.everyMs && a.cron === b.cron && (a.timeZone ?? 'UTC') === (b.timeZone ?? 'UTC') && (a.staggerMs ?? 0) === (b.staggerMs ?? 0);
}

function everyCadence(job: JobSpec): Cadence {
  const everyMs = job.everyMs;
  if (typeof everyMs !== 'number' || !Number.isFinite(everyMs) || everyMs < 1) {
    throw new ScheduleError(job.id, `everyMs must be a number ≥ 1, found ${String(everyMs)}`);
  }
  if (job.timeZone !== undefined) throw new ScheduleError(job.id, `timeZone ${JSON.stringify(job.timeZone)} only applies to a cron schedule, found everyMs`);
  return { kind: 'every', everyMs };
}

function cronCadence(job: JobSpec, now: number): Cadence {
  const expression = String(job.cron);
  const timeZone = job.timeZone ?? 'UTC';
  const fail = (why: string): never => {
    throw new ScheduleError(job.id, `cron ${JSON.stringify(expression)} in ${timeZone}: ${why}`);
  };
  const problem = cronProblem(expression);
  if (problem !== undefined) fail(problem);
  try {
    const time = new CronTime(expression, timeZone);
    time.getNextDateFrom(new Date(now), timeZone);
    return { kind: 'cron', expression, timeZone, time };
  } catch (e) {
    return fail(firstLine(e));
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}
