// One call that says how the whole process is doing: the scheduler (jobs, missed slots, worst
// lag), checks, alerts by state, incidents, executions by status, the notification outbox and
// the configuration's last load.
import { defineRoute } from '../route.ts';
import type { ApiDeps } from '../deps.ts';
import { Status } from '../schemas/status.ts';
import type { QueueStats } from '../../tasks/queue.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export const statusRoutes = [
  defineRoute({
    method: 'GET', path: '/api/status', access: 'read', tag: 'status', operationId: 'getStatus',
    summary: 'The state of every component',
    answer: { status: 200, description: 'A summary of the process.', data: Status },
    async handle({ deps }) {
      const monitor = deps.monitor();
      const serve = deps.status();
      const now = deps.now();
      const jobs = monitor.schedule();
      const checks = monitor.checks();
      const byState: Record<string, number> = {};
      for (const a of monitor.alerts()) byState[a.state] = (byState[a.state] ?? 0) + 1;
      const incidents = monitor.incidents();
      const stats = await deps.store.stats();
      const counters = monitor.counters;
      const paused = jobs.flatMap((j) => (j.paused ? [{ job: j.id, by: j.paused.by, at: iso(j.paused.at), reason: j.paused.reason, ...(j.paused.until === undefined ? {} : { until: iso(j.paused.until) }) }] : []));
      return {
        data: {
          version: deps.version, time: iso(now), startedAt: iso(serve.startedAt), uptimeMs: Math.max(0, now - serve.startedAt),
          scheduler: {
            status: serve.scheduler, jobs: jobs.length, running: jobs.filter((j) => j.running).length,
            runs: sum(jobs.map((j) => j.runs)), failures: sum(jobs.map((j) => j.failures)), missed: sum(jobs.map((j) => j.missed)),
            maxLagMs: Math.max(0, ...jobs.map((j) => j.maxLagMs)),
            ...(paused.length ? { paused } : {}),
          },
          checks: { total: checks.length, healthy: checks.filter((c) => c.healthy).length, unhealthy: checks.filter((c) => !c.healthy).length },
          alerts: { total: sum(Object.values(byState)), byState },
          incidents: {
            open: incidents.filter((i) => i.status === 'open').length, acknowledged: incidents.filter((i) => i.status === 'acknowledged').length,
            active: incidents.filter((i) => i.status !== 'resolved').length,
          },
          executions: { total: stats.total, byStatus: stats.byStatus, successRate: stats.successRate, running: stats.byStatus.running ?? 0, inProcess: deps.runs.running() },
          notifications: { pending: monitor.pendingNotifications, sent: counters.notificationsSent, failed: counters.notificationsFailed, dropped: counters.notificationsDropped },
          ...(deps.tasks ? { tasks: taskStatus(await deps.tasks().queue.stats()) } : {}),
          ...(deps.controls ? { controls: deps.controls().view() } : {}),
          ...(serve.cluster ? { cluster: serve.cluster } : {}),
          config: { loadedAt: iso(serve.configLoadedAt), ...(serve.configError !== undefined ? { error: serve.configError } : {}) },
          ...(serve.backups ? { backups: backupStatus(serve.backups) } : {}),
        },
      };
    },
  }),
];

const taskStatus = (s: QueueStats) => ({
  workers: s.workers.total - s.workers.offline, activeTasks: s.activeTasks, pendingTasks: s.pendingTasks, unroutableTasks: s.unroutableTasks,
  completedTasks: s.completedTasks, failedTasks: s.failedTasks, successRate: s.successRate,
});

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

const backupStatus = (b: NonNullable<ReturnType<ApiDeps['status']>['backups']>) => ({
  ...(b.lastSuccessAt !== undefined ? { lastSuccessAt: iso(b.lastSuccessAt) } : {}),
  ...(b.lastVerifyAt !== undefined ? { lastVerifyAt: iso(b.lastVerifyAt) } : {}),
  ...(b.lastVerifyOk !== undefined ? { lastVerifyOk: b.lastVerifyOk } : {}),
  failures: b.failures,
});
