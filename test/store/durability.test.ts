// On-disk behaviour of the store: torn tails, compaction to one snapshot line, group commit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppendLog } from '../../src/store/append-log.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import { GroupCommit } from '../../src/store/group-commit.ts';
import type { StepStatus } from '../../src/store/types.ts';
import { execution, fileLines, step, tempDir } from './helpers.ts';

test('a torn tail is ignored on read, and the next append starts on a new line', async () => {
  const dir = tempDir();
  const first = await openFileStore(dir);
  await first.create(execution('t1'));
  await first.update('t1', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });
  first.log('t1', { timestamp: 't0', level: 'info', message: 'before' });
  await first.close();
  const file = join(dir, 'executions', 't1.jsonl');
  const logFile = join(dir, 'logs', 't1.jsonl');
  appendFileSync(file, '{"type":"step","step":{"id":"half'); // a write cut short by a crash
  appendFileSync(logFile, '{"timestamp":"t1","lev');

  const second = await openFileStore(dir);
  const afterTear = await second.get('t1');
  const logsAfterTear = await second.logs('t1');
  await second.update('t1', { type: 'step', step: step('build') });
  second.log('t1', { timestamp: 't2', level: 'info', message: 'after' });
  await second.flush();
  const afterAppend = await second.get('t1');

  assert.is(afterTear?.status, 'running');
  assert.equal(afterTear?.steps, {});
  assert.equal(logsAfterTear.map((l) => l.message), ['before']);
  assert.equal(Object.keys(afterAppend?.steps ?? {}), ['build']);
  assert.equal((await second.logs('t1')).map((l) => l.message), ['before', 'after']);
  const lines = fileLines(file);
  assert.is(lines.length, 4);
  assert.is(lines[2], '{"type":"step","step":{"id":"half');
  assert.ok(readFileSync(file, 'utf8').endsWith('\n'));
  await second.close();
});

test('a finished execution is compacted to one snapshot line; reads accept both forms', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir);
  const file = join(dir, 'executions', 'c1.jsonl');
  await store.create(execution('c1'));
  await store.update('c1', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });
  for (const id of ['a', 'b', 'c']) await store.update('c1', { type: 'step', step: step(id) });
  const linesWhileRunning = fileLines(file).length;

  await store.update('c1', { type: 'status', status: 'success', at: '2026-01-01T00:00:03Z' });
  const compacted = fileLines(file);
  await store.update('c1', { type: 'artifact', artifact: { name: 'late', path: 'late.txt' } });
  const record = await store.get('c1');

  assert.is(linesWhileRunning, 5);
  assert.is(compacted.length, 1);
  assert.is(JSON.parse(compacted[0] ?? '').type, 'snapshot');
  assert.is(record?.status, 'success');
  assert.is(record?.durationMs, 2000);
  assert.equal(Object.keys(record?.steps ?? {}), ['a', 'b', 'c']);
  assert.equal(record?.artifacts.map((a) => a.name), ['late']);
  assert.is(fileLines(file).length, 1, 'compacted again after the late artifact');
  assert.equal(readdirSync(join(dir, 'executions')), ['c1.jsonl'], 'no temp file left');
  await store.close();
});

test('group commit: items submitted while a commit runs share the next batch', async () => {
  const batches: number[][] = [];
  let failNext = false;
  const queue = new GroupCommit<number>(async (items) => {
    batches.push(items);
    await new Promise((r) => setTimeout(r, 10));
    if (failNext) {
      failNext = false;
      throw new Error('disk full');
    }
  });

  const first = Array.from({ length: 100 }, (_, i) => queue.submit(i));
  await new Promise((r) => setTimeout(r, 2)); // the first batch is now in flight
  const second = Array.from({ length: 50 }, (_, i) => queue.submit(100 + i));
  await Promise.all([...first, ...second]);
  failNext = true;
  const failed = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
  const after = await queue.submit(3).then(() => 'ok');

  assert.equal(batches.map((b) => b.length), [100, 50, 2, 1]);
  assert.equal(failed.map((r) => r.status), ['rejected', 'rejected']);
  assert.is(after, 'ok');
  assert.ok(queue.idle);
});

test('100 concurrent updates all resolve and land, with few fsyncs', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir);
  await store.create(execution('g1'));
  let syncs = 0;
  const sync = AppendLog.prototype.sync;
  AppendLog.prototype.sync = function countedSync(this: AppendLog) {
    syncs++;
    return sync.call(this);
  };
  try {
    await Promise.all(Array.from({ length: 100 }, (_, i) =>
      store.update('g1', { type: 'step', step: step(`s${i}`, { outputs: { i: String(i) } }) })
    ));
    const burstSyncs = syncs;
    // 20 parallel "steps" each awaiting 4 transitions in turn: 80 updates.
    await Promise.all(Array.from({ length: 20 }, async (_, w) => {
      const transitions: StepStatus[] = ['pending', 'running', 'running', 'success'];
      for (const status of transitions) {
        await store.update('g1', { type: 'step', step: step(`w${w}`, { status }) });
      }
    }));

    const record = await store.get('g1');
    assert.is(Object.keys(record?.steps ?? {}).length, 120);
    assert.is(record?.steps.s42?.outputs.i, '42');
    assert.is(record?.steps.w7?.status, 'success');
    assert.is(fileLines(join(dir, 'executions', 'g1.jsonl')).length, 1 + 100 + 80);
    assert.ok(burstSyncs <= 2, `100 concurrent updates took ${burstSyncs} fsyncs`);
    assert.ok(syncs - burstSyncs <= 20, `80 pipelined updates took ${syncs - burstSyncs} fsyncs`);
  } finally {
    AppendLog.prototype.sync = sync;
    await store.close();
  }
});

test.run();
