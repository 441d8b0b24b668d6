// Leases and redelivery, stale claims, failures with backoff, step tasks, cancel, deadlines, retry.
import * as assert from 'uvu/assert';
import { claimAll, code, error, leaseMs, minute, second, stepWork, t0, within, type Contract } from './setup.ts';
import type { Task } from '../../../src/tasks/model.ts';

export function leases({ test, setup }: Contract): void {
  test('lease expiry: the task goes back to the queue with its attempt spent', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit({ maxAttempts: 3 });
    const a = await worker('a');
    const c = (await queue.claim(a.id))!;
    assert.is(c.attempts, 1);
    assert.is(c.leaseUntil, new Date(t0 + leaseMs).toISOString());
    await at(leaseMs - 1);
    await queue.tick();
    assert.is((await queue.get(t.id))?.state, 'claimed');
    await at(leaseMs);
    await queue.tick();
    const back = (await queue.get(t.id))!;
    assert.is(back.state, 'pending');
    assert.is(back.attempts, 1, 'the lost attempt counts');
    assert.is(back.claim, undefined);
    assert.is(back.leaseUntil, undefined);
    assert.is(back.runAt, new Date(t0 + leaseMs).toISOString(), 'no backoff after a lost lease');
    assert.match(back.history.at(-1)!.message!, /lease of a ran out/);
    assert.is((await queue.findWorker(a.id))?.state, 'offline');
    const b = await worker('b');
    const again = (await queue.claim(b.id))!;
    assert.is(again.id, t.id);
    assert.is(again.attempts, 2);
    assert.is(again.worker, b.id);
  });

  test('lease expiry: dead-lettered when its attempts are used up', async () => {
    for (const maxAttempts of [1, 2, 3]) {
      const { queue, submit, worker, at } = await setup();
      const t = await submit({ maxAttempts });
      for (let i = 1; i <= maxAttempts; i++) {
        const w = await worker(`w${i}`);
        assert.is((await queue.claim(w.id))?.attempts, i);
        await at(i * leaseMs);
        await queue.tick();
      }
      const dead = (await queue.get(t.id))!;
      assert.is(dead.state, 'dead-lettered', `maxAttempts ${maxAttempts}`);
      assert.match(dead.result!.error!, new RegExp(`its ${maxAttempts} attempts are spent`));
      assert.ok(dead.endedAt);
      assert.is((await queue.stats()).failedTasks, 1);
    }
  });

  test('heartbeats and progress keep the lease; silence loses it', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit();
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    for (let i = 1; i <= 6; i++) {
      await at(i * 20 * second);
      if (i % 2) await queue.heartbeat(w.id); else await queue.progress(t.id, w.id, c.claim!);
      await queue.tick();
      assert.is((await queue.get(t.id))?.attempts, 1);
      assert.ok(['claimed', 'running'].includes((await queue.get(t.id))!.state));
    }
    assert.is((await queue.get(t.id))?.state, 'running');
    assert.is((await queue.get(t.id))?.leaseUntil, new Date(t0 + 120 * second + leaseMs).toISOString());
    await at(120 * second + leaseMs);
    await queue.tick();
    assert.is((await queue.get(t.id))?.state, 'pending');
  });

  test('a lease that runs out on a task being cancelled ends it cancelled', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit();
    const w = await worker('w');
    await queue.claim(w.id);
    await queue.cancel(t.id);
    await at(leaseMs);
    await queue.tick();
    assert.is((await queue.get(t.id))?.state, 'cancelled');
  });

  test('deregister: held tasks go back without spending an attempt', async () => {
    const { queue, submit, worker } = await setup();
    const t = await submit({ maxAttempts: 1 });
    const a = await worker('a');
    await queue.claim(a.id);
    assert.is((await queue.get(t.id))?.attempts, 1);
    const view = await queue.deregister(a.id);
    assert.is(view.state, 'offline');
    assert.equal(view.tasks, []);
    const back = (await queue.get(t.id))!;
    assert.is(back.state, 'pending');
    assert.is(back.attempts, 0);
    assert.match(back.history.at(-1)!.message!, /worker a stopped/);
    const b = await worker('b');
    const again = (await queue.claim(b.id))!;
    assert.is(again.attempts, 1, 'its one attempt is still there');
    assert.is(await code(queue.heartbeat(a.id)), 'E_UNKNOWN_WORKER');
  });

  test('stale claim: after a redelivery the first worker can neither report nor end the task', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit();
    const a = await worker('a');
    const oldClaim = (await queue.claim(a.id))!.claim!;
    await at(leaseMs);
    await queue.tick();
    const b = await worker('b');
    const cb = (await queue.claim(b.id))!;
    assert.is(cb.id, t.id);
    assert.is.not(cb.claim, oldClaim);
    assert.is(await code(queue.complete(t.id, a.id, oldClaim, { status: 'succeeded' })), 'E_STALE_CLAIM');
    assert.is(await code(queue.progress(t.id, a.id, oldClaim)), 'E_STALE_CLAIM');
    assert.is(await code(queue.complete(t.id, a.id, cb.claim!, { status: 'succeeded' })), 'E_STALE_CLAIM', 'the right claim from the wrong worker');
    assert.is(await code(queue.complete(t.id, b.id, oldClaim, { status: 'succeeded' })), 'E_STALE_CLAIM', 'the wrong claim from the right worker');
    assert.is((await error(queue.progress(t.id, a.id, oldClaim)))?.kind, 'conflict');
    assert.is((await queue.complete(t.id, b.id, cb.claim!, { status: 'succeeded' })).state, 'succeeded');
    assert.is(await code(queue.complete(t.id, b.id, cb.claim!, { status: 'succeeded' })), 'E_STALE_CLAIM', 'an ended task cannot be ended twice');
    assert.is(await code(queue.progress(t.id, b.id, cb.claim!, ['late'])), 'E_STALE_CLAIM', 'nor reported on');
  });

  // ——— failures and backoff

  test('a failed attempt goes back pending after its backoff, doubled each time; the last one fails the task', async () => {
    const { queue, submit, worker, at, clock } = await setup();
    const t = await submit({ maxAttempts: 4, backoffMs: 10 * second });
    const w = await worker('w');
    let now = 0;
    for (const [attempt, delay] of [[1, 10_000], [2, 20_000], [3, 40_000]] as const) {
      const c = (await queue.claim(w.id))!;
      assert.is(c.attempts, attempt);
      const after = await queue.complete(t.id, w.id, c.claim!, { status: 'failed', error: 'exit 1', exitCode: 1 });
      assert.is(after.state, 'pending');
      assert.is(after.runAt, new Date(clock.now() + delay).toISOString(), `attempt ${attempt}`);
      assert.equal(after.result, { error: 'exit 1', exitCode: 1 });
      assert.is(after.claim, undefined);
      assert.is((await queue.findWorker(w.id))?.state, 'idle');
      now += delay - 1;
      await at(now);
      await queue.heartbeat(w.id);
      await queue.tick();
      assert.is(await queue.claim(w.id), undefined, `not claimable 1ms before the backoff of attempt ${attempt} ends`);
      now += 1;
      await at(now);
    }
    const last = (await queue.claim(w.id))!;
    assert.is(last.attempts, 4);
    const failed = await queue.complete(t.id, w.id, last.claim!, { status: 'failed', error: 'still broken' });
    assert.is(failed.state, 'failed');
    assert.equal(failed.result, { error: 'still broken' });
    assert.ok(failed.endedAt);
    assert.is((await queue.findWorker(w.id))?.failed, 4);
    assert.is((await queue.stats()).failedTasks, 1);
    assert.is(await queue.claim(w.id), undefined);
  });

  test('failure on the only attempt: failed at once', async () => {
    const { queue, submit, worker } = await setup();
    const t = await submit({ maxAttempts: 1 });
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    assert.is((await queue.complete(t.id, w.id, c.claim!, { status: 'failed' })).state, 'failed');
  });

  test('a failure after the deadline is not retried', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit({ maxAttempts: 5, deadline: new Date(t0 + minute).toISOString() });
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    await at(minute);
    await queue.heartbeat(w.id);
    assert.is((await queue.complete(t.id, w.id, c.claim!, { status: 'failed' })).state, 'failed');
  });

  test('step tasks are not retried at task level, and cannot be retried', async () => {
    const { queue, submit, worker } = await setup();
    const t = await submit({ type: 'step', work: stepWork('ex-7'), maxAttempts: 3, execution: 'ex-7' });
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    const failed = await queue.complete(t.id, w.id, c.claim!, { status: 'failed', error: 'exit 2', exitCode: 2 });
    assert.is(failed.state, 'failed');
    assert.is(failed.attempts, 1);
    const refused = (await error(queue.retry(t.id)))!;
    assert.is(refused.code, 'E_TASK_STATE');
    assert.is(refused.details.execution, 'ex-7');
    assert.is((await queue.get(t.id))?.state, 'failed');
    const t2 = await submit({ type: 'step', work: stepWork('ex-8') });
    await queue.cancel(t2.id);
    assert.is(await code(queue.retry(t2.id)), 'E_TASK_STATE', 'a cancelled step neither');
  });

  // ——— cancel

  test('cancel a pending task: cancelled at once, never claimed', async () => {
    const { queue, submit, worker, clock } = await setup();
    const t = await submit();
    const c = await queue.cancel(t.id, 'alice');
    assert.is(c.state, 'cancelled');
    assert.is(c.result?.error, 'cancelled by alice');
    assert.is(c.endedAt, new Date(clock.now()).toISOString());
    assert.is(await queue.claim((await worker('w')).id), undefined);
    assert.is((await queue.stats()).pendingTasks, 0);
    assert.is(await code(queue.cancel(t.id)), 'E_TASK_STATE');
  });

  test('cancel a task waiting out its backoff: cancelled, and not claimed when the backoff ends', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit({ backoffMs: 10 * second });
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    await queue.complete(t.id, w.id, c.claim!, { status: 'failed' });
    await queue.cancel(t.id);
    await at(20 * second);
    await queue.heartbeat(w.id);
    await queue.tick();
    assert.is(await queue.claim(w.id), undefined);
    assert.is((await queue.get(t.id))?.state, 'cancelled');
  });

  test('cancel a running task: asked, told at heartbeat and progress, ended cancelled by the worker', async () => {
    // [what the worker answers, the state it ends in]
    const cases: Array<['succeeded' | 'failed' | 'cancelled', string]> = [['cancelled', 'cancelled'], ['failed', 'cancelled'], ['succeeded', 'succeeded']];
    for (const [status, want] of cases) {
      const { queue, submit, worker, clock } = await setup();
      const t = await submit({ maxAttempts: 3 });
      await clock.advance(1);
      const other = await submit();
      const w = await worker('w', [], { concurrency: 2 });
      const c = (await queue.claim(w.id))!;
      const c2 = (await queue.claim(w.id))!;
      assert.is(c2.id, other.id);
      await queue.progress(t.id, w.id, c.claim!);
      assert.equal((await queue.heartbeat(w.id)).cancel, []);
      const asked = await queue.cancel(t.id, 'bob');
      assert.is(asked.state, 'running');
      assert.is(asked.cancelRequested, true);
      const version = (await queue.get(t.id))!.version;
      await queue.cancel(t.id, 'bob');
      assert.is((await queue.get(t.id))!.version, version, 'asking twice changes nothing');
      assert.equal((await queue.heartbeat(w.id)).cancel, [t.id]);
      assert.equal(await queue.progress(t.id, w.id, c.claim!), { cancel: true });
      assert.equal(await queue.progress(other.id, w.id, c2.claim!), { cancel: false });
      const ended = await queue.complete(t.id, w.id, c.claim!, { status });
      assert.is(ended.state, want, `worker answered ${status}`);
      assert.equal((await queue.heartbeat(w.id)).cancel, []);
    }
  });

  test('retry of a cancelled task clears cancelRequested', async () => {
    const { queue, submit, worker } = await setup();
    const t = await submit();
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    await queue.cancel(t.id);
    await queue.complete(t.id, w.id, c.claim!, { status: 'cancelled' });
    const again = await queue.retry(t.id);
    assert.is(again.state, 'pending');
    assert.is(again.cancelRequested, undefined);
    const c2 = (await queue.claim(w.id))!;
    assert.is((await queue.complete(t.id, w.id, c2.claim!, { status: 'failed' })).state, 'pending', 'a plain failure, not a cancel');
  });

  // ——— deadlines

  test('deadline: a task still pending at its deadline is dead-lettered by tick', async () => {
    const { queue, submit, worker, at } = await setup();
    const deadline = new Date(t0 + minute).toISOString();
    const t = await submit({ capabilities: ['gpu'], deadline });
    const u = await submit({ deadline });
    const w = await worker('w', ['deploy']);
    await at(minute - 1);
    await queue.heartbeat(w.id);
    await queue.tick();
    assert.is((await queue.get(t.id))?.state, 'pending');
    await at(minute);
    await queue.tick();
    const dead = (await queue.get(t.id))!;
    assert.is(dead.state, 'dead-lettered');
    assert.match(dead.result!.error!, /deadline .* passed before it ran \(no worker has its capabilities\)/);
    assert.is((await queue.get(u.id))?.state, 'dead-lettered');
    assert.not.match((await queue.get(u.id))!.result!.error!, /capabilities/);
    assert.is(await queue.claim(w.id), undefined);
    assert.is((await queue.stats()).byState['dead-lettered'], 2);
    assert.is((await queue.stats()).pendingTasks, 0);
  });

  test('deadline: a task waiting out its backoff is dead-lettered too', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit({ backoffMs: 10 * minute, deadline: new Date(t0 + minute).toISOString() });
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    await queue.complete(t.id, w.id, c.claim!, { status: 'failed' });
    assert.is((await queue.get(t.id))?.state, 'pending');
    await at(minute);
    await queue.tick();
    assert.is((await queue.get(t.id))?.state, 'dead-lettered');
    await at(20 * minute);
    await queue.tick();
    assert.is(await queue.claim((await worker('w2')).id), undefined);
  });

  test('deadline: a task past its deadline is not claimed, even before the next tick', async () => {
    const { queue, submit, worker, at } = await setup();
    const w = await worker('w');
    const t = await submit({ deadline: new Date(t0 + 20 * second).toISOString() });
    await at(20 * second);
    assert.is(await queue.claim(w.id), undefined, `claimed ${(await queue.get(t.id))?.state} past its deadline`);
  });

  // ——— retry

  test('retry of a failed task: pending again with its attempts renewed', async () => {
    const { queue, submit, worker } = await setup();
    const t = await submit({ maxAttempts: 1 });
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    await queue.complete(t.id, w.id, c.claim!, { status: 'failed', error: 'boom' });
    assert.is((await queue.stats()).failedTasks, 1);
    assert.is((await queue.stats()).successRate, 0);
    const again = await queue.retry(t.id, 'carol');
    assert.is(again.state, 'pending');
    assert.is(again.attempts, 0);
    for (const k of ['result', 'endedAt', 'worker', 'workerName', 'claim', 'leaseUntil', 'cancelRequested'] as const) assert.not.ok(k in again, k);
    assert.match(again.history.at(-1)!.message!, /retried by carol/);
    assert.is((await queue.stats()).failedTasks, 0);
    assert.is((await queue.stats()).successRate, 1);
    const c2 = (await queue.claim(w.id))!;
    assert.is(c2.attempts, 1);
    assert.is((await queue.complete(t.id, w.id, c2.claim!, { status: 'succeeded' })).state, 'succeeded');
    assert.is((await queue.stats()).completedTasks, 1);
  });

  test('retry of a dead-lettered task drops a deadline that has passed', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit({ deadline: new Date(t0 + minute).toISOString() });
    await at(minute);
    await queue.tick();
    assert.is((await queue.get(t.id))?.state, 'dead-lettered');
    const again = await queue.retry(t.id);
    assert.is(again.deadline, undefined);
    await queue.tick();
    assert.is((await queue.get(t.id))?.state, 'pending');
    assert.is((await queue.claim((await worker('w')).id))?.id, t.id);
  });

  test('retry is only for failed, dead-lettered or cancelled tasks', async () => {
    const { queue, submit, worker } = await setup();
    const pending = await submit();
    assert.is(await code(queue.retry(pending.id)), 'E_TASK_STATE');
    const w = await worker('w');
    const c = (await queue.claim(w.id))!;
    assert.is(await code(queue.retry(c.id)), 'E_TASK_STATE');
    await queue.progress(c.id, w.id, c.claim!);
    assert.is(await code(queue.retry(c.id)), 'E_TASK_STATE');
    await queue.complete(c.id, w.id, c.claim!, { status: 'succeeded' });
    assert.is(await code(queue.retry(c.id)), 'E_TASK_STATE');
  });

  test('a retry without backoff is claimed at once by a worker waiting for work', async () => {
    const { queue, submit, worker } = await setup();
    const t = await submit({ backoffMs: 0 });
    const a = await worker('a');
    const b = await worker('b');
    const c = (await queue.claim(a.id))!;
    const waiting = queue.waitClaim(b.id, minute);
    await queue.complete(t.id, a.id, c.claim!, { status: 'failed' });
    const got: Task | undefined = await within(waiting);
    assert.is(got?.id, t.id);
    assert.is(got?.worker, b.id);
    assert.equal(await claimAll(queue, a.id), []);
  });
}
