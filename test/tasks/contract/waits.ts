// The long poll: woken by a submission, a requeue, a backoff that ended; ended by its wait, an abort
// or a worker gone offline.
import * as assert from 'uvu/assert';
import type { Task } from '../../../src/tasks/model.ts';
import { code, minute, second, within, type Contract } from './setup.ts';

export function waits({ test, setup }: Contract): void {
  test('waitClaim: resolves when a task is submitted later', async () => {
    const { queue, submit, worker, clock } = await setup();
    const w = await worker('w');
    const waiting = queue.waitClaim(w.id, 30 * second);
    await clock.advance(5 * second);
    const t = await submit();
    const got = await within(waiting);
    assert.is(got?.id, t.id);
    assert.is(got?.state, 'claimed');
    assert.is(got?.worker, w.id);
    assert.ok(got?.claim, 'with its claim');
    assert.is(clock.pending, 0, 'its timer is cancelled');
  });

  test('waitClaim: resolves undefined after waitMs', async () => {
    const { queue, worker, clock } = await setup();
    const w = await worker('w');
    let got: Task | undefined | 'waiting' = 'waiting';
    const waiting = queue.waitClaim(w.id, 30 * second).then((x) => { got = x; return x; });
    await clock.advance(30 * second - 1);
    assert.is(got, 'waiting');
    await clock.advance(1);
    assert.is(await within(waiting), undefined);
    assert.is(got, undefined);
  });

  test('waitClaim: at once when a task is there, or when waitMs is 0', async () => {
    const { queue, submit, worker, clock } = await setup();
    const w = await worker('w', [], { concurrency: 2 });
    assert.is(await queue.waitClaim(w.id, 0), undefined);
    const t = await submit();
    assert.is((await queue.waitClaim(w.id, 30 * second))?.id, t.id);
    assert.is(clock.pending, 0);
  });

  test('waitClaim: an abort ends the wait with undefined', async () => {
    const { queue, submit, worker, clock } = await setup();
    const w = await worker('w');
    const ac = new AbortController();
    const waiting = queue.waitClaim(w.id, 30 * second, ac.signal);
    ac.abort();
    assert.is(await within(waiting), undefined);
    assert.is(clock.pending, 0);
    const t = await submit();
    assert.is((await queue.get(t.id))?.state, 'pending', 'an ended wait claims nothing');
  });

  test('waitClaim: two waiters, one task; the other waits on, and only a capable waiter gets it', async () => {
    const { queue, submit, worker, clock } = await setup();
    const small = await worker('small');
    const a = await worker('a', ['gpu']);
    const b = await worker('b', ['gpu']);
    const ws = queue.waitClaim(small.id, 10 * second);
    const wa = queue.waitClaim(a.id, 10 * second);
    const wb = queue.waitClaim(b.id, 10 * second);
    const t = await submit({ capabilities: ['gpu'] });
    const first = await within(Promise.race([wa, wb]));
    assert.is(first?.id, t.id);
    await clock.advance(10 * second);
    const [ga, gb, gs] = await within(Promise.all([wa, wb, ws]));
    assert.equal([ga, gb].filter(Boolean).map((x) => x!.id), [t.id], 'one of the capable waiters got it');
    assert.is(gs, undefined);
  });

  test('waitClaim: a draining waiter gets nothing', async () => {
    const { queue, submit, worker, clock } = await setup();
    const a = await worker('a');
    const waiting = queue.waitClaim(a.id, 10 * second);
    await queue.drain(a.id);
    await submit();
    await clock.advance(10 * second);
    assert.is(await within(waiting), undefined);
  });

  test('waitClaim: rejects when the worker went offline meanwhile', async () => {
    const { queue, submit, worker } = await setup();
    const a = await worker('a');
    // Its answer is taken at once: on a database it may fail while this test still awaits the submission.
    const answer = code(queue.waitClaim(a.id, 10 * second));
    await queue.deregister(a.id);
    await submit();
    assert.is(await within(answer), 'E_UNKNOWN_WORKER');
  });

  test('deregister wakes a long poll of another worker', async () => {
    const { queue, submit, worker } = await setup();
    const t = await submit();
    const a = await worker('a');
    const b = await worker('b');
    await queue.claim(a.id);
    const waiting = queue.waitClaim(b.id, minute);
    await queue.deregister(a.id);
    assert.is((await within(waiting))?.id, t.id);
  });

  test('the backoff is over: tick wakes a long poll', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit({ backoffMs: 10 * second });
    const a = await worker('a');
    const c = (await queue.claim(a.id))!;
    await queue.complete(t.id, a.id, c.claim!, { status: 'failed' });
    const waiting = queue.waitClaim(a.id, minute);
    let got: Task | undefined | 'waiting' = 'waiting';
    void waiting.then((x) => { got = x; });
    await at(10 * second - 1);
    await queue.tick();
    await at(10 * second);
    assert.is(got, 'waiting');
    await queue.tick();
    assert.is((await within(waiting))?.id, t.id);
    assert.is((await queue.get(t.id))?.attempts, 2);
  });
}
