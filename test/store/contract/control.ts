// The contract (index.ts) on control: cancel requests, the execution's lock, recovery of what a
// dead owner left running.
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { errorCodeOf, execution, step } from '../helpers.ts';
import type { Using } from './index.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function cancel(name: string, using: Using): Test {
  const t = suite(`${name}: cancel`);

  t('requestCancel asks a running execution\'s owner; finishing forgets the request', () => using(async ({ store }) => {
    await store.create(execution('c'));
    await store.update('c', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });

    const before = await store.cancelRequested('c');
    await store.requestCancel('c');
    const after = await store.cancelRequested('c');
    const status = (await store.get('c'))?.status;
    await store.update('c', { type: 'status', status: 'cancelled', at: '2026-01-01T00:00:02Z' });
    const finished = await store.cancelRequested('c');
    await store.requestCancel('c');
    const again = await store.cancelRequested('c');
    const missing = await errorCodeOf(store.requestCancel('nope'));

    assert.is(before, false);
    assert.is(after, true);
    assert.is(status, 'running', 'the owner decides when it stops');
    assert.is(finished, false);
    assert.is(again, false, 'nothing to cancel once finished');
    assert.is(missing, 'E_NOT_FOUND');
    assert.is(await store.cancelRequested('nope'), false);
  }));

  t('a run waiting for approval has no owner: it is cancelled at once, by whom in its error', () => using(async ({ store }) => {
    await store.create(execution('w'));
    await store.update('w', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });
    await store.update('w', { type: 'status', status: 'waiting', at: '2026-01-01T00:00:02Z' });

    await store.requestCancel('w', 'ann');
    const r = await store.get('w');

    assert.is(r?.status, 'cancelled');
    assert.is(r?.error, 'cancelled by ann while waiting for approval');
    assert.is(r?.endedAt, '2026-01-01T00:10:00.000Z');
    assert.is(await store.cancelRequested('w'), false);
    assert.equal((await store.list({ status: 'waiting' })).map((x) => x.id), []);
  }, { now: () => new Date('2026-01-01T00:10:00Z') }));

  return t;
}

export function exclusive(name: string, using: Using): Test {
  const t = suite(`${name}: exclusive`);
  const holder = (events: string[], who: string, ms = 150) => async () => {
    events.push(`${who}:in`);
    await sleep(ms);
    events.push(`${who}:out`);
    return who;
  };

  t('exclusive serialises two concurrent callers, in one store and across two', () => using(async (h) => {
    const other = await h.another();
    const inOne: string[] = [];
    const acrossTwo: string[] = [];

    const one = await Promise.all([h.store.exclusive('x', holder(inOne, 'a')), h.store.exclusive('x', holder(inOne, 'b'))]);
    const two = await Promise.all([h.store.exclusive('y', holder(acrossTwo, 'a')), other.exclusive('y', holder(acrossTwo, 'b'))]);

    assert.equal(one, ['a', 'b']);
    assert.equal(two, ['a', 'b']);
    for (const events of [inOne, acrossTwo]) {
      assert.ok(['a:in,a:out,b:in,b:out', 'b:in,b:out,a:in,a:out'].includes(events.join()), events.join());
    }
  }));

  t('exclusive on different ids runs side by side; a failing fn rejects and releases the lock', () => using(async ({ store }) => {
    const events: string[] = [];
    await Promise.all([store.exclusive('x', holder(events, 'x')), store.exclusive('y', holder(events, 'y'))]);
    const failed = await store.exclusive('x', async () => { throw new Error('boom'); }).then(() => 'resolved', (e: Error) => e.message);
    const started = Date.now();
    const after = await store.exclusive('x', async () => 'after');

    assert.ok(events.indexOf('y:in') < events.indexOf('x:out') && events.indexOf('x:in') < events.indexOf('y:out'), events.join());
    assert.is(failed, 'boom');
    assert.is(after, 'after');
    assert.ok(Date.now() - started < 2_000, 'taken at once');
  }));

  return t;
}

export function recovery(name: string, using: Using): Test {
  const t = suite(`${name}: recover`);

  t('an execution left running by a dead owner reads as interrupted; recover() records it and leaves a live one alone', () => using(async ({ store, orphan }) => {
    await store.create(execution('mine'));
    await store.update('mine', { type: 'status', status: 'running', at: '2026-01-01T00:00:00Z' });
    await store.update('mine', { type: 'step', step: step('work', { status: 'running' }) });
    await orphan(execution('orphan', {
      status: 'running', startedAt: '2026-01-01T00:00:00Z', currentStep: 'build',
      steps: { prep: step('prep'), build: step('build', { status: 'running' }) },
    }));

    const seen = await store.get('orphan');
    const listed = (await store.list({ status: 'interrupted' })).map((r) => r.id);
    const running = (await store.list({ status: 'running' })).map((r) => r.id);
    const recovered = await store.recover();
    const again = await store.recover();
    const stored = await store.get('orphan');

    assert.is(seen?.status, 'interrupted');
    assert.is(seen?.error, 'the process running it stopped');
    assert.is(seen?.steps.build?.status, 'interrupted');
    assert.equal(listed, ['orphan']);
    assert.equal(running, ['mine']);
    assert.equal(recovered, ['orphan']);
    assert.equal(again, []);
    assert.is(stored?.status, 'interrupted');
    assert.is(stored?.error, 'the process running it stopped');
    assert.is(stored?.endedAt, '2026-01-01T00:10:00.000Z');
    assert.is(stored?.durationMs, 600_000);
    assert.equal(stored?.steps.build, step('build', { status: 'interrupted', error: 'the process running it stopped' }));
    assert.equal(stored?.steps.prep, step('prep'));
    const mine = await store.get('mine');
    assert.is(mine?.status, 'running');
    assert.is(mine?.steps.work?.status, 'running');
  }, { now: () => new Date('2026-01-01T00:10:00Z') }));

  return t;
}
