// The task queue port under 4 workers, the same workload on either implementation: the embedded
// board (`BoardQueue` over a `TaskBoard` journalled to a file) in one process, and PostgreSQL
// (`PgTaskQueue`) as two replicas in this process, each with its own connection pool and LISTEN
// connection on one database, two workers on each. And the long poll: how soon a waiting claim on
// one replica gets a task submitted on the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/engine/clock.ts';
import { openDb, type Db } from '../src/pg/db.ts';
import { migrate } from '../src/pg/migrate.ts';
import { PgTaskQueue } from '../src/pg/tasks.ts';
import { BoardQueue } from '../src/tasks/board-queue.ts';
import { TaskBoard } from '../src/tasks/board.ts';
import { FileJournal } from '../src/tasks/journal.ts';
import { priorities } from '../src/tasks/model.ts';
import type { NewTask, TaskQueue } from '../src/tasks/queue.ts';
import { freshDatabase, sleep, type Cluster } from './postgres-replicas.ts';
import { collectGarbage, prng } from './stats.ts';

export const WORKERS = 4;
/** Capability sets of the tasks; every one is a subset of some worker's (the last worker has all). As in the `tasks` module. */
export const taskCaps: string[][] = [[], ['linux'], ['linux', 'docker'], ['gpu'], ['linux', 'gpu'], ['docker', 'gpu']];
export const workerCaps: string[][] = [['linux', 'docker'], ['linux', 'gpu'], ['linux'], ['docker', 'gpu', 'linux']];

const turn = () => new Promise<void>((r) => setImmediate(r));

export function newTasks(n: number, seed: number): NewTask[] {
  const r = prng(seed);
  return Array.from({ length: n }, (_, i) => ({
    type: 'job', priority: priorities[Math.floor(r() * priorities.length)]!, data: { n: i },
    capabilities: taskCaps[Math.floor(r() * taskCaps.length)]!, work: { kind: 'workflow', workflow: 'job' },
  }));
}

/** The queue(s) one run uses: one for the embedded store, two replicas for PostgreSQL. */
export interface Opened { queues: TaskQueue[]; flush(): Promise<void>; close(): Promise<void> }

export async function openEmbedded(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-bench-pg-embedded-'));
  const { journal } = await FileJournal.open(join(dir, 'tasks.jsonl'));
  const queue = new BoardQueue(new TaskBoard({ clock: systemClock }, journal));
  return {
    queues: [queue],
    flush: () => journal.flush(),
    async close() { await queue.close(); await journal.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Two `PgTaskQueue`s on a new database, each on its own pool, as two replicas would be. */
export async function openReplicas(cluster: Cluster, prefix: string): Promise<Opened> {
  const url = await freshDatabase(cluster, prefix);
  const dbs: Db[] = [];
  const queues: PgTaskQueue[] = [];
  try {
    for (const name of ['bench-a', 'bench-b']) dbs.push(await openDb(url, { applicationName: name }));
    await migrate(dbs[0]!);
    for (const db of dbs) queues.push(await PgTaskQueue.open(db, { clock: systemClock }));
  } catch (e) {
    for (const q of queues) await q.close();
    for (const db of dbs) await db.close();
    throw e;
  }
  return {
    queues,
    // Every change was committed before its call answered.
    flush: async () => undefined,
    async close() {
      for (const q of queues) await q.close();
      for (const db of dbs) await db.close();
    },
  };
}

export interface DrainRun {
  n: number; submitMs: number; runMs: number;
  /** Each call, ms. */
  claims: number[]; progress: number[]; completes: number[];
  /** CPU over the run ÷ its wall time (1 is one core busy): this process's, and the database server's when there is one. */
  cpu: number; serverCpu?: number;
}

/**
 * Submits the tasks from 4 loops (spread over the replicas), registers the 4 workers (worker i on
 * replica i mod replicas), then each worker claims → reports progress once → completes until
 * nothing is left it may take. The run's wall time ends once the last write is durable as far as
 * the store goes (the journal flushed; a commit for PostgreSQL).
 */
export async function drain(o: Opened, input: readonly NewTask[], serverCpuMs?: () => number): Promise<DrainRun> {
  const { queues } = o;
  const on = (i: number) => queues[i % queues.length]!;
  collectGarbage();
  let t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: WORKERS }, async (_, loop) => {
    while (next < input.length) await on(loop).submit(input[next++]!);
  }));
  await o.flush();
  const submitMs = performance.now() - t;
  const ids = await Promise.all(workerCaps.map(async (capabilities, i) => (await on(i).register({ name: `w${i}`, capabilities })).id));
  collectGarbage();
  const claims: number[] = [], progress: number[] = [], completes: number[] = [];
  let done = 0;
  const cpu0 = process.cpuUsage(), server0 = serverCpuMs?.();
  t = performance.now();
  await Promise.all(ids.map(async (id, i) => {
    const q = on(i);
    for (;;) {
      const c0 = performance.now();
      const task = await q.claim(id);
      if (!task) return; // everything was submitted up front: nothing left this worker may take
      const c1 = performance.now();
      claims.push(c1 - c0);
      await q.progress(task.id, id, task.claim!, []);
      const c2 = performance.now();
      progress.push(c2 - c1);
      await q.complete(task.id, id, task.claim!, { status: 'succeeded' });
      completes.push(performance.now() - c2);
      done++;
      // One turn of the event loop per task, so the journal's writes go out between tasks.
      await turn();
    }
  }));
  await o.flush();
  const runMs = performance.now() - t;
  const used = process.cpuUsage(cpu0);
  const serverCpu = server0 === undefined ? undefined : (serverCpuMs!() - server0) / runMs;
  if (done !== input.length) throw new Error(`${done} of ${input.length} tasks completed`);
  return { n: input.length, submitMs, runMs, claims, progress, completes, cpu: (used.user + used.system) / 1000 / runMs, ...(serverCpu === undefined ? {} : { serverCpu }) };
}

/**
 * The long poll, `tries` times: a worker on the first queue waits in `waitClaim`; once its first
 * try has found nothing, a task is submitted on the last queue (the other replica, or the same
 * board). Each sample is from the call of `submit` to the task in the waiting worker's hands.
 */
export async function wakes(o: Opened, tries: number): Promise<number[]> {
  const a = o.queues[0]!, b = o.queues.at(-1)!;
  const { id } = await a.register({ name: 'waiter', capabilities: [] });
  const out: number[] = [];
  for (let i = 0; i < tries; i++) {
    const got = a.waitClaim(id, 10_000).then((task) => ({ task, at: performance.now() }));
    // The wait's first try (a claim that finds nothing) is over well within this.
    await sleep(40);
    const t0 = performance.now();
    await b.submit({ type: 'job', priority: 'normal', capabilities: [], data: { i }, work: { kind: 'workflow', workflow: 'job' } });
    const { task, at } = await got;
    if (!task) throw new Error('the long poll ended without a task');
    out.push(at - t0);
    await a.progress(task.id, id, task.claim!, []);
    await a.complete(task.id, id, task.claim!, { status: 'succeeded' });
    await sleep(10);
  }
  return out;
}
