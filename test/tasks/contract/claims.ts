// Claim order (priority, age, aging) and capability routing.
import * as assert from 'uvu/assert';
import type { Priority } from '../../../src/tasks/model.ts';
import { agingMs, claimAll, leaseMs, type Contract } from './setup.ts';

export function claims({ test, setup }: Contract): void {
  test('priority order: critical, high, normal, low, whatever the order of submission', async () => {
    for (const order of [['low', 'normal', 'high', 'critical'], ['critical', 'high', 'normal', 'low'], ['normal', 'critical', 'low', 'high']] as Priority[][]) {
      const { queue, submit, worker, clock } = await setup();
      for (const p of order) { await submit({ priority: p, data: { p } }); await clock.advance(1); }
      const w = await worker('w', [], { concurrency: 10 });
      assert.equal((await claimAll(queue, w.id)).map((t) => t.priority), ['critical', 'high', 'normal', 'low'], `submitted ${order}`);
    }
  });

  test('equal priority: claimed in creation order', async () => {
    const { queue, submit, worker, clock } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) { ids.push((await submit({ priority: 'high' })).id); await clock.advance(5); }
    const w = await worker('w', [], { concurrency: 10 });
    assert.equal((await claimAll(queue, w.id)).map((t) => t.id), ids);
  });

  test('equal priority submitted in the same millisecond: still claimed in creation order', async () => {
    const { queue, submit, worker } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await submit()).id);
    const w = await worker('w', [], { concurrency: 100 });
    assert.equal((await claimAll(queue, w.id)).map((t) => t.id), ids);
  });

  test('aging: a low task created first overtakes a critical created later only after 3 × agingMs', async () => {
    // [when the claim is made, after t0; which is claimed first]
    const cases: Array<[number, 'low' | 'critical']> = [
      [1, 'critical'], [agingMs, 'critical'], [2 * agingMs, 'critical'], [3 * agingMs - 1, 'critical'], [3 * agingMs, 'low'], [5 * agingMs, 'low'],
    ];
    for (const [when, first] of cases) {
      const { queue, submit, worker, at } = await setup();
      await submit({ priority: 'low' });
      await at(1);
      await submit({ priority: 'critical' });
      await at(when);
      const w = await worker('w');
      assert.is((await queue.claim(w.id))?.priority, first, `claimed at t0+${when}`);
    }
  });

  test('aging: a normal task created first overtakes a high one after one agingMs, a critical after two', async () => {
    const cases: Array<[Priority, number, Priority]> = [
      ['high', agingMs - 1, 'high'], ['high', agingMs, 'normal'],
      ['critical', 2 * agingMs - 1, 'critical'], ['critical', 2 * agingMs, 'normal'],
    ];
    for (const [other, when, first] of cases) {
      const { queue, submit, worker, at } = await setup();
      await submit({ priority: 'normal' });
      await at(1);
      await submit({ priority: other });
      await at(when);
      assert.is((await queue.claim((await worker('w')).id))?.priority, first, `normal vs ${other} at t0+${when}`);
    }
  });

  test('aging 0: no aging at all', async () => {
    const { queue, submit, worker, at } = await setup({ agingMs: 0 });
    await submit({ priority: 'low' });
    await at(1);
    await submit({ priority: 'critical' });
    await at(1000 * agingMs);
    assert.is((await queue.claim((await worker('w')).id))?.priority, 'critical');
  });

  test('aging works across capability sets', async () => {
    const { queue, submit, worker, at } = await setup();
    await submit({ priority: 'low', capabilities: ['a'] });
    await at(1);
    await submit({ priority: 'critical', capabilities: ['b'] });
    await at(3 * agingMs);
    const w = await worker('w', ['a', 'b'], { concurrency: 2 });
    assert.equal((await claimAll(queue, w.id)).map((t) => t.priority), ['low', 'critical']);
  });

  test('capability routing: a task needing [deploy, python3.11] never goes to a worker with only [deploy]', async () => {
    const { queue, submit, worker, clock } = await setup();
    const t = await submit({ capabilities: ['python3.11', 'deploy', 'deploy'] });
    assert.equal(t.capabilities, ['deploy', 'python3.11'], 'deduplicated and sorted');
    const small = await worker('small', ['deploy'], { concurrency: 5 });
    assert.is((await queue.router())(t), false);
    assert.is((await queue.stats()).unroutableTasks, 1);
    for (let i = 0; i < 5; i++) { assert.is(await queue.claim(small.id), undefined); await clock.advance(leaseMs / 2); await queue.tick(); }
    const big = await worker('big', ['python3.11', 'docker', 'deploy']);
    assert.is((await queue.router())(t), true);
    assert.is((await queue.stats()).unroutableTasks, 0);
    assert.is(await queue.claim(small.id), undefined);
    assert.is((await queue.claim(big.id))?.id, t.id);
  });

  test('capability routing: a worker takes what it can while a higher-priority task waits for another', async () => {
    const { queue, submit, worker } = await setup();
    const gpu = await submit({ priority: 'critical', capabilities: ['gpu'] });
    const plain = await submit({ priority: 'low' });
    const deploy = await submit({ priority: 'normal', capabilities: ['deploy'] });
    const w = await worker('w', ['deploy'], { concurrency: 5 });
    assert.equal((await claimAll(queue, w.id)).map((t) => t.id), [deploy.id, plain.id]);
    assert.is((await queue.get(gpu.id))?.state, 'pending');
    assert.is((await queue.stats()).unroutableTasks, 1);
  });

  test('routable: not when the only capable worker drains or is offline', async () => {
    const { queue, submit, worker, at } = await setup();
    const t = await submit({ capabilities: ['deploy'] });
    const a = await worker('a', ['deploy']);
    assert.is((await queue.router())(t), true);
    await queue.drain(a.id);
    assert.is((await queue.router())(t), false);
    const b = await worker('b', ['deploy']);
    assert.is((await queue.router())(t), true);
    await at(leaseMs);
    await queue.tick();
    assert.is((await queue.findWorker(b.id))?.state, 'offline');
    assert.is((await queue.router())(t), false);
    assert.is((await queue.stats()).unroutableTasks, 1);
  });

  test('a task with no capabilities goes to any worker', async () => {
    const { queue, submit, worker } = await setup();
    const t = await submit();
    assert.is((await queue.claim((await worker('w', ['deploy', 'gpu'])).id))?.id, t.id);
  });
}
