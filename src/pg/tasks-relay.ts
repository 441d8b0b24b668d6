// Changes of the shared queue told across replicas. Every change is sent with NOTIFY inside the
// transaction that makes it (so it leaves only when committed), carrying ids, never the task:
// the replica that receives it reads the row. Changes a replica makes itself are told to its own
// listeners at once, with the task as written, and its own notifications are skipped.
//
// What arrives is handled in order, one batch at a time: a task's progress and its changes reach
// a follower in the order they were made. A task's row is told only at the place of the
// notification of the version it has: a row read after later changes were made waits for their
// notification (which follows the progress reported before them), so a follower never sees a task
// end before the reports that came first. Versions in between may be skipped: a follower sees
// what the task is, not every step it took. A change older than what was told already is not
// told again.
import { randomBytes } from 'node:crypto';
import type { Task, TaskState, WorkerView } from '../tasks/model.ts';
import type { QueueChange, TaskFollowed } from '../tasks/queue.ts';
import type { Db, Queryable } from './db.ts';
import { channel } from './tasks-sql.ts';

export type Note =
  | { k: 't'; id: string; v: number; s: TaskState }
  | { k: 'w'; id: string }
  /** Progress of a task: the row in task_events, and the events themselves when they fit in a notification. */
  | { k: 'p'; id: string; q: string; e?: unknown[] }
  /** A task may be claimable (a worker registered, a backoff ended): long polls try again. */
  | { k: 'wake' };

/** How the relay reads what another replica changed. */
export interface RelayReader {
  tasks(ids: string[]): Promise<Map<string, Task>>;
  workers(ids: string[]): Promise<Map<string, WorkerView>>;
  progress(seqs: string[]): Promise<Map<string, unknown[]>>;
}

/** NOTIFY payloads are limited to 8000 bytes; what is larger is read from its row. */
const inlineBytes = 7_000;
const toldKept = 20_000;

export const taskNote = (t: Task): Note => ({ k: 't', id: t.id, v: t.version, s: t.state });

export class Relay {
  readonly origin = randomBytes(8).toString('hex');
  readonly #read: RelayReader;
  readonly #listeners = new Set<(e: QueueChange) => void>();
  readonly #followers = new Map<string, Set<(e: TaskFollowed) => void>>();
  readonly #waiters = new Set<() => void>();
  /** The newest version of each task told here. */
  readonly #told = new Map<string, number>();
  #inbox: Note[] = [];
  #draining = false;
  #stop: () => Promise<void> = async () => undefined;
  #stopped = false;
  #onError: (err: unknown) => void;

  private constructor(read: RelayReader, onError: (err: unknown) => void) { this.#read = read; this.#onError = onError; }

  static async start(db: Db, read: RelayReader, onError: (err: unknown) => void = () => undefined): Promise<Relay> {
    const relay = new Relay(read, onError);
    relay.#stop = await db.listen(channel, (payload) => relay.#receive(payload));
    return relay;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#stop();
  }

  /** Sends notes within a transaction: they leave when it commits, in order. */
  async send(q: Queryable, notes: readonly Note[]): Promise<void> {
    if (notes.length === 0) return;
    const payloads = notes.map((n) => JSON.stringify({ o: this.origin, ...n }));
    await q.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS x(p, i) ORDER BY i', [channel, payloads]);
  }

  /** The progress note for a row of task_events, with the events inline when they fit. */
  static progressNote(id: string, seq: string, events: unknown[]): Note {
    const text = JSON.stringify(events);
    return Buffer.byteLength(text) <= inlineBytes ? { k: 'p', id, q: seq, e: events } : { k: 'p', id, q: seq };
  }

  // ——— listeners ———

  on(listener: (e: QueueChange) => void): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  follow(taskId: string, listener: (e: TaskFollowed) => void): () => void {
    let set = this.#followers.get(taskId);
    if (!set) { set = new Set(); this.#followers.set(taskId, set); }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#followers.get(taskId) === set) this.#followers.delete(taskId);
    };
  }

  /** A long poll to try again when a task may have become claimable; returns the removal. */
  waiter(fn: () => void): () => void {
    this.#waiters.add(fn);
    return () => { this.#waiters.delete(fn); };
  }

  // ——— telling ———

  /** A change made here: told at once. */
  task(t: Task): void {
    if ((this.#told.get(t.id) ?? 0) >= t.version) return;
    this.#remember(t);
    // Each listener gets a copy of its own: what one does to it is not what another sees.
    for (const l of [...this.#listeners]) call(l, { type: 'task', task: structuredClone(t) });
    for (const l of [...(this.#followers.get(t.id) ?? [])]) call(l, { type: 'task', task: structuredClone(t) });
    if (t.state === 'pending') this.wake();
  }

  worker(view: WorkerView): void {
    for (const l of [...this.#listeners]) call(l, { type: 'worker', worker: view });
  }

  progress(taskId: string, events: unknown[]): void {
    for (const l of [...(this.#followers.get(taskId) ?? [])]) call(l, { type: 'progress', task: taskId, events });
  }

  wake(): void {
    for (const w of [...this.#waiters]) call(w, undefined);
  }

  #remember(t: Task): void {
    this.#told.delete(t.id);
    this.#told.set(t.id, t.version);
    if (this.#told.size > toldKept) for (const k of [...this.#told.keys()].slice(0, toldKept / 4)) this.#told.delete(k);
  }

  // ——— what other replicas changed ———

  #receive(payload: string): void {
    let n: (Note & { o?: string }) | undefined;
    try { n = JSON.parse(payload) as Note & { o?: string }; } catch { return; }
    if (this.#stopped || !n || typeof n !== 'object' || n.o === this.origin) return;
    if (n.k === 'wake' || (n.k === 't' && n.s === 'pending')) this.wake();
    if (n.k === 'wake') return;
    this.#inbox.push(n);
    if (!this.#draining) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#inbox.length) {
        const batch = this.#inbox.splice(0);
        try { await this.#deliver(batch); } catch (err) { this.#onError(err); }
      }
    } finally {
      this.#draining = false;
    }
  }

  async #deliver(batch: Note[]): Promise<void> {
    const listening = this.#listeners.size > 0;
    const lastOf = new Map<string, number>();
    batch.forEach((n, i) => { if (n.k === 'w') lastOf.set(n.id, i); });
    const taskIds = new Set<string>(), workerIds = new Set<string>(), seqs: string[] = [];
    for (const n of batch) {
      if (n.k === 't' && (listening || this.#followers.has(n.id)) && n.v > (this.#told.get(n.id) ?? 0)) taskIds.add(n.id);
      else if (n.k === 'w' && listening) workerIds.add(n.id);
      else if (n.k === 'p' && !n.e && this.#followers.has(n.id)) seqs.push(n.q);
    }
    const [tasks, workers, progress] = await Promise.all([
      taskIds.size ? this.#read.tasks([...taskIds]) : new Map<string, Task>(),
      workerIds.size ? this.#read.workers([...workerIds]) : new Map<string, WorkerView>(),
      seqs.length ? this.#read.progress(seqs) : new Map<string, unknown[]>(),
    ]);
    batch.forEach((n, i) => {
      if (n.k === 'p') {
        const events = n.e ?? progress.get(n.q);
        if (events) this.progress(n.id, events);
      } else if (n.k === 't') {
        const t = tasks.get(n.id);
        if (t?.version === n.v) this.task(t);
      } else if (n.k === 'w' && lastOf.get(n.id) === i) {
        const w = workers.get(n.id);
        if (w) this.worker(w);
      }
    });
  }
}

function call<T>(fn: (e: T) => void, e: T): void {
  try { fn(e); } catch { /* a listener's mistake is its own */ }
}
