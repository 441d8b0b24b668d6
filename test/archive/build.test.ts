// buildArchive: reproducible bytes, exclusions, the file list, reuse, symlinks, options.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import { buildArchive, FILE_LIST_NAME, type FileList } from '../../src/plugins/archive/index.ts';
import { codeOf, errorOf, removeTempDirs, sha256, tempDir, type TreeSpec, writeTree } from './helpers.ts';

const plugin: TreeSpec = {
  'plugin.json': '{"id":"demo"}\n',
  'src/main.py': 'print("hi")\n',
  'src/util/strings.py': 'X = 1\n'.repeat(500),
  'bin/run.sh': { content: '#!/bin/sh\necho run\n', mode: 0o755 },
  'assets/logo.bin': { content: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)) },
  'B-upper.txt': 'sorted before a-lower in byte order\n',
  'a-lower.txt': 'x\n',
  'a/b.txt': 'nested\n',
};

/** Every entry of a .tar.gz: header and content. */
async function entries(archive: string): Promise<Array<{ header: Header; body: Buffer }>> {
  const out: Array<{ header: Header; body: Buffer }> = [];
  const ex = extract();
  const done = (async () => {
    for await (const e of ex) {
      const chunks: Buffer[] = [];
      for await (const c of e) chunks.push(c as Buffer);
      out.push({ header: e.header, body: Buffer.concat(chunks) });
    }
  })();
  ex.end(gunzipSync(readFileSync(archive)));
  await done;
  return out;
}

function fileList(archiveEntries: Array<{ body: Buffer }>): FileList {
  return JSON.parse(archiveEntries[0]!.body.toString('utf8')) as FileList;
}

test('the same input gives byte-identical archives, whatever the mtimes, owners and permission bits', async () => {
  const root = tempDir();
  writeTree(root, plugin);
  const first = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  const second = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  utimesSync(join(root, 'src/main.py'), new Date('2001-02-03'), new Date('2001-02-03'));
  utimesSync(join(root, 'a-lower.txt'), new Date(), new Date());
  chmodSync(join(root, 'plugin.json'), 0o600); // no execute bit: still 0o644
  chmodSync(join(root, 'bin/run.sh'), 0o700); // an execute bit: still 0o755
  if (process.getuid?.() === 0) chownSync(join(root, 'src/main.py'), 1234, 5678); // owner: still 0/0
  const third = await buildArchive({ root, outDir: tempDir(), name: 'demo' });

  assert.is(first.reused || second.reused || third.reused, false);
  assert.ok(readFileSync(first.archive).equals(readFileSync(second.archive)));
  assert.ok(readFileSync(first.archive).equals(readFileSync(third.archive)));
  assert.is(third.sha256, first.sha256);
  assert.is(third.inputHash, first.inputHash);
  assert.is(first.sha256, sha256(readFileSync(first.archive)));
  assert.is(first.size, statSync(first.archive).size);
});

test('headers are normalised: mtime 0, uid/gid 0, no owner names, modes 644/755, sorted paths, file list first', async () => {
  const root = tempDir();
  writeTree(root, plugin);
  chmodSync(join(root, 'src/main.py'), 0o640);
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  const all = await entries(r.archive);
  const names = all.map((e) => e.header.name);
  assert.is(names[0], FILE_LIST_NAME);
  const rest = names.slice(1);
  assert.equal(rest, [...rest].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  assert.equal(rest, ['B-upper.txt', 'a-lower.txt', 'a/b.txt', 'assets/logo.bin', 'bin/run.sh', 'plugin.json', 'src/main.py', 'src/util/strings.py']);
  for (const { header } of all) {
    assert.is(header.mtime.getTime(), 0, header.name);
    assert.is(header.uid, 0);
    assert.is(header.gid, 0);
    assert.is(header.uname, '');
    assert.is(header.gname, '');
    assert.is(header.mode, header.name === 'bin/run.sh' ? 0o755 : 0o644, header.name);
  }
  assert.ok(all.every((e) => e.header.type === 'file'), 'no directory entries');
});

test('the gzip header is fixed: no name, mtime 0, OS byte 3', async () => {
  const root = tempDir();
  writeTree(root, plugin);
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  const head = readFileSync(r.archive).subarray(0, 10);
  assert.equal([...head], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
});

test('the file list has the size, mode and SHA-256 of every packed file and symlink', async () => {
  const root = tempDir();
  writeTree(root, { ...plugin, 'link.txt': { symlink: 'a/b.txt' } });
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  const all = await entries(r.archive);
  const list = fileList(all);
  assert.is(list.version, 1);
  assert.equal(list.files, r.list);
  assert.is(r.files, list.files.length);
  assert.is(r.files, 9);
  for (const f of list.files) {
    if (f.type === 'symlink') {
      assert.is(f.target, 'a/b.txt');
      assert.is(f.sha256, sha256('a/b.txt'));
      continue;
    }
    const content = readFileSync(join(root, f.path));
    assert.is(f.sha256, sha256(content), f.path);
    assert.is(f.size, content.length, f.path);
    assert.ok(all.find((e) => e.header.name === f.path)!.body.equals(content), `${f.path} packed as is`);
  }
  assert.is(r.bytes, list.files.reduce((n, f) => n + f.size, 0));
  assert.is(list.files.find((f) => f.path === 'bin/run.sh')!.mode, 0o755);
});

test('default exclusions, glob patterns and an outDir inside the root are left out', async () => {
  const root = tempDir();
  writeTree(root, {
    'keep.py': 'k', 'src/keep.js': 'k',
    '.git/HEAD': 'x', '.env': 'x', 'src/.cache/x': 'x', 'node_modules/m/index.js': 'x', 'src/node_modules/m/i.js': 'x',
    'build/out.js': 'x', 'dist/out.js': 'x', 'pkg/__pycache__/m.cpython.pyc': 'x', 'pkg/m.pyc': 'x',
    'linked/node_modules': { symlink: '../../elsewhere/node_modules' }, 'scripts/build': 'k',
    'debug.log': 'x', 'logs/today.log': 'x', 'docs/a/b.md': 'x', 'tmp/t': 'x', 'tmpfile': 'k', 'src/ab.txt': 'x', 'src/abc.txt': 'k',
  });
  const outDir = join(root, 'out');
  const r = await buildArchive({ root, outDir, name: 'demo', exclude: ['*.log', 'docs/**', 'tmp/', 'src/a?.txt'] });
  assert.equal(r.list.map((f) => f.path), ['keep.py', 'scripts/build', 'src/abc.txt', 'src/keep.js', 'tmpfile']);
  const again = await buildArchive({ root, outDir, name: 'demo', exclude: ['*.log', 'docs/**', 'tmp/', 'src/a?.txt'] });
  assert.is(again.inputHash, r.inputHash, 'the archive in outDir is not packed into the next build');
});

test('an unchanged input reuses the archive without rewriting it; a change rebuilds', async () => {
  const root = tempDir();
  writeTree(root, plugin);
  const outDir = tempDir();
  const first = await buildArchive({ root, outDir, name: 'demo' });
  const before = statSync(first.archive);
  const second = await buildArchive({ root, outDir, name: 'demo' });
  const after = statSync(second.archive);
  assert.is(second.reused, true);
  assert.is(second.archive, first.archive);
  assert.is(second.sha256, first.sha256);
  assert.equal(second.list, first.list);
  assert.is(after.ino, before.ino);
  assert.is(after.mtimeMs, before.mtimeMs);

  writeFileSync(join(root, 'src/main.py'), 'print("changed")\n');
  const third = await buildArchive({ root, outDir, name: 'demo' });
  assert.is(third.reused, false);
  assert.is.not(third.inputHash, first.inputHash);
  assert.is.not(third.sha256, first.sha256);
  assert.is(third.list.find((f) => f.path === 'src/main.py')!.sha256, sha256('print("changed")\n'));

  writeFileSync(join(root, 'src/main.py'), 'print("hi")\n');
  const fourth = await buildArchive({ root, outDir, name: 'demo' });
  assert.is(fourth.reused, false, 'the old archive was overwritten, so its recorded SHA-256 no longer matches');
  assert.is(fourth.sha256, first.sha256);
});

test('a cacheDir keeps content-addressed archives across outDirs and versions', async () => {
  const root = tempDir();
  writeTree(root, plugin);
  const cacheDir = tempDir();
  const first = await buildArchive({ root, outDir: tempDir(), name: 'demo-1', cacheDir });
  assert.ok(readdirSync(cacheDir).includes(`demo-1-${first.inputHash}.tar.gz`));
  writeFileSync(join(root, 'a-lower.txt'), 'y\n');
  const changed = await buildArchive({ root, outDir: tempDir(), name: 'demo-2', cacheDir });
  assert.is(changed.reused, false);
  writeFileSync(join(root, 'a-lower.txt'), 'x\n');
  const outDir = tempDir();
  const back = await buildArchive({ root, outDir, name: 'demo-3', cacheDir });
  assert.is(back.reused, true);
  assert.is(back.archive, join(outDir, 'demo-3.tar.gz'));
  assert.is(back.sha256, first.sha256);
  assert.ok(readFileSync(back.archive).equals(readFileSync(first.archive)));
});

test('a cached archive whose bytes changed is not reused', async () => {
  const root = tempDir();
  writeTree(root, plugin);
  const cacheDir = tempDir();
  const first = await buildArchive({ root, outDir: tempDir(), name: 'demo', cacheDir });
  const cached = join(cacheDir, `demo-${first.inputHash}.tar.gz`);
  const bytes = readFileSync(cached);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  writeFileSync(cached, bytes);
  const second = await buildArchive({ root, outDir: tempDir(), name: 'demo', cacheDir });
  assert.is(second.reused, false);
  assert.is(second.sha256, first.sha256);
});

test('symlinks inside the tree are stored; one pointing outside is refused, naming the link', async () => {
  const root = tempDir();
  writeTree(root, { 'lib/x.py': 'x', 'bin/x': { symlink: '../lib/x.py' }, 'here': { symlink: '.' }, 'lib/up': { symlink: '..' } });
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  assert.equal(r.list.filter((f) => f.type === 'symlink').map((f) => [f.path, f.target]), [['bin/x', '../lib/x.py'], ['here', '.'], ['lib/up', '..']]);
  const links = (await entries(r.archive)).filter((e) => e.header.type === 'symlink');
  assert.equal(links.map((e) => [e.header.name, e.header.linkname, e.header.mode]), [['bin/x', '../lib/x.py', 0o777], ['here', '.', 0o777], ['lib/up', '..', 0o777]]);

  const cases: Array<[TreeSpec, string, string]> = [
    [{ 'evil': { symlink: '../../etc/passwd' } }, 'E_LINK_OUTSIDE', 'evil'],
    [{ 'sub/evil': { symlink: '../..' } }, 'E_LINK_OUTSIDE', 'sub/evil'],
    [{ 'abs': { symlink: '/etc/passwd' } }, 'E_LINK_OUTSIDE', 'abs'],
    [{ 'a/x': 'x', 'sneaky': { symlink: 'a/../a/x' } }, 'E_LINK_UNSAFE', 'sneaky'],
  ];
  for (const [spec, code, link] of cases) {
    const bad = tempDir();
    writeTree(bad, spec);
    const err = await errorOf(buildArchive({ root: bad, outDir: tempDir(), name: 'demo' }));
    assert.is(err.code, code, link);
    assert.is(err.path, link);
    assert.match(err.message, link);
  }
});

test('long and non-ASCII names survive (pax headers)', async () => {
  const root = tempDir();
  const long = `${'d'.repeat(120)}/${'f'.repeat(110)}.txt`;
  writeTree(root, { [long]: 'long', 'ünïcode/файл.txt': 'utf8', 'l': { symlink: `${'d'.repeat(120)}/${'f'.repeat(110)}.txt` } });
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  const all = await entries(r.archive);
  assert.equal(all.map((e) => e.header.name).slice(1).sort(), [long, 'l', 'ünïcode/файл.txt'].sort());
  assert.is(all.find((e) => e.header.name === 'l')!.header.linkname, long);
  assert.is(all.find((e) => e.header.name === long)!.body.toString(), 'long');
});

test('bad options are refused with E_OPTIONS', async () => {
  const root = tempDir();
  writeTree(root, plugin);
  assert.is(await codeOf(buildArchive({ root, outDir: root, name: 'demo' })), 'E_OPTIONS');
  assert.is(await codeOf(buildArchive({ root, outDir: tempDir(), cacheDir: root, name: 'demo' })), 'E_OPTIONS');
  assert.is(await codeOf(buildArchive({ root, outDir: tempDir(), name: 'a/b' })), 'E_OPTIONS');
  assert.is(await codeOf(buildArchive({ root, outDir: tempDir(), name: '.hidden' })), 'E_OPTIONS');
  assert.is(await codeOf(buildArchive({ root: join(root, 'missing'), outDir: tempDir(), name: 'demo' })), 'E_OPTIONS');
  assert.is(await codeOf(buildArchive({ root, outDir: tempDir(), name: 'demo', exclude: ['/'] })), 'E_OPTIONS');
});

test('an abort stops the build and leaves no temp file behind', async () => {
  const root = tempDir();
  for (let i = 0; i < 300; i++) writeTree(root, { [`d${i % 10}/f${i}.txt`]: 'content '.repeat(2000 + i) });
  const outDir = tempDir();
  const already = new AbortController();
  already.abort();
  const e1 = await buildArchive({ root, outDir, name: 'demo', signal: already.signal }).then(() => undefined, (e: unknown) => e);
  assert.instance(e1, Error);
  assert.is((e1 as Error).name, 'AbortError');

  const ctl = new AbortController();
  const build = buildArchive({ root, outDir, name: 'demo', signal: ctl.signal });
  setImmediate(() => ctl.abort());
  const e2 = await build.then(() => undefined, (e: unknown) => e);
  assert.instance(e2, Error);
  assert.is((e2 as Error).name, 'AbortError');
  assert.equal(readdirSync(outDir), []);
});

test('an empty tree gives an archive with just the file list', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'empty-dir'));
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  assert.is(r.files, 0);
  const all = await entries(r.archive);
  assert.equal(all.map((e) => e.header.name), [FILE_LIST_NAME]);
  assert.equal(fileList(all), { version: 1, files: [] });
});

test.after(removeTempDirs);

test.run();
