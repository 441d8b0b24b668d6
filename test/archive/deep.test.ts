// Deep and long archives: depth and path-length limits refuse a nesting bomb at once, a deep but
// allowed archive unpacks in time linear in its size, an abort stops the unpacking between
// entries and inside a file, and whatever was written is removed without recursion.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { extractArchive, ExtractError } from '../../src/plugins/archive/index.ts';
import { removeTree } from '../../src/plugins/archive/remove.ts';
import { errorOf, fileListBody, listAll, removeTempDirs, tarBytes, tempDir, type RawEntry } from './helpers.ts';
import { deepDirectoryBomb, manySmallFiles } from './hostile-archives.ts';

const write = (bytes: Buffer) => { const file = join(tempDir(), 'a.tar.gz'); writeFileSync(file, bytes); return file; };

test('2,000 directory entries nested 2,000 deep are refused by maxDepth at once, and dest is gone', async () => {
  const archive = write(await deepDirectoryBomb(2000));
  const dest = join(tempDir(), 'dest');
  const t0 = Date.now();
  const err = await errorOf(extractArchive({ archive, dest }));
  const ms = Date.now() - t0;
  assert.is(err.code, 'E_UNSAFE_ENTRY');
  assert.is((err as ExtractError).reason, 'limit');
  assert.match(err.message, /65 directories deep; maxDepth is 64/);
  assert.ok(ms < 5000, `took ${ms}ms`);
  assert.not.ok(existsSync(dest));
});

test('a path longer than maxPathBytes is refused before it is split or written', async () => {
  const long = Array.from({ length: 24 }, () => 'x'.repeat(200)).join('/'); // 4,823 bytes, 24 deep
  const archive = write(gzipSync(await tarBytes([{ header: { name: 'PLUGINOPS-FILES.json' }, body: fileListBody({}) }, { header: { name: long, type: 'directory' } }])));
  const dest = join(tempDir(), 'dest');
  const err = await errorOf(extractArchive({ archive, dest }));
  assert.is(err.code, 'E_UNSAFE_ENTRY');
  assert.match(err.message, /4823 bytes; maxPathBytes is 4096/);
  assert.not.ok(existsSync(dest));
});

test('a file list naming a path deeper than the limit is refused before any file is written', async () => {
  const deep = `${Array.from({ length: 10 }, (_, i) => `d${i}`).join('/')}/f`;
  const archive = write(gzipSync(await tarBytes([{ header: { name: 'PLUGINOPS-FILES.json' }, body: fileListBody({ [deep]: 'x' }) }, { header: { name: deep }, body: 'x' }])));
  const dest = tempDir();
  const err = await errorOf(extractArchive({ archive, dest, limits: { maxDepth: 8 } }));
  assert.is(err.code, 'E_UNSAFE_ENTRY');
  assert.match(err.message, /listed in PLUGINOPS-FILES\.json: the path is 11 directories deep; maxDepth is 8/);
  assert.equal(readdirSync(dest), [], 'dest is empty again');
});

test('a deep but allowed archive (64 levels, 300 files) unpacks completely, each directory made once', async () => {
  const files: Record<string, string> = {};
  const chain = Array.from({ length: 63 }, (_, i) => `l${i}`);
  for (let i = 1; i <= 63; i++) files[`${chain.slice(0, i).join('/')}/f`] = `level ${i}`;
  for (let i = 0; i < 237; i++) files[`${chain.slice(0, 40 + (i % 23)).join('/')}/w${i}`] = `wide ${i}`;
  const entries: RawEntry[] = [{ header: { name: 'PLUGINOPS-FILES.json' }, body: fileListBody(files) }, ...Object.entries(files).map(([name, body]) => ({ header: { name }, body }))];
  const archive = write(gzipSync(await tarBytes(entries)));
  const dest = join(tempDir(), 'dest');
  const t0 = Date.now();
  const { list } = await extractArchive({ archive, dest });
  const ms = Date.now() - t0;
  assert.is(list.length, 300);
  assert.ok(existsSync(join(dest, ...chain, 'f')));
  assert.is(listAll(dest).length, 1 + 300 + 63, 'the file list, every file and each directory once');
  assert.ok(ms < 60_000, `took ${ms}ms`);
});

/** Extracts `archive`, aborting as soon as `file` appears in dest; the error, and whether dest is left. */
async function abortOnceWritten(archive: string, file: string): Promise<{ code: string; left: boolean }> {
  const dest = join(tempDir(), 'dest');
  const controller = new AbortController();
  const watch = setInterval(() => { if (existsSync(join(dest, file))) controller.abort(); }, 1);
  const err = await errorOf(extractArchive({ archive, dest, signal: controller.signal })).finally(() => clearInterval(watch));
  return { code: err.code, left: existsSync(dest) };
}

test('an abort between entries stops the unpacking with E_ABORTED and removes what was written', async () => {
  assert.equal(await abortOnceWritten(write(await manySmallFiles(1000)), 'f-0050'), { code: 'E_ABORTED', left: false });
});

test('an abort while one large file streams stops it with E_ABORTED', async () => {
  const size = 16 << 20;
  const content = Buffer.alloc(size);
  const archive = write(gzipSync(await tarBytes([{ header: { name: 'PLUGINOPS-FILES.json' }, body: fileListBody({ big: content.toString('latin1') }) }, { header: { name: 'big' }, body: content }]), { level: 1 }));
  assert.equal(await abortOnceWritten(archive, 'big'), { code: 'E_ABORTED', left: false });
});

test('an aborted signal refuses before anything is written', async () => {
  const archive = write(await manySmallFiles(3));
  const dest = join(tempDir(), 'dest');
  const err = await errorOf(extractArchive({ archive, dest, signal: AbortSignal.abort() }));
  assert.is(err.code, 'E_ABORTED');
  assert.not.ok(existsSync(dest));
});

test('removeTree removes a tree 500 directories deep, its paths beyond PATH_MAX, without recursion', () => {
  const root = join(tempDir(), 'deep');
  mkdirSync(root);
  // Chunks 100 deep (1,100 bytes), built at the top and nested from the bottom up, so no path
  // handed to the kernel here is long; the deepest path of the tree is 5,500 bytes.
  const chunk = Array.from({ length: 100 }, () => 'dddddddddd').join('/');
  for (let k = 0; k < 5; k++) {
    mkdirSync(join(root, `c${k}`, chunk), { recursive: true });
    writeFileSync(join(root, `c${k}`, chunk, 'file'), 'x');
  }
  for (let k = 4; k > 0; k--) renameSync(join(root, `c${k}`), join(root, `c${k - 1}`, chunk, 'next'));
  assert.equal(readdirSync(root), ['c0']);
  removeTree(root);
  assert.not.ok(existsSync(root));
});

test('removeTree keeps the root when asked, and unlinks a symlink without following it', () => {
  const outside = tempDir();
  writeFileSync(join(outside, 'keep'), 'x');
  const root = tempDir();
  mkdirSync(join(root, 'a', 'b'), { recursive: true });
  writeFileSync(join(root, 'a', 'b', 'f'), 'x');
  symlinkSync(outside, join(root, 'a', 'link'));
  removeTree(root, { keepRoot: true });
  assert.equal(readdirSync(root), []);
  assert.ok(existsSync(join(outside, 'keep')), 'the symlink target is untouched');
});

test.after(removeTempDirs);
test.run();
