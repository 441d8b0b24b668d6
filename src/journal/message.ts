// The commit message of one journal record: a subject `incident <id>: <event> (<status>)`, the
// title and text as the body, and trailers in the last paragraph, which `git log` reads back.
import { oneLine } from './names.ts';
import type { JournalEntry } from './types.ts';

export const trailerKeys = {
  incidentId: 'Incident-Id',
  event: 'Incident-Event',
  status: 'Incident-Status',
  severity: 'Incident-Severity',
  at: 'Incident-At',
  approvedBy: 'Approved-By',
  by: 'By',
} as const;

/** The message as paragraphs, one `-m` each: git joins them with blank lines. */
export function commitParagraphs(entry: JournalEntry): string[] {
  const subject = `incident ${oneLine(entry.incidentId)}: ${entry.event} (${oneLine(entry.status)})`;
  const body = [oneLine(entry.title), entry.text.trim()].filter((s) => s !== '').join('\n\n');
  const by = entry.by === undefined ? '' : oneLine(entry.by);
  const trailers = [
    `${trailerKeys.incidentId}: ${oneLine(entry.incidentId)}`,
    `${trailerKeys.event}: ${entry.event}`,
    `${trailerKeys.status}: ${oneLine(entry.status)}`,
    `${trailerKeys.severity}: ${oneLine(entry.severity)}`,
    `${trailerKeys.at}: ${new Date(entry.at).toISOString()}`,
    ...(by ? [`${entry.event === 'approved' ? trailerKeys.approvedBy : trailerKeys.by}: ${by}`] : []),
  ];
  return [subject, ...(body ? [body] : []), trailers.join('\n')];
}
