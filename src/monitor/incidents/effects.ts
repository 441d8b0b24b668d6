// What the incident model asks its caller to do. Every operation returns the new state and a list
// of these effects; a later engine persists the state and performs the effects (sends, writes the
// timeline), so the model itself never does I/O and never reads a clock.
import type { Incident as IncidentNotification, IncidentStatus } from '../../notify/message.ts';
import type { Incident, TimelineEntry } from './incident.ts';

/** A notification to send to `channels` (placeholder names such as `email`; see escalation.ts). */
export interface NotifyEffect {
  kind: 'notify';
  incidentId: string;
  status: IncidentStatus;
  channels: string[];
  recipients?: string[];
  notification: IncidentNotification;
  /** The policy step (index) and round that caused a firing notification. */
  escalationStep?: number;
  round?: number;
}

/** A timeline entry that was appended to the incident, for an engine that logs or streams them. */
export interface TimelineEffect {
  kind: 'timeline';
  incidentId: string;
  entry: TimelineEntry;
}

export type IncidentEffect = NotifyEffect | TimelineEffect;

/** The channel-independent notification for an incident in the given status. */
export function incidentNotification(incident: Incident, status: IncidentStatus, at: number): IncidentNotification {
  const text = status === 'resolved'
    ? `Resolved${incident.resolvedBy ? ` by ${incident.resolvedBy}` : ''}: ${incident.resolution ?? ''}`
    : status === 'acknowledged'
      ? `Acknowledged by ${incident.acknowledgedBy ?? 'someone'}.`
      : `Open since ${new Date(incident.openedAt).toISOString()}.`;
  return {
    kind: 'incident', status, title: incident.title, text, severity: incident.severity,
    at: new Date(at).toISOString(), category: incident.category, dedupKey: incident.dedupKey,
    labels: { ...incident.labels },
  };
}

export const timelineEffect = (incident: Incident, entry: TimelineEntry): TimelineEffect => ({ kind: 'timeline', incidentId: incident.id, entry });
