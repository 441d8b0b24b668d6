// The job scheduler of the monitoring engine: runs async jobs on interval or cron slots, driven
// entirely by the injected Clock (one timer per job, re-armed at each slot).
//
// - Fixed rate: interval slots are `firstAt + k·every`, firstAt being the time the job was
//   armed (start(), or add() after start) plus its stagger offset; cron slots are the cron
//   package's occurrences in the job's zone (plus the offset), strictly after the arming time.
//   Run duration never moves the grid.
// - No overlap: a slot that arrives while the job's previous run is in flight does not start a
//   run; it is counted in `missed`. When that run ends, the job runs once at once (catch-up)
//   with `missed` = the slots skipped and `scheduledAt` = the latest of them, then goes on with
//   its grid.
// - Late timers: a timer that fires at `now` past its slot runs the job once for the latest slot
//   ≤ now (`lagMs = now − that slot`), counts the earlier due slots as missed, and arms the first
//   slot strictly after now. The lag of a run is therefore always measured from the slot it
//   stands for, in both the catch-up and the late case.
// - A run that throws or rejects counts in `failures` and is logged; the schedule goes on.
// - runNow() starts a run at once (scheduledAt = now, no effect on the grid) or, when one is in
//   flight, returns that run's completion. It resolves when the run ends, whether it failed or
//   not (failures go to stats, log and onRun); it rejects only for an unknown id or after stop().
// - remove() cancels the job's timer and pending catch-up; its in-flight run finishes and is
//   still reported. replace() keeps jobs whose id and schedule (cadence and staggerMs) are
//   unchanged, with their grid and counters, and swaps in their new `run`;
//   a changed schedule restarts the grid and counters from now; the list is validated whole
//   before anything changes.
// - stop() is final: timers and catch-ups are cancelled at once, then it waits for in-flight
//   runs, up to `graceMs` on the clock when given (no limit otherwise); past the grace it aborts
//   the remaining runs' signals and resolves. No timer of the scheduler is left on the clock.
// - Paused jobs: a job whose `paused()` answers at a slot lets it pass without a run (counted in
//   `pausedSlots`, not `missed`); the grid goes on, so the first slot after the pause runs.
// - One timer per job. A slot further away than setTimeout allows (a yearly cron) is reached by
//   re-arming: a timer that fires before its slot only arms the next chunk.
import type { Clock } from '../../engine/clock.ts';
import { cadenceOf, sameSchedule, ScheduleError, type ParsedCadence } from './cadence.ts';
import { describe, execute } from './execute.ts';
import { gridFor, type Due } from './grid.ts';
import { newJobState, resetJobState, statsOf, type Flight, type JobState } from './job-state.ts';
import type { JobRun, JobSpec, JobStats, LogLevel, RunReport, SchedulerOptions } from './types.ts';

export type { Cadence, JobPause, JobRun, JobSpec, JobStats, LogLevel, RunReport, SchedulerOptions } from './types.ts';
export { ScheduleError } from './cadence.ts';

type Phase = 'idle' | 'running' | 'stopped';

/** setTimeout's largest delay (about 24.8 days); a longer one would fire at once. */
export const maxTimerMs = 2 ** 31 - 1;

export class Scheduler {
  private readonly jobs = new Map<string, JobState>();
  private readonly flights = new Set<Flight>();
  private phase: Phase = 'idle';

  constructor(
    private readonly clock: Clock,
    private readonly o: SchedulerOptions = {},
  ) {}

  add(job: JobSpec): void {
    if (this.jobs.get(job.id)?.active) throw new ScheduleError(job.id, 'a job with this id is already scheduled');
    this.install(job, cadenceOf(job, this.clock.now()));
  }

  remove(id: string): void {
    const state = this.activeJob(id);
    state.active = false;
    state.pending = undefined;
    this.disarm(state);
    if (state.current === undefined) this.jobs.delete(id);
  }

  replace(jobs: JobSpec[]): void {
    const now = this.clock.now();
    const seen = new Set<string>();
    const cadences = jobs.map((job) => {
      if (seen.has(job.id)) throw new ScheduleError(job.id, 'the id appears twice in the new job list');
      seen.add(job.id);
      return cadenceOf(job, now);
    });
    for (const [id, state] of this.jobs) if (state.active && !seen.has(id)) this.remove(id);
    jobs.forEach((job, i) => {
      const state = this.jobs.get(job.id);
      if (state?.active && sameSchedule(state.spec, job)) state.spec = job;
      else this.install(job, cadences[i]!);
    });
  }

  start(): void {
    if (this.phase === 'stopped') throw new Error('scheduler: start() after stop(); create a new Scheduler');
    if (this.phase === 'running') return;
    this.phase = 'running';
    const now = this.clock.now();
    for (const state of this.jobs.values()) if (state.active) this.arm(state, now);
  }

  async runNow(id: string): Promise<void> {
    const state = this.activeJob(id);
    if (this.phase === 'stopped') throw new ScheduleError(id, 'runNow() after stop()');
    if (state.current !== undefined) return state.current.done;
    const now = this.clock.now();
    return this.launch(state, now, 0);
  }

  stats(): JobStats[] {
    const out: JobStats[] = [];
    for (const state of this.jobs.values()) if (state.active) out.push(statsOf(state));
    return out;
  }

  async stop(o: { graceMs?: number } = {}): Promise<void> {
    this.phase = 'stopped';
    for (const state of this.jobs.values()) {
      state.pending = undefined;
      this.disarm(state);
    }
    const flights = [...this.flights];
    if (flights.length === 0) return;
    const all = Promise.all(flights.map((f) => f.done)).then(() => undefined);
    const { graceMs } = o;
    if (graceMs === undefined) return all;
    if (graceMs <= 0) return this.abort(flights, graceMs);
    await new Promise<void>((resolve) => {
      const cancel = this.clock.setTimer(graceMs, () => {
        this.abort(flights, graceMs);
        resolve();
      });
      void all.then(() => {
        cancel();
        resolve();
      });
    });
  }

  private install(job: JobSpec, cadence: ParsedCadence): void {
    const existing = this.jobs.get(job.id);
    if (existing === undefined) {
      const state = newJobState(job, cadence);
      this.jobs.set(job.id, state);
      if (this.phase === 'running') this.arm(state, this.clock.now());
      return;
    }
    this.disarm(existing);
    resetJobState(existing, job, cadence);
    if (this.phase === 'running') this.arm(existing, this.clock.now());
  }

  private activeJob(id: string): JobState {
    const state = this.jobs.get(id);
    if (!state?.active) throw new ScheduleError(id, 'no such job');
    return state;
  }

  private arm(state: JobState, at: number): void {
    try {
      state.grid = gridFor(state.cadence, at, state.offsetMs);
      this.setTimer(state, state.grid.first);
    } catch (e) {
      this.log(`job ${state.spec.id}: no next slot, the job will not run on schedule: ${describe(e)}`, 'error');
    }
  }

  /** Arms the timer for the slot at `at`; a wait past setTimeout's limit is armed in chunks (see onSlot). */
  private setTimer(state: JobState, at: number): void {
    state.nextAt = at;
    state.cancelTimer = this.clock.setTimer(Math.min(at - this.clock.now(), maxTimerMs), () => this.onSlot(state, at));
  }

  private disarm(state: JobState): void {
    state.cancelTimer?.();
    state.cancelTimer = undefined;
    state.nextAt = undefined;
  }

  private onSlot(state: JobState, slot: number): void {
    state.cancelTimer = undefined;
    if (this.phase !== 'running' || !state.active || state.nextAt !== slot || state.grid === undefined) return;
    const now = this.clock.now();
    if (now < slot) return this.setTimer(state, slot);
    let due: Due;
    try {
      due = state.grid.due(slot, now);
      this.setTimer(state, due.next);
    } catch (e) {
      state.nextAt = undefined;
      return this.log(`job ${state.spec.id}: no next slot, the job will not run on schedule: ${describe(e)}`, 'error');
    }
    const counted = due.capped ? ` (at least; counting stopped at ${due.count})` : '';
    if (state.spec.paused?.() !== undefined) {
      state.counters.pausedSlots = (state.counters.pausedSlots ?? 0) + due.count;
      return;
    }
    if (state.current !== undefined) {
      state.counters.missed += due.count;
      state.pending = { count: (state.pending?.count ?? 0) + due.count, slot: due.latest };
      this.log(`job ${state.spec.id}: skipped ${due.count} slot(s)${counted}, the previous run is still in flight`, 'warn');
      return;
    }
    const missed = due.count - 1;
    if (missed > 0) {
      state.counters.missed += missed;
      this.log(`job ${state.spec.id}: timer fired ${now - slot} ms late, skipped ${missed} slot(s)${counted}`, 'warn');
    }
    void this.launch(state, due.latest, missed);
  }

  private launch(state: JobState, scheduledAt: number, missed: number): Promise<void> {
    const startedAt = this.clock.now();
    const lagMs = Math.max(0, startedAt - scheduledAt);
    const counters = state.counters;
    counters.runs++;
    counters.lastStartedAt = startedAt;
    counters.lastLagMs = lagMs;
    counters.maxLagMs = Math.max(counters.maxLagMs, lagMs);
    const controller = new AbortController();
    const run: JobRun = { id: state.spec.id, scheduledAt, startedAt, lagMs, missed, signal: controller.signal };
    let ended!: () => void;
    const flight: Flight = { controller, counters, done: new Promise<void>((resolve) => (ended = resolve)) };
    // In flight before the body starts, so nothing the body does synchronously can start a second run.
    state.current = flight;
    this.flights.add(flight);
    void execute(state.spec, run).then((error) => {
      try {
        this.finish(state, flight, run, error);
      } finally {
        ended();
      }
    });
    return flight.done;
  }

  private finish(state: JobState, flight: Flight, run: JobRun, error: string | undefined): void {
    const durationMs = this.clock.now() - run.startedAt;
    this.flights.delete(flight);
    if (state.current === flight) state.current = undefined;
    flight.counters.lastDurationMs = durationMs;
    if (error !== undefined) {
      flight.counters.failures++;
      const aborted = run.signal.aborted;
      this.log(`job ${run.id}: run failed${aborted ? ' after stop() aborted it' : ''}: ${error}`, aborted ? 'warn' : 'error');
    }
    this.report({ ...run, durationMs, ...(error === undefined ? {} : { error }) });
    this.afterRun(state);
  }

  private afterRun(state: JobState): void {
    if (!state.active) {
      if (state.current === undefined && this.jobs.get(state.spec.id) === state) this.jobs.delete(state.spec.id);
      return;
    }
    const pending = state.pending;
    if (pending === undefined || this.phase !== 'running') return;
    state.pending = undefined;
    if (state.spec.paused?.() !== undefined) return;
    void this.launch(state, pending.slot, pending.count);
  }

  private abort(flights: Flight[], graceMs: number): void {
    const reason = new Error(`scheduler stopped; runs still in flight after ${graceMs} ms were aborted`);
    for (const flight of flights) {
      if (this.flights.has(flight)) flight.controller.abort(reason);
    }
  }

  private report(r: RunReport): void {
    try {
      this.o.onRun?.(r);
    } catch (e) {
      this.log(`job ${r.id}: onRun threw: ${describe(e)}`, 'error');
    }
  }

  private log(line: string, level: LogLevel): void {
    try {
      this.o.log?.(line, level);
    } catch {
      // A failing logger must not take the schedule down with it.
    }
  }
}
