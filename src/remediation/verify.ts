// Verification: after a plan's run succeeded, the check that triggered the remediation is run
// again, `attempts` times `intervalMs` apart, and the remediation fixed the problem only when
// every re-run passes. A rule that judges a field of the check (responseTime against levels) also
// needs its alert to stop firing on the re-run's value: the check's own conditions may pass while
// the value is still beyond the rule's level. A rule without a health check is evaluated again
// instead, and passes when the incident's alert no longer fires.
import type { MonitorConfig } from '../monitor/runtime/config.ts';
import type { Monitor } from '../monitor/runtime/monitor.ts';
import type { RemediateSpec } from './config.ts';
import { defaultVerifyIntervalMs } from './config.ts';
import type { VerificationRecord } from './events.ts';
import type { RemediationRecord } from './fold.ts';

export interface VerifyPlan {
  /** `check <id>` or `rule <id>`. */
  by: string;
  attempts: number;
  intervalMs: number;
}

type Result = VerificationRecord['results'][number];

/** How a remediation is verified: the remediate's `verify`, else the check's successThreshold (1 for a rule). */
export function verifyPlan(config: MonitorConfig, r: Pick<RemediationRecord, 'check' | 'rule'>, spec: RemediateSpec | undefined): VerifyPlan {
  const check = r.check === undefined ? undefined : config.checks.get(r.check);
  return {
    by: check ? `check ${check.id}` : `rule ${r.rule}`,
    attempts: spec?.verify.attempts ?? check?.successThreshold ?? 1,
    intervalMs: spec?.verify.intervalMs ?? defaultVerifyIntervalMs,
  };
}

/** Runs the check (or evaluates the rule) once, now. */
export async function recheck(
  monitor: Pick<Monitor, 'config' | 'runCheck' | 'evaluateRule' | 'alerts' | 'incident'>, r: Pick<RemediationRecord, 'check' | 'rule' | 'incident'>, now: () => number,
): Promise<Result> {
  try {
    if (r.check !== undefined && monitor.config.checks.has(r.check)) {
      const result = await monitor.runCheck(r.check);
      const failing = result.conditions.filter((c) => !c.ok).map((c) => c.expression);
      const error = result.error ?? (failing.length ? `failed: ${failing.join(', ')}` : undefined);
      if (!result.ok || monitor.config.rules.get(r.rule)?.source.kind !== 'field') return { at: now(), ok: result.ok, ...(result.ok || error === undefined ? {} : { error }) };
      return alertGone(monitor, r, now);
    }
    await monitor.evaluateRule(r.rule);
    return alertGone(monitor, r, now);
  } catch (e) {
    return { at: now(), ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Passes when the incident's alert of the rule is neither firing nor in error. */
function alertGone(monitor: Pick<Monitor, 'alerts' | 'incident'>, r: Pick<RemediationRecord, 'rule' | 'incident'>, now: () => number): Result {
  const key = monitor.incident(r.incident)?.dedupKey;
  const alert = monitor.alerts().find((a) => a.ruleId === r.rule && (key === undefined || a.key === key) && (a.state === 'firing' || a.state === 'error'));
  return { at: now(), ok: alert === undefined, ...(alert ? { error: `the alert is still ${alert.state}${alert.message ? `: ${alert.message}` : ''}` } : {}) };
}
