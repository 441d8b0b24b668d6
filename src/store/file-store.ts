// The embedded execution store: one append-only JSON-lines file per execution under
// `<dir>/executions`, logs under `<dir>/logs`, cancel requests under `<dir>/control`.
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError, errorCode } from './errors.ts';
import { ExecutionWriter } from './execution-writer.ts';
import { withLockFile } from './lock.ts';
import { isActive, isFinished } from './fold.ts';
import { checkId, isValidId } from './ids.ts';
import { pathsOf, prepareLayout, type ExecutionPaths, type StoreLayout } from './layout.ts';
import { currentOwner, interruptedMessage, interruptedSteps, livenessCheck, withLiveness } from './owner.ts';
import { selectExecutions } from './query.ts';
import { mapLimited, readExecutionFile, readLogFile } from './read.ts';
import { RecordCache } from './record-cache.ts';
import { StatsCache } from './stats-cache.ts';
import type {
  ExecutionFilter, ExecutionPatch, ExecutionRecord, ExecutionStore, LogRecord, Stats, StatsQuery,
} from './types.ts';

export interface FileStoreOptions {
  /** The clock for recovery records and the default `cleanup` date. */
  now?: () => Date;
}

const dayMs = 24 * 60 * 60 * 1000;
const readConcurrency = 64;

/**
 * Opens (creating if needed) the store in `dir`. Throws StoreError E_STORE_UNWRITABLE when the
 * directory cannot be created or written.
 */
export async function openFileStore(dir: string, opts: FileStoreOptions = {}): Promise<ExecutionStore> {
  const layout = await prepareLayout(dir);
  return new FileStore(layout, opts.now ?? (() => new Date()));
}

class FileStore implements ExecutionStore {
  private readonly layout: StoreLayout;
  private readonly now: () => Date;
  private readonly writers = new Map<string, ExecutionWriter>();
  /** What `list` read last time, by file: unchanged files are not read again. */
  private readonly cache = new RecordCache();
  private readonly figures: StatsCache;

  constructor(layout: StoreLayout, now: () => Date) {
    this.layout = layout;
    this.now = now;
    this.figures = new StatsCache({ folder: layout.executions, paths: (id) => this.paths(id), now: () => this.now().getTime() });
  }

  async create(record: ExecutionRecord): Promise<void> {
    const id = checkId(record.id);
    try {
      await this.writer(id).create({ ...record, owner: currentOwner() });
    } finally {
      this.figures.touched(id);
    }
  }

  async update(id: string, patch: ExecutionPatch): Promise<void> {
    try {
      await this.writer(checkId(id)).update(patch);
    } finally {
      this.figures.touched(id);
    }
  }

  log(id: string, record: LogRecord): void {
    this.writer(checkId(id)).log(record);
  }

  async get(id: string): Promise<ExecutionRecord | undefined> {
    const record = await readExecutionFile(this.paths(checkId(id)).execution);
    return record && withLiveness(record, livenessCheck());
  }

  async list(filter?: ExecutionFilter): Promise<ExecutionRecord[]> {
    const alive = livenessCheck();
    // Waiting executions are indexed by marker files: `serve` looks for them every few seconds.
    const records = filter?.status === 'waiting' ? await this.readWaiting() : await this.readAll();
    return selectExecutions(records.map((r) => withLiveness(r, alive)), filter);
  }

  async logs(id: string, fromIndex = 0): Promise<LogRecord[]> {
    return (await readLogFile(this.paths(checkId(id)).logs)).slice(Math.max(0, fromIndex));
  }

  /** From the figures cache (stats-cache.ts): another process's update may show a few seconds late. */
  async stats(query?: StatsQuery, now: Date = this.now()): Promise<Stats> {
    return this.figures.stats(query, now.getTime());
  }

  async cleanup(days: number, now: Date = this.now()): Promise<number> {
    const cutoff = now.getTime() - days * dayMs;
    let removed = 0;
    for (const record of await this.readAll()) {
      if (!isFinished(record.status) || record.endedAt === undefined) continue;
      if (!(Date.parse(record.endedAt) < cutoff) || this.writers.has(record.id)) continue;
      const paths = this.paths(record.id);
      await rm(paths.execution, { force: true });
      await rm(paths.logs, { force: true });
      await rm(paths.control, { force: true });
      await rm(paths.waiting, { force: true });
      this.figures.touched(record.id);
      removed++;
    }
    await this.removeStaleTempFiles(cutoff);
    return removed;
  }

  async requestCancel(id: string, by?: string): Promise<void> {
    const paths = this.paths(checkId(id));
    const record = await readExecutionFile(paths.execution);
    if (!record) throw new StoreError('E_NOT_FOUND', `no execution with id ${id}`);
    if (isFinished(record.status)) return; // nothing to cancel; a control file would linger
    if (record.status === 'waiting') {
      // Under the lock decisions take: a decision and the cancel cannot both win.
      const cancelled = await this.exclusive(id, async () => {
        if ((await readExecutionFile(paths.execution))?.status !== 'waiting') return false;
        await this.update(id, { type: 'status', status: 'cancelled', at: this.now().toISOString(), error: `cancelled${by ? ` by ${by}` : ''} while waiting for approval` });
        return true;
      });
      if (cancelled) return;
    }
    await writeFile(paths.control, `${this.now().toISOString()}\n`);
  }

  async cancelRequested(id: string): Promise<boolean> {
    try {
      await stat(this.paths(checkId(id)).control);
      return true;
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return false;
      throw err;
    }
  }

  async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return withLockFile(this.paths(checkId(id)).lock, fn);
  }

  async recover(): Promise<string[]> {
    const alive = livenessCheck();
    const orphans = selectExecutions(await this.readAll()).filter((r) => isActive(r.status) && !alive(r.owner));
    const at = this.now().toISOString();
    await Promise.all(orphans.map(async (r) => {
      // The steps first: a crash between the two leaves the execution to be recovered again.
      for (const step of interruptedSteps(r)) await this.update(r.id, { type: 'step', step });
      await this.update(r.id, { type: 'status', status: 'interrupted', at, error: interruptedMessage });
    }));
    return orphans.map((r) => r.id);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.flush()));
  }

  async close(): Promise<void> {
    const writers = [...this.writers.values()];
    this.writers.clear();
    await Promise.all(writers.map((w) => w.close()));
  }

  private paths(id: string): ExecutionPaths {
    return pathsOf(this.layout, id);
  }

  /** The writer of `id`; one per execution while it has work, dropped once finished and idle. */
  private writer(id: string): ExecutionWriter {
    let writer = this.writers.get(id);
    if (!writer) {
      writer = new ExecutionWriter(this.paths(id), (w) => {
        if (w.disposable && this.writers.get(id) === w) this.writers.delete(id);
      });
      this.writers.set(id, writer);
    }
    return writer;
  }

  /** Every execution as its file says (without the liveness check). */
  private async readAll(): Promise<ExecutionRecord[]> {
    const ids = (await readdir(this.layout.executions))
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => name.slice(0, -'.jsonl'.length))
      .filter(isValidId);
    const paths = ids.map((id) => this.paths(id).execution);
    this.cache.keepOnly(new Set(paths));
    const records = await mapLimited(paths, readConcurrency, (path) => this.cache.read(path));
    return records.filter((r) => r !== undefined);
  }

  private async readWaiting(): Promise<ExecutionRecord[]> {
    const ids = (await readdir(this.layout.control))
      .filter((name) => name.endsWith('.waiting'))
      .map((name) => name.slice(0, -'.waiting'.length))
      .filter(isValidId);
    const records = await mapLimited(ids, readConcurrency, (id) => this.cache.read(this.paths(id).execution));
    return records.filter((r) => r !== undefined);
  }

  /** Temp files of compactions cut short by a crash. */
  private async removeStaleTempFiles(cutoff: number): Promise<void> {
    for (const name of await readdir(this.layout.executions)) {
      if (!name.endsWith('.tmp')) continue;
      const path = join(this.layout.executions, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await rm(path, { force: true });
    }
  }
}
