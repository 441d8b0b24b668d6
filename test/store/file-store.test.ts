// The embedded store's behaviour through its public interface: round trip, queries, stats,
// cleanup, logs and cancel requests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../src/store/file-store.ts';
import { errorCodeOf, execution, fileLines, step, tempDir } from './helpers.ts';

test('create, update and get round-trip status, steps and artifacts', async () => {
  const dir = join(tempDir(), '.pluginops');
  const store = await openFileStore(dir);

  await store.create(execution('run-1', { plugin: 'p1', parameters: { env: 'prod' } }));
  await store.update('run-1', { type: 'status', status: 'running', at: '2026-01-01T00:00:01.000Z', currentStep: 'build' });
  await store.update('run-1', { type: 'step', step: step('build', { status: 'running', attempts: 1 }) });
  await store.update('run-1', { type: 'step', step: step('build', { attempts: 2, outputs: { image: 'x:1' } }) });
  await store.update('run-1', { type: 'artifact', artifact: { name: 'report', path: 'out/report.json', size: 12 } });
  const running = await store.get('run-1');

  assert.is(running?.status, 'running');
  assert.is(running?.startedAt, '2026-01-01T00:00:01.000Z');
  assert.is(running?.currentStep, 'build');
  assert.equal(running?.parameters, { env: 'prod' });
  assert.equal(running?.steps.build, step('build', { attempts: 2, outputs: { image: 'x:1' } }));
  assert.equal(running?.artifacts, [{ name: 'report', path: 'out/report.json', size: 12 }]);
  assert.is(running?.owner?.pid, process.pid);
  assert.is(fileLines(join(dir, 'executions', 'run-1.jsonl')).length, 5);

  await store.update('run-1', { type: 'status', status: 'failed', at: '2026-01-01T00:00:04.500Z', error: 'boom' });
  const failed = await store.get('run-1');
  assert.is(failed?.status, 'failed');
  assert.is(failed?.error, 'boom');
  assert.is(failed?.endedAt, '2026-01-01T00:00:04.500Z');
  assert.is(failed?.durationMs, 3500);
  assert.equal(failed?.steps.build?.outputs, { image: 'x:1' });
  assert.is(await store.get('missing'), undefined);
  await store.close();
});

test('create refuses an id that exists; update refuses an unknown id', async () => {
  const store = await openFileStore(tempDir());
  await store.create(execution('a'));

  const dup = await errorCodeOf(store.create(execution('a')));
  const missing = await errorCodeOf(store.update('nope', { type: 'status', status: 'running', at: 'x' }));

  assert.is(dup, 'E_EXISTS');
  assert.is(missing, 'E_NOT_FOUND');
  assert.is((await store.get('a'))?.status, 'pending');
  await store.close();
});

test('list filters by plugin, status and workflow, newest first, with a limit', async () => {
  const store = await openFileStore(tempDir());
  const rows = [
    execution('e1', { createdAt: '2026-01-01T00:00:01Z', plugin: 'a', workflow: 'deploy' }),
    execution('e2', { createdAt: '2026-01-01T00:00:03Z', plugin: 'b', workflow: 'deploy' }),
    execution('e3', { createdAt: '2026-01-01T00:00:02Z', plugin: 'a', workflow: 'check' }),
    execution('e4', { createdAt: '2026-01-01T00:00:04Z', plugin: 'a', workflow: 'deploy' }),
  ];
  for (const r of rows) await store.create(r);
  await store.update('e4', { type: 'status', status: 'success', at: '2026-01-01T00:00:05Z' });

  const cases: Array<[Parameters<typeof store.list>[0], string[]]> = [
    [undefined, ['e4', 'e2', 'e3', 'e1']],
    [{ plugin: 'a' }, ['e4', 'e3', 'e1']],
    [{ workflow: 'deploy' }, ['e4', 'e2', 'e1']],
    [{ status: 'success' }, ['e4']],
    [{ status: 'pending', plugin: 'a' }, ['e3', 'e1']],
    [{ limit: 2 }, ['e4', 'e2']],
    [{ plugin: 'a', limit: 1 }, ['e4']],
    [{ plugin: 'zzz' }, []],
  ];
  for (const [filter, expected] of cases) {
    assert.equal((await store.list(filter)).map((r) => r.id), expected, JSON.stringify(filter));
  }
  await store.close();
});

test('stats: totals, success rate and average duration, overall and per workflow', async () => {
  const store = await openFileStore(tempDir());
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
  await store.close();
});

test('stats of an empty store are zeros', async () => {
  const store = await openFileStore(tempDir());
  assert.equal(await store.stats(), { total: 0, finished: 0, successRate: 0, averageDurationMs: 0, p95DurationMs: 0, byStatus: {}, perWorkflow: {}, workflows: [] });
  await store.close();
});

test('cleanup removes finished executions older than the cut-off, never active ones', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir, { now: () => new Date('2026-03-31T00:00:00Z') });
  const end = async (id: string, at: string) => {
    await store.create(execution(id, { createdAt: '2026-01-01T00:00:00Z' }));
    store.log(id, { timestamp: at, level: 'info', message: 'hello' });
    await store.update(id, { type: 'status', status: 'success', at });
  };
  await end('old', '2026-03-01T00:00:00Z'); // 30 days before now
  await end('recent', '2026-03-29T00:00:00Z'); // 2 days before now
  await store.create(execution('active', { createdAt: '2025-01-01T00:00:00Z' }));
  await store.update('active', { type: 'status', status: 'running', at: '2025-01-01T00:00:00Z' });
  await store.flush();

  const removedAt7Days = await store.cleanup(7);
  const idsAfter7 = (await store.list()).map((r) => r.id);
  const filesAfter7 = ['executions/old.jsonl', 'logs/old.jsonl', 'executions/recent.jsonl', 'logs/recent.jsonl']
    .map((f) => existsSync(join(dir, f)));
  const removedAt1Day = await store.cleanup(1, new Date('2026-03-31T00:00:00Z'));

  assert.is(removedAt7Days, 1);
  assert.equal(idsAfter7, ['recent', 'active']);
  assert.equal(filesAfter7, [false, false, true, true]);
  assert.is(removedAt1Day, 1);
  assert.equal((await store.list()).map((r) => r.id), ['active']);
  await store.close();
});

test('logs are buffered, flushed in order, and read from an index', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir);
  await store.create(execution('l1'));

  for (let i = 0; i < 5; i++) store.log('l1', { timestamp: `t${i}`, level: 'info', step: 's', message: `m${i}` });
  const beforeFlush = await store.logs('l1');
  await store.update('l1', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });
  const afterBatch = await store.logs('l1');
  store.log('l1', { timestamp: 't5', level: 'warn', message: 'm5' });
  await new Promise((r) => setTimeout(r, 120)); // the flush timer, no explicit flush
  const fromThree = await store.logs('l1', 3);

  assert.equal(beforeFlush, []);
  assert.equal(afterBatch.map((l) => l.message), ['m0', 'm1', 'm2', 'm3', 'm4']);
  assert.equal(fromThree.map((l) => l.message), ['m3', 'm4', 'm5']);
  assert.equal(await store.logs('unknown'), []);
  await store.close();
});

test('requestCancel creates a control file; finishing removes it', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir);
  await store.create(execution('c'));
  await store.update('c', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });

  const before = await store.cancelRequested('c');
  await store.requestCancel('c');
  const after = await store.cancelRequested('c');
  await store.update('c', { type: 'status', status: 'cancelled', at: '2026-01-01T00:00:02Z' });
  const finished = await store.cancelRequested('c');
  const missing = await errorCodeOf(store.requestCancel('nope'));

  assert.is(before, false);
  assert.is(after, true);
  assert.is(finished, false);
  assert.not.ok(existsSync(join(dir, 'control', 'c.cancel')));
  assert.is(missing, 'E_NOT_FOUND');
  await store.close();
});

test.run();
