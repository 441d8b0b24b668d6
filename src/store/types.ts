// The execution store: what an execution is, and the port every store implements.
// The embedded store (./file-store.ts) keeps it under `.pluginops/`; a shared database can
// implement the same interface later.
import type { IncidentBrief } from './incident-brief.ts';
import type { RiskAssessment } from './risk.ts';

/** `waiting`: paused at an approval step; nothing runs and no process owns it until someone decides. */
export type ExecutionStatus =
  | 'pending' | 'running' | 'waiting' | 'success' | 'failed' | 'cancelled' | 'timed_out' | 'interrupted';

/** `interrupted`: it was running when the process running the execution died. */
export type StepStatus =
  | 'pending' | 'running' | 'waiting' | 'success' | 'failed' | 'skipped' | 'cancelled' | 'timed_out' | 'interrupted';

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

export type DecisionKind = 'approve' | 'reject' | 'timeout';
export type DecisionChannel = 'cli' | 'api' | 'slack' | 'timeout';

/** One person's answer to an approval (or the timeout's). */
export interface ApprovalDecision {
  by: string;
  at: string;
  decision: DecisionKind;
  via: DecisionChannel;
  comment?: string;
  /** Values the approver changed (Modify), already checked against the approval's parameters. */
  values?: Record<string, unknown>;
}

/** A value an approver may change, declared like a workflow parameter. */
export interface ApprovalParameter {
  type?: 'string' | 'number' | 'boolean';
  description?: string;
  default?: string | number | boolean;
  required?: boolean;
  enum?: Array<string | number>;
  pattern?: string;
  format?: string;
}

/** An approval step's request and what came of it. */
export interface ApprovalRecord {
  step: string;
  status: 'waiting' | 'approved' | 'rejected';
  requestedAt: string;
  /** When the wait ends by `onTimeout`. */
  deadline?: string;
  onTimeout: 'reject' | 'approve';
  /** Who may answer; anyone with write access when absent. */
  approvers?: string[];
  quorum: number;
  /** The person who started the run may not approve it. */
  fourEyes: boolean;
  title: string;
  /** Who was asked; told the decision too. */
  channels?: string[];
  message?: string;
  parameters: Record<string, ApprovalParameter>;
  /** The plan's own approval: approved values replace the run's parameters. */
  modifiesParameters?: boolean;
  decisions: ApprovalDecision[];
}

export interface ExecutionRecord {
  id: string;
  workflow: string;
  kind?: 'Workflow' | 'ActionPlan';
  /** An action plan's category (system, security, …). */
  category?: string;
  /** Who started it: a token's name, a person, `remediation`. */
  requestedBy?: string;
  /** What started it, for runs started by self-healing. */
  trigger?: {
    incident?: string; rule?: string; check?: string;
    /** The incident as it stood when the run started: its approvers see it. */
    brief?: IncidentBrief;
    /** The optimization suggestion the run applies or reverts. */
    suggestion?: string;
    /** The task a worker ran it for. */
    task?: string;
  };
  /** The concurrency key it holds while pending, running or waiting. */
  concurrencyKey?: string;
  /** By step id. */
  approvals?: Record<string, ApprovalRecord>;
  /** Where the plan came from (a file), so a resumed run finds the same document. */
  source?: string;
  /** How the run was planned: an approval forced before the first step. */
  options?: { requireApproval?: boolean };
  /** Each time the run was taken up again: after an approval, or a retry of its failed steps. */
  resumes?: Array<{ at: string; reason: 'approved' | 'retry'; by?: string }>;
  /** The plugin directory, as given. */
  plugin?: string;
  /** The id in that plugin's manifest, when it has a valid one. */
  pluginId?: string;
  /** Stored masked: a secret in a value reads ***. */
  parameters: Record<string, unknown>;
  /**
   * How to rebuild, from the environment, a parameter that held a project secret when the run is
   * taken up again: its text with each secret as the name of its variable. Applied only while the
   * parameter still reads `masked` (a Modify that changed it wins).
   */
  secretParameters?: Record<string, { masked: string; parts: Array<string | { env: string }> }>;
  status: ExecutionStatus;
  currentStep?: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  steps: Record<string, StepRecord>;
  /** The plan's edges: for each step that waits for others, the ids it waits for (`needs`). */
  needs?: Record<string, string[]>;
  artifacts: Array<{ name: string; path: string; size?: number; sha256?: string }>;
  error?: string;
  /** The failure risk assessed before it started (src/risk/). */
  risk?: RiskAssessment;
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
  category?: string;
  kind?: 'Workflow' | 'ActionPlan';
  /** Created at or after this time (ms since the epoch). */
  since?: number;
  /** Created before this time (ms since the epoch). */
  until?: number;
  limit?: number;
}

/** Figures over a set of executions. */
export interface Figures {
  total: number;
  /** How many have finished (success, failed, cancelled, timed out, interrupted). */
  finished: number;
  /** Successful / finished, from 0 to 1 (0 when none finished). */
  successRate: number;
  averageDurationMs: number;
  /** The 95th percentile (nearest rank) of the finished executions' durations. */
  p95DurationMs: number;
  byStatus: Partial<Record<ExecutionStatus, number>>;
}

/**
 * The failure risk assessed before executions started, over those that have a score (a number
 * in `risk.score`; a null score, for want of history, is left out).
 */
export interface RiskFigures {
  /** Executions with a risk score. */
  assessed: number;
  /** Their mean score, from 0 to 1; null when none was assessed. */
  meanScore: number | null;
  /** The mean calibrated probability of failure of those that have one; absent when none has. */
  meanProbability?: number;
  /** Assessed at level `high`. */
  high: number;
  /** Assessed executions that have finished. */
  finished: number;
  /** Of those, how many failed or timed out. */
  failed: number;
  /** The observed failure rate: failed / finished, from 0 to 1; null when none finished. */
  failureRate: number | null;
}

/** The figures of the executions created on one UTC day (`YYYY-MM-DD`). */
export interface DayFigures extends Figures {
  day: string;
  risk: RiskFigures;
}

/** Which executions `stats` counts: one workflow's, created within the last `days` UTC days. */
export interface StatsQuery {
  days?: number;
  workflow?: string;
}

export interface Stats extends Figures {
  perWorkflow: Record<string, Figures>;
  /** Every workflow that has executions in the store, whatever the query. */
  workflows: string[];
  /** With `days`: the window counted, [from, to). */
  window?: { days: number; from: string; to: string };
  /** With `days`: one entry per day of the window, oldest first. */
  daily?: DayFigures[];
  /** With `days`: the risk figures of the window's executions. */
  risk?: RiskFigures;
}

/** Changes applied to an execution; each is one appended record. */
export type ExecutionPatch =
  | { type: 'status'; status: ExecutionStatus; at: string; error?: string; currentStep?: string }
  | { type: 'step'; step: StepRecord }
  | { type: 'artifact'; artifact: ExecutionRecord['artifacts'][number] }
  | { type: 'approval'; approval: ApprovalRecord }
  | { type: 'parameters'; parameters: Record<string, unknown> }
  /** The run is taken up again by `owner` (status running). */
  | { type: 'resumed'; at: string; reason: 'approved' | 'retry'; by?: string; owner: NonNullable<ExecutionRecord['owner']> };

export interface ExecutionStore {
  create(record: ExecutionRecord): Promise<void>;
  /** Durable (fsynced, group-committed) when the patch is a state transition. */
  update(id: string, patch: ExecutionPatch): Promise<void>;
  /** Buffered, not fsynced per line; flushed in order with the next durable update. */
  log(id: string, record: LogRecord): void;
  get(id: string): Promise<ExecutionRecord | undefined>;
  list(filter?: ExecutionFilter): Promise<ExecutionRecord[]>;
  logs(id: string, fromIndex?: number): Promise<LogRecord[]>;
  /** Figures over the executions `query` selects (all of them by default); `now` ends the window of `days`. */
  stats(query?: StatsQuery, now?: Date): Promise<Stats>;
  /** Deletes finished executions that ended more than `days` days ago; returns how many. */
  cleanup(days: number, now?: Date): Promise<number>;
  /**
   * Asks the owner of a running execution to cancel it. A run waiting for approval has no owner:
   * it is cancelled at once (`by` goes into its error).
   */
  requestCancel(id: string, by?: string): Promise<void>;
  cancelRequested(id: string): Promise<boolean>;
  /**
   * Runs `fn` while holding the execution's lock, which every process using the same store
   * respects: decisions on a waiting run are read, checked and written under it.
   */
  exclusive<T>(id: string, fn: () => Promise<T>): Promise<T>;
  /** Marks executions whose owner process is gone as `interrupted`; returns their ids. */
  recover(): Promise<string[]>;
  flush(): Promise<void>;
  close(): Promise<void>;
}
