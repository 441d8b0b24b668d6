// Incidents: what people act on, one per open problem (a dedup key), fed by alert transitions.
// Pure: no I/O and no clock; every operation takes the time in ms since the epoch and returns the
// new state plus the effects (effects.ts) a caller performs. State is plain data (JSON-safe).
//
// - An alert that fires joins the incident that is not yet resolved for its dedup key, or opens
//   one. Joining raises the severity when the alert's is higher (never lowers it).
// - When the alerts stop firing the incident is not resolved at once: auto-resolve is scheduled
//   after a severity-dependent delay (`defaultAutoResolveMs`) and cancelled if an alert fires
//   again before; `tick` performs it.
// - An acknowledgement may carry a timeout: when it expires while alerts still fire, `tick`
//   re-opens the incident and escalation starts again from its first step.
// - Notifications are sent by escalation (escalation.ts), which records every channel it sent a
//   firing notification to in `notifiedFiring`; resolving, automatically or by hand, owes those
//   channels (and only those) a resolved notification.
// - Mistakes (acknowledging a resolved incident, resolving twice, an empty resolution) are typed
//   results, not throws.
import { dedupKey as keyOf, type Labels } from '../alerts/key.ts';
import { severities, type Category, type Severity } from '../../documents/schema/alerting.ts';
import { incidentNotification, timelineEffect, type IncidentEffect } from './effects.ts';
import { withEvidence, type Evidence } from './evidence.ts';

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';
export type TimelineKind = 'opened' | 'joined' | 'severity-raised' | 'alerts-stopped' | 'auto-resolve-cancelled'
  | 'acknowledged' | 'ack-expired' | 'reopened' | 'resolved' | 'escalated'
  /** Automatic remediation: a run started, waited, was skipped, rejected or stopped. */
  | 'remediation'
  /** The triggering check re-run after a remediation, and what it showed. */
  | 'verification';

export interface TimelineEntry {
  at: number;
  kind: TimelineKind;
  text: string;
  by?: string;
}

/** Where escalation stands: the policy steps notified in the current round. */
export interface EscalationState {
  notifiedSteps: number[];
  round: number;
}

export interface Incident {
  id: string;
  dedupKey: string;
  ruleId: string;
  labels: Record<string, string>;
  severity: Severity;
  category: Category;
  title: string;
  status: IncidentStatus;
  openedAt: number;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  ackTimeoutAt?: number;
  resolvedAt?: number;
  resolution?: string;
  resolvedBy?: 'auto' | string;
  autoResolveAt?: number;
  alertsFiring: boolean;
  /** Escalation steps count from here: the opening, or the last ack-timeout re-trigger. */
  escalationStartedAt: number;
  escalation: EscalationState;
  /** Every channel that received a firing notification; each is owed a resolved one. */
  notifiedFiring: string[];
  /** Why it is an incident: log lines, a query and its values, a log attached by hand (capped, newest kept). */
  evidence?: Evidence[];
  timeline: TimelineEntry[];
}

/** An alert that fired, as the incident model needs it. */
export interface FiringAlert {
  ruleId: string;
  labels: Labels;
  severity: Severity;
  category: Category;
  title: string;
  /** Computed from rule id and labels (alerts/key.ts) when not given. */
  dedupKey?: string;
  /** What the alert saw, kept on the incident it opens or joins. */
  evidence?: Evidence;
  /** Who reported it, for an incident opened by hand (manual.ts); recorded on the timeline. */
  by?: string;
}

export type IncidentErrorCode = 'already-resolved' | 'resolution-required' | 'invalid-timeout';
export interface IncidentError {
  code: IncidentErrorCode;
  message: string;
}

export interface Change {
  incident: Incident;
  effects: IncidentEffect[];
}
export type ChangeResult = ({ ok: true } & Change) | { ok: false; error: IncidentError };

export type AutoResolveDelays = Record<Severity, number>;
const minute = 60_000;
export const defaultAutoResolveMs: AutoResolveDelays = {
  info: 3 * minute, success: 3 * minute, warning: 15 * minute, danger: 30 * minute, critical: 60 * minute,
};

export const severityRank = (s: Severity): number => severities.indexOf(s);
export const initialEscalation = (): EscalationState => ({ notifiedSteps: [], round: 0 });

/** Opens an incident for a firing alert, or joins the unresolved one with the same dedup key. */
export function onAlertFiring(incidents: readonly Incident[], alert: FiringAlert, at: number): { incidents: Incident[]; incident: Incident; effects: IncidentEffect[] } {
  const key = alert.dedupKey ?? keyOf(alert.ruleId, alert.labels);
  const index = incidents.findIndex((i) => i.dedupKey === key && i.status !== 'resolved');
  const current = incidents[index];
  if (index === -1 || current === undefined) {
    const opened: Incident = {
      id: `${key}:${at}`, dedupKey: key, ruleId: alert.ruleId, labels: { ...alert.labels }, severity: alert.severity,
      category: alert.category, title: alert.title, status: 'open', openedAt: at, alertsFiring: true,
      escalationStartedAt: at, escalation: initialEscalation(), notifiedFiring: [], timeline: [],
      ...(alert.evidence ? { evidence: withEvidence(undefined, alert.evidence) } : {}),
    };
    const { incident, effects } = note(opened, { at, kind: 'opened', text: alert.title, ...reporter(alert) });
    return { incidents: [...incidents, incident], incident, effects };
  }
  let change: Change = { incident: current, effects: [] };
  if (current.autoResolveAt !== undefined) {
    const { autoResolveAt: _r, ...waiting } = change.incident;
    change = then(change, waiting, { at, kind: 'auto-resolve-cancelled', text: 'an alert fired again before auto-resolve' });
  }
  const joined = { ...change.incident, alertsFiring: true, ...(alert.evidence ? { evidence: withEvidence(change.incident.evidence, alert.evidence) } : {}) };
  change = then(change, joined, { at, kind: 'joined', text: alert.title, ...reporter(alert) });
  if (severityRank(alert.severity) > severityRank(current.severity)) {
    // Steps of the old severity's policy do not apply to the new one: escalation starts over
    // (from the opening time, so steps already due under the new policy are due at once).
    const raised = { ...change.incident, severity: alert.severity, escalation: initialEscalation() };
    change = then(change, raised, { at, kind: 'severity-raised', text: `${current.severity} → ${alert.severity}` });
  }
  const next = [...incidents];
  next[index] = change.incident;
  return { incidents: next, incident: change.incident, effects: change.effects };
}

/** The incident's alerts stopped firing: auto-resolve after the severity's delay. */
export function onAlertResolved(incident: Incident, at: number, delays: Partial<AutoResolveDelays> = {}): Change {
  if (incident.status === 'resolved') return { incident, effects: [] };
  const delay = delays[incident.severity] ?? defaultAutoResolveMs[incident.severity];
  const autoResolveAt = at + delay;
  return note({ ...incident, alertsFiring: false, autoResolveAt }, { at, kind: 'alerts-stopped', text: `auto-resolve at ${new Date(autoResolveAt).toISOString()}` });
}

/** Performs what is due at `at`: auto-resolve, and the expiry of an acknowledgement's timeout. */
export function tick(incident: Incident, at: number): Change {
  if (incident.status === 'resolved') return { incident, effects: [] };
  if (!incident.alertsFiring && incident.autoResolveAt !== undefined && incident.autoResolveAt <= at) {
    return close(incident, 'auto', 'alerts stopped firing and stayed quiet; auto-resolved', at);
  }
  if (incident.status === 'acknowledged' && incident.ackTimeoutAt !== undefined && incident.ackTimeoutAt <= at) {
    const { ackTimeoutAt: _t, acknowledgedAt: _a, acknowledgedBy: _b, ...rest } = incident;
    if (!incident.alertsFiring) {
      const { ackTimeoutAt: _expired, ...kept } = incident;
      return note(kept, { at, kind: 'ack-expired', text: 'acknowledgement expired; alerts no longer fire' });
    }
    const reopened: Incident = { ...rest, status: 'open', escalationStartedAt: at, escalation: initialEscalation() };
    return note(reopened, { at, kind: 'reopened', text: 'acknowledgement expired while alerts still fire; escalation restarts' });
  }
  return { incident, effects: [] };
}

/** Acknowledges an open (or re-acknowledges an acknowledged) incident; escalation stops. A note is kept on the timeline. */
export function acknowledge(incident: Incident, by: string, at: number, timeoutMs?: number, comment?: string): ChangeResult {
  if (incident.status === 'resolved') return fail('already-resolved', `incident ${incident.id} was resolved at ${incident.resolvedAt}; it cannot be acknowledged`);
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    return fail('invalid-timeout', `an acknowledgement timeout must be a positive number of ms, found ${timeoutMs}`);
  }
  const { ackTimeoutAt: _t, ...rest } = incident;
  const acked: Incident = { ...rest, status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by, ...(timeoutMs !== undefined ? { ackTimeoutAt: at + timeoutMs } : {}) };
  const holds = timeoutMs !== undefined ? `for ${Math.round(timeoutMs / minute)} min` : 'until resolved';
  const said = comment?.trim();
  const change = note(acked, { at, kind: 'acknowledged', text: said ? `${holds}: ${said}` : holds, by });
  return { ok: true, ...withNotify(change, 'acknowledged', at) };
}

/** Resolves an incident by hand; the resolution text says what was done and is required. */
export function resolve(incident: Incident, by: string, resolution: string, at: number): ChangeResult {
  if (incident.status === 'resolved') return fail('already-resolved', `incident ${incident.id} was already resolved at ${incident.resolvedAt} by ${incident.resolvedBy}`);
  if (resolution.trim() === '') return fail('resolution-required', 'a resolution text is required, found an empty one');
  return { ok: true, ...close(incident, by, resolution.trim(), at) };
}

function close(incident: Incident, by: string, resolution: string, at: number): Change {
  const { autoResolveAt: _r, ackTimeoutAt: _t, ...rest } = incident;
  const resolved: Incident = { ...rest, status: 'resolved', resolvedAt: at, resolvedBy: by, resolution };
  return withNotify(note(resolved, { at, kind: 'resolved', text: resolution, ...(by === 'auto' ? {} : { by }) }), 'resolved', at);
}

/** Tells every channel that got a firing notification; nothing when none did. */
function withNotify(change: Change, status: 'acknowledged' | 'resolved', at: number): Change {
  const channels = change.incident.notifiedFiring;
  if (channels.length === 0) return change;
  const notification = incidentNotification(change.incident, status, at);
  return { ...change, effects: [...change.effects, { kind: 'notify', incidentId: change.incident.id, status, channels: [...channels], notification }] };
}

/** Appends a timeline entry and reports it as an effect. */
export function note(incident: Incident, entry: TimelineEntry): Change {
  return { incident: { ...incident, timeline: [...incident.timeline, entry] }, effects: [timelineEffect(incident, entry)] };
}

function then(prev: Change, incident: Incident, entry: TimelineEntry): Change {
  const next = note(incident, entry);
  return { incident: next.incident, effects: [...prev.effects, ...next.effects] };
}

const reporter = (alert: FiringAlert): { by?: string } => (alert.by === undefined ? {} : { by: alert.by });
const fail = (code: IncidentErrorCode, message: string): ChangeResult => ({ ok: false, error: { code, message } });
