// The file edge of backups: a writer of new files (passed in, so a test can make the disk full at
// any write), fsync of folders, and copying one file while hashing exactly the bytes copied.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** A file being written: its chunks, then `close`, which fsyncs it first. */
export interface FileSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Creates new files; the one way backups write file content. */
export interface BackupWriter {
  /** A new file at `path` (never over an existing one, never through a link), mode 0600. */
  create(path: string): Promise<FileSink>;
}

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;

export const fsWriter: BackupWriter = {
  async create(path) {
    const fh = await open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    return {
      write: async (chunk) => { let at = 0; while (at < chunk.length) at += (await fh.write(chunk, at)).bytesWritten; },
      close: async () => { try { await fh.sync(); } finally { await fh.close(); } },
    };
  },
};

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}

const chunkBytes = 1 << 20;

/**
 * Reads `from` (never through a link) to its end and writes it to a new file `to`; resolves with
 * the bytes copied and their SHA-256. A file that grows while it is read is copied as far as it was
 * when reading reached its end then.
 */
export async function copyHashed(from: string, to: string, writer: BackupWriter): Promise<{ size: number; sha256: string }> {
  const src = await open(from, constants.O_RDONLY | O_NOFOLLOW);
  try {
    const sink = await writer.create(to);
    let closed = false;
    try {
      const out = await pump(src, (chunk) => sink.write(chunk));
      closed = true;
      await sink.close();
      return out;
    } finally {
      if (!closed) await sink.close().catch(() => undefined);
    }
  } finally {
    await src.close();
  }
}

/** SHA-256 and size of a file's bytes. */
export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const fh = await open(path, constants.O_RDONLY | O_NOFOLLOW);
  try { return await pump(fh, async () => undefined); } finally { await fh.close(); }
}

async function pump(src: FileHandle, each: (chunk: Uint8Array) => Promise<void>): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(chunkBytes);
  let size = 0;
  for (;;) {
    const { bytesRead } = await src.read(buf, 0, chunkBytes, size);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    hash.update(chunk);
    await each(chunk);
    size += bytesRead;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Writes `text` as a new file through `writer` and fsyncs it. */
export async function writeNew(writer: BackupWriter, path: string, text: string): Promise<void> {
  const sink = await writer.create(path);
  try { await sink.write(Buffer.from(text)); } catch (e) { await sink.close().catch(() => undefined); throw e; }
  await sink.close();
}
