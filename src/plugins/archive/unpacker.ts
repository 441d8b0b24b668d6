// Writes the entries of an untrusted tar stream into an empty directory, one at a time, after
// checking each against the safety rules, the limits and the file list (the first entry).
// Everything under dest was created here, so an in-memory map of what each path is (directory,
// file, symlink) is the truth: no entry is ever written through a symlink or over another entry.
import { createHash } from 'node:crypto';
import { closeSync, constants, fchmodSync, mkdirSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Header } from 'tar-stream';
import { ExtractError, errnoCode, osReason, unsafeEntry } from './errors.ts';
import { parseFileList } from './file-list.ts';
import { normalMode } from './hash-files.ts';
import { entrySegments, linkProblem } from './paths.ts';
import { FILE_LIST_NAME, type FileEntry } from './types.ts';

export interface Limits {
  maxFiles: number;
  maxBytes: number;
  maxFileBytes: number;
  /** Segments of one path (`a/b/c` is 3). */
  maxDepth: number;
  /** UTF-8 bytes of one path. */
  maxPathBytes: number;
}

/** An entry's content, as tar-stream hands it over (Buffers, typed as unknown by streamx). */
export type EntryStream = AsyncIterable<unknown>;

type Kind = 'dir' | 'file' | 'symlink';

const MAX_FILE_LIST_BYTES = 64 << 20;
/** Entries handled between two returns to the event loop, so timers (a step's timeout) can fire. */
const ENTRIES_PER_TURN = 64;
const OPEN_FOR_WRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export class Unpacker {
  private listed: Map<string, FileEntry> | undefined;
  private list: FileEntry[] = [];
  private readonly kinds = new Map<string, Kind>();
  private readonly done = new Set<string>();
  private entries = 0;
  private bytes = 0;

  constructor(private readonly dest: string, private readonly limits: Limits, private readonly signal?: AbortSignal) {}

  async entry(header: Header, stream: EntryStream): Promise<void> {
    const name = header.name;
    this.checkAborted(name);
    if (++this.entries > this.limits.maxFiles) throw unsafeEntry(name, 'limit', `more than maxFiles (${this.limits.maxFiles}) entries`);
    if (this.entries % ENTRIES_PER_TURN === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      this.checkAborted(name);
    }
    const nameProblem = pathLimitProblem(name, this.limits);
    if (nameProblem) throw unsafeEntry(name, 'limit', nameProblem);
    const parsed = entrySegments(name);
    if ('problem' in parsed) throw unsafeEntry(name, 'name', parsed.problem);
    const path = parsed.segments.join('/');
    const kind = entryKind(header);
    if (path === '') {
      if (kind === 'dir') return;
      throw unsafeEntry(name, 'name', 'the name is empty');
    }
    if (kind === 'symlink') {
      // Its content would never be read, and an unread entry stalls the tar reader.
      if (header.size > 0) throw unsafeEntry(name, 'type', `a symlink with ${header.size} bytes of content; expected none`);
      const problem = linkProblem(path, header.linkname ?? '');
      if (problem) throw unsafeEntry(name, 'link', problem.what);
    }
    if (kind === 'file') this.checkDeclaredSize(name, header.size);
    if (!this.listed) return this.readFileList(path, kind, header, stream);

    this.makeParents(name, path, parsed.segments.length);
    const existing = this.kinds.get(path);
    if (kind === 'dir' && existing === 'dir') return;
    if (existing) throw unsafeEntry(name, 'duplicate', `${path} was already written by an earlier entry`);
    if (kind === 'dir') return this.mkdir(name, path);

    const expected = this.listed.get(path);
    if (!expected) throw mismatch(name, `${path} is in the archive but not in ${FILE_LIST_NAME}`);
    if (expected.type !== (kind === 'file' ? 'file' : 'symlink')) throw mismatch(name, `${path} is a ${kind === 'file' ? 'file' : 'symlink'}; ${FILE_LIST_NAME} lists a ${expected.type}`);
    if (kind === 'symlink') this.symlink(name, path, header.linkname ?? '', expected);
    else await this.file(name, path, header, stream, expected);
    this.done.add(path);
  }

  /** The verified file list; throws if an entry it lists never came. */
  finish(): FileEntry[] {
    if (!this.listed) throw mismatch(FILE_LIST_NAME, `the archive has no entries; expected ${FILE_LIST_NAME} first`);
    const missing = this.list.filter((f) => !this.done.has(f.path)).map((f) => f.path);
    if (missing.length) {
      throw mismatch(missing[0]!, `${FILE_LIST_NAME} lists ${missing.length} entr${missing.length === 1 ? 'y' : 'ies'} the archive does not have: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
    }
    return this.list;
  }

  private async readFileList(path: string, kind: Kind, header: Header, stream: EntryStream): Promise<void> {
    if (path !== FILE_LIST_NAME || kind !== 'file') throw mismatch(header.name, `the first entry is ${JSON.stringify(header.name)}; expected ${FILE_LIST_NAME}`);
    if (header.size > MAX_FILE_LIST_BYTES) throw unsafeEntry(header.name, 'limit', `the file list declares ${header.size} bytes; at most ${MAX_FILE_LIST_BYTES} are read`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const data of stream) {
      const chunk = bytes(data);
      size += chunk.length;
      if (size > MAX_FILE_LIST_BYTES) throw unsafeEntry(header.name, 'limit', `the file list is larger than ${MAX_FILE_LIST_BYTES} bytes`);
      chunks.push(chunk);
    }
    const content = Buffer.concat(chunks);
    const parsed = parseFileList(content.toString('utf8'));
    if ('problem' in parsed) throw new ExtractError('E_CORRUPT', `${FILE_LIST_NAME}: ${parsed.problem}`, { path: FILE_LIST_NAME });
    this.checkListAgainstLimits(parsed.list.files);
    this.bytes += content.length;
    this.write(FILE_LIST_NAME, FILE_LIST_NAME, 0o644, content);
    this.kinds.set(FILE_LIST_NAME, 'file');
    this.list = parsed.list.files;
    this.listed = new Map(parsed.list.files.map((f) => [f.path, f]));
    if (this.listed.has(FILE_LIST_NAME)) throw mismatch(FILE_LIST_NAME, `${FILE_LIST_NAME} lists itself`);
  }

  /** Refuses a file whose header alone breaks a limit, before reading a byte of it. */
  private checkDeclaredSize(name: string, size: number): void {
    const { maxBytes, maxFileBytes } = this.limits;
    if (size > maxFileBytes) throw unsafeEntry(name, 'limit', `it declares ${size} bytes; maxFileBytes is ${maxFileBytes}`);
    if (this.bytes + size > maxBytes) throw unsafeEntry(name, 'limit', `it would bring the total to ${this.bytes + size} bytes; maxBytes is ${maxBytes}`);
  }

  /** What the list declares must fit the limits before anything else is written. */
  private checkListAgainstLimits(files: readonly FileEntry[]): void {
    const { maxFiles, maxBytes, maxFileBytes } = this.limits;
    if (files.length + 1 > maxFiles) throw unsafeEntry(FILE_LIST_NAME, 'limit', `it lists ${files.length} entries; maxFiles is ${maxFiles}`);
    let total = 0;
    for (const f of files) {
      const pathProblem = pathLimitProblem(f.path, this.limits);
      if (pathProblem) throw unsafeEntry(f.path, 'limit', `listed in ${FILE_LIST_NAME}: ${pathProblem}`);
      if (f.size > maxFileBytes) throw unsafeEntry(f.path, 'limit', `listed with ${f.size} bytes; maxFileBytes is ${maxFileBytes}`);
      total += f.size;
    }
    if (total > maxBytes) throw unsafeEntry(FILE_LIST_NAME, 'limit', `it lists ${total} bytes in all; maxBytes is ${maxBytes}`);
  }

  /**
   * Creates the missing parent directories of `path` (`depth` segments); refuses to go through a
   * symlink or a file. Only directories made here are ever known, and one is made only once its
   * parent is, so the deepest known ancestor decides: the walk up from the parent stops there,
   * and every step of it that misses is a directory made now, once. The cost is the path's
   * length per entry plus its length per new directory, never the square of the depth.
   */
  private makeParents(name: string, path: string, depth: number): void {
    if (depth < 2) return;
    const ends: number[] = [];
    for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) ends.push(at);
    let known = ends.length; // parents [0, known) are unknown; ends[known - 1] ends the nearest one
    let kind: Kind | undefined;
    while (known > 0 && (kind = this.kinds.get(path.slice(0, ends[known - 1]))) === undefined) known--;
    if (known > 0) {
      const parent = path.slice(0, ends[known - 1]);
      if (kind === 'symlink') throw unsafeEntry(name, 'link', `it would be written through the symlink ${parent}`);
      if (kind === 'file') throw unsafeEntry(name, 'name', `its parent ${parent} is a file`);
    }
    for (let i = known; i < ends.length; i++) this.mkdir(name, path.slice(0, ends[i]));
  }

  private checkAborted(name: string): void {
    if (this.signal?.aborted) throw aborted(name);
  }

  private mkdir(name: string, path: string): void {
    try {
      mkdirSync(join(this.dest, path), { mode: 0o755 });
    } catch (err) {
      throw ioError(name, path, err);
    }
    this.kinds.set(path, 'dir');
  }

  private symlink(name: string, path: string, target: string, expected: FileEntry): void {
    if (target !== expected.target) throw mismatch(name, `symlink ${path} points to ${JSON.stringify(target)}; ${FILE_LIST_NAME} says ${JSON.stringify(expected.target)}`);
    try {
      symlinkSync(target, join(this.dest, path));
    } catch (err) {
      throw ioError(name, path, err);
    }
    this.kinds.set(path, 'symlink');
  }

  private async file(name: string, path: string, header: Header, stream: EntryStream, expected: FileEntry): Promise<void> {
    const { maxBytes, maxFileBytes } = this.limits;
    if (header.size !== expected.size) throw mismatch(name, `${path} has ${header.size} bytes in the archive; ${FILE_LIST_NAME} says ${expected.size}`);
    if (normalMode(header.mode) !== expected.mode) throw mismatch(name, `${path} has mode 0o${normalMode(header.mode).toString(8)}; ${FILE_LIST_NAME} says 0o${expected.mode.toString(8)}`);
    const fd = this.open(name, path);
    this.kinds.set(path, 'file');
    try {
      const hash = createHash('sha256');
      let written = 0;
      for await (const data of stream) {
        this.checkAborted(name);
        const chunk = bytes(data);
        written += chunk.length;
        this.bytes += chunk.length;
        if (written > maxFileBytes) throw unsafeEntry(name, 'limit', `more than maxFileBytes (${maxFileBytes}) bytes`);
        if (this.bytes > maxBytes) throw unsafeEntry(name, 'limit', `the total passes maxBytes (${maxBytes})`);
        hash.update(chunk);
        writeAll(fd, chunk, name, path);
      }
      const sha256 = hash.digest('hex');
      if (written !== expected.size) throw mismatch(name, `${path} has ${written} bytes; ${FILE_LIST_NAME} says ${expected.size}`);
      if (sha256 !== expected.sha256) throw mismatch(name, `${path} has SHA-256 ${sha256}; ${FILE_LIST_NAME} says ${expected.sha256}`);
      fchmodSync(fd, expected.mode);
    } finally {
      closeSync(fd);
    }
  }

  private write(name: string, path: string, mode: number, bytes: Uint8Array): void {
    const fd = this.open(name, path);
    try {
      writeAll(fd, bytes, name, path);
      fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
  }

  private open(name: string, path: string): number {
    try {
      return openSync(join(this.dest, path), OPEN_FOR_WRITE, 0o600);
    } catch (err) {
      throw ioError(name, path, err);
    }
  }
}

function entryKind(header: Header): Kind {
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      throw unsafeEntry(header.name, 'type', `a hardlink (to ${JSON.stringify(header.linkname)}); hardlinks are not allowed`);
    default:
      throw unsafeEntry(header.name, 'type', `a ${String(header.type)} entry; only files, directories and symlinks are allowed`);
  }
}

function bytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  throw new ExtractError('E_CORRUPT', `the tar reader produced ${typeof data} instead of bytes`);
}

function writeAll(fd: number, bytes: Uint8Array, name: string, path: string): void {
  try {
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
  } catch (err) {
    throw ioError(name, path, err);
  }
}

/** Why a path breaks the depth or length limit, or undefined; counted before it is split. */
function pathLimitProblem(path: string, limits: Pick<Limits, 'maxDepth' | 'maxPathBytes'>): string | undefined {
  const size = Buffer.byteLength(path);
  if (size > limits.maxPathBytes) return `the path has ${size} bytes; maxPathBytes is ${limits.maxPathBytes}`;
  let depth = 0;
  for (let at = -1, next = 0; next !== -1; at = next) {
    next = path.indexOf('/', at + 1);
    const segment = path.slice(at + 1, next === -1 ? undefined : next);
    if (segment !== '' && segment !== '.') depth++;
  }
  if (depth > limits.maxDepth) return `the path is ${depth} directories deep; maxDepth is ${limits.maxDepth}`;
  return undefined;
}

/** The extraction was cancelled (a step's timeout, a cancelled run). */
export function aborted(entry: string): ExtractError {
  return new ExtractError('E_ABORTED', 'the extraction was cancelled; everything written was removed', { path: entry });
}

function mismatch(entry: string, what: string): ExtractError {
  return new ExtractError('E_MANIFEST_MISMATCH', what, { path: entry });
}

function ioError(name: string, path: string, err: unknown): ExtractError {
  if (errnoCode(err) === 'EEXIST') return unsafeEntry(name, 'duplicate', `${path} already exists (a name differing only in case?)`);
  return new ExtractError('E_IO', `cannot write ${path}: ${osReason(err)}`, { path: name, cause: err });
}
