// Words for alerts: why an alert fires and the incident's title, from the project's message
// catalog, so Korean projects get Korean titles. A rule's `summary` may name labels as
// `{label}` (filled from the alert's labels) and `{value}`.
import { fill, localDuration, type Catalog } from '../../notify/catalog/index.ts';
import type { CompiledRule } from '../rules/compile.ts';
import type { Reason } from '../rules/judge.ts';

/** What the rule watches, in a few words. */
export function watched(rule: CompiledRule, labels: Record<string, string>): string {
  const s = rule.source;
  switch (s.kind) {
    case 'status': return s.check;
    case 'field': return `${s.check}.${s.field}`;
    case 'metric': return labels.plugin ? `${s.metric}{plugin=${labels.plugin}}` : s.metric;
    case 'prometheus': case 'loki': {
      const shown = Object.entries(labels).filter(([k]) => !Object.hasOwn(rule.labels, k)).map(([k, v]) => `${k}=${v}`).join(',');
      return shown ? `${rule.id}{${shown}}` : rule.id;
    }
  }
}

export const number = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : 3).replace(/0+$/, '').replace(/\.$/, ''));

export function reasonText(reason: Reason, what: string, c: Catalog): string {
  switch (reason.kind) {
    case 'unhealthy': return fill(c.alert.unhealthy, { check: reason.check, reason: reason.detail });
    case 'level': return fill(c.alert.level, { what, value: number(reason.value), level: c.severity[reason.level], threshold: number(reason.threshold) });
    case 'anomaly': return fill(c.alert.anomaly, { what, value: number(reason.value), z: number(reason.z), center: number(reason.center) });
    case 'trend': return fill(c.alert.trend, { what, threshold: number(reason.threshold), eta: localDuration(reason.etaMs, c), r2: number(reason.r2) });
  }
}

/** The incident title for an alert that fires for `reason`. */
export function alertTitle(rule: CompiledRule, labels: Record<string, string>, reason: Reason, c: Catalog): string {
  const value = 'value' in reason ? number(reason.value) : '';
  if (rule.summary) return fill(rule.summary, { ...labels, value });
  return fill(c.alert.rule, { rule: rule.name, reason: reasonText(reason, watched(rule, labels), c) });
}
