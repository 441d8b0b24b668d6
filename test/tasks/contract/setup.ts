// What the queue contract's tests share: a suite per implementation, a queue on a virtual clock for
// each test (closed after it), and small helpers. An implementation is given as `make`, which
// answers an empty queue; the same tests then run on the board (in memory) and on PostgreSQL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../../src/engine/clock.ts';
import { TaskError, type TaskErrorCode } from '../../../src/tasks/errors.ts';
import type { StepWork, Task, TaskWork } from '../../../src/tasks/model.ts';
import type { NewTask, QueueChange, Registration, TaskQueue } from '../../../src/tasks/queue.ts';
import { leaseMs, t0 } from '../helpers.ts';

export { leaseMs, minute, second, t0 } from '../helpers.ts';
export const agingMs = 10 * 60_000;

export interface Subject { queue: TaskQueue; close(): Promise<void> }
export interface MakeOptions { clock: VirtualClock; leaseMs: number; agingMs: number; forgetWorkersAfterMs?: number }
/** An empty queue on `clock`. */
export type Make = (o: MakeOptions) => Promise<Subject>;

export interface Contract {
  test(name: string, fn: () => Promise<void>): void;
  setup(o?: Partial<Omit<MakeOptions, 'clock'>>): Promise<Fixture>;
}

export interface Fixture {
  clock: VirtualClock;
  queue: TaskQueue;
  /** Every change told to a listener since the queue was made. */
  events: QueueChange[];
  submit(t?: Partial<NewTask>): Promise<Task>;
  worker(name: string, capabilities?: string[], more?: Partial<Registration>): Promise<Awaited<ReturnType<TaskQueue['register']>>>;
  /** Moves the clock to `ms` after t0. */
  at(ms: number): Promise<void>;
}

export function contractSuite(name: string, make: Make): Contract & { run(): void } {
  const s = suite(name);
  const open: Subject[] = [];
  s.after.each(async () => { for (const x of open.splice(0)) await x.close(); });
  return {
    // uvu's reporter reads an error's `details` as a string, and TaskError's is an object: a
    // TaskError escaping a test would stop the whole file, so it is thrown on as a plain Error.
    test: (title, fn) => s(title, async () => {
      try { await fn(); } catch (e) {
        if (e instanceof TaskError) throw new Error(`unexpected ${e.code}: ${e.message}`);
        throw e;
      }
    }),
    async setup(o = {}) {
      const clock = new VirtualClock(t0);
      const subject = await make({ clock, leaseMs, agingMs, ...o });
      open.push(subject);
      const { queue } = subject;
      const events: QueueChange[] = [];
      queue.on((e) => events.push(e));
      let n = 0;
      return {
        clock, queue, events,
        submit: (t = {}) => queue.submit({ type: 'build', work: wf(`wf-${++n}`), ...t }),
        worker: (workerName, capabilities = [], more = {}) => queue.register({ name: workerName, capabilities, ...more }),
        at: (ms) => clock.advance(t0 + ms - clock.now()),
      };
    },
    run: () => s.run(),
  };
}

export const wf = (workflow = 'wf'): TaskWork => ({ kind: 'workflow', workflow });
export const stepWork = (execution = 'ex-1', id = 'build'): StepWork => ({
  kind: 'step', execution, workflow: 'wf',
  step: { id, name: id, uses: 'run', inputs: { run: 'make' }, env: {}, attempt: 1 },
});

/** The TaskError a call fails with. */
export async function error(p: Promise<unknown>): Promise<TaskError | undefined> {
  try { await p; } catch (e) {
    assert.instance(e, TaskError);
    return e as TaskError;
  }
  return undefined;
}

export async function code(p: Promise<unknown>): Promise<TaskErrorCode | undefined> {
  return (await error(p))?.code;
}

export async function claimAll(queue: TaskQueue, workerId: string): Promise<Task[]> {
  const out: Task[] = [];
  for (let t = await queue.claim(workerId); t; t = await queue.claim(workerId)) out.push(t);
  return out;
}

/** A promise that must settle within `ms` of real time: a wakeup that never comes fails the test instead of hanging it. */
export function within<T>(p: Promise<T>, ms = 5_000, what = 'the long poll'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms); }),
  ]);
}
