// What a notification says, independent of where it goes: a closed union of notification kinds
// (each channel formats every kind), the five severities, and the builder for a finished execution.
import { formatDuration } from '../engine/duration.ts';
import type { ExecutionRecord, ExecutionStatus, StepStatus } from '../store/types.ts';

export type Severity = 'info' | 'success' | 'warning' | 'danger' | 'critical';
export const severities = ['info', 'success', 'warning', 'danger', 'critical'] as const satisfies readonly Severity[];

export type FinishedStatus = Exclude<ExecutionStatus, 'pending' | 'running'>;

interface Base {
  title: string;
  /** One or two sentences; channels without rich formatting show only this and the title. */
  text: string;
  severity: Severity;
  /** ISO time the notification is about. */
  at: string;
  /** A link to more detail, when there is one. */
  url?: string;
}

export interface ExecutionFinished extends Base {
  kind: 'execution.finished';
  status: FinishedStatus;
  workflow: string;
  executionId: string;
  plugin?: string;
  durationMs?: number;
  failedStep?: string;
  error?: string;
  steps: Array<{ id: string; status: StepStatus; durationMs?: number }>;
}

/** A message a workflow sends itself (the `notify` step). */
export interface StepMessage extends Base {
  kind: 'step.message';
  executionId: string;
  step: string;
}

export type Notification = ExecutionFinished | StepMessage;
export type NotificationKind = Notification['kind'];

const statusSeverity = {
  success: 'success', failed: 'danger', timed_out: 'danger', cancelled: 'warning', interrupted: 'warning',
} as const satisfies Record<FinishedStatus, Severity>;

const statusVerb = {
  success: 'succeeded', failed: 'failed', timed_out: 'timed out', cancelled: 'was cancelled', interrupted: 'was interrupted',
} as const satisfies Record<FinishedStatus, string>;

export const isFinished = (s: ExecutionStatus): s is FinishedStatus => s !== 'pending' && s !== 'running';

/** The notification for an execution that has finished; a RangeError for one still pending or running. */
export function executionNotification(record: ExecutionRecord, o: { url?: string; now?: () => number } = {}): ExecutionFinished {
  const { status } = record;
  if (!isFinished(status)) throw new RangeError(`execution ${record.id} has not finished (status ${status})`);
  const steps = Object.values(record.steps).map((s) => ({ id: s.id, status: s.status, ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}) }));
  // A step that failed under continueOnError concluded as success: it did not fail the run.
  const failed = Object.values(record.steps).find((s) => (s.conclusion ?? s.status) === 'failed' || (s.conclusion ?? s.status) === 'timed_out');
  const error = record.error ?? failed?.error;
  const title = `${record.workflow} ${statusVerb[status]}${record.plugin ? ` for ${record.plugin}` : ''}`;
  const took = record.durationMs !== undefined ? ` in ${formatDuration(record.durationMs)}` : '';
  const text = status === 'success'
    ? `${steps.length} step${steps.length === 1 ? '' : 's'} ran${took}.`
    : `${failed ? `Step ${failed.id} ${failed.status === 'timed_out' ? 'timed out' : 'failed'}` : `Execution ${statusVerb[status]}`}${took}${error ? `: ${error}` : '.'}`;
  return {
    kind: 'execution.finished', title, text, status, severity: statusSeverity[status],
    workflow: record.workflow, executionId: record.id,
    ...(record.plugin ? { plugin: record.plugin } : {}),
    ...(record.durationMs !== undefined ? { durationMs: record.durationMs } : {}),
    ...(failed ? { failedStep: failed.id } : {}),
    ...(error ? { error } : {}),
    steps,
    ...(o.url ? { url: o.url } : {}),
    at: record.endedAt ?? new Date((o.now ?? Date.now)()).toISOString(),
  };
}
