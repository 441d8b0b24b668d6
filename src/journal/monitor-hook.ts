// The monitor's incidents into the git journal: an incident opening, being acknowledged and being
// resolved each become one journal commit. Writing is off the monitor's path: a commit that fails
// is logged and never delays or fails the incident itself.
import type { Incident, TimelineEntry } from '../monitor/incidents/incident.ts';
import type { JournalEvent } from './types.ts';
import type { openJournal } from './git-journal.ts';

type Journal = Awaited<ReturnType<typeof openJournal>>;

const events: Partial<Record<TimelineEntry['kind'], JournalEvent>> = { opened: 'opened', acknowledged: 'acknowledged', resolved: 'resolved' };

export function journalListener(journal: Journal, log: (line: string, level: 'warn' | 'error') => void): (incident: Incident, entry: TimelineEntry) => void {
  return (incident, entry) => {
    const event = events[entry.kind];
    if (!event) return;
    journal.record({
      incidentId: incident.id, event, status: incident.status, severity: incident.severity, title: incident.title,
      at: entry.at, text: entry.text, ...(entry.by ? { by: entry.by } : {}),
    }).catch((e: unknown) => log(`incident ${incident.id}: could not write the git journal: ${e instanceof Error ? e.message : String(e)}`, 'error'));
  };
}
