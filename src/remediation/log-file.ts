// The remediation log as a file: `<storeDir>/remediation.jsonl`, append-only, one event a line
// (events.ts). Several processes write it: serve records attempts and outcomes, the CLI appends
// feedback and breaker resets while serve runs. Every append is one `appendFile` of one whole
// line, made while holding `<log>.lock`; a line torn by a crash is ended by the next append, which
// then starts on a fresh line, and is skipped when read, like any line that is not an event.
// Readers follow the file by its size, so serve picks up what the CLI appended on its next tick.
//
// Compaction replaces the file, under the same lock, by a new one holding the snapshot; a reader
// that sees another file under the name (or a shorter one) starts over.
import { appendFile, mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from '../store/append-log.ts';
import { withLockFile } from '../store/lock.ts';
import { eventLine, parseEvent, type LogEvent } from './events.ts';
import type { CompactionFold, LogRead, LogReader, RemediationLog } from './log-port.ts';

export interface FileRemediationLog extends RemediationLog {
  readonly path: string;
}

/** The log in the file `path` (`remediationLogPath(storeDir)` for a project's). */
export function fileRemediationLog(path: string): FileRemediationLog {
  return { path, where: path, append: (event) => appendEvent(path, event), reader: (warn) => new FileReader(path, warn) };
}

/** Appends one event as one line; a torn last line is ended first, in the same write. */
export async function appendEvent(path: string, event: LogEvent): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await withLockFile(lockOf(path), async () => {
    const torn = await endsTorn(path);
    await appendFile(path, `${torn ? '\n' : ''}${eventLine(event)}`);
  });
}

const lockOf = (path: string) => `${path}.lock`;

async function endsTorn(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return false;
  try {
    const { size } = await file.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await file.close();
  }
}

/** Reads the file by size: each read returns the whole lines appended since the last. */
export class FileReader implements LogReader {
  #offset = 0;
  /** The file read so far (its inode): another one under the name (a compaction) is read from its start. */
  #ino: number | undefined;

  constructor(readonly path: string, private readonly warn: (line: string) => void = () => {}) {}

  get size(): number { return this.#offset; }

  rewind(): void {
    this.#offset = 0;
    this.#ino = undefined;
  }

  async read(): Promise<LogRead> {
    const info = await stat(this.path).catch(() => undefined);
    const size = info?.size ?? 0;
    const restart = size < this.#offset || (info !== undefined && this.#ino !== undefined && info.ino !== this.#ino);
    if (restart) this.#offset = 0;
    this.#ino = info?.ino;
    if (size === this.#offset) return { restart, events: [], more: false };
    const file = await open(this.path, 'r');
    let chunk: Buffer;
    try {
      chunk = Buffer.alloc(size - this.#offset);
      const { bytesRead } = await file.read(chunk, 0, chunk.length, this.#offset);
      chunk = chunk.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
    // A last line without its newline may still be being written: it waits for the next read.
    const end = chunk.lastIndexOf(0x0a);
    if (end < 0) return { restart, events: [], more: false };
    const start = this.#offset;
    this.#offset += end + 1;
    const events: LogEvent[] = [];
    for (const [i, line] of chunk.subarray(0, end).toString('utf8').split('\n').entries()) {
      const event = parseEvent(line);
      if (event) events.push(event);
      else if (line.trim() !== '') this.warn(`${this.path}: line ${i + 1} after byte ${start} is not a remediation event; skipped`);
    }
    return { restart, events, more: false };
  }

  /** Under the lock: catches up, writes the snapshot to a temporary file, and renames it over the log. */
  async compact(fold: CompactionFold): Promise<void> {
    await withLockFile(lockOf(this.path), async () => {
      fold.apply(await this.read());
      const temp = `${this.path}.${process.pid}.tmp`;
      const file = await open(temp, 'w');
      try {
        await file.writeFile(eventLine(fold.snapshot()));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.path);
      await syncDirectory(dirname(this.path));
      // Nothing was appended since (the lock is held): the reader goes on after the snapshot.
      const info = await stat(this.path);
      this.#offset = info.size;
      this.#ino = info.ino;
    });
  }
}
