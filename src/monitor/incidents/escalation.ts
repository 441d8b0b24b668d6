// Escalation: who hears about an open incident, and when. Pure: the scheduler takes the incident,
// a policy, where escalation stands and the time, and answers which steps are due now.
//
// - A step is due `afterMs` after `escalationStartedAt` (the opening, or the last time an expired
//   acknowledgement re-opened the incident), and is notified exactly once per round.
// - After the last step, the policy repeats from the first step up to `repeat` times (default 0,
//   at most `maxRepeat`); round r starts r × (the largest `afterMs`) after the start, i.e. each
//   round is timed from the previous round's last step. A policy whose last step is at 0 ms
//   does not repeat (it would notify every round at once).
// - A tick that comes late gets every step that became due since the last one, in order, each
//   still once per round.
// - Escalation stops when the incident is acknowledged or resolved, and pauses while its alerts
//   do not fire (it is waiting for auto-resolve): nobody is paged for a problem that is gone.
//
// Channel names in policies are placeholders (`email`, `slack`, `pagerduty`) and recipients are
// roles (`admin`, `manager`, `oncall`); the project maps both to its configured channels.
import type { Severity } from '../../documents/schema/alerting.ts';
import { incidentNotification, type IncidentEffect } from './effects.ts';
import { note, type Change, type EscalationState, type Incident } from './incident.ts';

export interface EscalationStep {
  afterMs: number;
  channels: string[];
  recipients?: string[];
}

export interface EscalationPolicy {
  id: string;
  steps: EscalationStep[];
  /** How many times the steps repeat after the first round; 0 unless given, at most `maxRepeat`. */
  repeat?: number;
}

export interface DueStep {
  index: number;
  round: number;
  dueAt: number;
  step: EscalationStep;
}

export const maxRepeat = 10;
const minute = 60_000;

/** The seed's table (critical 5 min, high 15 min, medium 30 min); info and success never escalate. */
export const defaultPolicies = {
  critical: { id: 'critical', steps: [{ afterMs: 5 * minute, channels: ['email', 'slack', 'pagerduty'], recipients: ['admin', 'manager', 'oncall'] }] },
  danger: { id: 'danger', steps: [{ afterMs: 15 * minute, channels: ['email', 'slack'], recipients: ['admin', 'manager'] }] },
  warning: { id: 'warning', steps: [{ afterMs: 30 * minute, channels: ['email'], recipients: ['admin'] }] },
} satisfies Partial<Record<Severity, EscalationPolicy>>;

export type PolicyTable = Partial<Record<Severity, EscalationPolicy>>;

export const policyFor = (severity: Severity, policies: PolicyTable = defaultPolicies): EscalationPolicy | undefined => policies[severity];

/** The steps due at `at` and the escalation state after notifying them. */
export function escalationDue(incident: Incident, policy: EscalationPolicy, state: EscalationState, at: number): { due: DueStep[]; state: EscalationState } {
  const { steps } = policy;
  if (incident.status !== 'open' || !incident.alertsFiring || steps.length === 0) return { due: [], state };
  const period = Math.max(...steps.map((s) => s.afterMs));
  const repeat = period > 0 ? Math.min(maxRepeat, Math.max(0, Math.floor(policy.repeat ?? 0))) : 0;
  const due: DueStep[] = [];
  let round = state.round;
  let notified = new Set(state.notifiedSteps);
  while (round <= repeat) {
    const roundStart = incident.escalationStartedAt + round * period;
    steps.forEach((step, index) => {
      const dueAt = roundStart + step.afterMs;
      if (!notified.has(index) && dueAt <= at) {
        due.push({ index, round, dueAt, step });
        notified.add(index);
      }
    });
    if (notified.size < steps.length || round === repeat) break;
    round++;
    notified = new Set();
  }
  due.sort((a, b) => a.dueAt - b.dueAt);
  return { due, state: { notifiedSteps: [...notified].sort((a, b) => a - b), round } };
}

/** Runs the scheduler on the incident: firing notifications for due steps, recorded on the incident. */
export function escalate(incident: Incident, policy: EscalationPolicy | undefined, at: number): Change {
  if (policy === undefined) return { incident, effects: [] };
  return notifySteps(incident, escalationDue(incident, policy, incident.escalation, at), at);
}

/**
 * Escalates at once, when waiting would not help (automatic remediation gave up): every step of
 * the current round not yet notified is notified now, whatever its `afterMs`. Later rounds keep
 * their times. Nothing happens to an incident that is not open: someone already has it, or it is
 * over.
 */
export function escalateNow(incident: Incident, policy: EscalationPolicy | undefined, at: number): Change {
  if (policy === undefined || incident.status !== 'open') return { incident, effects: [] };
  const { notifiedSteps, round } = incident.escalation;
  const due: DueStep[] = policy.steps.flatMap((step, index) => (notifiedSteps.includes(index) ? [] : [{ index, round, dueAt: at, step }]));
  return notifySteps(incident, { due, state: { notifiedSteps: policy.steps.map((_s, i) => i), round } }, at);
}

function notifySteps(incident: Incident, { due, state }: { due: DueStep[]; state: EscalationState }, at: number): Change {
  let current: Incident = { ...incident, escalation: state };
  const effects: IncidentEffect[] = [];
  for (const d of due) {
    const notifiedFiring = [...current.notifiedFiring, ...d.step.channels.filter((c) => !current.notifiedFiring.includes(c))];
    const noted = note({ ...current, notifiedFiring }, { at, kind: 'escalated', text: `step ${d.index + 1} (round ${d.round + 1}): ${d.step.channels.join(', ')}` });
    current = noted.incident;
    effects.push(...noted.effects, {
      kind: 'notify', incidentId: incident.id, status: 'firing', channels: [...d.step.channels],
      ...(d.step.recipients ? { recipients: [...d.step.recipients] } : {}),
      notification: incidentNotification(current, 'firing', at), escalationStep: d.index, round: d.round,
    });
  }
  return { incident: current, effects };
}
