// What the queue shows and tells: stats, lists, history, snapshots, and the changes and progress
// told to listeners and followers.
import * as assert from 'uvu/assert';
import type { Task } from '../../../src/tasks/model.ts';
import { leaseMs, t0, wf, within, minute, type Contract } from './setup.ts';

export function views({ test, setup }: Contract): void {
  test('stats: numbers of tasks and workers', async () => {
    const { queue, submit, worker, at } = await setup();
    assert.equal(await queue.stats(), {
      workers: { total: 0, idle: 0, busy: 0, draining: 0, offline: 0 },
      activeTasks: 0, pendingTasks: 0, unroutableTasks: 0, completedTasks: 0, failedTasks: 0, successRate: 1,
      byState: { pending: 0, claimed: 0, running: 0, succeeded: 0, failed: 0, 'dead-lettered': 0, cancelled: 0 },
      queueDepth: { low: 0, normal: 0, high: 0, critical: 0 },
    });
    const ending = await worker('ending', [], { concurrency: 10 });
    // Three succeed, one fails, one is cancelled; one dead-letters (lease lost on its only attempt).
    for (const status of ['succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled'] as const) {
      const t = await submit({ maxAttempts: 1 });
      const c = (await queue.claim(ending.id))!;
      assert.is(c.id, t.id);
      await queue.complete(t.id, ending.id, c.claim!, { status });
    }
    const lost = await submit({ maxAttempts: 1 });
    const gone = await worker('gone');
    await queue.claim(gone.id);
    await at(leaseMs);
    await queue.heartbeat(ending.id);
    await queue.tick();
    assert.is((await queue.get(lost.id))?.state, 'dead-lettered');

    const busy = await worker('busy', [], { concurrency: 2 });
    const running = await submit();
    await at(leaseMs + 1);
    const claimed = await submit();
    const r = (await queue.claim(busy.id))!;
    assert.is(r.id, running.id);
    await queue.progress(running.id, busy.id, r.claim!);
    assert.is((await queue.claim(busy.id))?.id, claimed.id);
    const draining = await worker('draining');
    await queue.drain(draining.id);
    const idle = await worker('idle', ['deploy']);
    await submit({ priority: 'low' }); await submit({ priority: 'critical' }); await submit({ priority: 'critical' });
    await submit({ priority: 'high', capabilities: ['gpu'] });

    const s = await queue.stats();
    assert.equal(s.workers, { total: 5, idle: 2, busy: 1, draining: 1, offline: 1 }, 'ending is idle, gone offline');
    assert.is((await queue.findWorker(idle.id))?.state, 'idle');
    assert.is((await queue.findWorker(busy.id))?.state, 'busy');
    assert.is(s.activeTasks, 2);
    assert.is(s.pendingTasks, 4);
    assert.is(s.unroutableTasks, 1);
    assert.is(s.completedTasks, 3);
    assert.is(s.failedTasks, 2, 'failed and dead-lettered');
    assert.is(s.successRate, 3 / 5);
    assert.equal(s.byState, { pending: 4, claimed: 1, running: 1, succeeded: 3, failed: 1, 'dead-lettered': 1, cancelled: 1 });
    assert.equal(s.queueDepth, { low: 1, normal: 0, high: 1, critical: 2 });
  });

  test('list and count: newest first, with filters', async () => {
    const { queue, submit, worker, clock } = await setup();
    const a = await submit({ type: 'build', priority: 'high' }); await clock.advance(1);
    const b = await submit({ type: 'deploy', execution: 'ex-1' }); await clock.advance(1);
    const c = await submit({ type: 'build' }); await clock.advance(1);
    const w = await worker('w');
    const claimed = (await queue.claim(w.id))!;
    assert.is(claimed.id, a.id);
    await queue.complete(a.id, w.id, claimed.claim!, { status: 'succeeded' });
    const d = await submit({ type: 'build', priority: 'low' });
    const ids = (ts: Task[]) => ts.map((t) => t.id);
    assert.equal(ids(await queue.list()), [d.id, c.id, b.id, a.id]);
    assert.equal(ids(await queue.list({ limit: 2 })), [d.id, c.id]);
    assert.is(await queue.count({ limit: 2 }), 4, 'the count is without the limit');
    assert.equal(ids(await queue.list({ state: 'pending' })), [d.id, c.id, b.id]);
    assert.equal(ids(await queue.list({ state: 'active' })), [d.id, c.id, b.id]);
    assert.equal(ids(await queue.list({ state: 'ended' })), [a.id]);
    assert.is(await queue.count({ state: 'ended' }), 1);
    assert.equal(ids(await queue.list({ type: 'build' })), [d.id, c.id, a.id]);
    assert.is(await queue.count({ type: 'build', state: 'pending' }), 2);
    assert.equal(ids(await queue.list({ priority: 'low' })), [d.id]);
    assert.equal(ids(await queue.list({ worker: w.id })), [a.id]);
    assert.equal(ids(await queue.list({ execution: 'ex-1' })), [b.id]);
    await queue.setExecution(c.id, 'ex-2');
    assert.equal(ids(await queue.list({ execution: 'ex-2' })), [c.id]);
    assert.is((await queue.get(c.id))?.execution, 'ex-2');
  });

  test('history: who did what, and at most the last 50 events', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit({ requestedBy: 'alice', maxAttempts: 100 });
    assert.equal(t.history, [{ at: new Date(t0).toISOString(), state: 'pending', message: 'submitted by alice' }]);
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    await queue.progress(t.id, w.id, c.claim!);
    const history = (await queue.get(t.id))!.history;
    assert.equal(history.slice(1).map((h) => [h.state, h.worker]), [['claimed', 'w'], ['running', 'w']]);
    assert.match(history[1]!.message!, /attempt 1 of 100 claimed by w/);
    for (let i = 1; i <= 30; i++) {
      await at(i * leaseMs);
      await queue.tick();
      await queue.register({ id: w.id, name: 'w', capabilities: [] });
      await queue.claim(w.id);
    }
    const last = (await queue.get(t.id))!;
    assert.is(last.history.length, 50);
    assert.is(last.history.at(-1)!.state, 'claimed');
    assert.is(last.attempts, 31);
  });

  test('answers are snapshots: changing what the queue answered changes nothing in it', async () => {
    const { queue, submit, worker } = await setup();
    const t = await submit();
    t.state = 'failed';
    t.history.length = 0;
    const w = await worker('w');
    w.capabilities.push('gpu');
    assert.is((await queue.get(t.id))?.state, 'pending');
    assert.is((await queue.get(t.id))?.history.length, 1);
    assert.equal((await queue.findWorker(w.id))?.capabilities, []);
  });

  test('on: changes of tasks and workers are told in order; a broken listener spoils nothing', async () => {
    const { queue, submit, worker } = await setup();
    const told: string[] = [];
    const off = queue.on((e) => told.push(e.type === 'task' ? `task ${e.task.state}` : `worker ${e.worker.name} ${e.worker.state}`));
    queue.on(() => { throw new Error('a broken listener'); });
    const w = await worker('w');
    const t = await submit();
    const c = (await queue.claim(w.id))!;
    await queue.progress(t.id, w.id, c.claim!, ['line 1']);
    await queue.complete(t.id, w.id, c.claim!, { status: 'succeeded', outputs: { version: '1.2.3' } });
    off();
    await submit();
    assert.equal(told.filter((x) => x.startsWith('task')), ['task pending', 'task claimed', 'task running', 'task succeeded']);
    assert.equal(told.filter((x) => x.startsWith('worker')).slice(0, 2), ['worker w idle', 'worker w busy']);
    assert.not.ok(told.some((x) => x.includes('line 1')), 'progress is for followers');
    assert.equal((await queue.get(t.id))?.result, { outputs: { version: '1.2.3' } });
  });

  test('events: a worker going offline (told once), a lease lost and a deadline passed are told', async () => {
    const { queue, submit, worker, at, events } = await setup();
    const w = await worker('w');
    const t = await submit();
    const late = await submit({ capabilities: ['gpu'], deadline: new Date(t0 + leaseMs).toISOString() });
    await queue.claim(w.id);
    events.length = 0;
    await at(leaseMs);
    await queue.tick();
    const seen = events.map((e) => (e.type === 'task' ? `${e.task.id === t.id ? 't' : 'late'} ${e.task.state}` : `worker ${e.worker.state}`));
    assert.equal(seen, ['worker offline', 't pending', 'late dead-lettered']);
  });

  test('follow: one task\'s changes and its progress, in order, and nothing of other tasks', async () => {
    const { queue, submit, worker } = await setup();
    const w = await worker('w', [], { concurrency: 2 });
    const t = await submit();
    const other = await submit();
    const seen: string[] = [];
    const off = queue.follow(t.id, (e) => seen.push(e.type === 'task' ? `task ${e.task.state}` : `progress ${JSON.stringify(e.events)}`));
    const c = (await queue.claim(w.id))!;
    const c2 = (await queue.claim(w.id))!;
    await queue.progress(t.id, w.id, c.claim!, ['line 1', { type: 'step.started' }]);
    await queue.progress(other.id, w.id, c2.claim!, ['not mine']);
    await queue.progress(t.id, w.id, c.claim!, []);
    await queue.progress(t.id, w.id, c.claim!, ['line 2']);
    await queue.complete(t.id, w.id, c.claim!, { status: 'succeeded' });
    off();
    await queue.complete(other.id, w.id, c2.claim!, { status: 'succeeded' });
    assert.equal(seen, ['task claimed', 'task running', 'progress ["line 1",{"type":"step.started"}]', 'progress ["line 2"]', 'task succeeded']);
  });

  test('follow before submit: a task submitted under a chosen id is followed from its start', async () => {
    const { queue, worker } = await setup();
    const id = 'tk-chosen-0001';
    const seen: string[] = [];
    queue.follow(id, (e) => { if (e.type === 'task') seen.push(e.task.state); });
    const w = await worker('w');
    const waiting = queue.waitClaim(w.id, minute);
    const t = await queue.submit({ id, type: 'x', work: wf() });
    assert.is(t.id, id);
    assert.is((await within(waiting))?.id, id);
    assert.equal(seen, ['pending', 'claimed']);
  });
}
