// Backups end to end through the library: create → verify → one corrupted byte refused by verify
// and restore (naming the file) → restore of a good backup brings store, documents and releases
// back with their modes and links, leaving a pinned safety backup; a full disk leaves nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, unlinkSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup } from '../../src/backup/create.ts';
import { BackupError } from '../../src/backup/errors.ts';
import { listBackups } from '../../src/backup/list.ts';
import { restoreBackup } from '../../src/backup/restore.ts';
import { verifyBackup } from '../../src/backup/verify.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import { execution } from '../store/helpers.ts';
import { fullDiskAt, makeProject, scopeOf } from './helpers.ts';

const corruptOneByte = (path: string) => {
  const bytes = readFileSync(path);
  bytes[0] = bytes[0]! ^ 0xff;
  writeFileSync(path, bytes);
};

async function rejects(p: Promise<unknown>): Promise<BackupError> {
  try { await p; } catch (e) { if (e instanceof BackupError) return e; throw e; }
  throw new Error('expected a BackupError');
}

test('create writes a manifest of every file (path, size, mode, SHA-256) and verifies it', async () => {
  const dir = makeProject();
  try {
    const scope = await scopeOf(dir);
    assert.equal(scope.dir, join(dir, '.pluginops-backups'));
    assert.equal(scope.roots.map((r) => r.name), ['store', 'project', 'documents:pipelines', 'releases:prod']);
    const made = await createBackup(scope, { reason: 'test' });
    const m = made.manifest;
    assert.is(m.format, 1);
    assert.is(m.storeVersion, 1);
    assert.is(m.reason, 'test');
    assert.is(m.pinned, false);
    const run = m.entries.find((e) => e.path.endsWith('/run.sh'));
    assert.equal(run && run.type === 'file' && [run.size, run.mode], [Buffer.byteLength('#!/bin/sh\necho hello\n'), 0o755]);
    assert.ok(run && run.type === 'file' && /^[0-9a-f]{64}$/.test(run.sha256));
    assert.ok(m.entries.some((e) => e.type === 'symlink' && e.target === 'releases/1.0.0-20261201T000000Z'));
    assert.not.ok(m.entries.some((e) => e.path.endsWith('e1.lock')), 'lock files are not state');
    assert.equal(readdirSync(scope.dir).filter((n) => n.startsWith('.tmp-')), []);
    assert.equal((await verifyBackup(scope.dir, made.id)).problems, []);
    const [listed] = await listBackups(scope.dir);
    assert.equal([listed!.id, listed!.verified, listed!.files, listed!.pinned], [made.id, 'ok', m.totals.files, false]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('one corrupted byte: verify names the file, restore refuses and changes nothing', async () => {
  const dir = makeProject();
  try {
    const scope = await scopeOf(dir);
    const made = await createBackup(scope, { reason: 'test' });
    const entry = made.manifest.entries.find((e) => e.path.endsWith('pipelines/ship.yml'))!;
    corruptOneByte(join(made.path, 'data', entry.path));
    const v = await verifyBackup(scope.dir, made.id);
    assert.is(v.problems.length, 1);
    assert.is(v.problems[0]!.path, entry.path);
    assert.match(v.problems[0]!.problem, /^SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}$/);
    assert.is(v.problems[0]!.source, join(dir, 'pipelines', 'ship.yml'));
    writeFileSync(join(dir, 'pipelines', 'ship.yml'), 'changed\n');
    const e = await rejects(restoreBackup(scope, made.id));
    assert.is(e.code, 'E_BACKUP_CORRUPT');
    assert.equal(e.files, [entry.path]);
    assert.match(e.message, /restore refused, nothing was changed/);
    assert.is(readFileSync(join(dir, 'pipelines', 'ship.yml'), 'utf8'), 'changed\n');
    assert.is((await listBackups(scope.dir)).length, 1, 'no safety backup for a refused restore');
    // A file missing, and one the manifest does not list, are named too.
    unlinkSync(join(made.path, 'data', made.manifest.entries.find((e) => e.path.endsWith('ledger.jsonl'))!.path));
    writeFileSync(join(made.path, 'data', 'stray.txt'), 'x');
    const again = await verifyBackup(scope.dir, made.id);
    const found = new Map(again.problems.map((p) => [p.path, p.problem]));
    assert.is(found.size, 3);
    assert.match(found.get(entry.path)!, /^SHA-256 /);
    assert.is(found.get(made.manifest.entries.find((e) => e.path.endsWith('ledger.jsonl'))!.path), 'missing');
    assert.is(found.get('stray.txt'), 'not in the manifest');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('restore brings back the store, the documents and the releases, with modes and links, after a pinned safety backup', async () => {
  const dir = makeProject();
  try {
    const scope = await scopeOf(dir);
    const good = await createBackup(scope, { reason: 'before the change' });
    // The change: a document edited, an execution added, a release removed, a mode changed, the link moved.
    writeFileSync(join(dir, 'pipelines', 'ship.yml'), 'broken: [\n');
    writeFileSync(join(dir, 'pipelines', 'new.yml'), 'x: 1\n');
    writeFileSync(join(dir, '.pluginops', 'executions', 'e2.jsonl'), '{"id":"e2"}\n');
    rmSync(join(dir, 'srv', 'hello', 'releases', '1.0.0-20261201T000000Z', 'secret.txt'));
    rmSync(join(dir, 'srv', 'hello', 'current'));
    symlinkSync('releases/none', join(dir, 'srv', 'hello', 'current'));
    writeFileSync(join(dir, 'pluginops.yml'), readFileSync(join(dir, 'pluginops.yml'), 'utf8') + 'locale: ko\n');
    const r = await restoreBackup(scope, good.id);
    assert.equal(r.restored, ['store', 'project', 'documents:pipelines', 'releases:prod']);
    assert.match(readFileSync(join(dir, 'pipelines', 'ship.yml'), 'utf8'), /run: echo one/);
    assert.not.ok(existsSync(join(dir, 'pipelines', 'new.yml')));
    assert.not.ok(existsSync(join(dir, '.pluginops', 'executions', 'e2.jsonl')));
    assert.not.ok(readFileSync(join(dir, 'pluginops.yml'), 'utf8').includes('locale'));
    const rel = join(dir, 'srv', 'hello', 'releases', '1.0.0-20261201T000000Z');
    assert.is(readFileSync(join(rel, 'secret.txt'), 'utf8'), 'only me\n');
    assert.is(statSync(join(rel, 'secret.txt')).mode & 0o777, 0o600);
    assert.is(statSync(join(rel, 'run.sh')).mode & 0o777, 0o755);
    assert.is(statSync(join(dir, '.pluginops', 'executions', 'e1.jsonl')).mode & 0o777, 0o640);
    assert.ok(lstatSync(join(dir, 'srv', 'hello', 'current')).isSymbolicLink());
    assert.is(readlinkSync(join(dir, 'srv', 'hello', 'current')), 'releases/1.0.0-20261201T000000Z');
    // Nothing left beside the roots, and the state before the restore is kept, pinned.
    assert.equal(readdirSync(dir).filter((n) => n.includes('.restore-')), []);
    const list = await listBackups(scope.dir);
    const safety = list.find((b) => b.id === r.safety.id)!;
    assert.ok(safety.pinned);
    assert.match(safety.reason, new RegExp(`before restoring ${good.id}`));
    assert.is(safety.verified, 'ok');
    // …and restoring it undoes the restore.
    await restoreBackup(scope, safety.id);
    assert.ok(existsSync(join(dir, 'pipelines', 'new.yml')));
    assert.is(readlinkSync(join(dir, 'srv', 'hello', 'current')), 'releases/none');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a full disk at any write: a clear error, the temp folder removed, no backup listed', async () => {
  const dir = makeProject();
  try {
    const scope = await scopeOf(dir);
    for (const failAt of [1, 3, 6, 9]) {
      const disk = fullDiskAt(failAt);
      const e = await rejects(createBackup(scope, { reason: 'x', pinned: true, writer: disk.writer }));
      assert.is(e.code, 'E_BACKUP_WRITE', `write ${failAt}`);
      assert.match(e.message, /the disk is full: ENOSPC: no space left on device/);
      assert.match(e.message, /nothing was kept/);
      assert.equal(readdirSync(scope.dir).filter((n) => n !== '.lock'), [], `write ${failAt}: nothing left`);
      assert.equal(await listBackups(scope.dir), []);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('restore is refused while an execution runs in the store (this process owns it), and nothing changes', async () => {
  const dir = makeProject();
  try {
    const scope = await scopeOf(dir);
    const made = await createBackup(scope, { reason: 'x' });
    const store = await openFileStore(join(dir, '.pluginops'));
    await store.create(execution('live-run', { status: 'running' }));
    await store.close();
    writeFileSync(join(dir, 'pipelines', 'ship.yml'), 'changed\n');
    const e = await rejects(restoreBackup(scope, made.id));
    assert.is(e.code, 'E_BACKUP_BUSY');
    assert.match(e.message, /executions are running in .* \(live-run\)/);
    assert.is(readFileSync(join(dir, 'pipelines', 'ship.yml'), 'utf8'), 'changed\n');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('the backups folder may not lie inside what it backs up', async () => {
  const dir = makeProject('  dir: pipelines/backups\n');
  try {
    let e: unknown;
    try { await scopeOf(dir); } catch (err) { e = err; }
    assert.ok(e instanceof BackupError);
    assert.is((e as BackupError).code, 'E_BACKUP_CONFIG');
    assert.match((e as BackupError).message, /lies inside documents:pipelines/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test.run();
