// extractArchive on well-formed archives, the checksum and dest rules, and verifyTree.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildArchive, extractArchive, FILE_LIST_NAME, verifyTree } from '../../src/plugins/archive/index.ts';
import { codeOf, listAll, removeTempDirs, tempDir, writeTree } from './helpers.ts';

async function built(): Promise<{ root: string; archive: string; sha256: string }> {
  const root = tempDir();
  writeTree(root, {
    'plugin.json': '{"id":"demo"}\n',
    'src/main.py': 'print(1)\n'.repeat(300),
    'src/pkg/mod.py': 'x = 2\n',
    'bin/run': { content: '#!/bin/sh\n', mode: 0o755 },
    'bin/alias': { symlink: 'run' },
    'lib/up': { symlink: '../src' },
    'empty': '',
  });
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  return { root, archive: r.archive, sha256: r.sha256 };
}

test('round trip: every file, mode and link comes back, and the file list stays in the tree', async () => {
  const { root, archive, sha256 } = await built();
  const dest = join(tempDir(), 'release');
  const { list } = await extractArchive({ archive, dest, expectedSha256: sha256 });
  assert.is(list.length, 7);
  for (const f of list) {
    const p = join(dest, f.path);
    if (f.type === 'symlink') {
      assert.is(readlinkSync(p), f.target);
      continue;
    }
    assert.ok(readFileSync(p).equals(readFileSync(join(root, f.path))), f.path);
    assert.is(statSync(p).mode & 0o777, f.mode, f.path);
  }
  assert.ok(listAll(dest).includes(FILE_LIST_NAME));
  assert.equal(await verifyTree(dest), { ok: true, problems: [] });
});

test('an existing empty dest is used; a non-empty one or a file is refused', async () => {
  const { archive } = await built();
  const empty = tempDir();
  await extractArchive({ archive, dest: empty });
  assert.ok(listAll(empty).includes('plugin.json'));

  const full = tempDir();
  writeFileSync(join(full, 'keep.txt'), 'mine');
  assert.is(await codeOf(extractArchive({ archive, dest: full })), 'E_DEST_INVALID');
  assert.equal(listAll(full), ['keep.txt']);

  const file = join(tempDir(), 'file');
  writeFileSync(file, 'x');
  assert.is(await codeOf(extractArchive({ archive, dest: file })), 'E_DEST_INVALID');

  const link = join(tempDir(), 'link');
  symlinkSync(tempDir(), link);
  assert.is(await codeOf(extractArchive({ archive, dest: link })), 'E_DEST_INVALID');
});

test('a wrong expectedSha256 is refused before anything is written', async () => {
  const { archive } = await built();
  const dest = join(tempDir(), 'x');
  const err = await extractArchive({ archive, dest, expectedSha256: '0'.repeat(64) }).catch((e: unknown) => e);
  assert.is((err as { code?: string }).code, 'E_CHECKSUM');
  assert.match(String(err), /expected 0{64}/);
  assert.equal(listAll(dest), []);
});

test('a missing archive is E_IO and leaves no dest behind', async () => {
  const parent = tempDir();
  assert.is(await codeOf(extractArchive({ archive: join(parent, 'nope.tar.gz'), dest: join(parent, 'a', 'b') })), 'E_IO');
  assert.equal(listAll(parent), []);
});

test('verifyTree reports missing, changed, extra files, mode and link changes', async () => {
  const { archive } = await built();
  const dest = join(tempDir(), 'release');
  await extractArchive({ archive, dest });
  writeFileSync(join(dest, 'src/main.py'), 'tampered\n');
  unlinkSync(join(dest, 'src/pkg/mod.py'));
  writeFileSync(join(dest, 'src/extra.py'), 'new\n');
  chmodSync(join(dest, 'plugin.json'), 0o755);
  unlinkSync(join(dest, 'bin/alias'));
  symlinkSync('elsewhere', join(dest, 'bin/alias'));
  const check = await verifyTree(dest);
  assert.is(check.ok, false);
  const text = check.problems.join('\n');
  assert.match(text, /missing: src\/pkg\/mod\.py/);
  assert.match(text, /changed: src\/main\.py: 9 bytes, expected 2700/);
  assert.match(text, /extra: src\/extra\.py/);
  assert.match(text, /changed: plugin\.json: mode 0o755, expected 0o644/);
  assert.match(text, /changed: bin\/alias: points to "elsewhere", expected "run"/);
  assert.is(check.problems.length, 5);
});

test('verifyTree without a file list, or with a broken one, is not ok', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'x'));
  assert.equal((await verifyTree(dir)).ok, false);
  writeFileSync(join(dir, FILE_LIST_NAME), '{"version":2}');
  const check = await verifyTree(dir);
  assert.is(check.ok, false);
  assert.match(check.problems[0]!, FILE_LIST_NAME);
  rmSync(dir, { recursive: true });
});

test.after(removeTempDirs);

test.run();
