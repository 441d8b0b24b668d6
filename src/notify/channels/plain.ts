// A notification as plain text in the catalog's language: one summary line (Slack's fallback,
// the webhook's `text`, PagerDuty's summary, the email subject) and labelled detail fields (the
// email body, PagerDuty's custom_details). Every kind is formatted here or nothing compiles.
import { localDuration, type Catalog } from '../catalog/index.ts';
import type { Notification } from '../message.ts';
import { recipientNames } from '../recipients.ts';

export interface Field { label: string; value: string }

/** `[severity] title: text` for executions and step messages; incidents add category and status. */
export function summaryLine(n: Notification, c: Catalog): string {
  const titled = n.text ? `${n.title}: ${n.text}` : n.title;
  switch (n.kind) {
    case 'execution.finished':
    case 'step.message':
      return titled;
    case 'incident':
      return `[${c.severity[n.severity]}/${c.category[n.category]}] ${c.incidentStatus[n.status]}: ${titled}`;
  }
}

/** The short subject of a notification (the email subject). */
export function subjectLine(n: Notification, c: Catalog): string {
  switch (n.kind) {
    case 'execution.finished': return `[pluginops] ${n.title}`;
    case 'step.message': return `[pluginops] [${c.severity[n.severity]}] ${n.title}`;
    case 'incident': return `[pluginops] [${c.severity[n.severity]}] ${c.incidentStatus[n.status]}: ${n.title}`;
  }
}

export function detailFields(n: Notification, c: Catalog): Field[] {
  const f = (label: string, value: string | undefined): Field[] => (value === undefined || value === '' ? [] : [{ label, value }]);
  const common = [...f(c.label.severity, c.severity[n.severity]), ...f(c.label.at, n.at), ...f(c.label.details, n.url)];
  switch (n.kind) {
    case 'execution.finished':
      return [
        ...f(c.label.workflow, n.workflow), ...f(c.label.plugin, n.plugin), ...f(c.label.status, c.executionStatus[n.status]),
        ...f(c.label.duration, n.durationMs === undefined ? undefined : localDuration(n.durationMs, c)),
        ...f(c.label.failedStep, n.failedStep), ...f(c.label.error, n.error), ...f(c.label.execution, n.executionId),
        ...f(c.label.steps, n.steps.map((s) => `${s.id} (${c.stepStatus[s.status]}${s.durationMs === undefined ? '' : `, ${localDuration(s.durationMs, c)}`})`).join(', ')),
        ...common,
      ];
    case 'step.message':
      return [...f(c.label.execution, n.executionId), ...f(c.label.step, n.step), ...common];
    case 'incident':
      return [
        ...f(c.label.status, c.incidentStatus[n.status]), ...f(c.label.category, c.category[n.category]), ...f(c.label.source, n.source),
        ...f(c.label.labels, Object.entries(n.labels).map(([k, v]) => `${k}=${v}`).join(', ')),
        ...f(c.label.recipients, recipientNames(n.recipients)),
        ...common,
      ];
  }
}

