// The port the API steers tasks and workers through: the queue for what it keeps (queue.ts, in
// memory or in PostgreSQL), and what needs more than the queue (a workflow task is checked against
// the documents when it is submitted and recorded as an execution when a worker claims it; what a
// worker reports lands in that execution). `serve` implements it (serve/workers.ts).
import type { Priority, Task } from './model.ts';
import type { Outcome, TaskQueue } from './queue.ts';

export type { Outcome } from './queue.ts';

/** The seed's `{type, priority, data, workflow}`, and what else a task may say. */
export interface SubmitTask {
  type: string;
  priority?: Priority;
  data?: Record<string, unknown>;
  /** The workflow or action plan a worker runs, with `data` as its parameters; `type` when absent. */
  workflow?: string;
  plugin?: string;
  /** Capabilities the worker needs; the workflow's `runsOn` when absent. */
  capabilities?: string[];
  maxAttempts?: number;
  backoffMs?: number;
  deadline?: string;
}

/** What a worker sends about a task it runs, in order. */
export type ProgressEvent =
  | { kind: 'log'; at: number; level: 'debug' | 'info' | 'warn' | 'error'; message: string; stream?: 'stdout' | 'stderr' }
  | { kind: 'output'; name: string; value: string }
  | { kind: 'artifact'; name: string; path: string; size?: number; sha256?: string }
  /** A run event of a workflow task (engine/events.ts), recorded in its execution. */
  | { kind: 'event'; event: { type: string; at: number } & Record<string, unknown> };

export interface TaskHub {
  readonly queue: TaskQueue;
  submit(req: SubmitTask, by: string): Promise<Task>;
  /** The long poll: a task claimed for the worker (a workflow task with its execution recorded), or undefined after `waitMs`. */
  claim(workerId: string, waitMs: number, signal?: AbortSignal): Promise<Task | undefined>;
  progress(id: string, workerId: string, claim: string, events: ProgressEvent[]): Promise<{ cancel: boolean }>;
  complete(id: string, workerId: string, claim: string, outcome: Outcome): Promise<Task>;
}
