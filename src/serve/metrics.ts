// `/metrics`: the process's own state in the Prometheus text exposition format (version 0.0.4),
// so the monitor can itself be monitored: checks run and failed, alerts by state, incidents by
// status, notifications sent, failed, dropped and pending, scheduler lag and missed runs per job,
// executions by status, remediations by outcome and open circuit breakers, the newest failure risk per workflow, and process memory. Counters end in `_total`; every family has HELP and
// TYPE lines; label values are escaped.
import type { MonitorView } from '../monitor/runtime/view.ts';
import type { Stats } from '../store/types.ts';
import type { RemediationRecord } from '../remediation/fold.ts';
import type { QueueStats } from '../tasks/queue.ts';
import type { LatestRisk } from '../risk/latest.ts';

interface Family { name: string; help: string; type: 'counter' | 'gauge'; samples: Array<{ labels?: Record<string, string>; value: number }> }

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const fmt = (v: number): string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

export function exposition(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = s.labels && Object.keys(s.labels).length ? `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}` : '';
      lines.push(`${f.name}${labels} ${fmt(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface ProcessFacts { version: string; startedAt: number; now: number; scheduler: boolean; running: number; reloads: number; reloadFailures: number }

/** What self-healing did, for `/metrics`. */
export interface RemediationFacts { records: ReadonlyArray<Pick<RemediationRecord, 'decision' | 'outcome'>>; openBreakers: number }

const remediationStates = ['pending', 'dry-run', 'fixed', 'not-fixed', 'failed', 'timed-out', 'rejected'] as const;

export function selfMetrics(monitor: MonitorView, stats: Stats, p: ProcessFacts, r: RemediationFacts = { records: [], openBreakers: 0 }): string {
  const remediations = new Map<string, number>(remediationStates.map((s) => [s, 0]));
  for (const x of r.records) {
    const state = x.decision === 'dry-run' ? 'dry-run' : x.outcome ?? 'pending';
    remediations.set(state, (remediations.get(state) ?? 0) + 1);
  }
  const c = monitor.counters;
  const alerts = new Map<string, number>();
  for (const a of monitor.alerts()) alerts.set(a.state, (alerts.get(a.state) ?? 0) + 1);
  const incidents = new Map<string, number>([['open', 0], ['acknowledged', 0], ['resolved', 0]]);
  for (const i of monitor.incidents()) incidents.set(i.status, (incidents.get(i.status) ?? 0) + 1);
  const jobs = monitor.schedule();
  const checks = monitor.checks();
  const mem = process.memoryUsage();
  return exposition([
    { name: 'pluginops_build_info', help: 'The running version.', type: 'gauge', samples: [{ labels: { version: p.version }, value: 1 }] },
    { name: 'pluginops_start_time_seconds', help: 'When the process started, seconds since the epoch.', type: 'gauge', samples: [{ value: p.startedAt / 1000 }] },
    { name: 'pluginops_scheduler_running', help: '1 when checks and rules are scheduled (serve --cron).', type: 'gauge', samples: [{ value: p.scheduler ? 1 : 0 }] },
    { name: 'pluginops_checks_run_total', help: 'Health check runs.', type: 'counter', samples: [{ value: c.checksRun }] },
    { name: 'pluginops_checks_failed_total', help: 'Health check runs that failed.', type: 'counter', samples: [{ value: c.checksFailed }] },
    { name: 'pluginops_checks_unhealthy', help: 'Health checks currently unhealthy.', type: 'gauge', samples: [{ value: checks.filter((x) => !x.healthy).length }] },
    { name: 'pluginops_rule_evaluations_total', help: 'Samples judged by alert rules.', type: 'counter', samples: [{ value: c.evaluations }] },
    { name: 'pluginops_rule_evaluation_errors_total', help: 'Rule evaluations that ended in an error state.', type: 'counter', samples: [{ value: c.evaluationErrors }] },
    { name: 'pluginops_alerts', help: 'Alerts by state.', type: 'gauge', samples: ['ok', 'pending', 'firing', 'resolved', 'nodata', 'error'].map((state) => ({ labels: { state }, value: alerts.get(state) ?? 0 })) },
    { name: 'pluginops_incidents', help: 'Incidents kept, by status.', type: 'gauge', samples: [...incidents].map(([status, value]) => ({ labels: { status }, value })) },
    { name: 'pluginops_notifications_sent_total', help: 'Notifications delivered.', type: 'counter', samples: [{ value: c.notificationsSent }] },
    { name: 'pluginops_notifications_failed_total', help: 'Delivery attempts that failed (the item is kept and retried).', type: 'counter', samples: [{ value: c.notificationsFailed }] },
    { name: 'pluginops_notifications_dropped_total', help: 'Notifications given up on after a day.', type: 'counter', samples: [{ value: c.notificationsDropped }] },
    { name: 'pluginops_notifications_pending', help: 'Notifications waiting in the outbox.', type: 'gauge', samples: [{ value: monitor.pendingNotifications }] },
    { name: 'pluginops_scheduler_runs_total', help: 'Scheduled runs started, per job.', type: 'counter', samples: jobs.map((j) => ({ labels: { job: j.id }, value: j.runs })) },
    { name: 'pluginops_scheduler_missed_total', help: 'Slots that got no run of their own (overlap or a late timer), per job.', type: 'counter', samples: jobs.map((j) => ({ labels: { job: j.id }, value: j.missed })) },
    { name: 'pluginops_scheduler_lag_seconds', help: 'Lag of the last run behind its slot, per job.', type: 'gauge', samples: jobs.map((j) => ({ labels: { job: j.id }, value: (j.lastLagMs ?? 0) / 1000 })) },
    { name: 'pluginops_scheduler_max_lag_seconds', help: 'Largest lag seen, per job.', type: 'gauge', samples: jobs.map((j) => ({ labels: { job: j.id }, value: j.maxLagMs / 1000 })) },
    { name: 'pluginops_executions', help: 'Executions in the store, by status.', type: 'gauge', samples: Object.entries(stats.byStatus).map(([status, value]) => ({ labels: { status }, value: value ?? 0 })) },
    { name: 'pluginops_executions_running', help: 'Executions this process is running.', type: 'gauge', samples: [{ value: p.running }] },
    { name: 'pluginops_remediations', help: 'Remediations in the remediation log, by outcome (pending: still running or waiting; dry-run: recorded only).', type: 'gauge', samples: [...remediations].map(([outcome, value]) => ({ labels: { outcome }, value })) },
    { name: 'pluginops_remediation_breakers_open', help: 'Plan and target pairs whose circuit breaker stopped automatic remediation.', type: 'gauge', samples: [{ value: r.openBreakers }] },
    { name: 'pluginops_config_reloads_total', help: 'Configuration reloads, by outcome.', type: 'counter', samples: [{ labels: { outcome: 'success' }, value: p.reloads }, { labels: { outcome: 'failure' }, value: p.reloadFailures }] },
    { name: 'process_resident_memory_bytes', help: 'Resident set size.', type: 'gauge', samples: [{ value: mem.rss }] },
    { name: 'process_heap_used_bytes', help: 'V8 heap in use.', type: 'gauge', samples: [{ value: mem.heapUsed }] },
  ]);
}

/** Workers by state, tasks by state, the queue depth by priority, and tasks ended since the start. */
export function taskMetrics(s: QueueStats): string {
  return exposition([
    { name: 'pluginops_workers', help: 'Workers by state.', type: 'gauge', samples: (['idle', 'busy', 'draining', 'offline'] as const).map((state) => ({ labels: { state }, value: s.workers[state] })) },
    { name: 'pluginops_tasks', help: 'Tasks kept by the server, by state.', type: 'gauge', samples: Object.entries(s.byState).map(([state, value]) => ({ labels: { state }, value })) },
    { name: 'pluginops_task_queue_depth', help: 'Pending tasks by priority.', type: 'gauge', samples: Object.entries(s.queueDepth).map(([priority, value]) => ({ labels: { priority }, value })) },
    { name: 'pluginops_tasks_unroutable', help: 'Pending tasks no online worker has the capabilities for.', type: 'gauge', samples: [{ value: s.unroutableTasks }] },
    { name: 'pluginops_tasks_completed_total', help: 'Tasks that succeeded since the store was opened.', type: 'counter', samples: [{ value: s.completedTasks }] },
    { name: 'pluginops_tasks_failed_total', help: 'Tasks that failed or were dead-lettered since the store was opened.', type: 'counter', samples: [{ value: s.failedTasks }] },
  ]);
}

/** A replica on PostgreSQL: whether it leads, with which epoch, and whether the database answers. */
export function leaderMetrics(s: { leading: boolean; epoch: number | undefined; reachable: boolean }): string {
  return exposition([
    { name: 'pluginops_leader', help: 'Whether this replica holds the scheduler lease (1) or not (0).', type: 'gauge', samples: [{ value: s.leading ? 1 : 0 }] },
    { name: 'pluginops_leader_epoch', help: 'The fencing epoch of the lease this replica holds (0 when it does not lead).', type: 'gauge', samples: [{ value: s.leading ? s.epoch ?? 0 : 0 }] },
    { name: 'pluginops_database_up', help: 'Whether the database answered the last check (1) or not (0).', type: 'gauge', samples: [{ value: s.reachable ? 1 : 0 }] },
  ]);
}

/** The newest risk assessment of each workflow (and plugin): its score, its calibrated probability and its level. */
export function riskMetrics(latest: readonly LatestRisk[]): string {
  const labels = (l: LatestRisk) => ({ workflow: l.workflow, plugin: l.plugin ?? '' });
  return exposition([
    { name: 'pluginops_risk_score', help: 'The weighted failure risk score (0 to 1) of the newest run of each workflow and plugin that had enough history.', type: 'gauge', samples: latest.flatMap((l) => (l.risk.score === null ? [] : [{ labels: labels(l), value: l.risk.score }])) },
    { name: 'pluginops_risk_probability', help: 'The calibrated probability of failure of that run, when the history calibrates it.', type: 'gauge', samples: latest.flatMap((l) => (l.risk.probability === undefined ? [] : [{ labels: labels(l), value: l.risk.probability }])) },
    { name: 'pluginops_risk_level', help: 'The risk level of that run (1 for its level: low, medium, high or unknown).', type: 'gauge', samples: latest.map((l) => ({ labels: { ...labels(l), level: l.risk.level }, value: 1 })) },
  ]);
}
