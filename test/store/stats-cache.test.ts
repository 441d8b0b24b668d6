// The store's figures are kept between calls (stats-cache.ts): this store's own writes show at
// once, a new or deleted execution file at once (the folder's mtime), and another process's
// append to an existing file after the check that starts once the kept list is `statsFreshMs` old.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../src/store/file-store.ts';
import { statsFreshMs } from '../../src/store/stats-cache.ts';
import { execution, tempDir } from './helpers.ts';

const line = (v: unknown) => `${JSON.stringify(v)}\n`;

async function until<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the figures never changed');
}

test('own writes show at once; another process\'s append shows once the kept figures are stale', async () => {
  const dir = tempDir();
  let clock = Date.parse('2026-03-10T12:00:00Z');
  const store = await openFileStore(dir, { now: () => new Date(clock) });
  await store.create(execution('a1', { createdAt: '2026-03-10T10:00:00Z', status: 'running', startedAt: '2026-03-10T10:00:00Z' }));
  assert.equal((await store.stats()).byStatus, { running: 1 });

  await store.update('a1', { type: 'status', status: 'success', at: '2026-03-10T10:00:02Z' });
  assert.equal((await store.stats()).byStatus, { success: 1 }, 'this store\'s update is seen at once');

  // Another process writes a new execution file: the folder changes, so the figures are checked again.
  writeFileSync(join(dir, 'executions', 'b1.jsonl'), line({ type: 'created', record: execution('b1', { workflow: 'backup', status: 'running', createdAt: '2026-03-10T11:00:00Z', startedAt: '2026-03-10T11:00:00Z' }) }));
  const withB = await store.stats();
  assert.equal(withB.byStatus, { success: 1, running: 1 });
  assert.equal(withB.workflows, ['backup', 'deploy']);

  // …and appends its end: the folder does not change; the kept figures are reused until stale.
  appendFileSync(join(dir, 'executions', 'b1.jsonl'), line({ type: 'status', status: 'failed', at: '2026-03-10T11:00:09Z' }));
  assert.equal((await store.stats()).byStatus, { success: 1, running: 1 }, 'reused while fresh');
  clock += statsFreshMs;
  assert.equal((await store.stats()).byStatus, { success: 1, running: 1 }, 'once stale, answered at once while a check starts');
  const later = await until(async () => { const s = await store.stats(); return s.byStatus.failed === 1 ? s : undefined; });
  assert.equal(later.byStatus, { success: 1, failed: 1 }, 'read again by the check');
  assert.is(later.p95DurationMs, 9000);

  // A deleted file leaves the figures at once.
  rmSync(join(dir, 'executions', 'b1.jsonl'));
  assert.equal((await store.stats()).byStatus, { success: 1 });
  await store.close();
});

test('figures are computed once per change: the same query answers the same object until an execution changes', async () => {
  const store = await openFileStore(tempDir());
  await store.create(execution('m1', { createdAt: new Date().toISOString() }));
  const a = await store.stats({ days: 7 });
  assert.is(await store.stats({ days: 7 }), a);
  assert.is.not(await store.stats({ days: 30 }), a);
  await store.update('m1', { type: 'status', status: 'success', at: new Date().toISOString() });
  const b = await store.stats({ days: 7 });
  assert.is.not(b, a);
  assert.equal(b.byStatus, { success: 1 });
  await store.close();
});

test('concurrent calls share one reading and agree', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir);
  for (let i = 0; i < 20; i++) await store.create(execution(`r${i}`, { workflow: i % 2 ? 'odd' : 'even' }));
  const all = await Promise.all(Array.from({ length: 5 }, () => store.stats()));
  for (const s of all) assert.equal(s.perWorkflow.odd?.total, 10);
  await store.close();
});

test.run();
