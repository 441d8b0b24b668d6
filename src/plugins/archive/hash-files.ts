// SHA-256 of files: the hashing pass over a tree (synchronous reads into one large buffer, the
// event loop handed back between slices) and the streamed hash of a single archive.
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { BuildError, osReason } from './errors.ts';
import type { Pacer } from './pacer.ts';
import type { FileEntry } from './types.ts';
import type { TreeEntry } from './walk.ts';

export const READ_BUFFER_BYTES = 1 << 20;

/** O_NOFOLLOW: a file swapped for a symlink is not followed; O_NONBLOCK: a FIFO does not hang open(). */
export const OPEN_FOR_READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export function normalMode(mode: number): number {
  return mode & 0o111 ? 0o755 : 0o644;
}

export const SYMLINK_MODE = 0o777;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function symlinkEntry(path: string, target: string): FileEntry {
  return { path, size: 0, sha256: sha256Hex(target), mode: SYMLINK_MODE, type: 'symlink', target };
}

/** Hashes every file of `entries` (in order), reading each once. */
export async function hashTree(entries: readonly TreeEntry[], pacer: Pacer): Promise<FileEntry[]> {
  const buf = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const out: FileEntry[] = [];
  for (const e of entries) {
    if (pacer.due()) await pacer.pause();
    if (e.type === 'symlink') {
      out.push(symlinkEntry(e.path, e.target));
      continue;
    }
    const fd = openForRead(e.abs);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new BuildError('E_INPUT_CHANGED', `${e.abs} is no longer a regular file`, { path: e.abs });
      const hash = createHash('sha256');
      let left = st.size;
      while (left > 0) {
        const n = readSync(fd, buf, 0, Math.min(left, buf.length), null);
        if (n === 0) throw new BuildError('E_INPUT_CHANGED', `${e.abs} shrank while it was read: expected ${st.size} bytes, found ${st.size - left}`, { path: e.abs });
        hash.update(buf.subarray(0, n));
        left -= n;
        if (left > 0 && pacer.due()) await pacer.pause();
      }
      out.push({ path: e.path, size: st.size, sha256: hash.digest('hex'), mode: normalMode(st.mode), type: 'file' });
    } finally {
      closeSync(fd);
    }
  }
  return out;
}

export function openForRead(abs: string): number {
  try {
    return openSync(abs, OPEN_FOR_READ);
  } catch (err) {
    throw new BuildError('E_IO', `cannot read ${abs}: ${osReason(err)}`, { path: abs, cause: err });
  }
}

/** SHA-256 and size of a whole file, streamed. Rejects with the fs error. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_BUFFER_BYTES, ...(signal ? { signal } : {}) })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}
