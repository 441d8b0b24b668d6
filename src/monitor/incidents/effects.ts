// What the incident model asks its caller to do. Every operation returns the new state and a list
// of these effects; a later engine persists the state and performs the effects (sends, writes the
// timeline), so the model itself never does I/O and never reads a clock.
import { catalogFor, fill, type Catalog } from '../../notify/catalog/index.ts';
import type { Incident as IncidentNotification, IncidentStatus } from '../../notify/message.ts';
import type { Incident, TimelineEntry } from './incident.ts';
import { evidenceExcerpt } from './excerpt.ts';

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

/** The channel-independent notification for an incident in the given status, in the catalog's words. */
export function incidentNotification(incident: Incident, status: IncidentStatus, at: number, c: Catalog = catalogFor(undefined)): IncidentNotification {
  const text = status === 'resolved'
    ? (incident.resolvedBy === 'auto' || incident.resolvedBy === undefined ? c.incident.autoResolved : fill(c.incident.resolved, { by: incident.resolvedBy, resolution: incident.resolution ?? '' }))
    : status === 'acknowledged'
      ? fill(c.incident.acknowledged, { by: incident.acknowledgedBy ?? '?' })
      : fill(c.incident.open, { at: new Date(incident.openedAt).toISOString() });
  // A firing notification shows what showed the problem; acknowledged and resolved ones need not.
  const evidence = status === 'firing' ? evidenceExcerpt(incident.evidence) : undefined;
  return {
    kind: 'incident', incidentId: incident.id, status, title: incident.title, text, severity: incident.severity,
    at: new Date(at).toISOString(), category: incident.category, dedupKey: incident.dedupKey,
    labels: { ...incident.labels }, alertname: incident.ruleId, startsAt: new Date(incident.openedAt).toISOString(),
    ...(evidence ? { evidence } : {}),
  };
}

export const timelineEffect = (incident: Incident, entry: TimelineEntry): TimelineEffect => ({ kind: 'timeline', incidentId: incident.id, entry });
