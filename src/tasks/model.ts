// Tasks and workers as data: what a task is, the order tasks are claimed in, and which worker may
// claim which task. Pure: the board (board.ts) keeps them and changes them; the API, the CLI and
// the dashboard show them.

/** Lowest first: a task of a later priority is claimed before one of an earlier. */
export const priorities = ['low', 'normal', 'high', 'critical'] as const;
export type Priority = typeof priorities[number];
export const priorityRank = (p: Priority): number => priorities.indexOf(p);

export const taskStates = ['pending', 'claimed', 'running', 'succeeded', 'failed', 'dead-lettered', 'cancelled'] as const;
export type TaskState = typeof taskStates[number];
export const finalTaskStates: ReadonlySet<TaskState> = new Set(['succeeded', 'failed', 'dead-lettered', 'cancelled']);
/** Held by a worker: its lease runs while the worker heartbeats. */
export const heldTaskStates: ReadonlySet<TaskState> = new Set(['claimed', 'running']);

/** One step of an execution that serve runs, sent to a worker because the step says `runsOn`. */
export interface StepWork {
  kind: 'step';
  execution: string;
  workflow: string;
  step: {
    id: string;
    name: string;
    /** `run`, or the step type `uses:` names. */
    uses: string;
    /** Resolved: expressions are filled in by the server before the step is sent. */
    inputs: Record<string, unknown>;
    /** What the run sets beyond the worker's own environment (the workflow's and the step's `env`). */
    env: Record<string, string>;
    timeoutMs?: number;
    /** The attempt of the step in its execution (a step's `retry` counts there, not here). */
    attempt: number;
  };
  /** The plugin directory of the run, relative to the worker's directory. */
  plugin?: string;
}

/** A whole workflow or action plan that a worker runs, recorded as an execution on the server. */
export interface WorkflowWork {
  kind: 'workflow';
  workflow: string;
  plugin?: string;
}

export type TaskWork = StepWork | WorkflowWork;

export interface TaskResult {
  /** The step's or the run's outputs. */
  outputs?: Record<string, string>;
  error?: string;
  exitCode?: number;
  /** The work ended by its own timeout. */
  timedOut?: boolean;
}

export interface TaskEvent { at: string; state: TaskState; worker?: string; message?: string }

export interface Task {
  id: string;
  type: string;
  priority: Priority;
  /** The seed's `data`: a workflow task's parameters. */
  data: Record<string, unknown>;
  /** A worker must have every one of them. */
  capabilities: string[];
  work: TaskWork;
  state: TaskState;
  /** Attempts started so far (a claim starts one). */
  attempts: number;
  maxAttempts: number;
  /** The wait before the second attempt; doubled for each later one. */
  backoffMs: number;
  /** Not claimed before this time (a retry's backoff). */
  runAt: string;
  /** A task still pending at its deadline is dead-lettered (one already running runs to its end). */
  deadline?: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  endedAt?: string;
  requestedBy?: string;
  /** The worker holding it (claimed, running) or that ended it. */
  worker?: string;
  workerName?: string;
  /** The claim of the current attempt: reports carrying another are refused (a stale worker). */
  claim?: string;
  leaseUntil?: string;
  cancelRequested?: boolean;
  result?: TaskResult;
  /** The execution it belongs to (a step) or that it recorded (a workflow). */
  execution?: string;
  /** What happened to it, oldest first; the last 50. */
  history: TaskEvent[];
  version: number;
}

export type WorkerState = 'idle' | 'busy' | 'draining' | 'offline';

export interface Worker {
  id: string;
  name: string;
  /** The seed's `type`: what kind of worker it says it is. */
  type?: string;
  capabilities: string[];
  concurrency: number;
  host?: string;
  pid?: number;
  version?: string;
  registeredAt: string;
  lastSeen: string;
  draining: boolean;
  /** Set when it said goodbye, or when its lease ran out. */
  offlineAt?: string;
  completed: number;
  failed: number;
}

/** A worker as shown: its state and the tasks it holds. */
export interface WorkerView extends Worker { state: WorkerState; tasks: string[] }

/** Whether a worker with `has` may run a task that needs `needs`. */
export const capable = (has: readonly string[], needs: readonly string[]): boolean => needs.every((c) => has.includes(c));

/**
 * The priority a pending task is claimed at: its own, one level higher for each `agingMs` it has
 * waited, never above `critical`. Among equal levels, the oldest first. So a task is claimed ahead
 * of every task created after it once it has waited `3 × agingMs` (from `low`): the bound on
 * starvation.
 */
export function effectiveRank(t: Pick<Task, 'priority' | 'createdAt'>, now: number, agingMs: number): number {
  const waited = Math.max(0, now - Date.parse(t.createdAt));
  const top = priorities.length - 1;
  return Math.min(top, priorityRank(t.priority) + (agingMs > 0 ? Math.floor(waited / agingMs) : 0));
}

/** Claim order: higher effective priority first, then older, then id (stable). Negative when `a` goes first. */
export function claimOrder(a: Task, b: Task, now: number, agingMs: number): number {
  return effectiveRank(b, now, agingMs) - effectiveRank(a, now, agingMs)
    || Date.parse(a.createdAt) - Date.parse(b.createdAt)
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The wait before attempt `attempt + 1` after attempt `attempt` failed: backoff × 2^(attempt-1), at most an hour. */
export const retryDelay = (backoffMs: number, attempt: number): number => Math.min(3_600_000, backoffMs * 2 ** Math.max(0, attempt - 1));
