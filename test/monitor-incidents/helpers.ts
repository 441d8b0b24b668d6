// Builders for incident tests: a firing alert and an incident opened from it, with plain numeric times.
import type { Severity } from '../../src/notify/message.ts';
import { onAlertFiring, type ChangeResult, type Change, type FiringAlert, type Incident } from '../../src/monitor/incidents/incident.ts';

export const min = 60_000;

export function alert(severity: Severity = 'critical', labels: Record<string, string> = { plugin: 'payments' }): FiringAlert {
  return { ruleId: 'plugin-down', labels, severity, category: 'system', title: `payments is down (${severity})` };
}

/** An incident opened at `at` by one firing alert. */
export function opened(severity: Severity = 'critical', at = 0): Incident {
  return onAlertFiring([], alert(severity), at).incident;
}

/** The change of a result that must have succeeded. */
export function ok(r: ChangeResult): Change {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r;
}
