// Writes one execution: its record file (durable, group-committed, compacted when it finishes)
// and its log file (buffered, written before each batch and by a short timer).
import { rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppendLog, replaceFile, syncDirectory } from './append-log.ts';
import { StoreError, asStoreError, errorCode } from './errors.ts';
import { applyPatch, isFinished } from './fold.ts';
import { GroupCommit } from './group-commit.ts';
import type { ExecutionPaths } from './layout.ts';
import { readExecutionFile } from './read.ts';
import { serialize } from './records.ts';
import type { ExecutionPatch, ExecutionRecord, LogRecord } from './types.ts';

type Item =
  | { kind: 'create'; record: ExecutionRecord }
  | { kind: 'patch'; patch: ExecutionPatch }
  | { kind: 'flush' }
  | { kind: 'close' };

export const logFlushDelayMs = 50;
/** Transitions within this window share one write and fsync. */
export const commitLingerMs = 5;

export class ExecutionWriter {
  private readonly paths: ExecutionPaths;
  private readonly queue: GroupCommit<Item>;
  private records: AppendLog | undefined;
  private logFile: AppendLog | undefined;
  /** The execution as the record file holds it; loaded on first use. */
  private state: ExecutionRecord | undefined;
  private pendingLogs: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** `onIdle` is called whenever the queue empties, so the owner can drop a disposable writer. */
  constructor(paths: ExecutionPaths, onIdle: (writer: ExecutionWriter) => void) {
    this.paths = paths;
    this.queue = new GroupCommit((items) => this.commit(items), () => onIdle(this), commitLingerMs);
  }

  create(record: ExecutionRecord): Promise<void> {
    return this.queue.submit({ kind: 'create', record: structuredClone(record) });
  }

  update(patch: ExecutionPatch): Promise<void> {
    return this.queue.submit({ kind: 'patch', patch: structuredClone(patch) });
  }

  log(record: LogRecord): void {
    this.pendingLogs.push(serialize(record));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => undefined); // nobody to report to; the next batch reports failures
    }, logFlushDelayMs).unref();
  }

  flush(): Promise<void> {
    return this.queue.submit({ kind: 'flush' });
  }

  /** Finished or parked, nothing queued, files closed: the store may forget this writer. */
  get disposable(): boolean {
    return (this.state === undefined || isFinished(this.state.status)) && this.queue.idle &&
      this.pendingLogs.length === 0 && this.records === undefined && this.logFile === undefined;
  }

  /** Writes buffered logs and closes the files; later calls reopen them. */
  close(): Promise<void> {
    return this.queue.submit({ kind: 'close' });
  }

  private async commit(items: Item[]): Promise<void> {
    try {
      await this.writeLogs();
      const lines: string[] = [];
      let created = false;
      const statusChanged = items.some((item) => item.kind === 'patch' && (item.patch.type === 'status' || item.patch.type === 'resumed'));
      for (const item of items) {
        if (item.kind === 'flush' || item.kind === 'close') continue;
        if (item.kind === 'create') {
          await this.openNew();
          this.state = item.record;
          created = true;
          lines.push(serialize({ type: 'created', record: item.record }));
        } else {
          applyPatch(await this.load(), item.patch);
          lines.push(serialize(item.patch));
        }
      }
      if (lines.length > 0) {
        const file = this.records ??= await AppendLog.open(this.paths.execution, 'existing');
        await file.append(lines);
        await file.sync();
        if (created) await syncDirectory(dirname(this.paths.execution));
        if (this.state && isFinished(this.state.status)) await this.compact(this.state);
      }
      const closing = items.some((item) => item.kind === 'close');
      if (closing) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      if (statusChanged) await this.markWaiting(this.state?.status === 'waiting');
      if (closing || (this.state && isFinished(this.state.status))) await this.closeFiles();
      // A waiting run is parked: another process may decide on it and take it up, so nothing of
      // it is kept here; the next update reads the file again.
      if (this.state?.status === 'waiting') {
        await this.closeFiles();
        this.state = undefined;
      }
    } catch (err) {
      // Forget what we hold: the next batch reopens the file (fixing a torn tail) and re-reads it.
      await this.closeFiles().catch(() => undefined);
      this.state = undefined;
      throw asStoreError(err, this.paths.execution);
    }
  }

  private async openNew(): Promise<void> {
    if (this.state === undefined) {
      try {
        this.records = await AppendLog.open(this.paths.execution, 'new');
        return;
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') throw err;
      }
    }
    throw new StoreError('E_EXISTS', `execution ${this.paths.execution} already exists`);
  }

  private async load(): Promise<ExecutionRecord> {
    if (this.state) return this.state;
    const state = await readExecutionFile(this.paths.execution);
    if (!state) throw new StoreError('E_NOT_FOUND', `no execution at ${this.paths.execution}`);
    this.state = state;
    return state;
  }

  private async writeLogs(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingLogs.length === 0) return;
    const lines = this.pendingLogs.splice(0);
    this.logFile ??= await AppendLog.open(this.paths.logs, 'any');
    await this.logFile.append(lines);
  }

  /** Rewrites the record file as one snapshot line and drops the cancel request. */
  private async compact(state: ExecutionRecord): Promise<void> {
    await this.records?.close();
    this.records = undefined;
    await replaceFile(this.paths.execution, serialize({ type: 'snapshot', record: state }));
    await rm(this.paths.control, { force: true });
  }

  /** Keeps the store's index of waiting executions (a marker file) in step with the status. */
  private async markWaiting(waiting: boolean): Promise<void> {
    if (waiting) await writeFile(this.paths.waiting, '');
    else await rm(this.paths.waiting, { force: true });
  }

  private async closeFiles(): Promise<void> {
    const files = [this.records, this.logFile];
    this.records = undefined;
    this.logFile = undefined;
    await Promise.all(files.map((f) => f?.close()));
  }
}
