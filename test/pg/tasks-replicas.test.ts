// Two `serve` replicas on one queue: two PgTaskQueue instances, each with its own connections, on
// one database. Workers claim through either, concurrently; a lost lease is swept by either; a long
// poll on one wakes when the other submits; a change or a report made through one reaches
// listeners and a waiting step on the other.
import { performance } from 'node:perf_hooks';
import * as assert from 'uvu/assert';
import { systemClock, VirtualClock, type Clock } from '../../src/engine/clock.ts';
import type { StepContext } from '../../src/engine/step.ts';
import { openDb, type Db } from '../../src/pg/db.ts';
import { migrate } from '../../src/pg/migrate.ts';
import { PgTaskQueue } from '../../src/pg/tasks.ts';
import { ServeTaskHub } from '../../src/serve/workers.ts';
import type { ExecutionStore } from '../../src/store/types.ts';
import { TaskError } from '../../src/tasks/errors.ts';
import { capable, priorityRank, type Priority, type Task } from '../../src/tasks/model.ts';
import type { Protection } from '../../src/tasks/journal.ts';
import type { QueueChange, TaskFollowed } from '../../src/tasks/queue.ts';
import { registry } from '../../src/wiring/registry.ts';
import { t0, test } from '../tasks/helpers.ts';
import { freshDatabase } from './cluster.ts';

const opened: Array<{ close(): Promise<void> }> = [];
test.after(async () => { for (const x of opened.reverse()) await x.close(); });

/** Two replicas on a fresh database: each its own pool and its own queue. */
async function replicas(clock: Clock, o: { leaseMs?: number; pollMs?: number; keepEnded?: number; protection?: Protection } = {}) {
  const url = await freshDatabase('replicas');
  const da: Db = await openDb(url);
  const db: Db = await openDb(url);
  opened.push(da, db);
  await migrate(da);
  const [a, b] = [await PgTaskQueue.open(da, { clock, agingMs: 3_600_000, ...o }), await PgTaskQueue.open(db, { clock, agingMs: 3_600_000, ...o })];
  opened.push(a, b);
  return { a, b, db: da };
}

const wf = { kind: 'workflow', workflow: 'job' } as const;

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; } catch (e) { assert.instance(e, TaskError); return (e as TaskError).code; }
  return undefined;
}

async function until<T>(what: string, fn: () => T | undefined, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('200 tasks of three priorities claimed by 4 workers through both replicas at once: each once, by priority per worker, only by capable workers', async () => {
  const { a, b } = await replicas(systemClock);
  const priorities: Priority[] = ['low', 'normal', 'high'];
  const needs = [[], ['linux'], ['gpu'], ['linux', 'gpu']];
  const submitted: Task[] = [];
  for (let i = 0; i < 200; i++) submitted.push(await (i % 2 ? a : b).submit({ type: 'job', priority: priorities[i % 3]!, capabilities: needs[i % 4]!, work: wf }));
  const fleet = [['linux'], ['gpu'], ['linux', 'gpu'], ['linux', 'gpu', 'docker']];
  const workers = await Promise.all(fleet.map((caps, i) => (i % 2 ? a : b).register({ name: `w${i}`, capabilities: caps })));
  const claimed = new Map<string, Task[]>(workers.map((w) => [w.id, []]));
  await Promise.all(workers.map(async (w, i) => {
    for (let n = 0; ; n++) {
      const via = (i + n) % 2 ? a : b;
      const t = await via.claim(w.id);
      if (!t) return;
      claimed.get(w.id)!.push(t);
      await ((i + n) % 2 ? b : a).complete(t.id, w.id, t.claim!, { status: 'succeeded' });
    }
  }));
  const all = [...claimed.values()].flat();
  assert.is(all.length, 200, 'every task claimed');
  assert.is(new Set(all.map((t) => t.id)).size, 200, 'none twice');
  for (const w of workers) {
    const mine = claimed.get(w.id)!;
    for (const t of mine) assert.ok(capable(w.capabilities, t.capabilities), `${w.name} took a task needing ${t.capabilities}`);
    const ranks = mine.map((t) => priorityRank(t.priority));
    assert.equal(ranks, [...ranks].sort((x, y) => y - x), `${w.name} claimed in priority order`);
  }
  const stats = await a.stats();
  assert.is(stats.completedTasks, 200);
  assert.is(stats.pendingTasks, 0);
  assert.equal((await b.workers()).map((w) => w.completed).reduce((x, y) => x + y, 0), 200);
});

test('a worker that stops heartbeating: its task goes back after the lease, another claims it, and the late complete is E_STALE_CLAIM', async () => {
  const clock = new VirtualClock(t0);
  const leaseMs = 10_000;
  const { a, b } = await replicas(clock, { leaseMs });
  const t = await a.submit({ type: 'job', work: wf, maxAttempts: 3 });
  const silent = await a.register({ name: 'silent', capabilities: [] });
  const steady = await b.register({ name: 'steady', capabilities: [] });
  const first = (await a.claim(silent.id))!;
  assert.is(first.id, t.id);
  await a.progress(t.id, silent.id, first.claim!, ['started']);
  for (let s = 1; s <= 4; s++) {
    await clock.advance(leaseMs / 4);
    await b.heartbeat(steady.id);
    // Both replicas sweep at once: the task goes back once.
    await Promise.all([a.tick(), b.tick()]);
  }
  const back = (await b.get(t.id))!;
  assert.is(back.state, 'pending');
  assert.is(back.attempts, 1);
  assert.is(back.history.filter((h) => /lease of silent ran out/.test(h.message ?? '')).length, 1, 'requeued once');
  assert.is((await a.findWorker(silent.id))?.state, 'offline');
  const second = (await b.claim(steady.id))!;
  assert.is(second.id, t.id);
  assert.is(second.attempts, 2);
  assert.is(await code(a.complete(t.id, silent.id, first.claim!, { status: 'succeeded' })), 'E_STALE_CLAIM');
  assert.is(await code(b.progress(t.id, silent.id, first.claim!, ['late'])), 'E_STALE_CLAIM');
  assert.is((await a.complete(t.id, steady.id, second.claim!, { status: 'succeeded', outputs: { ok: 'yes' } })).state, 'succeeded');
  assert.equal((await b.get(t.id))?.result, { outputs: { ok: 'yes' } });
});

test('one name online once: two replicas registering it at once, one is refused', async () => {
  const { a, b } = await replicas(systemClock);
  const results = await Promise.allSettled([a.register({ name: 'twin', capabilities: [] }), b.register({ name: 'twin', capabilities: [] })]);
  assert.equal(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.is((refused.reason as TaskError).code, 'E_WORKER_NAME_TAKEN');
  assert.is((await a.workers()).length, 1);
});

test('a long poll on one replica wakes within 200 ms when the other submits (its fallback poll is 10 s)', async () => {
  const { a, b } = await replicas(systemClock, { pollMs: 10_000 });
  const w = await a.register({ name: 'w', capabilities: ['deploy'] });
  const waiting = a.waitClaim(w.id, 20_000);
  await new Promise((r) => setTimeout(r, 100));
  const start = performance.now();
  const t = await b.submit({ type: 'job', capabilities: ['deploy'], work: wf });
  const got = await waiting;
  const ms = performance.now() - start;
  assert.is(got?.id, t.id);
  assert.ok(ms < 200, `woke after ${Math.round(ms)} ms`);
});

test('changes and progress reported through one replica reach listeners and followers on the other, in order', async () => {
  const { a, b } = await replicas(systemClock);
  const changes: string[] = [];
  a.on((e: QueueChange) => changes.push(e.type === 'task' ? `task ${e.task.state}` : `worker ${e.worker.name} ${e.worker.state}`));
  const w = await b.register({ name: 'far', capabilities: [] });
  const t = await b.submit({ type: 'job', work: wf });
  const followed: TaskFollowed[] = [];
  a.follow(t.id, (e) => followed.push(e));
  const c = (await b.claim(w.id))!;
  const big = 'x'.repeat(9_000);
  await b.progress(t.id, w.id, c.claim!, [{ kind: 'log', message: 'one' }]);
  await b.progress(t.id, w.id, c.claim!, [{ kind: 'log', message: big }]);
  await b.progress(t.id, w.id, c.claim!, [{ kind: 'output', name: 'v', value: '2' }]);
  await b.complete(t.id, w.id, c.claim!, { status: 'succeeded' });
  await until('the end told on the other replica', () => followed.find((e) => e.type === 'task' && e.task.state === 'succeeded'));
  const seen = followed.map((e) => (e.type === 'task' ? `task ${e.task.state}` : `progress ${JSON.stringify(e.events).slice(0, 60)}`));
  assert.equal(seen.filter((x) => x.startsWith('progress')), [
    'progress [{"kind":"log","message":"one"}]',
    `progress ${JSON.stringify([{ kind: 'log', message: big }]).slice(0, 60)}`,
    'progress [{"kind":"output","name":"v","value":"2"}]',
  ], 'a report too large for a notification is read from its row');
  assert.is(seen.at(-1), 'task succeeded', 'the end after every report');
  assert.ok(seen.indexOf('task succeeded') > seen.lastIndexOf('progress [{"kind":"output","name":"v","value":"2"}]'));
  await until('the changes told to listeners', () => (changes.includes('task succeeded') ? true : undefined));
  assert.ok(changes.includes('worker far idle'), changes.join(', '));
  assert.equal(changes.filter((x) => x.startsWith('task')).at(-1), 'task succeeded');
});

test('a step whose run waits on one replica gets the log lines and outputs its worker reported to the other', async () => {
  const { a, b } = await replicas(systemClock);
  const edges = { store: {} as ExecutionStore, registry, find: () => Promise.reject(new Error('no workflows here')), log: () => {} };
  const hubA = new ServeTaskHub({ queue: a, ...edges });
  const hubB = new ServeTaskHub({ queue: b, ...edges });
  const logs: string[] = [];
  const outputs: Record<string, string> = {};
  const ac = new AbortController();
  const ctx = {
    executionId: 'ex-1', workflow: { id: 'release', name: 'release' }, stepId: 'build', inputs: { run: 'make' }, env: {}, workspace: '.',
    signal: ac.signal, attempt: 1, log: (m: string) => logs.push(m), setOutput: (k: string, v: string) => { outputs[k] = v; }, addArtifact: () => {},
  } as unknown as StepContext<unknown>;
  const step = hubA.edge().run({ id: 'build', name: 'build', uses: 'run', runsOn: ['linux'], env: { A: '1' } }, ctx);
  const w = await b.register({ name: 'builder', capabilities: ['linux'] });
  const t = (await hubB.claim(w.id, 5_000))!;
  assert.equal([t.type, t.work.kind, t.capabilities], ['step', 'step', ['linux']]);
  await hubB.progress(t.id, w.id, t.claim!, [{ kind: 'log', at: Date.now(), level: 'info', message: 'compiling' }, { kind: 'output', name: 'image', value: 'app:1' }]);
  await hubB.complete(t.id, w.id, t.claim!, { status: 'succeeded', outputs: { digest: 'sha256:1' } });
  await step;
  assert.ok(logs.some((l) => /^sent to a worker with linux as task /.test(l)), logs.join('\n'));
  assert.ok(logs.includes('worker builder took it (attempt 1 of 3)'), logs.join('\n'));
  assert.ok(logs.includes('compiling'), logs.join('\n'));
  assert.equal(outputs, { image: 'app:1', digest: 'sha256:1' });
});

test('the tick forgets ended tasks past keepEnded (the newest stay, unfinished ones always) and old progress', async () => {
  const clock = new VirtualClock(t0);
  const { a, b, db } = await replicas(clock, { keepEnded: 2 });
  const progressRows = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM task_events'))[0]!.n);
  const w = await a.register({ name: 'w', capabilities: [] });
  const ended: string[] = [];
  for (let i = 0; i < 4; i++) {
    const t = await a.submit({ type: 'job', work: wf });
    const c = (await a.claim(w.id))!;
    await a.progress(t.id, w.id, c.claim!, [`line ${i}`]);
    await clock.advance(1);
    await a.complete(t.id, w.id, c.claim!, { status: 'succeeded' });
    ended.push(t.id);
  }
  const pending = await b.submit({ type: 'job', work: wf });
  await Promise.all([a.tick(), b.tick()]);
  assert.equal(await Promise.all(ended.map(async (id) => (await b.get(id))?.state)), [undefined, undefined, 'succeeded', 'succeeded']);
  assert.is((await a.get(pending.id))?.state, 'pending');
  assert.is(await progressRows(), 4);
  await clock.advance(2 * 3_600_000);
  await a.tick();
  assert.is(await progressRows(), 0, 'progress is kept an hour, to reach the replica that waits for it');
  assert.is((await a.get(pending.id))?.state, 'pending');
});

test('with a protection, tasks are kept masked in the database and read back whole: the claim answer carries the secret', async () => {
  const secret = 'hunter2-the-real-one';
  const env: Record<string, string> = { DEPLOY_TOKEN: secret };
  // As serve's: the secret masked wherever it is, and what rebuilds the data from the environment.
  const protection: Protection = {
    protect: (t) => {
      const masked = JSON.parse(JSON.stringify(t).split(secret).join('***')) as Task;
      return t.data.token === secret ? { task: masked, sealed: { token: 'DEPLOY_TOKEN' } } : { task: masked };
    },
    restore: (t, sealed) => ({ ...t, data: { ...t.data, token: env[(sealed as { token: string }).token] } }),
  };
  const { a, b, db } = await replicas(systemClock, { protection });
  const t = await a.submit({ type: 'job', data: { token: secret, day: 'monday' }, work: wf });
  const [row] = await db.query<{ doc: unknown }>('SELECT doc FROM tasks WHERE id = $1', [t.id]);
  assert.not.match(JSON.stringify(row!.doc), secret, 'no secret in the database');
  assert.equal((await b.get(t.id))?.data, { token: secret, day: 'monday' });
  const w = await b.register({ name: 'w', capabilities: [] });
  const claimed = (await b.claim(w.id))!;
  assert.is(claimed.data.token, secret, 'the worker gets the real value');
  await b.complete(t.id, w.id, claimed.claim!, { status: 'succeeded' });
  const [after] = await db.query<{ doc: unknown }>('SELECT doc FROM tasks WHERE id = $1', [t.id]);
  assert.not.match(JSON.stringify(after!.doc), secret);
});

test.run();
