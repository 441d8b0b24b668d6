// extractArchive: checksum → empty dest → gunzip → byte cap → tar entries through the Unpacker.
// Any failure, or an abort of `signal`, removes everything written (iteratively, whatever the
// depth), so dest ends up as it was (absent, or empty).
import { createReadStream, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { ExtractError, errnoCode, osReason, unsafeEntry } from './errors.ts';
import { READ_BUFFER_BYTES, sha256File } from './hash-files.ts';
import { FILE_LIST_NAME, type ExtractOptions, type ExtractResult, type FileEntry } from './types.ts';
import { removeTree } from './remove.ts';
import { Unpacker, aborted, type Limits } from './unpacker.ts';

/** Tar bytes per entry beyond its content: header, padding, a pax record for a long name. */
const HEADER_ALLOWANCE = 8 << 10;

export const DEFAULT_LIMITS: Readonly<Limits> = { maxFiles: 100_000, maxBytes: 4 * 2 ** 30, maxFileBytes: 2 ** 30, maxDepth: 64, maxPathBytes: 4096 };

export async function extractArchive(o: ExtractOptions): Promise<ExtractResult> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...definedOnly(o.limits ?? {}) };
  if (o.signal?.aborted) throw aborted(o.archive);
  if (o.expectedSha256 !== undefined) await checkChecksum(o.archive, o.expectedSha256, o.signal);
  const dest = resolve(o.dest);
  const undo = prepareDest(dest);
  try {
    return { list: await unpack(o.archive, dest, limits, o.signal) };
  } catch (err) {
    const failure = o.signal?.aborted ? aborted(err instanceof ExtractError && err.path ? err.path : o.archive) : asExtractError(err, o.archive);
    try {
      undo();
    } catch (cleanupErr) {
      throw new ExtractError('E_IO', `${failure.message}; then removing what was written under ${dest} failed: ${osReason(cleanupErr)}`, { path: dest, cause: failure });
    }
    throw failure;
  }
}

async function checkChecksum(archive: string, expected: string, signal: AbortSignal | undefined): Promise<void> {
  let actual: string;
  try {
    actual = (await sha256File(archive, signal)).sha256;
  } catch (err) {
    if (signal?.aborted) throw aborted(archive);
    throw new ExtractError('E_IO', `cannot read archive ${archive}: ${osReason(err)}`, { path: archive, cause: err });
  }
  if (actual !== expected.toLowerCase()) {
    throw new ExtractError('E_CHECKSUM', `archive ${archive} has SHA-256 ${actual}; expected ${expected}`, { path: archive });
  }
}

/** Makes sure dest is an empty directory; returns how to bring it back to its state before. */
function prepareDest(dest: string): () => void {
  let isDir: boolean;
  try {
    const st = lstatSync(dest);
    isDir = st.isDirectory();
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw new ExtractError('E_IO', `cannot inspect ${dest}: ${osReason(err)}`, { path: dest, cause: err });
    let first: string | undefined;
    try {
      first = mkdirSync(dest, { recursive: true });
    } catch (mkErr) {
      throw new ExtractError('E_IO', `cannot create ${dest}: ${osReason(mkErr)}`, { path: dest, cause: mkErr });
    }
    return () => removeTree(first ?? dest);
  }
  if (!isDir) throw new ExtractError('E_DEST_INVALID', `dest ${dest} exists and is not a directory; expected an empty directory or no file`, { path: dest });
  const present = readdirSync(dest);
  if (present.length) {
    throw new ExtractError('E_DEST_INVALID', `dest ${dest} is not empty (${present.length} entries, e.g. ${present[0]}); expected an empty directory`, { path: dest });
  }
  return () => removeTree(dest, { keepRoot: true });
}

async function unpack(archive: string, dest: string, limits: Limits, signal: AbortSignal | undefined): Promise<FileEntry[]> {
  const unpacker = new Unpacker(dest, limits, signal);
  const tar = extract();
  tar.on('entry', (header, stream, next) => {
    // An entry stream destroyed with the extractor re-emits its error; the pipeline reports it.
    stream.on('error', () => undefined);
    unpacker.entry(header, stream).then(() => next(), next);
  });
  await pipeline(
    createReadStream(archive, { highWaterMark: READ_BUFFER_BYTES }),
    createGunzip({ chunkSize: 256 << 10 }),
    byteCap(limits.maxBytes + limits.maxFiles * HEADER_ALLOWANCE + (1 << 20)),
    tar,
    signal ? { signal } : {},
  );
  if (signal?.aborted) throw aborted(archive);
  return unpacker.finish();
}

/** Stops a decompression bomb of headers (pax records, padding) that no per-entry limit sees. */
function byteCap(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(unsafeEntry('(archive)', 'limit', `the tar stream is larger than ${max} bytes after gunzip`));
      else done(null, chunk);
    },
  });
}

function asExtractError(err: unknown, archive: string): ExtractError {
  if (err instanceof ExtractError) return err;
  const code = errnoCode(err);
  if (code?.startsWith('Z_')) return new ExtractError('E_CORRUPT', `archive ${archive} is not a valid gzip stream: ${osReason(err)}`, { path: archive, cause: err });
  if (typeof err === 'object' && err !== null && 'syscall' in err) {
    return new ExtractError('E_IO', `cannot read archive ${archive}: ${osReason(err)}`, { path: archive, cause: err });
  }
  return new ExtractError('E_CORRUPT', `archive ${archive} is not a valid tar stream: ${osReason(err)}; expected a gzip-compressed tar starting with ${FILE_LIST_NAME}`, { path: archive, cause: err });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
