// The packing pass: tar bytes are assembled in 1 MiB batches (headers, then file data read
// straight into the batch, hashed from the same bytes), gzip runs on libuv's thread pool while
// the next batches are filled, and the compressed bytes are hashed on their way to the file.
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, readSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { BuildError } from './errors.ts';
import { openForRead } from './hash-files.ts';
import { END_OF_ARCHIVE, entryHeader, padding } from './tar-header.ts';
import { FILE_LIST_NAME, GZIP_LEVEL, type FileEntry } from './types.ts';

export interface PackItem {
  entry: FileEntry;
  /** Absolute path to read a file's bytes from. */
  abs: string;
}

const BATCH_BYTES = 1 << 20;
/** Batches filled ahead of gzip: keeps the compressor busy while the main thread reads. */
const BATCHES_AHEAD = 8;
/** gzip header byte 9: the OS. zlib writes the build host's; 3 (Unix) everywhere, as GNU gzip does. */
const GZIP_OS_OFFSET = 9;
const GZIP_OS_UNIX = 3;

/**
 * Writes the archive (file list first, then `items` in order) to `path`, which must not exist.
 * Every file is checked against its listed size and SHA-256 as it is packed.
 */
export async function packArchive(path: string, fileList: Buffer, items: readonly PackItem[], signal?: AbortSignal): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (size === 0 && chunk.length > GZIP_OS_OFFSET) chunk[GZIP_OS_OFFSET] = GZIP_OS_UNIX;
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(
    Readable.from(tarBatches(fileList, items), { highWaterMark: BATCHES_AHEAD }),
    createGzip({ level: GZIP_LEVEL, chunkSize: 256 << 10 }),
    tap,
    createWriteStream(path, { flags: 'wx', highWaterMark: BATCH_BYTES }),
    { signal },
  );
  return { size, sha256: hash.digest('hex') };
}

class Batch {
  buf = Buffer.allocUnsafe(BATCH_BYTES);
  pos = 0;

  get free(): number {
    return this.buf.length - this.pos;
  }

  /** The filled part; the batch starts over in a fresh buffer (gzip still holds the old one). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(BATCH_BYTES);
    this.pos = 0;
    return out;
  }

  put(src: Buffer, from = 0): number {
    const n = src.copy(this.buf, this.pos, from);
    this.pos += n;
    return n;
  }

  zeros(n: number): void {
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }
}

/** The tar stream in batches of up to 1 MiB. Synchronous reads: one promise per batch, none per file. */
function* tarBatches(fileList: Buffer, items: readonly PackItem[]): Generator<Buffer> {
  const batch = new Batch();
  const listHeader = entryHeader({ path: FILE_LIST_NAME, type: 'file', size: fileList.length, mode: 0o644 });
  batch.put(listHeader);
  for (let from = 0; from < fileList.length;) {
    if (batch.free === 0) yield batch.take();
    from += batch.put(fileList, from);
  }
  if (batch.free < padding(fileList.length)) yield batch.take();
  batch.zeros(padding(fileList.length));

  for (const { entry, abs } of items) {
    const header = entryHeader(entry);
    if (batch.free < header.length) yield batch.take();
    batch.put(header);
    if (entry.type !== 'file') continue;
    const fd = openForRead(abs);
    try {
      const hash = createHash('sha256');
      for (let left = entry.size; left > 0;) {
        if (batch.free === 0) yield batch.take();
        const n = readSync(fd, batch.buf, batch.pos, Math.min(left, batch.free), null);
        if (n === 0) throw changed(abs, `it has ${entry.size - left} bytes now, ${entry.size} when hashed`);
        hash.update(batch.buf.subarray(batch.pos, batch.pos + n));
        batch.pos += n;
        left -= n;
      }
      const sha256 = hash.digest('hex');
      if (sha256 !== entry.sha256) throw changed(abs, `SHA-256 ${sha256} now, ${entry.sha256} when hashed`);
    } finally {
      closeSync(fd);
    }
    if (batch.free < padding(entry.size)) yield batch.take();
    batch.zeros(padding(entry.size));
  }
  if (batch.free < END_OF_ARCHIVE.length) yield batch.take();
  batch.put(END_OF_ARCHIVE);
  yield batch.take();
}

function changed(abs: string, what: string): BuildError {
  return new BuildError('E_INPUT_CHANGED', `${abs} changed while the archive was built: ${what}`, { path: abs });
}
