// The embedded implementation of the task queue port: the board (board.ts), kept in memory by the
// one `serve` that owns the store and journalled to tasks.jsonl. The board stays synchronous (its
// claims and wakeups happen within one turn, which is what makes a claim cheap); this adapter only
// answers with promises, and hands out copies, so a caller holds a snapshot as it would from a
// database and never a task the board goes on changing.
import type { TaskBoard } from './board.ts';
import type { Task, WorkerView } from './model.ts';
import type { Beat, NewTask, Outcome, QueueChange, QueueStats, Registration, TaskFilter, TaskFollowed, TaskQueue } from './queue.ts';

const copy = <T>(v: T): T => structuredClone(v);

export class BoardQueue implements TaskQueue {
  constructor(readonly board: TaskBoard) {}

  get leaseMs(): number { return this.board.leaseMs; }
  get agingMs(): number { return this.board.agingMs; }

  async submit(input: NewTask): Promise<Task> { return copy(this.board.submit(input)); }
  async get(id: string): Promise<Task | undefined> { const t = this.board.get(id); return t && copy(t); }
  async list(f: TaskFilter = {}): Promise<Task[]> { return this.board.list(f).map(copy); }
  async count(f: TaskFilter = {}): Promise<number> { return this.board.list({ ...f, limit: undefined }).length; }
  async cancel(id: string, by?: string): Promise<Task> { return copy(this.board.cancel(id, by)); }
  async retry(id: string, by?: string): Promise<Task> { return copy(this.board.retry(id, by)); }
  async setExecution(id: string, execution: string): Promise<void> { this.board.setExecution(id, execution); }

  async register(r: Registration): Promise<WorkerView> { return this.board.register(r); }
  async heartbeat(id: string): Promise<Beat> { return this.board.heartbeat(id); }
  async drain(id: string): Promise<WorkerView> { return this.board.drain(id); }
  async deregister(id: string): Promise<WorkerView> { return this.board.deregister(id); }
  async findWorker(idOrName: string): Promise<WorkerView | undefined> { return this.board.findWorker(idOrName); }
  async workers(): Promise<WorkerView[]> { return this.board.workers(); }
  async router(): Promise<(t: Pick<Task, 'capabilities'>) => boolean> { return (t) => this.board.routable(t); }

  async claim(workerId: string): Promise<Task | undefined> { const t = this.board.claim(workerId); return t && copy(t); }
  async waitClaim(workerId: string, waitMs: number, signal?: AbortSignal): Promise<Task | undefined> {
    const t = await this.board.waitClaim(workerId, waitMs, signal);
    return t && copy(t);
  }
  async progress(id: string, workerId: string, claim: string, events: unknown[] = []): Promise<{ cancel: boolean }> {
    return this.board.progress(id, workerId, claim, events);
  }
  async complete(id: string, workerId: string, claim: string, outcome: Outcome): Promise<Task> {
    return copy(this.board.complete(id, workerId, claim, outcome));
  }

  async tick(): Promise<void> { this.board.tick(); }
  async stats(): Promise<QueueStats> { return this.board.stats(); }

  on(listener: (e: QueueChange) => void): () => void {
    return this.board.on((e) => {
      if (e.type === 'task') listener({ type: 'task', task: copy(e.task) });
      else if (e.type === 'worker') listener(e);
    });
  }

  follow(taskId: string, listener: (e: TaskFollowed) => void): () => void {
    return this.board.on((e) => {
      if (e.type === 'worker' || e.task.id !== taskId) return;
      if (e.type === 'task') listener({ type: 'task', task: copy(e.task) });
      else listener({ type: 'progress', task: taskId, events: e.events });
    });
  }

  /** The journal is the caller's to close. */
  async close(): Promise<void> {}
}
