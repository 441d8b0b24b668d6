// An incident as people read it in a terminal: its facts, its timeline and its evidence. Text
// from outside (titles, notes, log lines) cannot move the cursor or clear the screen: control
// characters are shown as `?`.
import type { Evidence } from '../../monitor/incidents/evidence.ts';
import type { Incident } from '../../monitor/incidents/incident.ts';

/** The incident as the API shows it (without escalation's bookkeeping). */
export type ShownIncident = Omit<Incident, 'escalation' | 'escalationStartedAt'>;

const safe = (text: string): string => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
const when = (ms: number): string => new Date(ms).toISOString();

export function incidentText(i: ShownIncident): string {
  const labels = Object.entries(i.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const out = [
    safe(i.title),
    `  id          ${i.id}`,
    `  status      ${i.status}`,
    `  severity    ${i.severity}`,
    `  category    ${i.category}`,
    `  rule        ${safe(i.ruleId)}${labels ? `  {${safe(labels)}}` : ''}`,
    `  opened      ${when(i.openedAt)}`,
  ];
  if (i.acknowledgedAt !== undefined) out.push(`  acknowledged ${when(i.acknowledgedAt)} by ${safe(i.acknowledgedBy ?? '?')}${i.ackTimeoutAt !== undefined ? ` until ${when(i.ackTimeoutAt)}` : ''}`);
  if (i.autoResolveAt !== undefined) out.push(`  auto-resolve ${when(i.autoResolveAt)}`);
  if (i.resolvedAt !== undefined) out.push(`  resolved    ${when(i.resolvedAt)} by ${safe(i.resolvedBy ?? '?')}: ${safe(i.resolution ?? '')}`);
  if (i.notifiedFiring.length) out.push(`  notified    ${i.notifiedFiring.join(', ')}`);
  out.push('', 'timeline');
  for (const e of i.timeline) out.push(`  ${when(e.at)}  ${e.kind.padEnd(14)} ${safe(e.text)}${e.by ? `  (by ${safe(e.by)})` : ''}`);
  if (i.evidence?.length) {
    out.push('', 'evidence');
    for (const e of i.evidence) out.push(...evidenceText(e));
  }
  return `${out.join('\n')}\n`;
}

function evidenceText(e: Evidence): string[] {
  const head = `  ${e.source}${e.by ? ` by ${safe(e.by)}` : ''} at ${when(e.at)}${e.truncated ? ' (truncated: the newest kept)' : ''}`;
  return [
    head,
    ...(e.query !== undefined ? [`    query: ${safe(e.query)}`] : []),
    ...(e.lines ?? []).map((l) => `    | ${safe(l.text)}`),
    ...(e.samples ?? []).map((s) => `    ${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',')} ${s.value}`),
  ];
}
