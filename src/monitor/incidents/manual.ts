// Incidents opened by hand: a person (through the API or `pluginops incidents open`) reports a
// problem no alert saw, or adds what they saw to one that is open. Pure: the report becomes the
// same `FiringAlert` an alert rule produces, so it opens or joins by dedup key, escalates,
// notifies and triggers remediation exactly like an alert that fires.
//
// - The dedup key is computed from the rule id (`manual` when the report names none) and the
//   labels, as for alerts (alerts/key.ts): a report naming a rule and the labels of one of its
//   alerts joins that alert's incident.
// - A manual incident counts as firing (escalation runs) until a person resolves it: no alert
//   stops firing for it, so it is never auto-resolved. One that shares its key with an alert
//   follows that alert (auto-resolve when the alert stops and stays quiet).
// - A log attached to the report is kept as `manual` evidence, capped like all evidence; masking
//   it is the caller's work, before it reaches here.
import { dedupKey, type Labels } from '../alerts/key.ts';
import type { Category, Severity } from '../../documents/schema/alerting.ts';
import type { Evidence } from './evidence.ts';
import type { FiringAlert } from './incident.ts';

/** The rule id of an incident opened by hand without naming a rule. */
export const manualRuleId = 'manual';

/** The longest log a report may carry, in bytes (UTF-8); a longer one is refused, not cut. */
export const maxReportLogBytes = 256 * 1024;

export interface IncidentReport {
  title: string;
  severity: Severity;
  category: Category;
  labels?: Labels;
  /** An AlertRule this is about: its dedup key, channels and remediation apply. */
  ruleId?: string;
  /** Log text the person saw (the monitor masks it, with the title and labels, before keeping it). */
  log?: string;
}

/** The report as the alert it stands for, attributed to `by`. */
export function reportedAlert(report: IncidentReport, by: string, at: number): FiringAlert & { dedupKey: string } {
  const ruleId = report.ruleId ?? manualRuleId;
  const labels = { ...report.labels };
  const evidence = report.log === undefined ? undefined : logEvidence(report.log, by, at);
  return {
    ruleId, labels, severity: report.severity, category: report.category, title: report.title, by,
    dedupKey: dedupKey(ruleId, labels), ...(evidence ? { evidence } : {}),
  };
}

/** Log text as evidence lines (the trailing newline dropped); none for text that is only blank. */
export function logEvidence(text: string, by: string, at: number): Evidence | undefined {
  if (text.trim() === '') return undefined;
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return { source: 'manual', at, by, lines: lines.map((line) => ({ text: line })) };
}
