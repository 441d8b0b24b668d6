// The execution store on PostgreSQL, shared by every replica (and CLI) of a project: the same
// port and the same meaning as the embedded store (store/file-store.ts). A record is one jsonb
// row, changed by the store's own fold (store/fold.ts) under a row lock, with the columns that
// queries filter on kept beside it; figures come from store/statistics.ts; logs are buffered
// and written in order (executions-logs.ts). An execution's owner is a replica id
// (executions-replica.ts): a pending or running execution whose replica is gone reads as, and is
// recovered to, interrupted.
import { StoreError } from '../store/errors.ts';
import { applyPatch, isActive, isFinished } from '../store/fold.ts';
import { checkId } from '../store/ids.ts';
import { currentOwner, interruptedMessage, interruptedSteps, withLiveness } from '../store/owner.ts';
import { computeStats, riskInput, windowOf, type RiskInput, type StatsInput } from '../store/statistics.ts';
import type {
  ExecutionFilter, ExecutionPatch, ExecutionRecord, ExecutionStore, LogRecord, Stats, StatsQuery,
} from '../store/types.ts';
import type { Db, Queryable } from './db.ts';
import { DatabaseError } from './errors.ts';
import { LogBuffer } from './executions-logs.ts';
import { ReplicaPresence, staleReplicaMs } from './executions-replica.ts';
import { Params, aliveSql, columnsOf, finished, jsonbText, listSql, newestFirst, timeParam } from './executions-sql.ts';

export interface PgExecutionStoreOptions {
  /** The replica this store speaks for: the owner of what it creates or takes up. */
  replica: string;
  /** A replica not seen for this long is gone (default 15 s). */
  staleMs?: number;
  /** Milliseconds since the epoch, for recovery records and the default dates of stats and cleanup. */
  clock?: () => number;
  /** How long `exclusive` waits for another holder before E_LOCKED (default 10 s, as store/lock.ts). */
  lockWaitMs?: number;
  /**
   * Whether the store keeps the replica's row in `replicas` itself (seen while open, stopped on
   * close); false when the caller already does (serve's presence). Default true.
   */
  register?: boolean;
}

const dayMs = 86_400_000;
const defaultLockWaitMs = 10_000;
/** PostgreSQL's lock_not_available: a lock wait ran past lock_timeout. */
const lockNotAvailable = '55P03';

/** Opens the store on `db` (migrated) as `o.replica`; closing it leaves `db` open for its owner. */
export async function openPgExecutionStore(db: Db, o: PgExecutionStoreOptions): Promise<ExecutionStore> {
  const staleMs = o.staleMs ?? staleReplicaMs;
  const presence = o.register === false ? undefined : await ReplicaPresence.start(db, o.replica, staleMs);
  return new PgExecutionStore(db, { ...o, staleMs, clock: o.clock ?? Date.now, lockWaitMs: o.lockWaitMs ?? defaultLockWaitMs, register: presence !== undefined }, presence);
}

class PgExecutionStore implements ExecutionStore {
  readonly #db: Db;
  readonly #o: Required<PgExecutionStoreOptions>;
  readonly #presence: ReplicaPresence | undefined;
  readonly #logs: LogBuffer;
  /** Each execution's updates, applied one after another in the order they were asked for. */
  readonly #updates = new Map<string, Promise<void>>();

  constructor(db: Db, o: Required<PgExecutionStoreOptions>, presence: ReplicaPresence | undefined) {
    this.#db = db;
    this.#o = o;
    this.#presence = presence;
    this.#logs = new LogBuffer(db);
  }

  async create(record: ExecutionRecord): Promise<void> {
    const id = checkId(record.id);
    const stored: ExecutionRecord = { ...record, owner: currentOwner() };
    const { status, endedAt } = columnsOf(stored);
    const rows = await this.#db.query(`INSERT INTO executions (id, workflow, kind, category, plugin, status, created_at, ended_at, owner, record)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [id, stored.workflow, stored.kind ?? null, stored.category ?? null, stored.plugin ?? null, status, timeParam(stored.createdAt), endedAt, this.#o.replica, jsonbText(stored)]);
    if (rows.length === 0) throw new StoreError('E_EXISTS', `execution ${id} already exists`);
  }

  /**
   * Callers may ask for the next update before the last one is written (the recorder does): each
   * waits for the one before, so a step's `running` cannot land after its `success`.
   */
  async update(id: string, patch: ExecutionPatch): Promise<void> {
    checkId(id);
    const previous = this.#updates.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      await this.#logs.flush();
      await this.#db.tx((q) => this.#patch(q, id, [patch]));
    });
    this.#updates.set(id, next);
    const forget = () => { if (this.#updates.get(id) === next) this.#updates.delete(id); };
    next.then(forget, forget);
    return next;
  }

  log(id: string, record: LogRecord): void {
    this.#logs.add(checkId(id), record);
  }

  async get(id: string): Promise<ExecutionRecord | undefined> {
    const p = new Params();
    const rows = await this.#db.query<{ record: ExecutionRecord; alive: boolean }>(
      `SELECT e.record, ${aliveSql(p, this.#o.staleMs)} AS alive FROM executions e WHERE e.id = ${p.add(checkId(id))}`, p.values);
    const row = rows[0];
    return row && withLiveness(row.record, () => row.alive);
  }

  async list(filter: ExecutionFilter = {}): Promise<ExecutionRecord[]> {
    const { sql, params } = listSql(filter, this.#o.staleMs);
    const rows = await this.#db.query<{ record: ExecutionRecord; alive: boolean }>(sql, params);
    return rows.map((row) => withLiveness(row.record, () => row.alive));
  }

  async logs(id: string, fromIndex = 0): Promise<LogRecord[]> {
    const from = Number.isNaN(fromIndex) ? 0 : Math.max(0, Math.trunc(fromIndex));
    if (from === Number.POSITIVE_INFINITY) return [];
    const rows = await this.#db.query<{ record: LogRecord }>('SELECT record FROM execution_logs WHERE execution = $1 ORDER BY seq OFFSET $2', [checkId(id), from]);
    return rows.map((r) => r.record);
  }

  /**
   * The figures of store/statistics.ts over what the query can select (a day's margin around the
   * window, so the pure function draws the exact edges), every workflow named whatever the query.
   */
  async stats(query: StatsQuery = {}, now: Date = new Date(this.#o.clock())): Promise<Stats> {
    const p = new Params();
    const where: string[] = [];
    if (query.workflow !== undefined) where.push(`e.workflow = ${p.add(query.workflow)}`);
    if (query.days !== undefined) {
      const { from, to } = windowOf(query.days, now.getTime());
      where.push(`e.created_at >= ${p.add(new Date(from - dayMs).toISOString())}::timestamptz`, `e.created_at < ${p.add(new Date(to + dayMs).toISOString())}::timestamptz`);
    }
    const rows = await this.#db.query<{ workflow: string; status: StatsInput['status']; created: string; duration: number | null; alive: boolean; risk: RiskInput | null }>(
      `SELECT e.workflow, e.status, e.record->>'createdAt' AS created, e.record->'durationMs' AS duration, ${aliveSql(p, this.#o.staleMs)} AS alive,
              CASE WHEN e.record ? 'risk' THEN jsonb_build_object('score', e.record->'risk'->'score', 'probability', e.record->'risk'->'probability', 'level', e.record->'risk'->'level') END AS risk
       FROM executions e ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, p.values);
    const inputs: StatsInput[] = rows.map((r) => ({
      workflow: r.workflow, status: isActive(r.status) && !r.alive ? 'interrupted' : r.status, createdAt: r.created,
      ...(typeof r.duration === 'number' ? { durationMs: r.duration } : {}),
      ...(r.risk ? { risk: riskInput(r.risk)! } : {}),
    }));
    const workflows = (await this.#db.query<{ workflow: string }>('SELECT DISTINCT workflow FROM executions')).map((r) => r.workflow).sort();
    return { ...computeStats(inputs, query, now.getTime()), workflows };
  }

  async cleanup(days: number, now: Date = new Date(this.#o.clock())): Promise<number> {
    await this.#logs.flush();
    const cutoff = new Date(now.getTime() - days * dayMs);
    if (Number.isNaN(cutoff.getTime())) return 0;
    const removed = await this.#db.query<{ id: string }>('DELETE FROM executions WHERE status = ANY($1::text[]) AND ended_at < $2 RETURNING id', [finished, cutoff.toISOString()]);
    const ids = removed.map((r) => r.id);
    // Their locks too, except one somebody holds right now (it goes with the next cleanup).
    if (ids.length) await this.#db.query('DELETE FROM execution_locks WHERE id IN (SELECT id FROM execution_locks WHERE id = ANY($1::text[]) FOR UPDATE SKIP LOCKED)', [ids]);
    return ids.length;
  }

  async requestCancel(id: string, by?: string): Promise<void> {
    const status = await this.#status(checkId(id));
    if (status === undefined) throw new StoreError('E_NOT_FOUND', `no execution with id ${id}`);
    if (isFinished(status)) return;
    if (status === 'waiting') {
      // Under the lock decisions take: a decision and the cancel cannot both win.
      const cancelled = await this.exclusive(id, async () => {
        if (await this.#status(id) !== 'waiting') return false;
        await this.update(id, { type: 'status', status: 'cancelled', at: this.#now(), error: `cancelled${by ? ` by ${by}` : ''} while waiting for approval` });
        return true;
      });
      if (cancelled) return;
    }
    await this.#db.query('UPDATE executions SET cancel_requested = $2 WHERE id = $1 AND NOT (status = ANY($3::text[]))', [id, this.#now(), finished]);
  }

  async cancelRequested(id: string): Promise<boolean> {
    const rows = await this.#db.query<{ requested: boolean }>('SELECT cancel_requested IS NOT NULL AS requested FROM executions WHERE id = $1', [checkId(id)]);
    return rows[0]?.requested ?? false;
  }

  /**
   * Holds the row of `id` in execution_locks, FOR UPDATE, in a transaction on a connection of its
   * own while `fn` runs; `fn` writes through other connections (and never to execution_locks).
   */
  async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    checkId(id);
    return this.#db.tx(async (q) => {
      try {
        await q.query("SELECT set_config('lock_timeout', $1, true)", [`${this.#o.lockWaitMs}ms`]);
        await q.query('INSERT INTO execution_locks (id) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
        await q.query('SELECT id FROM execution_locks WHERE id = $1 FOR UPDATE', [id]);
      } catch (err) {
        if (err instanceof DatabaseError && (err.cause as { code?: unknown } | undefined)?.code === lockNotAvailable) {
          throw new StoreError('E_LOCKED', `execution ${id} is locked by another process`, { cause: err });
        }
        throw err;
      }
      return fn();
    });
  }

  async recover(): Promise<string[]> {
    const p = new Params();
    const orphans = await this.#db.query<{ id: string }>(`SELECT x.id FROM (SELECT e.id, e.created_at, ${aliveSql(p, this.#o.staleMs)} AS alive
      FROM executions e WHERE e.status IN ('pending', 'running')) x WHERE NOT x.alive ${newestFirst}`, p.values);
    const recovered: string[] = [];
    const at = this.#now();
    for (const { id } of orphans) {
      // Checked again under the row lock: another replica may have recovered or taken it up meanwhile.
      const done = await this.#db.tx(async (q) => {
        const lp = new Params();
        const rows = await q.query<{ record: ExecutionRecord; alive: boolean }>(
          `SELECT e.record, ${aliveSql(lp, this.#o.staleMs)} AS alive FROM executions e WHERE e.id = ${lp.add(id)} FOR UPDATE`, lp.values);
        const row = rows[0];
        if (!row || !isActive(row.record.status) || row.alive) return false;
        const steps: ExecutionPatch[] = interruptedSteps(row.record).map((step) => ({ type: 'step', step }));
        await this.#patch(q, id, [...steps, { type: 'status', status: 'interrupted', at, error: interruptedMessage }]);
        return true;
      });
      if (done) recovered.push(id);
    }
    return recovered;
  }

  flush(): Promise<void> {
    return this.#logs.flush();
  }

  async close(): Promise<void> {
    this.#logs.stop();
    try {
      await this.#logs.flush();
    } finally {
      await this.#presence?.stop();
    }
  }

  /** Applies `patches` with the fold the file store uses, and writes the row back (in `q`'s transaction). */
  async #patch(q: Queryable, id: string, patches: readonly ExecutionPatch[]): Promise<void> {
    const rows = await q.query<{ record: ExecutionRecord }>('SELECT record FROM executions WHERE id = $1 FOR UPDATE', [id]);
    const state = rows[0]?.record;
    if (!state) throw new StoreError('E_NOT_FOUND', `no execution with id ${id}`);
    for (const patch of patches) applyPatch(state, structuredClone(patch));
    // Taken up again: this replica runs it now.
    const owner = patches.some((p) => p.type === 'resumed') && state.owner ? this.#o.replica : null;
    const { status, endedAt } = columnsOf(state);
    await q.query(`UPDATE executions SET record = $2::jsonb, status = $3, ended_at = $4, owner = COALESCE($5, owner),
      cancel_requested = CASE WHEN $6::boolean THEN NULL ELSE cancel_requested END WHERE id = $1`,
    [id, jsonbText(state), status, endedAt, owner, isFinished(state.status)]);
  }

  async #status(id: string): Promise<ExecutionRecord['status'] | undefined> {
    return (await this.#db.query<{ status: ExecutionRecord['status'] }>('SELECT status FROM executions WHERE id = $1', [id]))[0]?.status;
  }

  #now(): string {
    return new Date(this.#o.clock()).toISOString();
  }
}
