// Validation of a job spec's cadence: exactly one of `every` (a number ≥ 1) and `cron` (checked
// for syntax, then parsed by the `cron` package in its time zone, which must also find a next
// occurrence). Every error names the job and, for cron, the expression and zone.
import { CronTime } from 'cron';
import { cronProblem } from '../../documents/rules/cron-syntax.ts';
import type { Cadence, JobSpec } from './types.ts';
import { PluginopsError } from '../../errors/base.ts';

/** A cadence checked and ready to place slots: a cron one carries its parsed time and zone. */
export type ParsedCadence =
  | { every: number }
  | { cron: string; timeZone: string; time: CronTime };

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

export function cadenceOf(job: JobSpec, now: number): ParsedCadence {
  if (typeof job.id !== 'string' || job.id === '') throw new ScheduleError(String(job.id), 'the id must be a non-empty string');
  if (typeof job.run !== 'function') throw new ScheduleError(job.id, 'run must be a function');
  if (job.staggerMs !== undefined && !(Number.isFinite(job.staggerMs) && job.staggerMs >= 0)) {
    throw new ScheduleError(job.id, `staggerMs must be a number ≥ 0, found ${job.staggerMs}`);
  }
  const cadence: unknown = job.cadence;
  if (typeof cadence !== 'object' || cadence === null) throw new ScheduleError(job.id, `cadence must be { every } or { cron }, found ${String(cadence)}`);
  const hasEvery = 'every' in cadence;
  if (hasEvery === 'cron' in cadence) throw new ScheduleError(job.id, `give a cadence of exactly one of every or cron, found ${hasEvery ? 'both' : 'neither'}`);
  return 'every' in job.cadence ? everyCadence(job.id, job.cadence) : cronCadence(job.id, job.cadence, now);
}

/** True when both cadences (and staggers) put their slots at the same times. */
export function sameSchedule(a: JobSpec, b: JobSpec): boolean {
  return slotsKey(a.cadence) === slotsKey(b.cadence) && (a.staggerMs ?? 0) === (b.staggerMs ?? 0);
}

const slotsKey = (c: Cadence): string => ('every' in c ? `every ${c.every}` : `cron ${c.cron} in ${c.timeZone ?? 'UTC'}`);

function everyCadence(id: string, cadence: { every: number }): ParsedCadence {
  const { every } = cadence;
  if (typeof every !== 'number' || !Number.isFinite(every) || every < 1) {
    throw new ScheduleError(id, `every must be a number ≥ 1, found ${String(every)}`);
  }
  if ('timeZone' in cadence) throw new ScheduleError(id, `timeZone ${JSON.stringify(cadence.timeZone)} only applies to a cron schedule, found every`);
  return { every };
}

function cronCadence(id: string, cadence: { cron: string; timeZone?: string }, now: number): ParsedCadence {
  const expression = String(cadence.cron);
  const timeZone = cadence.timeZone ?? 'UTC';
  const fail = (why: string): never => {
    throw new ScheduleError(id, `cron ${JSON.stringify(expression)} in ${timeZone}: ${why}`);
  };
  const problem = cronProblem(expression);
  if (problem !== undefined) fail(problem);
  try {
    const time = new CronTime(expression, timeZone);
    time.getNextDateFrom(new Date(now), timeZone);
    return { cron: expression, timeZone, time };
  } catch (e) {
    return fail(firstLine(e));
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}
