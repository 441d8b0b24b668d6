// Opening the store (unwritable directories), and unsafe execution ids leaving the disk alone
// (every store refuses them: contract/).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../../src/store/errors.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionPatch } from '../../src/store/types.ts';
import { errorCodeOf, execution, syncErrorCodeOf, tempDir } from './helpers.ts';

test('opening creates the directory and its folders', async () => {
  const dir = join(tempDir(), 'nested', '.pluginops');
  const store = await openFileStore(dir);
  assert.equal(readdirSync(dir).sort(), ['control', 'executions', 'logs']);
  await store.close();
});

test('a directory under a regular file gives E_STORE_UNWRITABLE naming the directory and the reason', async () => {
  const base = tempDir();
  writeFileSync(join(base, 'file'), 'x');
  const dir = join(base, 'file', '.pluginops');

  const err = await openFileStore(dir).catch((e: unknown) => e);

  assert.instance(err, StoreError);
  if (!(err instanceof StoreError)) return;
  assert.is(err.code, 'E_STORE_UNWRITABLE');
  assert.ok(err.message.includes(dir), err.message);
  assert.ok(err.message.includes('ENOTDIR'), err.message);
  assert.ok(statSync(join(base, 'file')).isFile());
});

test('a failure half way removes the folders it created', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'logs'), 'not a folder');

  const code = await errorCodeOf(openFileStore(dir));

  assert.is(code, 'E_STORE_UNWRITABLE');
  assert.equal(readdirSync(dir), ['logs']);
});

test('an unsafe id creates nothing on disk', async () => {
  const base = tempDir();
  const store = await openFileStore(join(base, 'store'));
  const patch: ExecutionPatch = { type: 'status', status: 'running', at: '2026-01-01T00:00:00Z' };
  for (const id of ['../x', 'a/b', '/abs', '.hidden', 'a..b']) {
    await errorCodeOf(store.create(execution(id)));
    await errorCodeOf(store.update(id, patch));
    await errorCodeOf(store.requestCancel(id));
    syncErrorCodeOf(() => store.log(id, { timestamp: 't', level: 'info', message: 'm' }));
  }
  await store.flush();

  assert.equal(readdirSync(base), ['store']);
  assert.equal(readdirSync(join(base, 'store', 'executions')), []);
  assert.equal(readdirSync(join(base, 'store', 'logs')), []);
  assert.equal(readdirSync(join(base, 'store', 'control')), []);
  await store.close();
});

test.run();
