// Workers: concurrency, draining, names, registering again, unknown ids, forgetting.
import * as assert from 'uvu/assert';
import { claimAll, code, error, leaseMs, minute, second, type Contract } from './setup.ts';

export function workers({ test, setup }: Contract): void {
  test('concurrency: a worker holds at most `concurrency` tasks, and takes more when one ends', async () => {
    const { queue, submit, worker } = await setup();
    for (let i = 0; i < 5; i++) await submit();
    const w = await worker('w', [], { concurrency: 2 });
    const held = await claimAll(queue, w.id);
    assert.is(held.length, 2);
    assert.equal((await queue.findWorker(w.id))?.tasks.sort(), held.map((t) => t.id).sort());
    assert.is((await queue.findWorker(w.id))?.state, 'busy');
    await queue.complete(held[0]!.id, w.id, held[0]!.claim!, { status: 'succeeded' });
    assert.is((await claimAll(queue, w.id)).length, 1);
    assert.is((await queue.stats()).pendingTasks, 2);
  });

  test('concurrency below 1 counts as 1', async () => {
    const { queue, submit, worker } = await setup();
    await submit(); await submit();
    const w = await worker('w', [], { concurrency: 0 });
    assert.is(w.concurrency, 1);
    assert.is((await claimAll(queue, w.id)).length, 1);
  });

  test('a draining worker claims nothing, but ends what it holds; another worker takes the queue', async () => {
    const { queue, submit, worker } = await setup();
    const a = await worker('a', [], { concurrency: 3 });
    assert.is(await queue.claim(a.id), undefined, 'nothing to claim yet');
    const t1 = await submit();
    const c1 = (await queue.claim(a.id))!;
    assert.is(c1.id, t1.id);
    const view = await queue.drain(a.id);
    assert.is(view.state, 'draining');
    assert.is(view.draining, true);
    assert.is((await queue.heartbeat(a.id)).draining, true);
    const t2 = await submit();
    assert.is(await queue.claim(a.id), undefined);
    assert.is((await queue.get(t2.id))?.state, 'pending');
    await queue.complete(t1.id, a.id, c1.claim!, { status: 'succeeded' });
    assert.is((await queue.get(t1.id))?.state, 'succeeded');
    assert.is(await queue.claim(a.id), undefined);
    assert.is((await queue.findWorker(a.id))?.state, 'draining');
    const b = await worker('b');
    assert.is((await queue.claim(b.id))?.id, t2.id);
  });

  test('drain twice is one change; drain of an unknown worker is E_UNKNOWN_WORKER', async () => {
    const { queue, worker, events } = await setup();
    const a = await worker('a');
    const before = events.length;
    await queue.drain(a.id);
    await queue.drain(a.id);
    assert.equal(events.slice(before).map((e) => (e.type === 'worker' ? e.worker.state : e.type)), ['draining']);
    assert.is(await code(queue.drain('wk-nope')), 'E_UNKNOWN_WORKER');
  });

  test('duplicate worker names: refused while the first is online, allowed once it is offline (lease passed + tick)', async () => {
    const { queue, worker, at } = await setup();
    const first = await worker('runner-1', ['deploy']);
    const clash = (await error(worker('runner-1', ['deploy'])))!;
    assert.is(clash.code, 'E_WORKER_NAME_TAKEN');
    assert.is(clash.kind, 'conflict');
    assert.is(clash.details.worker, first.id);
    await at(leaseMs - 1);
    await queue.tick();
    assert.is(await code(worker('runner-1')), 'E_WORKER_NAME_TAKEN', 'still online one ms before its lease ends');
    await at(leaseMs);
    await queue.tick();
    assert.is((await queue.findWorker(first.id))?.state, 'offline');
    const second = await worker('runner-1', ['deploy', 'gpu']);
    assert.is.not(second.id, first.id);
    assert.is(second.state, 'idle');
    assert.is((await queue.findWorker('runner-1'))?.id, second.id);
    assert.is(await queue.findWorker(first.id), undefined, 'the offline one of the same name is replaced');
    assert.is((await queue.workers()).length, 1);
  });

  test('duplicate worker names: a deregistered worker frees its name at once', async () => {
    const { queue, worker } = await setup();
    const first = await worker('w');
    await queue.deregister(first.id);
    assert.is((await worker('w')).state, 'idle');
  });

  test('duplicate worker names: register itself notices a lease that ran out (no tick needed)', async () => {
    const { worker, at } = await setup();
    await worker('w');
    await at(leaseMs);
    assert.is((await worker('w')).state, 'idle');
  });

  test('heartbeats keep a worker name taken', async () => {
    const { queue, worker, at } = await setup();
    const w = await worker('w');
    for (let i = 1; i <= 10; i++) { await at(i * 20 * second); await queue.heartbeat(w.id); await queue.tick(); }
    assert.is(await code(worker('w')), 'E_WORKER_NAME_TAKEN');
  });

  test('registering again under the id of a worker that is online is refused: it is not taken over', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit();
    const w = await worker('w', ['deploy'], { concurrency: 2 });
    const c = (await queue.claim(w.id))!;
    assert.is(c.id, t.id);
    await at(20 * second);
    assert.is(await code(queue.register({ id: w.id, name: 'hijack', capabilities: ['zz'] })), 'E_WORKER_ONLINE');
    const same = (await queue.findWorker(w.id))!;
    assert.equal([same.name, same.capabilities, same.tasks], ['w', ['deploy'], [t.id]]);
    assert.is((await queue.complete(t.id, w.id, c.claim!, { status: 'succeeded' })).state, 'succeeded', 'its claim stays valid');
  });

  test('re-register with the same id after going offline: online again with its old counters', async () => {
    const { queue, submit, worker, at } = await setup();
    const w = await worker('w');
    await submit();
    const c = (await queue.claim(w.id))!;
    await queue.complete(c.id, w.id, c.claim!, { status: 'succeeded' });
    await at(leaseMs);
    await queue.tick();
    assert.is(await code(queue.heartbeat(w.id)), 'E_UNKNOWN_WORKER');
    assert.is(await code(queue.claim(w.id)), 'E_UNKNOWN_WORKER');
    const again = await queue.register({ id: w.id, name: 'w', capabilities: [] });
    assert.is(again.state, 'idle');
    assert.is(again.offlineAt, undefined);
    assert.is(again.completed, 1);
    assert.equal(await queue.heartbeat(w.id), { draining: false, cancel: [], leaseMs });
  });

  test('unknown workers and tasks: E_UNKNOWN_WORKER and E_UNKNOWN_TASK', async () => {
    const { queue, submit, worker } = await setup();
    assert.is(await code(queue.heartbeat('wk-nope')), 'E_UNKNOWN_WORKER');
    assert.is(await code(queue.claim('wk-nope')), 'E_UNKNOWN_WORKER');
    assert.is(await code(queue.waitClaim('wk-nope', minute)), 'E_UNKNOWN_WORKER');
    assert.is(await code(queue.deregister('wk-nope')), 'E_UNKNOWN_WORKER');
    const w = await worker('w');
    assert.is(await code(queue.complete('tk-nope', w.id, 'x', { status: 'succeeded' })), 'E_UNKNOWN_TASK');
    assert.is(await code(queue.progress('tk-nope', w.id, 'x')), 'E_UNKNOWN_TASK');
    assert.is(await code(queue.cancel('tk-nope')), 'E_UNKNOWN_TASK');
    assert.is(await code(queue.retry('tk-nope')), 'E_UNKNOWN_TASK');
    assert.is(await code(queue.setExecution('tk-nope', 'ex')), 'E_UNKNOWN_TASK');
    assert.is((await error(queue.cancel('tk-nope')))?.kind, 'not_found');
    assert.is(await queue.get('tk-nope'), undefined);
    await submit();
    assert.is(await queue.findWorker('nobody'), undefined);
  });

  test('forgetWorkersAfterMs: offline workers are forgotten after a while', async () => {
    const { queue, worker, at } = await setup({ forgetWorkersAfterMs: 10 * minute });
    const w = await worker('w');
    await queue.deregister(w.id);
    await at(10 * minute - 1);
    await queue.tick();
    assert.is((await queue.findWorker(w.id))?.state, 'offline');
    await at(10 * minute);
    await queue.tick();
    assert.is(await queue.findWorker(w.id), undefined);
    assert.is((await queue.stats()).workers.total, 0);
  });

  test('findWorker: by id, else the online worker of that name', async () => {
    const { queue, worker } = await setup();
    const a = await worker('a', ['x']);
    assert.is((await queue.findWorker(a.id))?.name, 'a');
    assert.is((await queue.findWorker('a'))?.id, a.id);
    await queue.deregister(a.id);
    assert.is((await queue.findWorker('a'))?.state, 'offline', 'an offline one when no other has the name');
    const b = await worker('a', ['y']);
    assert.is((await queue.findWorker('a'))?.id, b.id);
  });
}
