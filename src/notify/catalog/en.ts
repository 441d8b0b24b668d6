// English notification texts (the default locale).
import type { Catalog } from './types.ts';

export const en: Catalog = {
  severity: { info: 'info', success: 'success', warning: 'warning', danger: 'danger', critical: 'critical' },
  category: {
    system: 'System', automation: 'Automation', git: 'Git', test: 'Test',
    deploy: 'Deploy', performance: 'Performance', security: 'Security', backup: 'Backup',
  },
  executionStatus: { success: 'success', failed: 'failed', timed_out: 'timed out', cancelled: 'cancelled', interrupted: 'interrupted' },
  stepStatus: {
    pending: 'pending', running: 'running', success: 'success', failed: 'failed', skipped: 'skipped', waiting: 'waiting for approval', cancelled: 'cancelled', timed_out: 'timed out', interrupted: 'interrupted',
  },
  incidentStatus: { firing: 'Firing', resolved: 'Resolved', acknowledged: 'Acknowledged' },
  verb: { success: 'succeeded', failed: 'failed', timed_out: 'timed out', cancelled: 'was cancelled', interrupted: 'was interrupted' },
  execution: {
    title: '{workflow} {verb}',
    titleForPlugin: '{workflow} {verb} for {plugin}',
    stepsRanOne: '{count} step ran',
    stepsRanMany: '{count} steps ran',
    took: ' in {duration}',
    stepFailed: 'Step {step} failed',
    stepTimedOut: 'Step {step} timed out',
    ended: 'Execution {verb}',
  },
  label: {
    workflow: 'Workflow', plugin: 'Plugin', status: 'Status', duration: 'Duration', failedStep: 'Failed step', error: 'Error',
    execution: 'Execution', step: 'step', steps: 'Steps', severity: 'Severity', category: 'Category', source: 'Source',
    labels: 'Labels', at: 'Time', details: 'details', recipients: 'Recipients', evidence: 'Evidence',
  },
  incident: {
    open: 'Open since {at}.',
    acknowledged: 'Acknowledged by {by}.',
    resolved: 'Resolved by {by}: {resolution}',
    autoResolved: 'Resolved: the alerts stopped firing and stayed quiet.',
    flapping: 'Flapping: {ratio}% of the last 20 evaluations changed state. Further changes are not notified until it settles.',
  },
  alert: {
    unhealthy: 'Health check {check} is unhealthy: {reason}',
    level: '{what} is {value}, at or beyond the {level} level {threshold}',
    anomaly: '{what} is {value}, {z}σ from its baseline {center} (anomaly)',
    trend: '{what} is predicted to reach {threshold} in {eta} (R² {r2})',
    rule: '{rule}: {reason}',
  },
  duration: { ms: '{n}ms', s: '{n}s', m: '{m}m', h: '{h}h', ms2: '{m}m{s}s', hm: '{h}h{m}m' },
  email: { footer: 'Sent by pluginops.' },
};
