// The task queue on PostgreSQL: several `serve` replicas share one queue, and a worker may talk to
// any of them. A task moves exactly as on the board (the same transitions, tasks/transitions.ts);
// what differs is how it is found and kept:
//
// - A claim is one transaction: the worker's row is locked (its slots claim one at a time, so its
//   concurrency holds across replicas), and the best pending task it may take is picked and locked
//   with `FOR UPDATE SKIP LOCKED`, ordered by effective priority (aging in SQL), then age, then id.
// - Every report is fenced by the claim (`WHERE id = $1 AND claim = $2`): a worker whose task was
//   handed to another gets E_STALE_CLAIM, whichever replica it asks.
// - Leases are columns: heartbeats renew `workers.last_seen` and the held tasks' `lease_until`.
//   `tick()` may run on every replica at once: it changes only rows it locked or that still match.
// - Long polls wait for a notification (a task went pending on any replica) or try again every
//   `pollMs`, so a lost notification costs at most that.
// - Changes and progress are told across replicas (tasks-relay.ts).
//
// Times are this process's clock (`clock`), as on the board: replicas' clocks should agree to well
// within a lease.
import type { Clock } from '../engine/clock.ts';
import { TaskError } from '../tasks/errors.ts';
import { capable, type Task, type Worker, type WorkerView } from '../tasks/model.ts';
import type { Beat, NewTask, Outcome, QueueChange, QueueStats, Registration, TaskFilter, TaskFollowed, TaskQueue } from '../tasks/queue.ts';
import {
  applyChange, cancelling, checkHeld, claiming, completing, iso, nameTaken, newClaim, newTask, offlineWorker, registering, requeuing, retrying,
  starting, tallied, unknownTask, unknownWorker, workerOnline, workerView, type Change,
} from '../tasks/transitions.ts';
import type { Protection } from '../tasks/journal.ts';
import type { Db, Queryable } from './db.ts';
import { Relay, taskNote, type Note } from './tasks-relay.ts';
import { channel, held, heldColumn, nameClash, putWorker, serving, TaskRows, workerOf, type TaskRow, type WorkerRow } from './tasks-sql.ts';
import { longPoll } from './tasks-poll.ts';
import { countTasks, listTasks, queueStats, sweep, type SweepState } from './tasks-sweep.ts';

export interface PgQueueOptions {
  clock: Clock;
  leaseMs?: number;
  agingMs?: number;
  /** Offline workers are forgotten after this long (24 h). */
  forgetWorkersAfterMs?: number;
  /** Ended tasks kept (the newest 10,000). */
  keepEnded?: number;
  /** How often a long poll tries again without a notification (1 s). */
  pollMs?: number;
  /** Told when what another replica changed could not be read. */
  onError?: (err: unknown) => void;
  /** How a task is kept without its secrets (as in the journal); without, as it is. */
  protection?: Protection;
}

type Settings = Required<Omit<PgQueueOptions, 'onError' | 'protection'>>;

export class PgTaskQueue implements TaskQueue {
  readonly leaseMs: number;
  readonly agingMs: number;
  readonly #db: Db;
  readonly #o: Settings;
  readonly #rows: TaskRows;
  #relay!: Relay;
  readonly #sweep: SweepState = {};
  /** Long polls waiting here: closing ends them. */
  readonly #polls = new Set<() => void>();
  #closed = false;

  private constructor(db: Db, o: Settings, protection?: Protection) {
    this.#db = db;
    this.#o = o;
    this.#rows = new TaskRows(protection);
    this.leaseMs = o.leaseMs;
    this.agingMs = o.agingMs;
  }

  static async open(db: Db, o: PgQueueOptions): Promise<PgTaskQueue> {
    const { onError, protection, ...times } = o;
    const q = new PgTaskQueue(db, { leaseMs: 30_000, agingMs: 300_000, forgetWorkersAfterMs: 24 * 3_600_000, keepEnded: 10_000, pollMs: 1_000, ...times }, protection);
    q.#relay = await Relay.start(db, {
      tasks: async (ids) => new Map((await db.query<TaskRow>('SELECT doc, lease_until FROM tasks WHERE id = ANY($1)', [ids])).map((r) => q.#rows.of(r)).map((t) => [t.id, t])),
      workers: async (ids) => new Map((await q.#views(db, 'w.id = ANY($1)', [ids])).map((w) => [w.id, w])),
      progress: async (seqs) => new Map((await db.query<{ seq: string; events: unknown[] }>('SELECT seq::text AS seq, events FROM task_events WHERE seq = ANY($1::bigint[])', [seqs])).map((r) => [r.seq, r.events])),
    }, onError);
    return q;
  }

  #now(): number { return this.#o.clock.now(); }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const end of [...this.#polls]) end();
    await this.#relay.stop();
  }

  on(listener: (e: QueueChange) => void): () => void { return this.#relay.on(listener); }
  follow(taskId: string, listener: (e: TaskFollowed) => void): () => void { return this.#relay.follow(taskId, listener); }

  // ——— reading ———

  async #views(q: Queryable, where: string, params: unknown[]): Promise<WorkerView[]> {
    const rows = await q.query<WorkerRow>(`SELECT w.doc, w.last_seen, ${heldColumn} FROM workers w WHERE ${where} ORDER BY w.doc->>'registeredAt', w.id`, params);
    return rows.map((r) => workerView(workerOf(r), r.held ?? []));
  }

  async #view(q: Queryable, id: string): Promise<WorkerView | undefined> { return (await this.#views(q, 'w.id = $1', [id]))[0]; }

  async #lockTask(q: Queryable, id: string): Promise<Task> {
    const [r] = await q.query<TaskRow>('SELECT doc, lease_until FROM tasks WHERE id = $1 FOR UPDATE', [id]);
    if (!r) throw unknownTask(id);
    return this.#rows.of(r);
  }

  async #lockWorker(q: Queryable, id: string): Promise<Worker | undefined> {
    const [r] = await q.query<WorkerRow>('SELECT doc, last_seen FROM workers WHERE id = $1 FOR UPDATE', [id]);
    return r && workerOf(r);
  }

  async get(id: string): Promise<Task | undefined> {
    const [r] = await this.#db.query<TaskRow>('SELECT doc, lease_until FROM tasks WHERE id = $1', [id]);
    return r && this.#rows.of(r);
  }

  list(f: TaskFilter = {}): Promise<Task[]> { return listTasks(this.#db, this.#rows, f); }
  count(f: TaskFilter = {}): Promise<number> { return countTasks(this.#db, f); }

  async findWorker(idOrName: string): Promise<WorkerView | undefined> {
    const [r] = await this.#db.query<WorkerRow>(
      `SELECT w.doc, w.last_seen, ${heldColumn} FROM workers w WHERE w.id = $1 OR w.name = $1
       ORDER BY (w.id = $1) DESC, w.online DESC, w.doc->>'registeredAt' DESC LIMIT 1`, [idOrName]);
    return r && workerView(workerOf(r), r.held ?? []);
  }

  workers(): Promise<WorkerView[]> { return this.#views(this.#db, 'true', []); }

  async router(): Promise<(t: Pick<Task, 'capabilities'>) => boolean> {
    const rows = await this.#db.query<{ capabilities: string[] }>(`SELECT w.capabilities FROM workers w WHERE ${serving}`);
    return (t) => rows.some((w) => capable(w.capabilities, t.capabilities));
  }

  stats(): Promise<QueueStats> { return queueStats(this.#db); }

  // ——— changing one task ———

  /**
   * Changes one task in a transaction that holds its row: `first` takes what must be locked before
   * it, `decide` answers the change (or none, or throws), `also` writes what goes with it, the task
   * is written (fenced by `fence` when given) and the notes are sent; then it is told here.
   *
   * Rows are locked in one order everywhere, a worker's before its tasks', so two transactions
   * never wait for each other (deregister and a report of the same worker, say).
   */
  async #alter(id: string, decide: (t: Task, q: Queryable) => Change | undefined | Promise<Change | undefined>, o: {
    fence?: string; first?: (q: Queryable) => Promise<void>; also?: (q: Queryable, t: Task) => Promise<Note[]>;
  } = {}): Promise<{ task: Task; changed: boolean }> {
    const now = this.#now();
    const out = await this.#db.tx(async (q) => {
      await o.first?.(q);
      const t = await this.#lockTask(q, id);
      const c = await decide(t, q);
      const notes = o.also ? await o.also(q, t) : [];
      if (!c) { await this.#relay.send(q, notes); return { task: t, changed: false }; }
      applyChange(t, c, now);
      // Under the row's lock the fence holds; it is checked again where the row is written all the same.
      if (!(await this.#rows.update(q, t, o.fence))) throw new TaskError('E_STALE_CLAIM', `task ${id} is not held by this claim any more`, { state: t.state });
      await this.#relay.send(q, [...notes, taskNote(t)]);
      return { task: t, changed: true };
    });
    if (out.changed) this.#relay.task(out.task);
    return out;
  }

  async submit(input: NewTask): Promise<Task> {
    const t = newTask(input, this.#now());
    await this.#db.tx(async (q) => {
      await this.#rows.insert(q, t);
      await this.#relay.send(q, [taskNote(t)]);
    });
    this.#relay.task(t);
    return t;
  }

  async cancel(id: string, by = 'api'): Promise<Task> {
    return (await this.#alter(id, (t) => cancelling(t, by, this.#now()))).task;
  }

  async retry(id: string, by = 'api'): Promise<Task> {
    return (await this.#alter(id, (t) => retrying(t, by, this.#now()))).task;
  }

  async setExecution(id: string, execution: string): Promise<void> {
    await this.#alter(id, (t) => (t.execution === execution ? undefined : { patch: { execution } }));
  }

  // ——— workers ———

  async register(r: Registration): Promise<WorkerView> {
    const now = this.#now();
    await this.#lapse(now);
    let out: { w: Worker; held: Task[] };
    try {
      out = await this.#db.tx(async (q) => {
        const [clash] = await q.query<WorkerRow>('SELECT doc, last_seen FROM workers WHERE name = $1 AND online AND id <> $2', [r.name, r.id ?? '']);
        if (clash) throw nameTaken(r.name, workerOf(clash));
        // An offline worker of the same name is replaced by the new one.
        await q.query('DELETE FROM workers WHERE name = $1 AND id <> $2 AND NOT online', [r.name, r.id ?? '']);
        const before = r.id ? await this.#lockWorker(q, r.id) : undefined;
        // Only a worker taken for gone registers again under its id; an online one is not taken over.
        if (before && !before.offlineAt) throw workerOnline(before);
        const w = registering(r, before, now);
        await putWorker(q, w);
        // Tasks it still holds from before keep their lease from now on.
        const rows = await q.query<TaskRow>(`SELECT doc, lease_until FROM tasks WHERE worker = $1 AND ${held} ORDER BY created_at, id FOR UPDATE`, [w.id]);
        const tasks = rows.map((x) => this.#rows.of(x));
        for (const t of tasks) { applyChange(t, { patch: { leaseUntil: iso(now + this.leaseMs) } }, now); await this.#rows.update(q, t); }
        await this.#relay.send(q, [{ k: 'w', id: w.id }, ...tasks.map(taskNote)]);
        return { w, held: tasks };
      });
    } catch (err) {
      if (!nameClash(err)) throw err;
      // Another replica registered the name between our look and our write.
      const [clash] = await this.#db.query<WorkerRow>('SELECT doc, last_seen FROM workers WHERE name = $1 AND online', [r.name]);
      throw nameTaken(r.name, clash ? workerOf(clash) : { id: 'another worker', lastSeen: iso(now) });
    }
    const view = workerView(out.w, out.held.map((t) => t.id));
    this.#relay.worker(view);
    for (const t of out.held) this.#relay.task(t);
    this.#relay.wake();
    return view;
  }

  /** Workers silent past their lease go offline: register sees a lapsed name as free without waiting for the tick. */
  async #lapse(now: number): Promise<void> {
    const lapsed = await this.#db.query<{ id: string }>(
      `WITH lapsed AS (UPDATE workers SET online = false, doc = doc || jsonb_build_object('offlineAt', $1::text) WHERE online AND last_seen <= $2 RETURNING id)
       SELECT id, pg_notify($3, json_build_object('o', $4::text, 'k', 'w', 'id', id)::text) FROM lapsed`,
      [iso(now), iso(now - this.leaseMs), channel, this.#relay.origin]);
    if (lapsed.length === 0) return;
    for (const v of await this.#views(this.#db, 'w.id = ANY($1)', [lapsed.map((x) => x.id)])) this.#relay.worker(v);
  }

  async heartbeat(id: string): Promise<Beat> {
    const now = this.#now();
    const [r] = await this.#db.query<{ doc: Worker | null; cancel: string[] }>(
      `WITH w AS (UPDATE workers SET last_seen = $2 WHERE id = $1 AND online RETURNING doc),
            t AS (UPDATE tasks SET lease_until = $3 WHERE worker = $1 AND ${held} AND EXISTS (SELECT 1 FROM w) RETURNING id, doc->'cancelRequested' AS c)
       SELECT (SELECT doc FROM w) AS doc, coalesce((SELECT array_agg(id ORDER BY id) FROM t WHERE c = 'true'::jsonb), '{}') AS cancel`,
      [id, iso(now), iso(now + this.leaseMs)]);
    if (!r?.doc) {
      const [w] = await this.#db.query<WorkerRow>('SELECT doc, last_seen FROM workers WHERE id = $1', [id]);
      throw w ? offlineWorker(w.doc) : unknownWorker(id);
    }
    return { draining: r.doc.draining, cancel: r.cancel, leaseMs: this.leaseMs };
  }

  async drain(id: string): Promise<WorkerView> {
    const { view, changed } = await this.#db.tx(async (q) => {
      const w = await this.#lockWorker(q, id);
      if (!w) throw unknownWorker(id);
      if (w.draining) return { view: await this.#view(q, id), changed: false };
      w.draining = true;
      await putWorker(q, w);
      await this.#relay.send(q, [{ k: 'w', id }]);
      return { view: await this.#view(q, id), changed: true };
    });
    if (changed) this.#relay.worker(view!);
    return view!;
  }

  async deregister(id: string): Promise<WorkerView> {
    const now = this.#now();
    const out = await this.#db.tx(async (q) => {
      const w = await this.#lockWorker(q, id);
      if (!w) throw unknownWorker(id);
      const rows = await q.query<TaskRow>(`SELECT doc, lease_until FROM tasks WHERE worker = $1 AND ${held} ORDER BY created_at, id FOR UPDATE`, [id]);
      const tasks = rows.map((x) => this.#rows.of(x));
      for (const t of tasks) { applyChange(t, requeuing(t, now, false, `worker ${w.name} stopped`), now); await this.#rows.update(q, t); }
      w.offlineAt = iso(now);
      await putWorker(q, w);
      await this.#relay.send(q, [...tasks.map(taskNote), { k: 'w', id }]);
      return { tasks, view: workerView(w, []) };
    });
    for (const t of out.tasks) this.#relay.task(t);
    this.#relay.worker(out.view);
    return out.view;
  }

  // ——— claiming and reports ———

  async claim(workerId: string): Promise<Task | undefined> {
    const now = this.#now();
    const out = await this.#db.tx(async (q) => {
      const w = await this.#lockWorker(q, workerId);
      if (!w) throw unknownWorker(workerId);
      if (w.offlineAt) throw offlineWorker(w);
      await q.query('UPDATE workers SET last_seen = $2 WHERE id = $1', [workerId, iso(now)]);
      if (w.draining) return undefined;
      const holding = (await q.query<{ id: string }>(`SELECT id FROM tasks WHERE worker = $1 AND ${held} ORDER BY created_at, id`, [workerId])).map((x) => x.id);
      if (holding.length >= w.concurrency) return undefined;
      // The effective priority: the task's own, one level higher per agingMs waited, at most critical (model.ts effectiveRank).
      const [r] = await q.query<TaskRow>(
        `SELECT doc, lease_until FROM tasks
         WHERE state = 'pending' AND capabilities <@ $1::text[] AND run_at <= $2 AND (deadline IS NULL OR deadline > $2)
         ORDER BY least(3, priority + CASE WHEN $3::bigint > 0
                    THEN floor(greatest(0, extract(epoch FROM ($2::timestamptz - created_at)) * 1000) / $3::bigint) ELSE 0 END) DESC,
                  created_at, id
         LIMIT 1 FOR UPDATE SKIP LOCKED`, [w.capabilities, iso(now), this.agingMs]);
      if (!r) return undefined;
      const t = this.#rows.of(r);
      applyChange(t, claiming(t, { ...w, lastSeen: iso(now) }, newClaim(), now, this.leaseMs), now);
      await this.#rows.update(q, t);
      await this.#relay.send(q, [taskNote(t), { k: 'w', id: w.id }]);
      return { t, view: workerView({ ...w, lastSeen: iso(now) }, [...holding, t.id]) };
    });
    if (!out) return undefined;
    this.#relay.task(out.t);
    this.#relay.worker(out.view);
    return out.t;
  }

  /** The long poll (tasks-poll.ts): woken by a notification from any replica, or every `pollMs`. */
  waitClaim(workerId: string, waitMs: number, signal?: AbortSignal): Promise<Task | undefined> {
    return longPoll({
      claim: () => this.claim(workerId), waiter: (wake) => this.#relay.waiter(wake), release: (t) => this.#release(t),
      track: (end) => { this.#polls.add(end); return () => { this.#polls.delete(end); }; }, clock: this.#o.clock, pollMs: this.#o.pollMs,
    }, waitMs, signal);
  }

  /** Puts back a task claimed for a long poll that had ended: no worker got it. */
  async #release(t: Task): Promise<void> {
    await this.#alter(t.id, (cur) => (cur.claim === t.claim ? requeuing(cur, this.#now(), false, 'its claim was not answered (the request ended first)') : undefined));
  }

  async progress(id: string, workerId: string, claim: string, events: unknown[] = []): Promise<{ cancel: boolean }> {
    const now = this.#now();
    // The common report, on a task already running: its lease and its events in one statement;
    // then the worker's last seen on its own (two rows locked in one statement could meet a
    // transaction that locks them the other way round).
    const [fast] = await this.#db.query<{ cancel: boolean; seq: string | null }>(
      `WITH t AS (UPDATE tasks SET lease_until = $4 WHERE id = $1 AND claim = $2 AND worker = $3 AND state = 'running' RETURNING coalesce((doc->>'cancelRequested')::boolean, false) AS cancel),
            e AS (INSERT INTO task_events (task_id, at, events) SELECT $1, $5, $6::jsonb FROM t WHERE $6::jsonb IS NOT NULL RETURNING seq::text AS seq)
       SELECT t.cancel, (SELECT seq FROM e) AS seq FROM t`,
      [id, claim, workerId, iso(now + this.leaseMs), iso(now), events.length ? JSON.stringify(events) : null]);
    if (fast) {
      await this.#db.query('UPDATE workers SET last_seen = greatest(last_seen, $2) WHERE id = $1 AND online', [workerId, iso(now)]);
      if (fast.seq) await this.#progressed(id, fast.seq, events);
      return { cancel: fast.cancel };
    }
    // The first report (claimed → running), or a refusal.
    let seq: string | undefined;
    const { task } = await this.#alter(id, (t) => {
      checkHeld(t, workerId, claim);
      t.leaseUntil = iso(now + this.leaseMs);
      return starting(t, now);
    }, {
      fence: claim,
      first: async (q) => { await q.query('UPDATE workers SET last_seen = greatest(last_seen, $2) WHERE id = $1 AND online', [workerId, iso(now)]); },
      also: async (q, t) => {
        if (!events.length) return [];
        const [row] = await q.query<{ seq: string }>('INSERT INTO task_events (task_id, at, events) VALUES ($1, $2, $3) RETURNING seq::text AS seq', [t.id, iso(now), JSON.stringify(events)]);
        seq = row!.seq;
        return [];
      },
    });
    if (seq) await this.#progressed(id, seq, events);
    return { cancel: task.cancelRequested === true };
  }

  /** Progress written: sent to the other replicas (after its row is committed) and told here. */
  async #progressed(id: string, seq: string, events: unknown[]): Promise<void> {
    this.#relay.progress(id, events);
    await this.#relay.send(this.#db, [Relay.progressNote(id, seq, events)]);
  }

  async complete(id: string, workerId: string, claim: string, outcome: Outcome): Promise<Task> {
    const now = this.#now();
    let worker: Worker | undefined;
    const { task } = await this.#alter(id, async (t, q) => {
      checkHeld(t, workerId, claim);
      if (worker) {
        Object.assign(worker, tallied(worker, outcome.status), { lastSeen: iso(now) });
        await putWorker(q, worker);
      }
      return completing(t, outcome, now);
    }, {
      fence: claim,
      first: async (q) => { worker = await this.#lockWorker(q, workerId); },
      also: async () => (worker ? [{ k: 'w', id: workerId }] : []),
    });
    if (worker) {
      const view = await this.#view(this.#db, workerId).catch(() => undefined);
      if (view) this.#relay.worker(view);
    }
    return task;
  }

  // ——— time ———

  async tick(): Promise<void> {
    await this.#lapse(this.#now());
    await sweep(this.#db, this.#relay, this.#rows, this.#sweep, { now: this.#now(), ...this.#o });
  }
}
