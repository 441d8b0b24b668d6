// The task board: the queue of tasks and the workers that claim them, kept by the process that
// owns the store (`serve`). Workers reach it through the API: they register, heartbeat, claim a
// task (a long poll), report its progress and its end. Everything that changes a task or a worker
// goes through here, is kept in memory and written to the journal (journal.ts) before it is told.
// How a task changes is transitions.ts, shared with the PostgreSQL queue; the board keeps its
// indexes in step (#apply). The API reaches it through the queue port (board-queue.ts).
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
import type { Clock } from '../engine/clock.ts';
import { claimOrder, finalTaskStates, heldTaskStates, priorities, priorityRank, type Priority, type Task, type TaskState, type Worker, type WorkerView } from './model.ts';
import type { NewTask, Outcome, QueueStats, Registration, TaskFilter } from './queue.ts';
import {
  applyChange, cancelling, checkHeld, claiming, completing, deadlinePassed, iso, leaseLost, nameTaken, newClaim, newTask, offlineWorker,
  registering, requeuing, retrying, serves, starting, successRate, tallied, unknownTask, unknownWorker, workerOnline, workerView, type Change,
} from './transitions.ts';

export type { NewTask, Registration, TaskFilter } from './queue.ts';
export { newWorkerId } from './transitions.ts';
/** The board's figures: the port's. */
export type BoardStats = QueueStats;

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
    const task = newTask(input, this.#now());
    this.#tasks.set(task.id, task);
    this.#enqueue(task);
    this.#save(task);
    this.#wake();
    return task;
  }

  get(id: string): Task | undefined { return this.#tasks.get(id); }

  #task(id: string): Task {
    const t = this.#tasks.get(id);
    if (!t) throw unknownTask(id);
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
  routable(t: Pick<Task, 'capabilities'>): boolean {
    for (const w of this.#workers.values()) if (serves(w, t.capabilities)) return true;
    return false;
  }

  /**
   * Cancels a task: a pending one at once; one a worker holds is asked to stop (the worker learns
   * it at its next heartbeat or report, and ends it `cancelled`).
   */
  cancel(id: string, by = 'api'): Task {
    const t = this.#task(id);
    const c = cancelling(t, by, this.#now());
    return c ? this.#apply(t, c) : t;
  }

  /** Queues a failed, dead-lettered or cancelled task again with its attempts renewed. */
  retry(id: string, by = 'api'): Task {
    const t = this.#task(id);
    return this.#apply(t, retrying(t, by, this.#now()));
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
    if (clash) throw nameTaken(r.name, clash);
    // An offline worker of the same name is replaced by the new one.
    for (const w of [...this.#workers.values()]) if (w.name === r.name && w.id !== r.id) this.#workers.delete(w.id);
    const before = r.id ? this.#workers.get(r.id) : undefined;
    // Only a worker the board took for gone registers again under its id; an online one is not taken over.
    if (before && !before.offlineAt) throw workerOnline(before);
    const w = registering(r, before, now);
    this.#workers.set(w.id, w);
    this.#saveWorker(w);
    // Tasks it still holds from before keep their lease from now on.
    for (const t of this.#held(w.id)) this.#apply(t, { patch: { leaseUntil: iso(now + this.leaseMs) } });
    this.#wake();
    return this.view(w);
  }

  #worker(id: string): Worker {
    const w = this.#workers.get(id);
    if (!w) throw unknownWorker(id);
    return w;
  }

  /** A worker is alive: its lease and its tasks' leases run from now. Answers what it should stop and whether it drains. */
  heartbeat(id: string): { draining: boolean; cancel: string[]; leaseMs: number } {
    const w = this.#worker(id);
    if (w.offlineAt) throw offlineWorker(w);
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
    for (const t of this.#held(id)) this.#apply(t, requeuing(t, now, false, `worker ${w.name} stopped`));
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

  view(w: Worker): WorkerView { return workerView(w, this.#held(w.id).map((t) => t.id)); }

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
    if (w.offlineAt) throw offlineWorker(w);
    const now = this.#now();
    w.lastSeen = iso(now);
    if (w.draining) return undefined;
    if (this.#held(w.id).length >= w.concurrency) return undefined;
    this.#promote(now);
    let best: Task | undefined;
    for (const b of this.#buckets.values()) {
      if (!serves(w, b.capabilities)) continue;
      for (const q of b.queues) {
        // A task past its deadline is dead-lettered, not handed out.
        while (q[0]?.deadline && Date.parse(q[0].deadline) <= now) this.#apply(q[0], deadlinePassed(q[0], true, now));
        const head = q[0];
        if (head && (!best || claimOrder(head, best, now, this.agingMs) < 0)) best = head;
      }
    }
    if (!best) return undefined;
    this.#apply(best, claiming(best, w, newClaim(), now, this.leaseMs));
    this.#tell({ type: 'worker', worker: this.view(w) });
    return best;
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
    checkHeld(t, workerId, claim);
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
    const start = starting(t, now);
    if (start) this.#apply(t, start);
    if (events.length) this.#tell({ type: 'progress', task: t, events });
    return { cancel: t.cancelRequested === true };
  }

  /** Links a task to the execution that records it. */
  setExecution(id: string, execution: string): void {
    const t = this.#task(id);
    if (t.execution !== execution) this.#apply(t, { patch: { execution } });
  }

  /**
   * A worker ends the attempt it holds. Success ends the task; a failure is tried again after the
   * backoff while attempts are left, else the task failed; `cancelled` ends it cancelled.
   */
  complete(id: string, workerId: string, claim: string, outcome: Outcome): Task {
    const t = this.#held1(id, workerId, claim);
    const now = this.#now();
    const w = this.#workers.get(workerId);
    if (w) {
      w.lastSeen = iso(now);
      Object.assign(w, tallied(w, outcome.status));
      this.#saveWorker(w);
    }
    return this.#apply(t, completing(t, outcome, now));
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
        this.#apply(t, requeuing(t, now, true, leaseLost(t, this.leaseMs)));
      } else if (t.state === 'pending' && t.deadline && Date.parse(t.deadline) <= now) {
        this.#apply(t, deadlinePassed(t, this.routable(t), now));
      }
    }
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

  /**
   * Applies a change (transitions.ts) and keeps the board's indexes in step: a task leaving the
   * queue leaves its queue, one entering it is queued and wakes the long polls, one ending counts
   * (and the oldest ended are forgotten), one retried out of an end is counted no more.
   */
  #apply(t: Task, c: Change): Task {
    const before = t.state;
    const after = c.patch.state ?? before;
    const wasEnded = finalTaskStates.has(before);
    const ends = finalTaskStates.has(after);
    if (wasEnded && !ends) { this.#count(before, -1); this.#ended--; }
    if (before === 'pending' && after !== 'pending') this.#dequeue(t);
    applyChange(t, c, this.#now());
    this.#reindex(t);
    this.#save(t);
    if (ends && !wasEnded) {
      this.#ended++;
      this.#endedOrder.push(t);
      this.#count(after, 1);
      this.#forgetOld();
    }
    if (after === 'pending' && before !== 'pending') {
      this.#enqueue(t);
      this.#wake();
    }
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
      completedTasks: completed, failedTasks: failed, successRate: successRate(completed, failed),
      byState, queueDepth,
    };
  }
}
