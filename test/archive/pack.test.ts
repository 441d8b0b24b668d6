// The tar writer underneath buildArchive: headers that any reader parses back, pax records of
// every length, and a file that changes between hashing and packing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extract, type Header } from 'tar-stream';
import { ArchiveError } from '../../src/plugins/archive/index.ts';
import { serializeFileList } from '../../src/plugins/archive/file-list.ts';
import { packArchive } from '../../src/plugins/archive/pack.ts';
import { END_OF_ARCHIVE, entryHeader, padding } from '../../src/plugins/archive/tar-header.ts';
import { removeTempDirs, sha256, tempDir } from './helpers.ts';

async function headersOf(tar: Buffer): Promise<Header[]> {
  const out: Header[] = [];
  const ex = extract();
  const done = (async () => {
    for await (const e of ex) {
      out.push(e.header);
      e.resume();
    }
  })();
  ex.end(tar);
  await done;
  return out;
}

function tarOf(entries: Array<{ path: string; body: string; target?: string }>): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const size = e.target === undefined ? Buffer.byteLength(e.body) : 0;
    parts.push(entryHeader({ path: e.path, type: e.target === undefined ? 'file' : 'symlink', size, mode: 0o644, ...(e.target === undefined ? {} : { target: e.target }) }));
    if (size) parts.push(Buffer.from(e.body), Buffer.alloc(padding(size)));
  }
  parts.push(END_OF_ARCHIVE);
  return Buffer.concat(parts);
}

/** `n` characters: runs of 40 `x` separated by `/`, never a `/` at the end. */
const pathOfLength = (n: number) => Array.from({ length: n }, (_, i) => (i % 41 === 40 && i !== n - 1 ? '/' : 'x')).join('');

test('names read back exactly: ustar name/prefix split, pax beyond it, pax record lengths across digit boundaries', async () => {
  const paths = new Set<string>();
  for (let n = 1; n <= 1100; n += n < 90 ? 11 : n <= 300 ? 1 : 23) paths.add(pathOfLength(n));
  paths.add('y'.repeat(150)); // no slash to split at
  // Non-ASCII names always take a pax record; these put its length around 100 and 1,000 bytes.
  for (const k of [...Array.from({ length: 12 }, (_, i) => 84 + i), ...Array.from({ length: 12 }, (_, i) => 982 + i)]) paths.add(`é${'x'.repeat(k)}`);
  const entries = [...paths].map((path) => ({ path, body: String(path.length) }));
  const headers = await headersOf(tarOf(entries));
  assert.equal(headers.map((h) => h.name), entries.map((e) => e.path));
});

test('GNU tar reads long names, long link targets and UTF-8 names from the headers', () => {
  const long = `${'a'.repeat(150)}/${'b'.repeat(99)}`;
  const tar = tarOf([
    { path: 'short.txt', body: 'x' },
    { path: long, body: 'y' },
    { path: 'é/ü.txt', body: 'z' },
    { path: 'link', body: '', target: long },
  ]);
  const file = join(tempDir(), 't.tar');
  writeFileSync(file, tar);
  const listed = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' }).trim().split('\n');
  assert.is(listed.length, 4);
  assert.ok(listed[1]!.endsWith(long));
  assert.ok(listed[2]!.endsWith('é/ü.txt'));
  assert.ok(listed[3]!.endsWith(`link -> ${long}`));
  assert.ok(listed.every((l) => l.includes('0/0') && l.includes('1970-01-01')), listed.join('\n'));
});

test('a file that changed after hashing stops the pack with E_INPUT_CHANGED', async () => {
  const dir = tempDir();
  const abs = join(dir, 'a.txt');
  writeFileSync(abs, 'now');
  const entry = { path: 'a.txt', size: 3, sha256: sha256('was'), mode: 0o644, type: 'file' as const };
  const out = join(tempDir(), 'x.tar.gz');
  const err = await packArchive(out, serializeFileList([entry]), [{ entry, abs }]).then(() => undefined, (e: unknown) => e);
  assert.instance(err, ArchiveError);
  assert.is((err as ArchiveError).code, 'E_INPUT_CHANGED');
  assert.match((err as ArchiveError).message, /a\.txt changed while the archive was built/);

  const shrunk = { ...entry, size: 10, sha256: sha256('now') };
  const out2 = join(tempDir(), 'y.tar.gz');
  const err2 = await packArchive(out2, serializeFileList([shrunk]), [{ entry: shrunk, abs }]).then(() => undefined, (e: unknown) => e);
  assert.is((err2 as ArchiveError).code, 'E_INPUT_CHANGED');
  assert.match((err2 as ArchiveError).message, /it has 3 bytes now, 10 when hashed/);
});

test.after(removeTempDirs);

test.run();
