// The contract (index.ts) on logs, figures and cleanup.
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeStats, type StatsInput } from '../../../src/store/statistics.ts';
import type { ExecutionStatus, StatsQuery } from '../../../src/store/types.ts';
import { execution } from '../helpers.ts';
import type { Using } from './index.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function logs(name: string, using: Using): Test {
  const t = suite(`${name}: logs`);

  t('logs are buffered, flushed in order, and read from an index', () => using(async ({ store }) => {
    await store.create(execution('l1'));

    for (let i = 0; i < 5; i++) store.log('l1', { timestamp: `t${i}`, level: 'info', step: 's', message: `m${i}` });
    const beforeFlush = await store.logs('l1');
    await store.update('l1', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });
    const afterBatch = await store.logs('l1');
    store.log('l1', { timestamp: 't5', level: 'warn', message: 'm5' });
    await sleep(400); // the flush timer, no explicit flush
    const fromThree = await store.logs('l1', 3);

    assert.equal(beforeFlush, []);
    assert.equal(afterBatch.map((l) => l.message), ['m0', 'm1', 'm2', 'm3', 'm4']);
    assert.equal(afterBatch[0], { timestamp: 't0', level: 'info', step: 's', message: 'm0' });
    assert.equal(fromThree.map((l) => l.message), ['m3', 'm4', 'm5']);
    assert.equal(await store.logs('l1', 99), []);
    assert.equal(await store.logs('unknown'), []);
  }));

  t('flush writes the lines of several executions; close writes what is left', () => using(async (h) => {
    await h.store.create(execution('a'));
    await h.store.create(execution('b'));
    h.store.log('a', { timestamp: 't', level: 'info', message: 'a0' });
    h.store.log('b', { timestamp: 't', level: 'error', message: 'b0' });
    h.store.log('a', { timestamp: 't', level: 'debug', message: 'a1' });
    await h.store.flush();
    const flushed = [(await h.store.logs('a')).map((l) => l.message), (await h.store.logs('b')).map((l) => l.message)];
    h.store.log('b', { timestamp: 't', level: 'info', message: 'b1' });
    await h.store.close();
    const other = await h.another();

    assert.equal(flushed, [['a0', 'a1'], ['b0']]);
    assert.equal((await other.logs('b')).map((l) => l.message), ['b0', 'b1']);
  }));

  return t;
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function figures(name: string, using: Using): Test {
  const t = suite(`${name}: stats`);

  t('stats: totals, success rate and average duration, overall and per workflow', () => using(async ({ store }) => {
    const start = '2026-01-01T00:00:00.000Z';
    const finish = async (id: string, workflow: string, status: 'success' | 'failed', ms: number) => {
      await store.create(execution(id, { workflow }));
      await store.update(id, { type: 'status', status: 'running', at: start });
      await store.update(id, { type: 'status', status, at: new Date(Date.parse(start) + ms).toISOString() });
    };
    await finish('d1', 'deploy', 'success', 1000);
    await finish('d2', 'deploy', 'success', 3000);
    await finish('d3', 'deploy', 'failed', 5000);
    await finish('c1', 'check', 'failed', 400);
    await store.create(execution('c2', { workflow: 'check' }));
    await store.update('c2', { type: 'status', status: 'running', at: start });

    const stats = await store.stats();

    // finished: d1 d2 d3 c1 -> 2 successes of 4; durations (1000+3000+5000+400)/4 = 2350
    assert.is(stats.total, 5);
    assert.is(stats.successRate, 0.5);
    assert.is(stats.averageDurationMs, 2350);
    assert.equal(stats.byStatus, { success: 2, failed: 2, running: 1 });
    assert.equal(stats.perWorkflow.deploy, {
      total: 3, finished: 3, successRate: 2 / 3, averageDurationMs: 3000, p95DurationMs: 5000, byStatus: { success: 2, failed: 1 },
    });
    assert.equal(stats.perWorkflow.check, {
      total: 2, finished: 1, successRate: 0, averageDurationMs: 400, p95DurationMs: 400, byStatus: { failed: 1, running: 1 },
    });
  }));

  t('stats of an empty store are zeros', () => using(async ({ store }) => {
    assert.equal(await store.stats(), { total: 0, finished: 0, successRate: 0, averageDurationMs: 0, p95DurationMs: 0, byStatus: {}, perWorkflow: {}, workflows: [] });
  }));

  t('stats over a generated set equal the pure figures (statistics.ts) of what was written, for every query', () => using(async (h) => {
    const now = Date.parse('2026-03-10T15:30:00Z');
    const next = random(20260310);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const ends: ExecutionStatus[] = ['success', 'success', 'success', 'failed', 'cancelled', 'timed_out', 'interrupted', 'running', 'waiting', 'pending'];
    const expected: StatsInput[] = [];
    await Promise.all(Array.from({ length: 80 }, async (_, i) => {
      const id = `g${i}`;
      const workflow = pick(['deploy', 'backup', 'check', 'Zeta']);
      const created = now - Math.floor(next() * 40 * 86_400_000);
      const createdAt = new Date(created).toISOString();
      const status = pick(ends);
      const ms = Math.floor(next() * 600_000);
      await h.store.create(execution(id, { workflow, createdAt }));
      if (status === 'pending') { expected.push({ workflow, status, createdAt }); return; }
      await h.store.update(id, { type: 'status', status: 'running', at: createdAt });
      if (status !== 'running') await h.store.update(id, { type: 'status', status, at: new Date(created + ms).toISOString() });
      expected.push({ workflow, status, createdAt, ...(status !== 'running' && status !== 'waiting' ? { durationMs: ms } : {}) });
    }));
    // One left running by a process that is gone counts as interrupted, with no duration.
    await h.orphan(execution('gone', { workflow: 'deploy', status: 'running', createdAt: new Date(now - 3_600_000).toISOString() }));
    expected.push({ workflow: 'deploy', status: 'interrupted', createdAt: new Date(now - 3_600_000).toISOString() });

    const queries: StatsQuery[] = [{}, { days: 1 }, { days: 7 }, { days: 30 }, { workflow: 'deploy' }, { days: 14, workflow: 'backup' }, { workflow: 'none' }];
    for (const q of queries) {
      assert.equal(await h.store.stats(q, new Date(now)), computeStats(expected, q, now), JSON.stringify(q));
    }
    assert.is((await h.store.stats({}, new Date(now))).total, 81);
  }));

  return t;
}

export function cleanup(name: string, using: Using): Test {
  const t = suite(`${name}: cleanup`);

  t('cleanup removes finished executions older than the cut-off, and their logs, never active ones', () => using(async ({ store }) => {
    const end = async (id: string, at: string) => {
      await store.create(execution(id, { createdAt: '2026-01-01T00:00:00Z' }));
      store.log(id, { timestamp: at, level: 'info', message: 'hello' });
      await store.update(id, { type: 'status', status: 'success', at });
    };
    await end('old', '2026-03-01T00:00:00Z'); // 30 days before now
    await end('recent', '2026-03-29T00:00:00Z'); // 2 days before now
    await store.create(execution('active', { createdAt: '2025-01-01T00:00:00Z' }));
    await store.update('active', { type: 'status', status: 'running', at: '2025-01-01T00:00:00Z' });
    await store.exclusive('old', async () => undefined);
    await store.flush();

    const removedAt7Days = await store.cleanup(7);
    const idsAfter7 = (await store.list()).map((r) => r.id);
    const logsAfter7 = [(await store.logs('old')).length, (await store.logs('recent')).length];
    const removedAt1Day = await store.cleanup(1, new Date('2026-03-31T00:00:00Z'));

    assert.is(removedAt7Days, 1);
    assert.equal(idsAfter7, ['recent', 'active']);
    assert.equal(logsAfter7, [0, 1]);
    assert.is(await store.get('old'), undefined);
    assert.is(removedAt1Day, 1);
    assert.equal((await store.list()).map((r) => r.id), ['active']);
    assert.is(await store.exclusive('old', async () => 'free'), 'free');
  }, { now: () => new Date('2026-03-31T00:00:00Z') }));

  return t;
}
