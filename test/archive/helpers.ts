// Fixtures for the archive tests: temp dirs, file trees from a spec, hand-made (possibly hostile)
// .tar.gz files written with tar-stream, and the error code a call fails with.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pack, type Header } from 'tar-stream';
import { ArchiveError } from '../../src/plugins/archive/index.ts';

const made: string[] = [];

export function tempDir(prefix = 'pluginops-archive-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory tempDir() made (for `test.after`). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export type TreeSpec = Record<string, string | { content: string | Buffer; mode?: number } | { symlink: string }>;

/** Writes files (parents created), modes and symlinks under `root`. */
export function writeTree(root: string, spec: TreeSpec): void {
  for (const [path, v] of Object.entries(spec)) {
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof v === 'string') writeFileSync(abs, v);
    else if ('symlink' in v) symlinkSync(v.symlink, abs);
    else {
      writeFileSync(abs, v.content);
      if (v.mode !== undefined) chmodSync(abs, v.mode);
    }
  }
}

/** Every path below `dir` (directories too), sorted; [] when it does not exist. */
export function listAll(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }).map(String).sort();
  } catch {
    return [];
  }
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface RawEntry {
  header: Partial<Header> & { name: string };
  body?: string | Buffer;
}

/** A tar stream (uncompressed) made by tar-stream, entries in the given order. */
export async function tarBytes(entries: readonly RawEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(Buffer.from(c as Uint8Array)));
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const header = { mtime: new Date(0), ...e.header };
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.body !== undefined) p.entry(header, e.body, cb);
      else p.entry(header, cb).end(undefined);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A file list as the builder would write it, for the given files (contents hashed here). */
export function fileListBody(files: Record<string, string | { symlink: string }>, override: Record<string, Partial<{ sha256: string; size: number; mode: number }>> = {}): string {
  const list = Object.entries(files).map(([path, v]) => typeof v === 'string'
    ? { path, size: Buffer.byteLength(v), sha256: sha256(v), mode: 0o644, type: 'file', ...override[path] }
    : { path, size: 0, sha256: sha256(v.symlink), mode: 0o777, type: 'symlink', target: v.symlink, ...override[path] });
  return JSON.stringify({ version: 1, files: list });
}

/** The file list entry followed by the files, for a well-formed archive to spoil. */
export function listedEntries(files: Record<string, string>): RawEntry[] {
  return [
    { header: { name: 'PLUGINOPS-FILES.json' }, body: fileListBody(files) },
    ...Object.entries(files).map(([name, body]) => ({ header: { name }, body })),
  ];
}

/**
 * A raw ustar header block written here from the spec (not by the code under test), for
 * headers tar-stream will not produce, such as a size with no data behind it.
 */
export function rawHeader(name: string, size: number, typeflag = '0', linkname = ''): Buffer {
  const b = Buffer.alloc(512);
  const octal = (offset: number, width: number, v: number) => b.write(v.toString(8).padStart(width - 1, '0') + '\0', offset, 'latin1');
  b.write(name, 0, 'latin1');
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 0);
  b.write(typeflag, 156, 'latin1');
  b.write(linkname, 157, 'latin1');
  b.write('ustar\x0000', 257, 'latin1');
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return b;
}

/** The ArchiveError code a promise rejects with ('resolved' when it does not reject). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (err) {
    return err instanceof ArchiveError ? err.code : `not an ArchiveError: ${String(err)}`;
  }
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function errorOf(promise: Promise<unknown>): Promise<ArchiveError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ArchiveError) return err;
    throw new Error(`expected an ArchiveError, got ${String(err)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}
