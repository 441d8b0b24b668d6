// Writing an archive from a store: the header, each execution followed by its log in chunks, the
// monitor's state, the tasks and workers, and the end line with the counts. The source hands
// things over a page or a chunk at a time and each line is awaited into the sink, so memory
// holds one page, not the store.
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { ExecutionRecord, LogRecord } from '../../store/types.ts';
import type { Task, Worker } from '../../tasks/model.ts';
import type { Output } from '../../render/renderer.ts';
import { archiveFormat, archiveLine, archiveVersion, noCounts, type ArchiveCounts, type StateName, type StoreKind } from './store-archive.ts';
import { ArchiveError } from './store-errors.ts';

/** A store as the exporter reads it: each part in a stable order, as the store keeps it (secrets already masked). */
export interface ExportSource {
  executions(): AsyncIterable<ExecutionRecord>;
  /** The log of one execution in order, in chunks. */
  logs(execution: string): AsyncIterable<LogRecord[]>;
  states(): AsyncIterable<{ name: StateName; body: unknown }>;
  tasks(): AsyncIterable<{ task: Task; sealed?: unknown }>;
  workers(): AsyncIterable<Worker>;
}

/** Where the lines go; `write` resolves once the line may be followed by the next (backpressure). */
export interface LineSink {
  write(line: string): Promise<void>;
  /** Everything written is where it belongs (a file: synced and in its place). */
  finish(): Promise<void>;
  /** Gives up: a file being written is removed, so no half archive is left under its name. */
  abandon(): Promise<void>;
}

export async function exportArchive(source: ExportSource, sink: LineSink, o: { from: StoreKind; now: () => Date; signal?: AbortSignal }): Promise<ArchiveCounts> {
  const counts = noCounts();
  const goOn = () => { if (o.signal?.aborted) throw new ArchiveError('E_TRANSFER_CANCELLED', 'export cancelled: the archive was not finished (a file named by --out is removed)'); };
  await sink.write(archiveLine({ format: archiveFormat, version: archiveVersion, exportedAt: o.now().toISOString(), from: o.from }));
  for await (const record of source.executions()) {
    goOn();
    await sink.write(archiveLine({ kind: 'execution', record }));
    counts.executions++;
    for await (const records of source.logs(record.id)) {
      if (records.length === 0) continue;
      await sink.write(archiveLine({ kind: 'log', execution: record.id, records }));
      counts.logs += records.length;
    }
  }
  for await (const { name, body } of source.states()) {
    await sink.write(archiveLine({ kind: 'state', name, body }));
    counts.states++;
  }
  for await (const { task, sealed } of source.tasks()) {
    goOn();
    await sink.write(archiveLine(sealed === undefined ? { kind: 'task', task } : { kind: 'task', task, sealed }));
    counts.tasks++;
  }
  for await (const worker of source.workers()) {
    await sink.write(archiveLine({ kind: 'worker', worker }));
    counts.workers++;
  }
  await sink.write(archiveLine({ kind: 'end', counts }));
  return counts;
}

/** Lines are gathered up to this many bytes per write. */
const chunkBytes = 64 * 1024;

/** Gathers lines and hands them to `put` a chunk at a time; `flush` hands over the rest. */
function batched(put: (text: string) => Promise<unknown>): { write(line: string): Promise<void>; flush(): Promise<void>; drop(): void } {
  let pending: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!pending.length) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    await put(text);
  };
  return {
    async write(line) {
      pending.push(line);
      size += line.length;
      if (size >= chunkBytes) await flush();
    },
    flush,
    drop() { pending = []; size = 0; },
  };
}

/**
 * A file written under a temporary name beside it and renamed into place once whole and synced:
 * an export that fails or is interrupted leaves no file that looks like an archive.
 */
export async function fileSink(path: string): Promise<LineSink> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const handle: FileHandle = await open(temp, 'wx', 0o600);
  const lines = batched((text) => handle.write(text));
  let closed = false;
  const close = async () => { if (!closed) { closed = true; await handle.close(); } };
  return {
    write: lines.write,
    async finish() {
      await lines.flush();
      await handle.sync();
      await close();
      await rename(temp, path);
    },
    async abandon() {
      await close().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}

/**
 * The archive on the command's standard output. The CLI's Output port returns nothing today; should
 * it return a promise (a pipe that must drain), the writes here wait for it.
 */
export function outputSink(out: Output): LineSink {
  const lines = batched(async (text) => { await (out.write(text) as unknown); });
  return { write: lines.write, finish: lines.flush, async abandon() { lines.drop(); } };
}
