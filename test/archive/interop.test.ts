// The built archives are plain .tar.gz files: GNU tar lists and extracts them to the same bytes,
// and the extractor reads what GNU tar cannot tell apart from its own output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildArchive, extractArchive, FILE_LIST_NAME } from '../../src/plugins/archive/index.ts';
import { removeTempDirs, tempDir, writeTree } from './helpers.ts';

const long = `${'n'.repeat(130)}/${'m'.repeat(105)}.txt`;

function sourceTree(): string {
  const root = tempDir();
  writeTree(root, {
    'plugin.json': '{}\n',
    'src/a.py': 'a = 1\n'.repeat(1000),
    'src/deep/b/c/d.txt': 'deep\n',
    'bin/tool': { content: '#!/bin/sh\n', mode: 0o755 },
    'bin/alias': { symlink: 'tool' },
    'ünïcode.txt': 'utf8 name\n',
    [long]: 'long name\n',
    'empty.txt': '',
  });
  return root;
}

test('tar -tzf lists the file list first and every packed path', async () => {
  const root = sourceTree();
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  const listed = execFileSync('tar', ['-tzf', r.archive], { encoding: 'utf8' }).trim().split('\n');
  assert.is(listed[0], FILE_LIST_NAME);
  assert.equal(listed.slice(1), r.list.map((f) => f.path));
});

test('tar -xzf extracts the same bytes, modes and links as the source', async () => {
  const root = sourceTree();
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  const dest = tempDir();
  execFileSync('tar', ['-xzf', r.archive, '-C', dest]);
  for (const f of r.list) {
    if (f.type === 'symlink') {
      assert.is(readlinkSync(join(dest, f.path)), readlinkSync(join(root, f.path)), f.path);
      continue;
    }
    assert.ok(readFileSync(join(dest, f.path)).equals(readFileSync(join(root, f.path))), f.path);
    assert.is(statSync(join(dest, f.path)).mode & 0o111 ? 0o755 : 0o644, f.mode, f.path);
  }
  const list = JSON.parse(readFileSync(join(dest, FILE_LIST_NAME), 'utf8')) as { files: unknown[] };
  assert.equal(list.files, r.list);
});

test('an archive repacked by GNU tar from our output extracts once its file list is first', async () => {
  const root = sourceTree();
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  const unpacked = tempDir();
  execFileSync('tar', ['-xzf', r.archive, '-C', unpacked]);
  const repacked = join(tempDir(), 'gnu.tar.gz');
  const names = [FILE_LIST_NAME, ...r.list.map((f) => f.path)];
  execFileSync('tar', ['-czf', repacked, '--format=posix', '--no-recursion', '-C', unpacked, ...names]);
  const dest = join(tempDir(), 'x');
  const out = await extractArchive({ archive: repacked, dest });
  assert.equal(out.list, r.list);
  assert.ok(readFileSync(join(dest, long)).equals(readFileSync(join(root, long))));
});

test.after(removeTempDirs);

test.run();
