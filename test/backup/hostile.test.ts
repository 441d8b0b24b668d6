// Backups that must not be trusted: a manifest naming a path outside its root (relative with
// `..`, absolute, or through a link it lists), a backup from a newer store or format, bad ids.
// Each is refused at verify and restore, and nothing is written outside the roots.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup } from '../../src/backup/create.ts';
import { BackupError } from '../../src/backup/errors.ts';
import { restoreBackup } from '../../src/backup/restore.ts';
import { verifyBackup } from '../../src/backup/verify.ts';
import { PathError } from '../../src/store/paths.ts';
import { sha256 } from '../../src/backup/verify.ts';
import { makeProject, scopeOf } from './helpers.ts';

async function thrown(p: Promise<unknown>): Promise<Error> {
  try { await p; } catch (e) { return e as Error; }
  throw new Error('expected an error');
}

/** Rewrites a backup's manifest with `edit`, and its checksum to match (a forger would). */
function forge(path: string, edit: (m: { entries: unknown[]; storeVersion: number; format: number }) => void): void {
  const m = JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8')) as { entries: unknown[]; storeVersion: number; format: number };
  edit(m);
  const text = JSON.stringify(m);
  writeFileSync(join(path, 'manifest.json'), text);
  writeFileSync(join(path, 'manifest.sha256'), `${sha256(text)}  manifest.json\n`);
}

const outside = [
  { name: 'a relative path that climbs out', path: '../../../escaped-by-backup' },
  { name: 'an absolute path', path: '/tmp/escaped-by-backup-abs' },
];

for (const c of outside) {
  test(`a manifest naming ${c.name} is refused at verify and restore; nothing is written there`, async () => {
    const dir = makeProject();
    try {
      const scope = await scopeOf(dir);
      const made = await createBackup(scope, { reason: 'x' });
      forge(made.path, (m) => m.entries.push({ path: c.path, type: 'file', size: 3, mode: 0o644, sha256: sha256('pwn') }));
      const target = c.path.startsWith('/') ? c.path : join(made.path, 'data', c.path);
      for (const act of [() => verifyBackup(scope.dir, made.id), () => restoreBackup(scope, made.id)]) {
        const e = await thrown(act());
        assert.ok(e instanceof BackupError, String(e));
        assert.is((e as BackupError).code, 'E_BACKUP_UNSAFE');
        assert.ok((e as BackupError).files.includes(c.path));
        assert.match(e.message, /refused/);
      }
      assert.not.ok(existsSync(target));
      assert.equal(readdirSync(dir).filter((n) => n.includes('.restore-')), []);
      assert.is(readdirSync(scope.dir).filter((n) => /^\d{4}-/.test(n) && !n.includes('.')).length, 1, 'no safety backup was taken');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
}

test('a manifest that writes through a link it lists is refused', async () => {
  const dir = makeProject();
  try {
    const scope = await scopeOf(dir);
    const made = await createBackup(scope, { reason: 'x' });
    const link = made.manifest.entries.find((e) => e.type === 'symlink')!;
    forge(made.path, (m) => {
      m.entries = m.entries.map((e) => (e as { path: string }).path === link.path ? { path: link.path, type: 'symlink', target: '/etc' } : e);
      m.entries.push({ path: `${link.path}/passwd`, type: 'file', size: 3, mode: 0o644, sha256: sha256('pwn') });
    });
    const e = await thrown(restoreBackup(scope, made.id));
    assert.ok(e instanceof BackupError);
    assert.is((e as BackupError).code, 'E_BACKUP_UNSAFE');
    assert.match(e.message, /does not list as a folder before it/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a backup from a newer store layout or format is refused by restore', async () => {
  const dir = makeProject();
  try {
    const scope = await scopeOf(dir);
    for (const [field, says] of [['storeVersion', /holds a store of version 99; this pluginops reads store version 1/], ['format', /has format 99; this pluginops reads format 1/]] as const) {
      const made = await createBackup(scope, { reason: 'x' });
      forge(made.path, (m) => { m[field] = 99; });
      writeFileSync(join(dir, 'pipelines', 'ship.yml'), `changed ${field}\n`);
      const e = await thrown(restoreBackup(scope, made.id));
      assert.ok(e instanceof BackupError);
      assert.is((e as BackupError).code, 'E_BACKUP_VERSION');
      assert.match(e.message, says);
      assert.is(readFileSync(join(dir, 'pipelines', 'ship.yml'), 'utf8'), `changed ${field}\n`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a manifest edited without its checksum is named at verify', async () => {
  const dir = makeProject();
  try {
    const scope = await scopeOf(dir);
    const made = await createBackup(scope, { reason: 'x' });
    const text = readFileSync(join(made.path, 'manifest.json'), 'utf8');
    writeFileSync(join(made.path, 'manifest.json'), text.replace('"reason": "x"', '"reason": "y"'));
    const v = await verifyBackup(scope.dir, made.id);
    assert.equal(v.problems.map((p) => p.path), ['manifest.json']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('path-like and unknown ids are refused before the disk is touched', async () => {
  const dir = makeProject();
  try {
    const scope = await scopeOf(dir);
    for (const id of ['../x', '/etc', '2026-12-07T03-10-00Z-1a2b3c/..', '', 'latest']) {
      const e = await thrown(verifyBackup(scope.dir, id));
      assert.ok(e instanceof PathError, id);
      assert.is((e as PathError).code, 'E_BAD_ID');
    }
    const e = await thrown(restoreBackup(scope, '2026-12-07T03-10-00Z-1a2b3c'));
    assert.ok(e instanceof BackupError);
    assert.is((e as BackupError).code, 'E_BACKUP_NOT_FOUND');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test.run();
