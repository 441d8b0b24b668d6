// What only the embedded store does, on disk: one appended line per update, the files cleanup
// removes, and the control file of a cancel request. What every store does is in contract/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../src/store/file-store.ts';
import { execution, fileLines, step, tempDir } from './helpers.ts';

test('each update of a running execution appends one line to its file', async () => {
  const dir = join(tempDir(), '.pluginops');
  const store = await openFileStore(dir);

  await store.create(execution('run-1', { plugin: 'p1' }));
  await store.update('run-1', { type: 'status', status: 'running', at: '2026-01-01T00:00:01.000Z', currentStep: 'build' });
  await store.update('run-1', { type: 'step', step: step('build', { status: 'running', attempts: 1 }) });
  await store.update('run-1', { type: 'step', step: step('build', { attempts: 2 }) });
  await store.update('run-1', { type: 'artifact', artifact: { name: 'report', path: 'out/report.json', size: 12 } });

  assert.is(fileLines(join(dir, 'executions', 'run-1.jsonl')).length, 5);
  assert.is((await store.get('run-1'))?.steps.build?.attempts, 2);
  await store.close();
});

test('cleanup removes an old execution\'s record and log files, and keeps a recent one\'s', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir, { now: () => new Date('2026-03-31T00:00:00Z') });
  const end = async (id: string, at: string) => {
    await store.create(execution(id, { createdAt: '2026-01-01T00:00:00Z' }));
    store.log(id, { timestamp: at, level: 'info', message: 'hello' });
    await store.update(id, { type: 'status', status: 'success', at });
  };
  await end('old', '2026-03-01T00:00:00Z');
  await end('recent', '2026-03-29T00:00:00Z');
  await store.flush();

  const removed = await store.cleanup(7);
  const files = ['executions/old.jsonl', 'logs/old.jsonl', 'executions/recent.jsonl', 'logs/recent.jsonl']
    .map((f) => existsSync(join(dir, f)));

  assert.is(removed, 1);
  assert.equal(files, [false, false, true, true]);
  await store.close();
});

test('requestCancel creates a control file; finishing removes it', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir);
  await store.create(execution('c'));
  await store.update('c', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });

  await store.requestCancel('c');
  const requested = existsSync(join(dir, 'control', 'c.cancel'));
  await store.update('c', { type: 'status', status: 'cancelled', at: '2026-01-01T00:00:02Z' });

  assert.ok(requested);
  assert.not.ok(existsSync(join(dir, 'control', 'c.cancel')));
  await store.close();
});

test.run();
