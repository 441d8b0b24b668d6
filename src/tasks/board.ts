// The task board: the queue of tasks and the workers that claim them, kept by the process that
// owns the store (`serve`). Workers reach it through the API: they register, heartbeat, claim a
// task (a long poll), report its progress and its end. Everything that changes a task or a worker
// goes through here, is kept in memory and written to the journal (journal.ts) before it is told.
//
// Claiming: a worker may take a pending task whose capabilities it all has, whose `runAt` has come
// and before its deadline; of those, the highest effective priority (model.ts: priority raised by
// waiting) and then the oldest. Pending tasks wait in one queue per (capability set, priority),
// oldest first, so a claim compares at most four heads per capability set a worker can serve.
//
// Leases: a claim holds a task while the worker heartbeats. A worker silent for `leaseMs` is
// offline and each task it held goes back to the queue (an attempt spent) or, with no attempt
// left, is dead-lettered. A report carrying an older claim is refused (E_STALE_CLAIM), so a task
// handed to another worker cannot be ended twice.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../engine/clock.ts';
import { TaskError } from './errors.ts';
import {
  capable, claimOrder, finalTaskStates, heldTaskStates, priorities, priorityRank, retryDelay,
  type Priority, type Task, type TaskResult, type TaskState, type TaskWork, type Worker, type WorkerView,
} from './model.ts';

export interface BoardOptions {
  clock: Clock;
  /** A worker silent this long is offline and its tasks go back to the queue. */
  leaseMs?: number;
  /** A pending task's priority rises one level for each `agingMs` it waits. */
  agingMs?: number;
  /** Offline workers are forgotten after this long. */
  forgetWorkersAfterMs?: number;
  /** Ended tasks kept in memory (the newest); older ones are dropped from the board. */
  keepEnded?: number;
}

/** Where the board writes what changed; the embedded journal, or a database. */
export interface BoardJournal {
  putTask(task: Task): void;
  putWorker(worker: Worker): void;
}

export type BoardEvent =
  | { type: 'task'; task: Task }
  | { type: 'worker'; worker: WorkerView }
  /** Log lines and run events a worker reported for a task it holds, in its order. */
  | { type: 'progress'; task: Task; events: unknown[] };

export interface NewTask {
  type: string;
  priority?: Priority;
  data?: Record<string, unknown>;
  capabilities?: string[];
  work: TaskWork;
  maxAttempts?: number;
  backoffMs?: number;
  deadline?: string;
  requestedBy?: string;
  execution?: string;
}

export interface Registration {
  id?: string;
  name: string;
  type?: string;
  capabilities: string[];
  concurrency?: number;
  host?: string;
  pid?: number;
  version?: string;
}

export interface TaskFilter {
  state?: TaskState | 'active' | 'ended';
  type?: string;
  priority?: Priority;
  worker?: string;
  execution?: string;
  limit?: number;
}

export interface BoardStats {
  workers: { total: number; idle: number; busy: number; draining: number; offline: number };
  /** Claimed or running. */
  activeTasks: number;
  pendingTasks: number;
  /** Pending tasks no online worker can take. */
  unroutableTasks: number;
  completedTasks: number;
  failedTasks: number;
  /** Succeeded of those that ended succeeded, failed or dead-lettered; 1 when none did. */
  successRate: number;
  byState: Record<TaskState, number>;
  /** Pending tasks by priority. */
  queueDepth: Record<Priority, number>;
}

const historyKept = 50;
const iso = (ms: number) => new Date(ms).toISOString();
let sequence = 0;
/** Sortable in creation order, also within one millisecond (the counter), and unique (the random part). */
const newTaskId = () => `tk-${Date.now().toString(36)}${(sequence++ % 36 ** 4).toString(36).padStart(4, '0')}${randomBytes(3).toString('hex')}`;
const newClaim = () => randomBytes(12).toString('hex');
export const newWorkerId = () => `wk-${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;

interface Bucket { capabilities: string[]; queues: Task[][] }

export class TaskBoard {
  readonly leaseMs: number;
  readonly agingMs: number;
  readonly #o: Required<Omit<BoardOptions, 'clock'>> & { clock: Clock };
  readonly #journal: BoardJournal;
  readonly #tasks = new Map<string, Task>();
  readonly #workers = new Map<string, Worker>();
  readonly #buckets = new Map<string, Bucket>();
  /** Pending tasks whose `runAt` is still to come. */
  readonly #delayed = new Set<Task>();
  /** The tasks each worker holds (claimed or running), and who holds each: claims read it, not the whole board. */
  readonly #heldBy = new Map<string, Set<Task>>();
  readonly #holderOf = new Map<string, string>();
  readonly #listeners = new Set<(e: BoardEvent) => void>();
  readonly #waiters = new Set<() => void>();
  #ended = 0;
  /** Ended tasks in the order they ended (a retried one stays until it is reached, then is skipped): the oldest are forgotten first. */
  #endedOrder: Task[] = [];
  #endedHead = 0;
  readonly #counts = { completed: 0, failed: 0 };

  constructor(o: BoardOptions, journal: BoardJournal, restored: { tasks?: Iterable<Task>; workers?: Iterable<Worker> } = {}) {
    this.#o = { leaseMs: 30_000, agingMs: 300_000, forgetWorkersAfterMs: 24 * 3_600_000, keepEnded: 10_000, ...o };
    this.leaseMs = this.#o.leaseMs;
    this.agingMs = this.#o.agingMs;
    this.#journal = journal;
    // Workers and the tasks they held get one lease from now to come back: heartbeats are not journalled.
    const now = this.#now();
    // One worker per name: the newest registration (an older one of the same name is gone).
    const newest = new Map<string, Worker>();
    for (const w of restored.workers ?? []) {
      const seen = newest.get(w.name);
      if (!seen || Date.parse(w.registeredAt) >= Date.parse(seen.registeredAt)) newest.set(w.name, w);
    }
    for (const w of newest.values()) {
      if (!w.offlineAt) w.lastSeen = iso(Math.max(Date.parse(w.lastSeen), now));
      this.#workers.set(w.id, w);
    }
    for (const t of restored.tasks ?? []) {
      if (heldTaskStates.has(t.state) && t.leaseUntil) t.leaseUntil = iso(Math.max(Date.parse(t.leaseUntil), now + this.#o.leaseMs));
      this.#tasks.set(t.id, t);
      this.#reindex(t);
      if (t.state === 'pending') this.#enqueue(t);
      if (finalTaskStates.has(t.state)) { this.#ended++; this.#endedOrder.push(t); this.#count(t.state, 1); }
    }
  }

  #now(): number { return this.#o.clock.now(); }

  on(listener: (e: BoardEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #tell(e: BoardEvent): void {
    for (const l of this.#listeners) {
      try { l(e); } catch { /* a listener's mistake is its own */ }
    }
  }

  // ——— tasks ———

  submit(input: NewTask): Task {
    const now = this.#now();
    const task: Task = {
      id: newTaskId(), type: input.type, priority: input.priority ?? 'normal', data: input.data ?? {},
      capabilities: [...new Set(input.capabilities ?? [])].sort(), work: input.work, state: 'pending',
      attempts: 0, maxAttempts: Math.max(1, input.maxAttempts ?? 3), backoffMs: Math.max(0, input.backoffMs ?? 10_000),
      runAt: iso(now), ...(input.deadline ? { deadline: input.deadline } : {}),
      createdAt: iso(now), updatedAt: iso(now), ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
      ...(input.execution ? { execution: input.execution } : {}),
      history: [{ at: iso(now), state: 'pending', ...(input.requestedBy ? { message: `submitted by ${input.requestedBy}` } : {}) }],
      version: 1,
    };
    this.#tasks.set(task.id, task);
    this.#enqueue(task);
    this.#save(task);
    this.#wake();
    return task;
  }

  get(id: string): Task | undefined { return this.#tasks.get(id); }

  #task(id: string): Task {
    const t = this.#tasks.get(id);
    if (!t) throw new TaskError('E_UNKNOWN_TASK', `there is no task ${id}`, { id });
    return t;
  }

  /** Newest first. */
  list(f: TaskFilter = {}): Task[] {
    const out: Task[] = [];
    const all = [...this.#tasks.values()];
    for (let i = all.length - 1; i >= 0; i--) {
      const t = all[i]!;
      if (f.state === 'active' ? finalTaskStates.has(t.state) : f.state === 'ended' ? !finalTaskStates.has(t.state) : f.state && t.state !== f.state) continue;
      if (f.type && t.type !== f.type) continue;
      if (f.priority && t.priority !== f.priority) continue;
      if (f.worker && t.worker !== f.worker) continue;
      if (f.execution && t.execution !== f.execution) continue;
      out.push(t);
    }
    return f.limit === undefined ? out : out.slice(0, f.limit);
  }

  /** Whether some online, not draining, worker could take the task. */
  routable(t: Task): boolean {
    for (const w of this.#workers.values()) if (!w.offlineAt && !w.draining && capable(w.capabilities, t.capabilities)) return true;
    return false;
  }

  /**
   * Cancels a task: a pending one at once; one a worker holds is asked to stop (the worker learns
   * it at its next heartbeat or report, and ends it `cancelled`).
   */
  cancel(id: string, by = 'api'): Task {
    const t = this.#task(id);
    if (finalTaskStates.has(t.state)) throw new TaskError('E_TASK_STATE', `task ${id} is ${t.state} already`, { state: t.state });
    if (t.state === 'pending') return this.#end(t, 'cancelled', { error: `cancelled by ${by}` }, `cancelled by ${by}`);
    if (!t.cancelRequested) this.#change(t, { cancelRequested: true }, undefined, `cancel asked by ${by}`);
    return t;
  }

  /** Queues a failed, dead-lettered or cancelled task again with its attempts renewed. */
  retry(id: string, by = 'api'): Task {
    const t = this.#task(id);
    if (!(t.state === 'failed' || t.state === 'dead-lettered' || t.state === 'cancelled')) {
      throw new TaskError('E_TASK_STATE', `task ${id} is ${t.state}; only failed, dead-lettered or cancelled tasks are retried`, { state: t.state });
    }
    if (t.work.kind === 'step') {
      throw new TaskError('E_TASK_STATE', `task ${id} is a step of execution ${t.work.execution}; retry the execution instead`, { state: t.state, execution: t.work.execution });
    }
    this.#count(t.state, -1);
    this.#ended--;
    const now = this.#now();
    this.#change(t, { state: 'pending', attempts: 0, runAt: iso(now), result: undefined, endedAt: undefined, worker: undefined, workerName: undefined, claim: undefined, leaseUntil: undefined, cancelRequested: undefined, ...(t.deadline && Date.parse(t.deadline) <= now ? { deadline: undefined } : {}) }, 'pending', `retried by ${by}`);
    this.#enqueue(t);
    this.#wake();
    return t;
  }

  // ——— workers ———

  /**
   * Registers a worker, or takes up again one that registered with the same id (after a restart
   * of either side). A name held by another worker that is online is refused.
   */
  register(r: Registration): WorkerView {
    const now = this.#now();
    this.#expire(now);
    const clash = [...this.#workers.values()].find((w) => w.name === r.name && w.id !== r.id && !w.offlineAt);
    if (clash) throw new TaskError('E_WORKER_NAME_TAKEN', `a worker named ${r.name} is online already (${clash.id}, last seen ${clash.lastSeen}); give this one another --name`, { worker: clash.id });
    // An offline worker of the same name is replaced by the new one.
    for (const w of [...this.#workers.values()]) if (w.name === r.name && w.id !== r.id) this.#workers.delete(w.id);
    const before = r.id ? this.#workers.get(r.id) : undefined;
    // Only a worker the board took for gone registers again under its id; an online one is not taken over.
    if (before && !before.offlineAt) throw new TaskError('E_WORKER_ONLINE', `worker ${before.id} (${before.name}) is online; a worker registers again under its id only after the server lost it`, { worker: before.id });
    const w: Worker = {
      id: r.id ?? newWorkerId(), name: r.name, ...(r.type ? { type: r.type } : {}),
      capabilities: [...new Set(r.capabilities)].sort(), concurrency: Math.max(1, r.concurrency ?? 1),
      ...(r.host ? { host: r.host } : {}), ...(r.pid !== undefined ? { pid: r.pid } : {}), ...(r.version ? { version: r.version } : {}),
      registeredAt: before?.registeredAt ?? iso(now), lastSeen: iso(now), draining: false,
      completed: before?.completed ?? 0, failed: before?.failed ?? 0,
    };
    this.#workers.set(w.id, w);
    this.#saveWorker(w);
    // Tasks it still holds from before keep their lease from now on.
    for (const t of this.#held(w.id)) this.#change(t, { leaseUntil: iso(now + this.leaseMs) });
    this.#wake();
    return this.view(w);
  }

  #worker(id: string): Worker {
    const w = this.#workers.get(id);
    if (!w) throw new TaskError('E_UNKNOWN_WORKER', `there is no worker ${id}; register again`, { id });
    return w;
  }

  /** A worker is alive: its lease and its tasks' leases run from now. Answers what it should stop and whether it drains. */
  heartbeat(id: string): { draining: boolean; cancel: string[]; leaseMs: number } {
    const w = this.#worker(id);
    if (w.offlineAt) throw new TaskError('E_UNKNOWN_WORKER', `worker ${w.name} (${id}) was offline; register again`, { id });
    const now = this.#now();
    w.lastSeen = iso(now);
    const cancel: string[] = [];
    for (const t of this.#held(id)) {
      t.leaseUntil = iso(now + this.leaseMs);
      if (t.cancelRequested) cancel.push(t.id);
    }
    return { draining: w.draining, cancel, leaseMs: this.leaseMs };
  }

  /** Takes no new tasks; the tasks it holds run to their end. */
  drain(id: string): WorkerView {
    const w = this.#worker(id);
    if (!w.draining) {
      w.draining = true;
      this.#saveWorker(w);
    }
    return this.view(w);
  }

  /** A worker that stops: tasks it still holds go back to the queue without spending their attempt. */
  deregister(id: string): WorkerView {
    const w = this.#worker(id);
    const now = this.#now();
    for (const t of this.#held(id)) this.#requeue(t, now, false, `worker ${w.name} stopped`);
    w.offlineAt = iso(now);
    this.#saveWorker(w);
    return this.view(w);
  }

  findWorker(idOrName: string): WorkerView | undefined {
    const named = [...this.#workers.values()].filter((x) => x.name === idOrName);
    const w = this.#workers.get(idOrName) ?? named.find((x) => !x.offlineAt) ?? named.at(-1);
    return w && this.view(w);
  }

  workers(): WorkerView[] { return [...this.#workers.values()].map((w) => this.view(w)); }

  view(w: Worker): WorkerView {
    const tasks = this.#held(w.id).map((t) => t.id);
    const state = w.offlineAt ? 'offline' : w.draining ? 'draining' : tasks.length ? 'busy' : 'idle';
    return { ...w, capabilities: [...w.capabilities], state, tasks };
  }

  #held(workerId: string): Task[] {
    return [...(this.#heldBy.get(workerId) ?? [])];
  }

  /** Keeps #heldBy in step with a task's worker and state. */
  #reindex(t: Task): void {
    const before = this.#holderOf.get(t.id);
    const holder = t.worker && heldTaskStates.has(t.state) ? t.worker : undefined;
    if (before === holder) return;
    if (before) this.#heldBy.get(before)?.delete(t);
    if (holder) {
      let set = this.#heldBy.get(holder);
      if (!set) { set = new Set(); this.#heldBy.set(holder, set); }
      set.add(t);
      this.#holderOf.set(t.id, holder);
    } else {
      this.#holderOf.delete(t.id);
    }
  }

  // ——— claiming and reports ———

  /** The best task the worker may take now, claimed for it; undefined when there is none (or it drains, or is full). */
  claim(workerId: string): Task | undefined {
    const w = this.#worker(workerId);
    if (w.offlineAt) throw new TaskError('E_UNKNOWN_WORKER', `worker ${w.name} (${workerId}) was offline; register again`, { id: workerId });
    const now = this.#now();
    w.lastSeen = iso(now);
    if (w.draining) return undefined;
    if (this.#held(w.id).length >= w.concurrency) return undefined;
    this.#promote(now);
    let best: { task: Task; queue: Task[] } | undefined;
    for (const b of this.#buckets.values()) {
      if (!capable(w.capabilities, b.capabilities)) continue;
      for (const q of b.queues) {
        // A task past its deadline is dead-lettered, not handed out.
        while (q[0]?.deadline && Date.parse(q[0].deadline) <= now) {
          const late = q.shift()!;
          this.#end(late, 'dead-lettered', { error: `its deadline ${late.deadline} passed before it ran` }, 'deadline passed');
        }
        const head = q[0];
        if (head && (!best || claimOrder(head, best.task, now, this.agingMs) < 0)) best = { task: head, queue: q };
      }
    }
    if (!best) return undefined;
    best.queue.shift();
    const t = best.task;
    this.#change(t, {
      state: 'claimed', attempts: t.attempts + 1, worker: w.id, workerName: w.name, claim: newClaim(),
      leaseUntil: iso(now + this.leaseMs), cancelRequested: undefined,
    }, 'claimed', `attempt ${t.attempts + 1} of ${t.maxAttempts} claimed by ${w.name}`);
    this.#tell({ type: 'worker', worker: this.view(w) });
    return t;
  }

  /**
   * Resolves with a claimed task as soon as one is there for the worker, or undefined after
   * `waitMs` (or when `signal` aborts): the long poll behind `POST /api/workers/{id}/claim`.
   */
  async waitClaim(workerId: string, waitMs: number, signal?: AbortSignal): Promise<Task | undefined> {
    const first = this.claim(workerId);
    if (first || waitMs <= 0) return first;
    return new Promise<Task | undefined>((resolve, reject) => {
      let cancelTimer: () => void = () => undefined;
      const done = (t: Task | undefined, e?: unknown) => {
        this.#waiters.delete(retry);
        cancelTimer();
        signal?.removeEventListener('abort', onAbort);
        if (e) reject(e); else resolve(t);
      };
      const retry = () => {
        try {
          const t = this.claim(workerId);
          if (t) done(t);
        } catch (e) { done(undefined, e); }
      };
      const onAbort = () => done(undefined);
      cancelTimer = this.#o.clock.setTimer(waitMs, () => done(undefined));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(retry);
    });
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  #held1(id: string, workerId: string, claim: string): Task {
    const t = this.#task(id);
    if (t.claim !== claim || t.worker !== workerId || !heldTaskStates.has(t.state)) {
      throw new TaskError('E_STALE_CLAIM', `task ${id} is not held by this claim any more (it is ${t.state}${t.workerName ? `, with ${t.workerName}` : ''})`, { state: t.state });
    }
    return t;
  }

  /**
   * A worker's report on a task it holds: it started (`running`), and what it wrote since (log
   * lines, run events), handed to the listeners in order. Answers whether it should stop.
   */
  progress(id: string, workerId: string, claim: string, events: unknown[] = []): { cancel: boolean } {
    const t = this.#held1(id, workerId, claim);
    const now = this.#now();
    t.leaseUntil = iso(now + this.leaseMs);
    const w = this.#workers.get(workerId);
    if (w) w.lastSeen = iso(now);
    if (t.state === 'claimed') this.#change(t, { state: 'running', startedAt: t.startedAt ?? iso(now) }, 'running', `running on ${t.workerName}`);
    if (events.length) this.#tell({ type: 'progress', task: t, events });
    return { cancel: t.cancelRequested === true };
  }

  /** Links a task to the execution that records it. */
  setExecution(id: string, execution: string): void {
    const t = this.#task(id);
    if (t.execution !== execution) this.#change(t, { execution });
  }

  /**
   * A worker ends the attempt it holds. Success ends the task; a failure is tried again after the
   * backoff while attempts are left, else the task failed; `cancelled` ends it cancelled.
   */
  complete(id: string, workerId: string, claim: string, outcome: { status: 'succeeded' | 'failed' | 'cancelled' } & TaskResult): Task {
    const t = this.#held1(id, workerId, claim);
    const now = this.#now();
    const w = this.#workers.get(workerId);
    const { status, ...result } = outcome;
    if (w) {
      w.lastSeen = iso(now);
      if (status === 'succeeded') w.completed++; else if (status === 'failed') w.failed++;
      this.#saveWorker(w);
    }
    if (status === 'succeeded') return this.#end(t, 'succeeded', result, `succeeded on ${t.workerName}`);
    if (status === 'cancelled' || t.cancelRequested) return this.#end(t, 'cancelled', result, `cancelled on ${t.workerName}`);
    if (t.attempts < t.maxAttempts && (!t.deadline || Date.parse(t.deadline) > now) && t.work.kind !== 'step') {
      const delay = retryDelay(t.backoffMs, t.attempts);
      this.#change(t, { state: 'pending', runAt: iso(now + delay), result, claim: undefined, leaseUntil: undefined, worker: undefined, workerName: undefined }, 'pending',
        `attempt ${t.attempts} failed on ${t.workerName}${result.error ? `: ${result.error}` : ''}; again in ${Math.round(delay / 1000)}s`);
      this.#enqueue(t);
      this.#wake();
      return t;
    }
    return this.#end(t, 'failed', result, `failed on ${t.workerName}${result.error ? `: ${result.error}` : ''}`);
  }

  // ——— time ———

  /** Called every second or so: offline workers, lost leases, deadlines, tasks whose backoff is over. */
  tick(): void {
    const now = this.#now();
    this.#expire(now);
    if (this.#promote(now)) this.#wake();
  }

  #expire(now: number): void {
    for (const w of [...this.#workers.values()]) {
      if (!w.offlineAt && Date.parse(w.lastSeen) + this.leaseMs <= now) {
        w.offlineAt = iso(now);
        this.#saveWorker(w);
      } else if (w.offlineAt && Date.parse(w.offlineAt) + this.#o.forgetWorkersAfterMs <= now) {
        this.#workers.delete(w.id);
      }
    }
    for (const t of [...this.#tasks.values()]) {
      if (heldTaskStates.has(t.state) && t.leaseUntil && Date.parse(t.leaseUntil) <= now) {
        this.#requeue(t, now, true, `the lease of ${t.workerName ?? 'its worker'} ran out (no heartbeat for ${Math.round(this.leaseMs / 1000)}s)`);
      } else if (t.state === 'pending' && t.deadline && Date.parse(t.deadline) <= now) {
        this.#dequeue(t);
        this.#end(t, 'dead-lettered', { error: `its deadline ${t.deadline} passed before it ran${this.routable(t) ? '' : ' (no worker has its capabilities)'}` }, 'deadline passed');
      }
    }
  }

  /** A held task back to the queue; with `spent` its attempt counts, and with none left it is dead-lettered. */
  #requeue(t: Task, now: number, spent: boolean, why: string): void {
    if (t.cancelRequested) { this.#end(t, 'cancelled', { error: why }, `${why}; it was being cancelled`); return; }
    if (spent && t.attempts >= t.maxAttempts) { this.#end(t, 'dead-lettered', { error: `${why}, and its ${t.maxAttempts} attempts are spent` }, why); return; }
    this.#change(t, { state: 'pending', runAt: iso(now), claim: undefined, leaseUntil: undefined, worker: undefined, workerName: undefined, attempts: spent ? t.attempts : t.attempts - 1 }, 'pending', `${why}; back in the queue`);
    this.#enqueue(t);
    this.#wake();
  }

  /** Moves delayed tasks whose time has come into their queues; true when some did. */
  #promote(now: number): boolean {
    let moved = false;
    for (const t of this.#delayed) {
      if (Date.parse(t.runAt) <= now) { this.#delayed.delete(t); this.#insert(t); moved = true; }
    }
    return moved;
  }

  // ——— the queues ———

  #enqueue(t: Task): void {
    if (Date.parse(t.runAt) > this.#now()) this.#delayed.add(t);
    else this.#insert(t);
  }

  #insert(t: Task): void {
    const key = t.capabilities.join('\u0000');
    let b = this.#buckets.get(key);
    if (!b) { b = { capabilities: t.capabilities, queues: priorities.map(() => []) }; this.#buckets.set(key, b); }
    const q = b.queues[priorityRank(t.priority)]!;
    const at = Date.parse(t.createdAt);
    // Oldest first; almost always an append.
    let i = q.length;
    while (i > 0 && (Date.parse(q[i - 1]!.createdAt) > at || (Date.parse(q[i - 1]!.createdAt) === at && q[i - 1]!.id > t.id))) i--;
    q.splice(i, 0, t);
  }

  #dequeue(t: Task): void {
    if (this.#delayed.delete(t)) return;
    const q = this.#buckets.get(t.capabilities.join('\u0000'))?.queues[priorityRank(t.priority)];
    const i = q ? q.indexOf(t) : -1;
    if (i >= 0) q!.splice(i, 1);
  }

  // ——— changes ———

  #end(t: Task, state: 'succeeded' | 'failed' | 'dead-lettered' | 'cancelled', result: TaskResult, message: string): Task {
    if (t.state === 'pending') this.#dequeue(t);
    this.#change(t, { state, result, endedAt: iso(this.#now()), claim: undefined, leaseUntil: undefined }, state, message);
    this.#ended++;
    this.#endedOrder.push(t);
    this.#count(state, 1);
    this.#forgetOld();
    return t;
  }

  #count(state: TaskState, by: number): void {
    if (state === 'succeeded') this.#counts.completed += by;
    else if (state === 'failed' || state === 'dead-lettered') this.#counts.failed += by;
  }

  /** Drops the oldest ended tasks past `keepEnded` from memory (they stay in the journal until it is compacted). */
  #forgetOld(): void {
    while (this.#ended > this.#o.keepEnded && this.#endedHead < this.#endedOrder.length) {
      const t = this.#endedOrder[this.#endedHead++]!;
      // A task retried since is not ended any more (one that ended again goes at its first place).
      if (!finalTaskStates.has(t.state) || this.#tasks.get(t.id) !== t) continue;
      this.#tasks.delete(t.id);
      this.#ended--;
    }
    if (this.#endedHead > 4096 && this.#endedHead * 2 > this.#endedOrder.length) {
      this.#endedOrder = this.#endedOrder.slice(this.#endedHead);
      this.#endedHead = 0;
    }
  }

  #change(t: Task, patch: Partial<Task>, state?: TaskState, message?: string): void {
    const now = iso(this.#now());
    Object.assign(t, patch);
    for (const k of Object.keys(patch) as Array<keyof Task>) if (patch[k] === undefined) delete t[k];
    this.#reindex(t);
    t.updatedAt = now;
    t.version++;
    if (state || message) {
      t.history.push({ at: now, state: state ?? t.state, ...(t.worker && heldTaskStates.has(t.state) ? { worker: t.workerName } : {}), ...(message ? { message } : {}) });
      if (t.history.length > historyKept) t.history.splice(0, t.history.length - historyKept);
    }
    this.#save(t);
  }

  #save(t: Task): void {
    this.#journal.putTask(t);
    this.#tell({ type: 'task', task: t });
  }

  #saveWorker(w: Worker): void {
    this.#journal.putWorker(w);
    this.#tell({ type: 'worker', worker: this.view(w) });
  }

  stats(): BoardStats {
    const byState = Object.fromEntries(['pending', 'claimed', 'running', 'succeeded', 'failed', 'dead-lettered', 'cancelled'].map((s) => [s, 0])) as Record<TaskState, number>;
    const queueDepth = Object.fromEntries(priorities.map((p) => [p, 0])) as Record<Priority, number>;
    let unroutable = 0;
    for (const t of this.#tasks.values()) {
      byState[t.state]++;
      if (t.state === 'pending') { queueDepth[t.priority]++; if (!this.routable(t)) unroutable++; }
    }
    const views = this.workers();
    const count = (s: WorkerView['state']) => views.filter((w) => w.state === s).length;
    const { completed, failed } = this.#counts;
    return {
      workers: { total: views.length, idle: count('idle'), busy: count('busy'), draining: count('draining'), offline: count('offline') },
      activeTasks: byState.claimed + byState.running, pendingTasks: byState.pending, unroutableTasks: unroutable,
      completedTasks: completed, failedTasks: failed, successRate: completed + failed === 0 ? 1 : completed / (completed + failed),
      byState, queueDepth,
    };
  }
}
