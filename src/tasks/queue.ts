// The task queue as a port: what the hub, the API, `/metrics` and the dashboard need from the
// place tasks and workers are kept. Two implementations answer it with the same behaviour: the
// board in memory, journalled to `.pluginops/tasks.jsonl` (board-queue.ts, one `serve`), and
// PostgreSQL (pg/tasks.ts, several `serve` replicas sharing one queue). Every method is async so
// the callers do not care which one they steer.
import type { Priority, Task, TaskResult, TaskState, TaskWork, WorkerView } from './model.ts';

export interface NewTask {
  /** Chosen by the caller when it must follow the task before it exists (a run waiting for its step); a new id otherwise. */
  id?: string;
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

export interface QueueStats {
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

/** How a worker ended the attempt it held. */
export type Outcome = { status: 'succeeded' | 'failed' | 'cancelled' } & TaskResult;

/** The heartbeat's answer: whether to drain, which held tasks to stop, and the lease. */
export interface Beat { draining: boolean; cancel: string[]; leaseMs: number }

/** A change of a task or a worker, told to every listener whichever replica made it. */
export type QueueChange =
  | { type: 'task'; task: Task }
  | { type: 'worker'; worker: WorkerView };

/** What a follower of one task is told: its changes, and what its worker reported (log lines, outputs, run events), in order. */
export type TaskFollowed =
  | { type: 'task'; task: Task }
  | { type: 'progress'; task: string; events: unknown[] };

export interface TaskQueue {
  /** A worker silent this long is offline; its tasks go back to the queue. */
  readonly leaseMs: number;
  /** A pending task rises one priority level per `agingMs` waited. */
  readonly agingMs: number;

  submit(input: NewTask): Promise<Task>;
  get(id: string): Promise<Task | undefined>;
  /** Newest first. */
  list(f?: TaskFilter): Promise<Task[]>;
  /** How many `list` would give without its limit. */
  count(f?: TaskFilter): Promise<number>;
  /** A pending task at once; a held one is asked to stop (its worker learns it at its next heartbeat or report). */
  cancel(id: string, by?: string): Promise<Task>;
  /** A failed, dead-lettered or cancelled task queued again with its attempts renewed. */
  retry(id: string, by?: string): Promise<Task>;
  /** Links a task to the execution that records it. */
  setExecution(id: string, execution: string): Promise<void>;

  register(r: Registration): Promise<WorkerView>;
  heartbeat(id: string): Promise<Beat>;
  drain(id: string): Promise<WorkerView>;
  /** Tasks it still holds go back to the queue without spending their attempt. */
  deregister(id: string): Promise<WorkerView>;
  findWorker(idOrName: string): Promise<WorkerView | undefined>;
  workers(): Promise<WorkerView[]>;
  /** Whether some online, not draining, worker could take a task with these capabilities, as of now. */
  router(): Promise<(t: Pick<Task, 'capabilities'>) => boolean>;

  /** The best task the worker may take now, claimed for it; undefined when there is none (or it drains, or is full). */
  claim(workerId: string): Promise<Task | undefined>;
  /** The long poll: a claimed task as soon as there is one for the worker, or undefined after `waitMs` or when `signal` aborts. */
  waitClaim(workerId: string, waitMs: number, signal?: AbortSignal): Promise<Task | undefined>;
  /** A report on a held task: it runs, and what it wrote since; E_STALE_CLAIM unless `claim` is the current one. */
  progress(id: string, workerId: string, claim: string, events?: unknown[]): Promise<{ cancel: boolean }>;
  complete(id: string, workerId: string, claim: string, outcome: Outcome): Promise<Task>;

  /** Called every second or so: offline workers, lost leases, deadlines, tasks whose backoff is over. */
  tick(): Promise<void>;
  stats(): Promise<QueueStats>;

  /** Every change of a task or a worker; returns the unsubscribe. */
  on(listener: (e: QueueChange) => void): () => void;
  /** One task's changes and progress, in order; returns the unsubscribe. Follow before submitting to miss nothing. */
  follow(taskId: string, listener: (e: TaskFollowed) => void): () => void;
  close(): Promise<void>;
}
