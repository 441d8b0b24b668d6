// What the shared queue reads in bulk and sweeps on its tick: lists and counts by the API's
// filters, the figures of /api/tasks/stats and /metrics, and the tick's changes (lost leases,
// passed deadlines, forgotten workers and ended tasks, backoffs that ended). The tick runs on every
// replica: each change takes rows it locks with SKIP LOCKED and that still match, so two replicas
// sweeping at once change each row once.
import { priorities, priorityRank, taskStates, type Priority, type Task, type TaskState } from '../tasks/model.ts';
import type { QueueStats, TaskFilter } from '../tasks/queue.ts';
import { applyChange, deadlinePassed, iso, leaseLost, requeuing, successRate, type Change } from '../tasks/transitions.ts';
import type { Db, Queryable } from './db.ts';
import { taskNote, type Relay } from './tasks-relay.ts';
import { final, held, serving, type TaskRow, type TaskRows } from './tasks-sql.ts';

function where(f: TaskFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.state === 'active') parts.push(`NOT (${final})`);
  else if (f.state === 'ended') parts.push(final);
  else if (f.state) parts.push(`state = ${p(f.state)}`);
  if (f.type) parts.push(`doc->>'type' = ${p(f.type)}`);
  if (f.priority) parts.push(`priority = ${p(priorityRank(f.priority))}`);
  if (f.worker) parts.push(`worker = ${p(f.worker)}`);
  if (f.execution) parts.push(`execution = ${p(f.execution)}`);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Newest first, as the board lists them. */
export async function listTasks(db: Queryable, rows: TaskRows, f: TaskFilter): Promise<Task[]> {
  const w = where(f);
  const limit = f.limit === undefined ? '' : ` LIMIT $${w.params.push(f.limit)}`;
  return (await db.query<TaskRow>(`SELECT doc, lease_until FROM tasks ${w.sql} ORDER BY created_at DESC, id DESC${limit}`, w.params)).map((r) => rows.of(r));
}

export async function countTasks(db: Queryable, f: TaskFilter): Promise<number> {
  const w = where(f);
  return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM tasks ${w.sql}`, w.params))[0]?.n ?? 0);
}

/** Some online, not draining, worker has the capabilities of the task (`t` the tasks table). */
const routable = `EXISTS (SELECT 1 FROM workers w WHERE ${serving} AND t.capabilities <@ w.capabilities)`;

export async function queueStats(db: Db): Promise<QueueStats> {
  const [tasks, [stuck], workers] = await Promise.all([
    db.query<{ state: TaskState; priority: number; n: string }>('SELECT state, priority, count(*) AS n FROM tasks GROUP BY state, priority'),
    db.query<{ n: string }>(`SELECT count(*) AS n FROM tasks t WHERE t.state = 'pending' AND NOT ${routable}`),
    db.query<{ state: 'idle' | 'busy' | 'draining' | 'offline'; n: string }>(
      `SELECT CASE WHEN NOT w.online THEN 'offline' WHEN coalesce((w.doc->>'draining')::boolean, false) THEN 'draining'
                   WHEN EXISTS (SELECT 1 FROM tasks t WHERE t.worker = w.id AND t.${held}) THEN 'busy' ELSE 'idle' END AS state, count(*) AS n
       FROM workers w GROUP BY 1`),
  ]);
  const byState = Object.fromEntries(taskStates.map((s) => [s, 0])) as Record<TaskState, number>;
  const queueDepth = Object.fromEntries(priorities.map((p) => [p, 0])) as Record<Priority, number>;
  for (const r of tasks) {
    byState[r.state] += Number(r.n);
    if (r.state === 'pending') queueDepth[priorities[r.priority]!] += Number(r.n);
  }
  const ws = { total: 0, idle: 0, busy: 0, draining: 0, offline: 0 };
  for (const r of workers) { ws[r.state] += Number(r.n); ws.total += Number(r.n); }
  const completed = byState.succeeded, failed = byState.failed + byState['dead-lettered'];
  return {
    workers: ws, activeTasks: byState.claimed + byState.running, pendingTasks: byState.pending, unroutableTasks: Number(stuck?.n ?? 0),
    completedTasks: completed, failedTasks: failed, successRate: successRate(completed, failed), byState, queueDepth,
  };
}

/** What a replica's sweeps remember between ticks. */
export interface SweepState {
  /** The time of the last tick: backoffs that ended since wake the long polls. */
  lastTick?: number;
  lastForget?: number;
}

interface SweepOptions { now: number; leaseMs: number; forgetWorkersAfterMs: number; keepEnded: number }

const batch = 100;
/** Ended tasks and task_events are forgotten at most this often. */
const forgetEveryMs = 60_000;
/** Progress is kept only to reach the replica that waits for it. */
const keepEventsMs = 3_600_000;

/** Changes the tasks `pick` locks, up to a batch at a time, until none is left. */
async function sweepTasks(db: Db, relay: Relay, rows: TaskRows, pick: string, params: unknown[], change: (t: Task, row: Record<string, unknown>) => Change, now: number): Promise<void> {
  for (;;) {
    const changed = await db.tx(async (q) => {
      const picked = await q.query<TaskRow & Record<string, unknown>>(pick, params);
      const out: Task[] = [];
      for (const r of picked) {
        const t = rows.of(r);
        applyChange(t, change(t, r), now);
        await rows.update(q, t);
        out.push(t);
      }
      await relay.send(q, out.map(taskNote));
      return out;
    });
    for (const t of changed) relay.task(t);
    if (changed.length < batch) return;
  }
}

export async function sweep(db: Db, relay: Relay, rows: TaskRows, state: SweepState, o: SweepOptions): Promise<void> {
  const { now } = o;
  await db.query("DELETE FROM workers WHERE NOT online AND (doc->>'offlineAt')::timestamptz <= $1", [iso(now - o.forgetWorkersAfterMs)]);
  // Held tasks whose lease ran out: back to the queue (the attempt spent), or dead-lettered.
  await sweepTasks(db, relay, rows,
    `SELECT doc, lease_until FROM tasks WHERE ${held} AND lease_until <= $1 ORDER BY lease_until, id LIMIT ${batch} FOR UPDATE SKIP LOCKED`, [iso(now)],
    (t) => requeuing(t, now, true, leaseLost(t, o.leaseMs)), now);
  // Pending tasks past their deadline.
  await sweepTasks(db, relay, rows,
    `SELECT t.doc, t.lease_until, ${routable} AS routable FROM tasks t
     WHERE t.state = 'pending' AND t.deadline <= $1 ORDER BY t.created_at, t.id LIMIT ${batch} FOR UPDATE OF t SKIP LOCKED`, [iso(now)],
    (t, r) => deadlinePassed(t, r.routable === true, now), now);
  // Tasks whose backoff ended since the last tick are claimable now: the long polls here try again.
  const [due] = await db.query<{ due: boolean }>("SELECT EXISTS (SELECT 1 FROM tasks WHERE state = 'pending' AND run_at > $1 AND run_at <= $2) AS due",
    [iso(state.lastTick ?? now - o.leaseMs), iso(now)]);
  state.lastTick = now;
  if (due?.due) relay.wake();
  if (state.lastForget === undefined || now - state.lastForget >= forgetEveryMs) {
    state.lastForget = now;
    await db.query(`DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE ended_at IS NOT NULL ORDER BY ended_at DESC, id DESC OFFSET $1)`, [o.keepEnded]);
    await db.query('DELETE FROM task_events WHERE at < $1', [iso(now - keepEventsMs)]);
  }
}
