// Tasks and workers as rows (migration 003): the whole task or worker is `doc`, and the columns
// the claim, the sweeps and the lists filter on are written from it on every change. Two columns
// change without the doc: `workers.last_seen` and `tasks.lease_until`, renewed by heartbeats and
// reports (they are not changes anyone is told about); reading puts them back into the doc.
//
// `task_events` keeps what workers report about the tasks they run (log lines, outputs, run
// events), so the replica where a run waits for its step gets them whichever replica the worker
// talks to. It is created here, if missing, until a migration carries it.
import { priorityRank, type Task, type Worker } from '../tasks/model.ts';
import type { Protection } from '../tasks/journal.ts';
import type { Queryable } from './db.ts';

export const channel = 'pluginops_tasks';

export const held = "state IN ('claimed', 'running')";
export const final = "state IN ('succeeded', 'failed', 'dead-lettered', 'cancelled')";
/** A worker that may take new tasks: online and not draining. */
export const serving = "w.online AND coalesce((w.doc->>'draining')::boolean, false) = false";

export interface TaskRow { doc: Task & { [sealedKey]?: unknown }; lease_until: Date | null }
export interface WorkerRow { doc: Worker; last_seen: Date; held?: string[] | null }

/** Where a protected task's doc keeps what rebuilds its masked values (variable names, never values). */
const sealedKey = '$sealed';
const iso = (d: Date) => d.toISOString();

export function workerOf(r: WorkerRow): Worker {
  const w = r.doc;
  w.lastSeen = iso(r.last_seen);
  return w;
}

const taskColumns = ['id', 'state', 'priority', 'capabilities', 'run_at', 'created_at', 'deadline', 'worker', 'claim', 'lease_until', 'ended_at', 'execution', 'doc'] as const;

/**
 * Tasks to rows and back. With a protection (journal.ts), a task is written masked, with what
 * rebuilds its secrets from the environment of the replica that reads it; without, as it is.
 */
export class TaskRows {
  readonly #p: Protection | undefined;
  constructor(protection?: Protection) { this.#p = protection; }

  of(r: TaskRow): Task {
    const { [sealedKey]: sealed, ...doc } = r.doc;
    const t = this.#p && sealed !== undefined ? this.#p.restore(doc, sealed) : doc;
    if (r.lease_until) t.leaseUntil = iso(r.lease_until);
    return t;
  }

  #doc(t: Task): string {
    if (!this.#p) return JSON.stringify(t);
    const { task, sealed } = this.#p.protect(t);
    return JSON.stringify(sealed === undefined ? task : { ...task, [sealedKey]: sealed });
  }

  #values(t: Task): unknown[] {
    return [
      t.id, t.state, priorityRank(t.priority), t.capabilities, t.runAt, t.createdAt, t.deadline ?? null, t.worker ?? null,
      t.claim ?? null, t.leaseUntil ?? null, t.endedAt ?? null, t.execution ?? null, this.#doc(t),
    ];
  }

  async insert(q: Queryable, t: Task): Promise<void> {
    await q.query(`INSERT INTO tasks (${taskColumns.join(', ')}) VALUES (${taskColumns.map((_, i) => `$${i + 1}`).join(', ')})`, this.#values(t));
  }

  /** Writes a task's columns and doc; with `fence`, only while the row still carries that claim. False when nothing was written. */
  async update(q: Queryable, t: Task, fence?: string): Promise<boolean> {
    const sets = taskColumns.slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ');
    const params = this.#values(t);
    const where = fence === undefined ? 'id = $1' : `id = $1 AND claim = $${params.push(fence)}`;
    return (await q.query(`UPDATE tasks SET ${sets} WHERE ${where} RETURNING id`, params)).length === 1;
  }
}

/** Inserts or replaces a worker. */
export async function putWorker(q: Queryable, w: Worker): Promise<void> {
  await q.query(
    `INSERT INTO workers (id, name, capabilities, online, last_seen, doc) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET name = $2, capabilities = $3, online = $4, last_seen = $5, doc = $6`,
    [w.id, w.name, w.capabilities, !w.offlineAt, w.lastSeen, JSON.stringify(w)],
  );
}

/** The tasks each worker holds, as a column of a workers query (`w` the workers table). */
export const heldColumn = `coalesce((SELECT array_agg(t.id ORDER BY t.created_at, t.id) FROM tasks t WHERE t.worker = w.id AND t.${held}), '{}') AS held`;

/** A unique violation of the index that keeps one online worker per name. */
export function nameClash(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string; constraint?: string } })?.cause;
  return cause?.code === '23505' && cause.constraint === 'workers_online_name';
}
