// What the statistics read of every execution, kept between calls. `stats` needs every
// execution, and reading 10,000 execution files took 2 to 4.5 s on a busy 2-core machine (a
// `stat` of each, 0.4 to 1.2 s): too slow for a dashboard page, `/metrics` and GET /api/status,
// which all ask for the figures. So the store keeps the few fields the figures use (workflow,
// status, created time, duration, and the owner of a run still active) by execution, with the size
// and mtime of its file, and the figures computed from them until one changes:
//
// - every call reads again the executions this store wrote to since the last call, and, when the
//   executions folder's mtime changed (an execution created or deleted, by any process), the
//   files that appeared; so this process's changes and new executions show at once;
// - once the last full check is `freshMs` (5 s) old, a call starts another in the background
//   and answers from what is kept: it stats every file and reads again those whose size or mtime
//   changed (the files are append-only, so a change always changes the size). Only the first call
//   waits for a full reading.
//
// So another process's update to an existing execution may show up to `freshMs` (plus one check)
// late.
import { readdir, stat } from 'node:fs/promises';
import { errorCode } from './errors.ts';
import { isActive } from './fold.ts';
import { isValidId } from './ids.ts';
import type { ExecutionPaths } from './layout.ts';
import { livenessCheck } from './owner.ts';
import { mapLimited, readExecutionFile } from './read.ts';
import { computeStats, riskInput, utcDay, type StatsInput } from './statistics.ts';
import type { ExecutionRecord, Stats, StatsQuery } from './types.ts';

type Entry = StatsInput & Pick<ExecutionRecord, 'owner'>;
/** `seq` orders readings: an older reading finishing late does not replace a newer one. */
interface Kept { size: number; mtimeMs: number; seq: number; entry: Entry | undefined }

export const statsFreshMs = 5_000;
const concurrency = 64;
/** Fewer at once in the background, so requests' own file reads do not queue behind them. */
const backgroundConcurrency = 8;
const memoSize = 16;

export class StatsCache {
  readonly #folder: string;
  readonly #paths: (id: string) => ExecutionPaths;
  readonly #now: () => number;
  readonly #freshMs: number;
  readonly #kept = new Map<string, Kept>();
  readonly #dirty = new Set<string>();
  #seq = 0;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #folderMtime = -1;
  #checking: Promise<void> | undefined;
  /** Figures computed since the kept entries last changed, by query. */
  #memo = new Map<string, Stats>();
  /** The kept entries as a list, until one changes. */
  #list: Entry[] | undefined;

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

  /** The figures of `query` as of `now`, a run whose owner died counted as interrupted. */
  async stats(query: StatsQuery = {}, now: number): Promise<Stats> {
    await this.#update();
    const alive = livenessCheck();
    const entries = this.#list ??= [...this.#kept.values()].flatMap((k) => (k.entry ? [k.entry] : []));
    const dead = entries.filter((e) => e.owner !== undefined && isActive(e.status) && !alive(e.owner));
    const key = JSON.stringify([query.days, query.workflow, query.days === undefined ? 0 : utcDay(now), dead.length]);
    const memo = this.#memo.get(key);
    if (memo) return memo;
    const interrupted = new Set(dead);
    const figures = computeStats(dead.length ? entries.map((e) => (interrupted.has(e) ? { ...e, status: 'interrupted' } : e)) : entries, query, now);
    if (this.#memo.size >= memoSize) this.#memo.clear();
    this.#memo.set(key, figures);
    return figures;
  }

  async #update(): Promise<void> {
    if (this.#checkedAt === Number.NEGATIVE_INFINITY) {
      this.#checking ??= this.#check(concurrency).finally(() => { this.#checking = undefined; });
      await this.#checking;
      return;
    }
    const folderMtime = (await stat(this.#folder)).mtimeMs;
    if (folderMtime !== this.#folderMtime) {
      this.#folderMtime = folderMtime;
      const ids = await this.#ids();
      const present = new Set(ids);
      for (const id of this.#kept.keys()) if (!present.has(id)) this.#forget(id);
      await mapLimited(ids.filter((id) => !this.#kept.has(id)), concurrency, (id) => this.#load(id));
    }
    const dirty = [...this.#dirty];
    this.#dirty.clear();
    await mapLimited(dirty, concurrency, (id) => this.#load(id));
    if (this.#now() - this.#checkedAt >= this.#freshMs && !this.#checking) {
      this.#checking = this.#check(backgroundConcurrency).catch(() => undefined).finally(() => { this.#checking = undefined; });
    }
  }

  /** Every file stat'ed; the changed ones read again. */
  async #check(limit: number): Promise<void> {
    this.#dirty.clear(); // every file is looked at below
    this.#folderMtime = (await stat(this.#folder)).mtimeMs;
    const ids = await this.#ids();
    const present = new Set(ids);
    for (const id of this.#kept.keys()) if (!present.has(id)) this.#forget(id);
    await mapLimited(ids, limit, (id) => this.#load(id, true));
    this.#checkedAt = this.#now();
  }

  async #ids(): Promise<string[]> {
    return (await readdir(this.#folder)).filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -'.jsonl'.length)).filter(isValidId);
  }

  #forget(id: string): void {
    this.#kept.delete(id);
    this.#changed();
  }

  #changed(): void {
    this.#memo.clear();
    this.#list = undefined;
  }

  /** Reads execution `id` again (only when its file changed, with `onlyIfChanged`). */
  async #load(id: string, onlyIfChanged = false): Promise<void> {
    const seq = ++this.#seq;
    const path = this.#paths(id).execution;
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
      if (this.#kept.has(id)) this.#forget(id);
      return;
    }
    const kept = this.#kept.get(id);
    if (onlyIfChanged && kept && kept.size === info.size && kept.mtimeMs === info.mtimeMs) return;
    const r = await readExecutionFile(path);
    if ((this.#kept.get(id)?.seq ?? 0) > seq) return;
    const entry: Entry | undefined = r && {
      workflow: r.workflow, status: r.status, createdAt: r.createdAt,
      ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}),
      ...(r.risk ? { risk: riskInput(r.risk)! } : {}),
      ...(isActive(r.status) && r.owner ? { owner: r.owner } : {}),
    };
    this.#kept.set(id, { size: info.size, mtimeMs: info.mtimeMs, seq, entry });
    this.#changed();
  }
}
