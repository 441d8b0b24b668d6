// Hostile archives made by hand: each one must fail with the right code, write nothing outside
// dest, and leave dest absent (or empty, when it existed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildArchive, extractArchive, ExtractError, type ExtractLimits } from '../../src/plugins/archive/index.ts';
import { fileListBody, listAll, listedEntries, type RawEntry, rawHeader, removeTempDirs, tarBytes, tempDir, writeTree } from './helpers.ts';

const passwd = readFileSync('/etc/passwd');
const list = (files: Parameters<typeof fileListBody>[0], override?: Parameters<typeof fileListBody>[1]): RawEntry =>
  ({ header: { name: 'PLUGINOPS-FILES.json' }, body: fileListBody(files, override) });

interface Case {
  name: string;
  archive: () => Promise<Buffer>;
  code: string;
  /** The entry the error must name. */
  entry?: string;
  reason?: string;
  limits?: ExtractLimits;
}

const gz = async (entries: RawEntry[]) => gzipSync(await tarBytes(entries));
/** A tar stream without its two closing zero blocks, so raw blocks can follow. */
const open = async (entries: RawEntry[]) => { const t = await tarBytes(entries); return t.subarray(0, t.length - 1024); };

const cases: Case[] = [
  { name: 'a parent-directory name', code: 'E_UNSAFE_ENTRY', entry: '../evil', reason: 'name',
    archive: () => gz([list({}), { header: { name: '../evil' }, body: 'x' }]) },
  { name: 'an absolute name', code: 'E_UNSAFE_ENTRY', entry: '/abs/path', reason: 'name',
    archive: () => gz([list({}), { header: { name: '/abs/path' }, body: 'x' }]) },
  { name: '`..` in the middle of a name', code: 'E_UNSAFE_ENTRY', entry: 'a/../../evil', reason: 'name',
    archive: () => gz([list({}), { header: { name: 'a/../../evil' }, body: 'x' }]) },
  { name: 'a NUL in a (pax) name', code: 'E_UNSAFE_ENTRY', reason: 'name',
    archive: () => gz([list({}), { header: { name: 'nul', pax: { path: 'ok\0evil' } }, body: 'x' }]) },
  { name: 'a first entry with a parent-directory name', code: 'E_UNSAFE_ENTRY', entry: '../PLUGINOPS-FILES.json',
    archive: () => gz([{ header: { name: '../PLUGINOPS-FILES.json' }, body: fileListBody({}) }]) },
  { name: 'a symlink to /etc, then a file through it', code: 'E_UNSAFE_ENTRY', entry: 'link', reason: 'link',
    archive: () => gz([list({}), { header: { name: 'link', type: 'symlink', linkname: '/etc' } }, { header: { name: 'link/passwd' }, body: 'root::0:0::/:/bin/sh\n' }]) },
  { name: 'a file through a symlink that points inside', code: 'E_UNSAFE_ENTRY', entry: 'link/passwd', reason: 'link',
    archive: () => gz([list({ link: { symlink: 'sub' }, 'link/passwd': 'x' }), { header: { name: 'link', type: 'symlink', linkname: 'sub' } }, { header: { name: 'link/passwd' }, body: 'x' }]) },
  { name: 'a symlink climbing out with ..', code: 'E_UNSAFE_ENTRY', entry: 'sub/up', reason: 'link',
    archive: () => gz([list({}), { header: { name: 'sub/up', type: 'symlink', linkname: '../..' } }]) },
  { name: 'a symlink with .. after a name (escape through another link)', code: 'E_UNSAFE_ENTRY', entry: 'a', reason: 'link',
    archive: () => gz([list({ p: { symlink: '.' } }), { header: { name: 'p', type: 'symlink', linkname: '.' } }, { header: { name: 'a', type: 'symlink', linkname: 'p/..' } }]) },
  { name: 'a hardlink', code: 'E_UNSAFE_ENTRY', entry: 'h', reason: 'type',
    archive: () => gz([list({ f: 'x' }), { header: { name: 'f' }, body: 'x' }, { header: { name: 'h', type: 'link', linkname: 'f' } }]) },
  { name: 'a hardlink to a file outside', code: 'E_UNSAFE_ENTRY', entry: 'h', reason: 'type',
    archive: () => gz([list({}), { header: { name: 'h', type: 'link', linkname: '/etc/passwd' } }]) },
  { name: 'a character device', code: 'E_UNSAFE_ENTRY', entry: 'null', reason: 'type',
    archive: () => gz([list({}), { header: { name: 'null', type: 'character-device', devmajor: 1, devminor: 3 } }]) },
  { name: 'a FIFO', code: 'E_UNSAFE_ENTRY', entry: 'pipe', reason: 'type',
    archive: () => gz([list({}), { header: { name: 'pipe', type: 'fifo' } }]) },
  { name: 'a huge declared size', code: 'E_UNSAFE_ENTRY', entry: 'big', reason: 'limit',
    archive: async () => gzipSync(Buffer.concat([await open([list({ big: 'x' })]), rawHeader('big', 8 ** 11 - 1), Buffer.alloc(4096, 0x41)])) },
  { name: 'a file list listing a symlink to /etc', code: 'E_CORRUPT',
    archive: () => gz([list({ link: { symlink: '/etc' } }), { header: { name: 'link', type: 'symlink', linkname: '/etc' } }]) },
  { name: 'a symlink with 100 kB of content (an unread body would stall the reader)', code: 'E_UNSAFE_ENTRY', entry: 'l', reason: 'type',
    archive: async () => gzipSync(Buffer.concat([await open([list({ l: { symlink: 'x' } })]), rawHeader('l', 100_000, '2', 'x'), Buffer.alloc(100_352, 0x41), Buffer.alloc(1024)])) },
  { name: 'a file larger than maxFileBytes while the list claims it is small', code: 'E_UNSAFE_ENTRY', entry: 'f', reason: 'limit',
    limits: { maxFileBytes: 500 },
    archive: () => gz([list({ f: 'small' }), { header: { name: 'f' }, body: 'y'.repeat(1000) }]) },
  { name: 'more bytes in all than maxBytes while the list claims less', code: 'E_UNSAFE_ENTRY', entry: 'b', reason: 'limit',
    limits: { maxBytes: 1000 },
    archive: () => gz([list({ a: 'a', b: 'b' }), { header: { name: 'a' }, body: 'a' }, { header: { name: 'b' }, body: 'z'.repeat(900) }]) },
  { name: 'more entries than maxFiles (directories count)', code: 'E_UNSAFE_ENTRY', entry: 'd3', reason: 'limit',
    limits: { maxFiles: 4 },
    archive: () => gz([list({ a: 'a' }), { header: { name: 'a' }, body: 'a' }, ...['d1', 'd2', 'd3'].map((name) => ({ header: { name, type: 'directory' as const } }))]) },
  { name: 'a file list that declares more than the limits', code: 'E_UNSAFE_ENTRY', reason: 'limit',
    limits: { maxFiles: 2 },
    archive: () => gz(listedEntries({ a: 'a', b: 'b', c: 'c' })) },
  { name: 'a decompression bomb of zero blocks', code: 'E_UNSAFE_ENTRY', entry: '(archive)', reason: 'limit',
    limits: { maxBytes: 1000, maxFiles: 2 },
    archive: async () => gzipSync(Buffer.concat([await open([list({})]), Buffer.alloc(8 << 20)])) },
  { name: 'a truncated gzip', code: 'E_CORRUPT',
    archive: async () => { const g = await gz(listedEntries({ a: randomBytes(50_000).toString('hex') })); return g.subarray(0, g.length >> 1); } },
  { name: 'a truncated tar inside a complete gzip', code: 'E_CORRUPT',
    archive: async () => { const t = await tarBytes(listedEntries({ a: 'a'.repeat(5000) })); return gzipSync(t.subarray(0, 2048)); } },
  { name: 'random garbage', code: 'E_CORRUPT', archive: async () => randomBytes(4096) },
  { name: 'a gzip of something that is not tar', code: 'E_CORRUPT', archive: async () => gzipSync(Buffer.from('hello, world\n'.repeat(100))) },
  { name: 'a file list that is not JSON', code: 'E_CORRUPT',
    archive: () => gz([{ header: { name: 'PLUGINOPS-FILES.json' }, body: '{"version":1,' }]) },
  { name: 'a file list naming an unsafe path', code: 'E_CORRUPT',
    archive: () => gz([{ header: { name: 'PLUGINOPS-FILES.json' }, body: fileListBody({ '../evil': 'x' }) }]) },
  { name: 'no file list first', code: 'E_MANIFEST_MISMATCH', entry: 'a',
    archive: () => gz([{ header: { name: 'a' }, body: 'a' }, { header: { name: 'PLUGINOPS-FILES.json' }, body: fileListBody({ a: 'a' }) }]) },
  { name: 'a file list with a wrong SHA-256', code: 'E_MANIFEST_MISMATCH', entry: 'a',
    archive: () => gz([list({ a: 'aaaa' }), { header: { name: 'a' }, body: 'bbbb' }]) },
  { name: 'a file list with a wrong size', code: 'E_MANIFEST_MISMATCH', entry: 'a',
    archive: () => gz([list({ a: 'aaaa' }), { header: { name: 'a' }, body: 'aaaaa' }]) },
  { name: 'a listed file missing from the archive', code: 'E_MANIFEST_MISMATCH', entry: 'b',
    archive: () => gz([list({ a: 'a', b: 'b' }), { header: { name: 'a' }, body: 'a' }]) },
  { name: 'a file the list does not have', code: 'E_MANIFEST_MISMATCH', entry: 'extra',
    archive: () => gz([list({ a: 'a' }), { header: { name: 'a' }, body: 'a' }, { header: { name: 'extra' }, body: 'e' }]) },
  { name: 'an executable the list says is not', code: 'E_MANIFEST_MISMATCH', entry: 'a',
    archive: () => gz([list({ a: 'a' }), { header: { name: 'a', mode: 0o755 }, body: 'a' }]) },
  { name: 'a symlink target that differs from the list', code: 'E_MANIFEST_MISMATCH', entry: 'l',
    archive: () => gz([list({ l: { symlink: 'x' } }), { header: { name: 'l', type: 'symlink', linkname: 'y' } }]) },
  { name: 'the same file twice', code: 'E_UNSAFE_ENTRY', entry: 'a', reason: 'duplicate',
    archive: () => gz([list({ a: 'a' }), { header: { name: 'a' }, body: 'a' }, { header: { name: 'a' }, body: 'a' }]) },
  { name: 'a file under a file', code: 'E_UNSAFE_ENTRY', entry: 'a/b', reason: 'name',
    archive: () => gz([list({ a: 'a', 'a/b': 'b' }), { header: { name: 'a' }, body: 'a' }, { header: { name: 'a/b' }, body: 'b' }]) },
  { name: 'an empty archive', code: 'E_MANIFEST_MISMATCH', archive: () => gz([]) },
];

for (const c of cases) {
  for (const destExists of [false, true]) {
    test(`${c.name} → ${c.code}${destExists ? ' (dest exists, empty)' : ''}`, async () => {
      const archive = join(tempDir(), 'evil.tar.gz');
      writeFileSync(archive, await c.archive());
      const sandbox = tempDir();
      const dest = join(sandbox, 'dest');
      if (destExists) mkdirSync(dest);

      const err = await extractArchive({ archive, dest, ...(c.limits ? { limits: c.limits } : {}) }).then(() => undefined, (e: unknown) => e);

      assert.instance(err, ExtractError, `rejected with ${String(err)}`);
      const e = err as ExtractError;
      assert.is(e.code, c.code, e.message);
      if (c.entry !== undefined) {
        assert.is(e.path, c.entry, e.message);
        assert.ok(e.message.includes(c.entry), e.message);
      }
      if (c.reason !== undefined) assert.is(e.reason, c.reason, e.message);
      assert.equal(listAll(sandbox), destExists ? ['dest'] : [], 'nothing left in or next to dest');
      assert.equal(listAll(join(archive, '..')), ['evil.tar.gz']);
      assert.not.ok(existsSync('/abs'), 'nothing written at an absolute path');
      assert.ok(readFileSync('/etc/passwd').equals(passwd), '/etc/passwd untouched');
    });
  }
}

test('the builder’s own archive with one byte flipped inside a file is refused', async () => {
  const root = tempDir();
  writeTree(root, { 'a.txt': 'a'.repeat(10_000), 'b.txt': 'b' });
  const r = await buildArchive({ root, outDir: tempDir(), name: 'demo' });
  const tar = gunzipSync(readFileSync(r.archive));
  const at = tar.indexOf('aaaaaaaaaa');
  tar[at + 5] = 0x62;
  const archive = join(tempDir(), 'flipped.tar.gz');
  writeFileSync(archive, gzipSync(tar));
  const dest = join(tempDir(), 'x');
  const err = await extractArchive({ archive, dest }).then(() => undefined, (e: unknown) => e);
  assert.instance(err, ExtractError);
  assert.is((err as ExtractError).code, 'E_MANIFEST_MISMATCH');
  assert.match((err as ExtractError).message, /a\.txt has SHA-256 [0-9a-f]{64}; PLUGINOPS-FILES\.json says [0-9a-f]{64}/);
  assert.equal(listAll(dest), []);
});

test.after(removeTempDirs);

test.run();
