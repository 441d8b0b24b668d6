// `list` keeps what it read in memory while files are unchanged; writes by this process, by
// another store on the same directory and by another process all show on the next `list`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileStore } from '../../src/store/file-store.ts';
import { readExecutionFile } from '../../src/store/read.ts';
import type { ExecutionRecord, ExecutionStore } from '../../src/store/types.ts';

const storeModule = fileURLToPath(new URL('../../src/store/file-store.ts', import.meta.url));
const fresh = (id: string, minute = 0): ExecutionRecord => ({
  id, workflow: 'w', parameters: {}, status: 'pending', createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  steps: { a: { id: 'a', status: 'pending', attempts: 0, outputs: {} } }, artifacts: [],
});
const byId = async (s: ExecutionStore) => new Map((await s.list()).map((r) => [r.id, r]));

test('another store on the same directory: its updates, its compaction and a removal show on the next list', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-cache-'));
  const reader = await openFileStore(dir), writer = await openFileStore(dir);
  try {
    await writer.create(fresh('e1'));
    await writer.create(fresh('e2', 1));
    assert.is((await byId(reader)).get('e1')!.status, 'pending');
    await writer.update('e1', { type: 'status', status: 'running', at: new Date().toISOString() });
    await writer.update('e1', { type: 'step', step: { id: 'a', status: 'running', attempts: 1, outputs: {} } });
    let seen = (await byId(reader)).get('e1')!;
    assert.is(seen.status, 'running');
    assert.is(seen.steps.a!.attempts, 1);
    // Finishing compacts the file (a new file renamed over the old one).
    await writer.update('e1', { type: 'step', step: { id: 'a', status: 'success', attempts: 1, outputs: { x: '1' } } });
    await writer.update('e1', { type: 'status', status: 'success', at: new Date().toISOString() });
    await writer.flush();
    seen = (await byId(reader)).get('e1')!;
    assert.is(seen.status, 'success');
    assert.equal(seen.steps.a!.outputs, { x: '1' });
    assert.equal(await reader.cleanup(1, new Date(Date.now() + 3 * 86_400_000)), 1);
    assert.equal([...(await byId(reader)).keys()], ['e2']);
  } finally {
    await Promise.all([reader.close(), writer.close()]);
  }
});

test('the records list shares are frozen: a caller cannot change them for the next one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-cache-'));
  const s = await openFileStore(dir);
  try {
    await s.create(fresh('e1'));
    const [r] = await s.list();
    assert.throws(() => { (r!.steps.a as { status: string }).status = 'failed'; });
    assert.is((await s.list())[0]!.steps.a!.status, 'pending');
  } finally {
    await s.close();
  }
});

test('while another process writes, lists never go backwards, and once it stops they equal the files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-cache-'));
  const s = await openFileStore(dir);
  const ids = ['p1', 'p2', 'p3'];
  for (const [i, id] of ids.entries()) await s.create(fresh(id, i));
  const script = `
    import { openFileStore } from ${JSON.stringify(storeModule)};
    const s = await openFileStore(${JSON.stringify(dir)});
    for (let n = 1; n <= 150; n++) for (const id of ${JSON.stringify(ids)}) {
      await s.update(id, { type: 'step', step: { id: 'a', status: 'running', attempts: n, outputs: {} } });
    }
    await s.close();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const last = new Map<string, number>();
  let lists = 0, running = true;
  void exited.then(() => { running = false; });
  try {
    while (running) {
      for (const r of await s.list()) {
        const n = r.steps.a!.attempts;
        assert.ok(n >= (last.get(r.id) ?? 0), `${r.id} went back from ${last.get(r.id)} to ${n}`);
        last.set(r.id, n);
      }
      lists++;
    }
    assert.is(await exited, 0);
    const final = await byId(s);
    for (const id of ids) {
      const file = await readExecutionFile(join(dir, 'executions', `${id}.jsonl`));
      assert.is(file!.steps.a!.attempts, 150);
      assert.equal(final.get(id), file, id);
    }
    assert.ok(lists > 1, `listed ${lists} times while it wrote`);
  } finally {
    await s.close();
  }
});

test.run();
