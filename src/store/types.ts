// The execution store: what an execution is, and the port every store implements.
// The embedded store (./file-store.ts) keeps it under `.pluginops/`; a shared database can
// implement the same interface later.

export type ExecutionStatus =
  | 'pending' | 'running' | 'success' | 'failed' | 'cancelled' | 'timed_out' | 'interrupted';

export type StepStatus =
  | 'pending' | 'running' | 'success' | 'failed' | 'skipped' | 'cancelled' | 'timed_out';

export const finishedStatuses: readonly ExecutionStatus[] = ['success', 'failed', 'cancelled', 'timed_out', 'interrupted'];

export interface StepRecord {
  id: string;
  status: StepStatus;
  /** `failed` while `continueOnError` turns the conclusion into success. */
  conclusion?: StepStatus;
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  outputs: Record<string, string>;
  error?: string;
}

export interface ExecutionRecord {
  id: string;
  workflow: string;
  plugin?: string;
  parameters: Record<string, unknown>;
  status: ExecutionStatus;
  currentStep?: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  steps: Record<string, StepRecord>;
  artifacts: Array<{ name: string; path: string; size?: number; sha256?: string }>;
  error?: string;
  /** The process that runs it; an execution left `running` by a dead owner is `interrupted`. */
  owner?: { pid: number; host: string; startTime?: string };
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  timestamp: string;
  level: LogLevel;
  step?: string;
  message: string;
}

export interface ExecutionFilter {
  plugin?: string;
  status?: ExecutionStatus;
  workflow?: string;
  limit?: number;
}

export interface Stats {
  total: number;
  successRate: number;
  averageDurationMs: number;
  byStatus: Partial<Record<ExecutionStatus, number>>;
  perWorkflow: Record<string, Omit<Stats, 'perWorkflow'>>;
}

/** Changes applied to an execution; each is one appended record. */
export type ExecutionPatch =
  | { type: 'status'; status: ExecutionStatus; at: string; error?: string; currentStep?: string }
  | { type: 'step'; step: StepRecord }
  | { type: 'artifact'; artifact: ExecutionRecord['artifacts'][number] };

export interface ExecutionStore {
  create(record: ExecutionRecord): Promise<void>;
  /** Durable (fsynced, group-committed) when the patch is a state transition. */
  update(id: string, patch: ExecutionPatch): Promise<void>;
  /** Buffered, not fsynced per line; flushed in order with the next durable update. */
  log(id: string, record: LogRecord): void;
  get(id: string): Promise<ExecutionRecord | undefined>;
  list(filter?: ExecutionFilter): Promise<ExecutionRecord[]>;
  logs(id: string, fromIndex?: number): Promise<LogRecord[]>;
  stats(): Promise<Stats>;
  /** Deletes finished executions that ended more than `days` days ago; returns how many. */
  cleanup(days: number, now?: Date): Promise<number>;
  /** Asks the owner of a running execution to cancel it. */
  requestCancel(id: string): Promise<void>;
  cancelRequested(id: string): Promise<boolean>;
  /** Marks executions whose owner process is gone as `interrupted`; returns their ids. */
  recover(): Promise<string[]>;
  flush(): Promise<void>;
  close(): Promise<void>;
}
