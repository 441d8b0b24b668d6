// What the statistics read of every execution, kept between calls. `stats` needs every
// execution, and reading 10,000 execution files took 3 to 4.5 s on a busy 2-core machine (a
// `stat` of each took 0.4 s): too slow for a dashboard page, `/metrics` and GET /api/status, which
// all ask for the figures. So the store keeps the few fields the figures use (workflow, status,
// created time, duration, and the owner of a run still active) by execution, with the size and
// mtime of its file:
//
// - a list checked less than `freshMs` (5 s) ago is reused, with only the executions this store
//   wrote to since then read again, unless the executions folder's mtime changed (an execution
//   was created or deleted by any process), which forces a check;
// - a check lists the folder, stats each file and reads again only the files whose size or
//   mtime changed (the files are append-only, so a change always changes the size).
//
// So figures may lag another process's status updates by up to `freshMs`; this process's own
// are seen at once.
import { readdir, stat } from 'node:fs/promises';
import { errorCode } from './errors.ts';
import { isActive } from './fold.ts';
import { isValidId } from './ids.ts';
import type { ExecutionPaths } from './layout.ts';
import { livenessCheck } from './owner.ts';
import { mapLimited, readExecutionFile } from './read.ts';
import type { StatsInput } from './statistics.ts';
import type { ExecutionRecord } from './types.ts';

type Entry = StatsInput & Pick<ExecutionRecord, 'owner'>;
interface Kept { size: number; mtimeMs: number; entry: Entry | undefined }

export const statsFreshMs = 5_000;
const concurrency = 64;

export class StatsCache {
  readonly #folder: string;
  readonly #paths: (id: string) => ExecutionPaths;
  readonly #now: () => number;
  readonly #freshMs: number;
  #kept = new Map<string, Kept>();
  #dirty = new Set<string>();
  #checkedAt = Number.NEGATIVE_INFINITY;
  #folderMtime = -1;
  #inFlight: Promise<Entry[]> | undefined;

  constructor(o: { folder: string; paths: (id: string) => ExecutionPaths; now: () => number; freshMs?: number }) {
    this.#folder = o.folder;
    this.#paths = o.paths;
    this.#now = o.now;
    this.#freshMs = o.freshMs ?? statsFreshMs;
  }

  /** This store wrote to execution `id` (created, updated, deleted): read it again next time. */
  touched(id: string): void {
    this.#dirty.add(id);
  }

  /** Every execution's figures input, a run whose owner died counted as interrupted. */
  async entries(): Promise<StatsInput[]> {
    // One refresh at a time: callers arriving meanwhile share its answer.
    this.#inFlight ??= this.#refresh().finally(() => { this.#inFlight = undefined; });
    const alive = livenessCheck();
    return (await this.#inFlight).map((e) => (isActive(e.status) && !alive(e.owner) ? { ...e, status: 'interrupted' } : e));
  }

  async #refresh(): Promise<Entry[]> {
    const folderMtime = (await stat(this.#folder)).mtimeMs;
    const fresh = this.#now() - this.#checkedAt < this.#freshMs && folderMtime === this.#folderMtime;
    if (fresh) {
      const dirty = [...this.#dirty];
      this.#dirty.clear();
      await mapLimited(dirty, concurrency, (id) => this.#load(id));
    } else {
      this.#dirty.clear();
      const ids = (await readdir(this.#folder)).filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -'.jsonl'.length)).filter(isValidId);
      const present = new Set(ids);
      for (const id of this.#kept.keys()) if (!present.has(id)) this.#kept.delete(id);
      await mapLimited(ids, concurrency, (id) => this.#load(id, true));
      this.#checkedAt = this.#now();
      this.#folderMtime = folderMtime;
    }
    return [...this.#kept.values()].flatMap((k) => (k.entry ? [k.entry] : []));
  }

  /** Reads execution `id` again when its file changed (always, unless `onlyIfChanged`). */
  async #load(id: string, onlyIfChanged = false): Promise<void> {
    const path = this.#paths(id).execution;
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
      this.#kept.delete(id);
      return;
    }
    const kept = this.#kept.get(id);
    if (onlyIfChanged && kept && kept.size === info.size && kept.mtimeMs === info.mtimeMs) return;
    const r = await readExecutionFile(path);
    const entry: Entry | undefined = r && {
      workflow: r.workflow, status: r.status, createdAt: r.createdAt,
      ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}),
      ...(isActive(r.status) && r.owner ? { owner: r.owner } : {}),
    };
    this.#kept.set(id, { size: info.size, mtimeMs: info.mtimeMs, entry });
  }
}
