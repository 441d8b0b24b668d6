// How much a finding matters. From the relative size of what is off (KRR-like): under 25% low,
// under 50% medium, under 100% high, from 100% critical. From a threshold level: warning is
// medium, danger high, critical critical (ok, which never makes a finding, is low).
import type { Level } from '../../monitor/math/levels.ts';
import type { Severity } from './types.ts';

const bands: Array<[number, Severity]> = [[0.25, 'low'], [0.5, 'medium'], [1, 'high']];

/** Severity of a relative change (0.3 = 30%, either sign); NaN is low. */
export function severityOfChange(relative: number): Severity {
  const x = Math.abs(relative);
  if (Number.isNaN(x)) return 'low';
  for (const [below, severity] of bands) if (x < below) return severity;
  return 'critical';
}

const byLevel = { ok: 'low', warning: 'medium', danger: 'high', critical: 'critical' } as const satisfies Record<Level, Severity>;

/** Severity of a threshold level held. */
export function severityOfLevel(level: Level): Severity {
  return byLevel[level];
}

const order: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** The worse of two severities. */
export function worse(a: Severity, b: Severity): Severity {
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}
