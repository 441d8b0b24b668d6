// What a notification says, independent of where it goes: a closed union of notification kinds
// (each channel formats every kind), the severities and alert categories (from the schema), and the builder for a
// finished execution (its title and text in the catalog's language).
import type { ExecutionRecord, ExecutionStatus, StepStatus } from '../store/types.ts';
import type { EvidenceExcerpt } from '../store/incident-brief.ts';

export type { EvidenceExcerpt } from '../store/incident-brief.ts';
import type { Category, Severity } from '../documents/schema/alerting.ts';
import { catalogFor, fill, localDuration, type Catalog } from './catalog/index.ts';

// Severities and categories are the documents' (the AlertRule schema); re-exported for channels.
export { categories, severities, type Category, type Severity } from '../documents/schema/alerting.ts';

export type IncidentStatus = 'firing' | 'resolved' | 'acknowledged';

export type FinishedStatus = Exclude<ExecutionStatus, 'pending' | 'running' | 'waiting'>;

interface Base {
  title: string;
  /** One or two sentences; channels without rich formatting show only this and the title. */
  text: string;
  severity: Severity;
  /** ISO time the notification is about. */
  at: string;
  /** A link to more detail, when there is one. */
  url?: string;
  /** Groups notifications about one problem (PagerDuty's dedup_key); channels without the idea ignore it. */
  dedupKey?: string;
}

export interface ExecutionFinished extends Base {
  kind: 'execution.finished';
  status: FinishedStatus;
  workflow: string;
  executionId: string;
  plugin?: string;
  /** The run's `target` parameter (a host, an environment), when it has one. */
  target?: string;
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

/** An alert incident: fired, acknowledged or resolved, all with the same `dedupKey`. */
export interface Incident extends Base {
  kind: 'incident';
  /** The incident's id in the store (the API's /api/incidents/{id}). */
  incidentId?: string;
  status: IncidentStatus;
  category: Category;
  dedupKey: string;
  labels: Record<string, string>;
  /** The affected system (a host, plugin or service); `pluginops` when not given. */
  source?: string;
  /** The rule that fired (Alertmanager's alertname). */
  alertname?: string;
  /** ISO time the incident opened. */
  startsAt?: string;
  /** What showed the problem, cut short (the incident's newest evidence). */
  evidence?: EvidenceExcerpt[];
  /** Who the escalation step that sent it names, with where they are reached. */
  recipients?: Recipient[];
}

/** A person or group an escalation step names: e-mail adds `emails` to the To, Slack mentions them. */
export interface Recipient {
  name: string;
  emails: string[];
  /** Slack user ids (`U…`), mentioned as <@U…>. */
  slackUsers: string[];
  /** Slack user group ids (`S…`), mentioned as <!subteam^S…>. */
  slackGroups: string[];
}

export type Notification = ExecutionFinished | StepMessage | Incident;
export type NotificationKind = Notification['kind'];

const statusSeverity = {
  success: 'success', failed: 'danger', timed_out: 'danger', cancelled: 'warning', interrupted: 'warning',
} as const satisfies Record<FinishedStatus, Severity>;

export const isFinished = (s: ExecutionStatus): s is FinishedStatus => s !== 'pending' && s !== 'running' && s !== 'waiting';

/** PagerDuty-style key shared by every run of a workflow for a plugin, so a success resolves a failure. */
export const executionDedupKey = (workflow: string, plugin?: string): string => `pluginops/${workflow}${plugin ? `/${plugin}` : ''}`;

/** The notification for an execution that has finished; a RangeError for one still pending or running. */
export function executionNotification(record: ExecutionRecord, o: { url?: string; now?: () => number; catalog?: Catalog } = {}): ExecutionFinished {
  const { status } = record;
  if (!isFinished(status)) throw new RangeError(`execution ${record.id} has not finished (status ${status})`);
  const c = o.catalog ?? catalogFor(undefined);
  const steps = Object.values(record.steps).map((s) => ({ id: s.id, status: s.status, ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}) }));
  // A step that failed under continueOnError concluded as success: it did not fail the run.
  const failed = Object.values(record.steps).find((s) => (s.conclusion ?? s.status) === 'failed' || (s.conclusion ?? s.status) === 'timed_out');
  const error = record.error ?? failed?.error;
  const verb = c.verb[status];
  const title = fill(record.plugin ? c.execution.titleForPlugin : c.execution.title, { workflow: record.workflow, verb, plugin: record.plugin ?? '' });
  const took = record.durationMs !== undefined ? fill(c.execution.took, { duration: localDuration(record.durationMs, c) }) : '';
  const what = failed
    ? fill(failed.status === 'timed_out' ? c.execution.stepTimedOut : c.execution.stepFailed, { step: failed.id })
    : fill(c.execution.ended, { verb });
  const text = status === 'success'
    ? `${fill(steps.length === 1 ? c.execution.stepsRanOne : c.execution.stepsRanMany, { count: steps.length })}${took}.`
    : `${what}${took}${error ? `: ${error}` : '.'}`;
  return {
    kind: 'execution.finished', title, text, status, severity: statusSeverity[status],
    workflow: record.workflow, executionId: record.id,
    ...(record.plugin ? { plugin: record.plugin } : {}),
    ...(typeof record.parameters.target === 'string' && record.parameters.target ? { target: record.parameters.target } : {}),
    ...(record.durationMs !== undefined ? { durationMs: record.durationMs } : {}),
    ...(failed ? { failedStep: failed.id } : {}),
    ...(error ? { error } : {}),
    steps,
    ...(o.url ? { url: o.url } : {}),
    at: record.endedAt ?? new Date((o.now ?? Date.now)()).toISOString(),
  };
}
