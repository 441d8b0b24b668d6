// One call that summarises every component of the running process (the shape of the system
// status endpoints pluginops replaces): scheduler, checks, alerts, incidents, executions,
// notifications and configuration.
import { Type } from '@sinclair/typebox';
import { StringEnum, Strict } from './common.ts';
import { Controls, PausedBy } from './controls.ts';

const Count = Type.Integer({ minimum: 0 });
const Time = Type.String({ format: 'date-time' });

export const Status = Strict({
  version: Type.String(),
  time: Time,
  startedAt: Time,
  uptimeMs: Type.Number({ minimum: 0 }),
  scheduler: Strict({
    status: StringEnum(['running', 'standby', 'off'] as const, '`standby`: a replica that does not lead; the leader runs the scheduler.'),
    jobs: Count,
    running: Count,
    runs: Count,
    failures: Count,
    missed: Type.Integer({ minimum: 0, description: 'Slots that did not get a run of their own (overlap or a late timer).' }),
    maxLagMs: Type.Number({ minimum: 0 }),
    paused: Type.Optional(Type.Array(Strict({ job: Type.String(), ...PausedBy.properties }), { description: 'Jobs paused at run time (see `controls`), with who paused them, when, why and until when.' })),
  }),
  checks: Strict({ total: Count, healthy: Count, unhealthy: Count }),
  alerts: Strict({ total: Count, byState: Type.Record(Type.String(), Count) }),
  incidents: Strict({ open: Count, acknowledged: Count, active: Count }),
  executions: Strict({
    total: Count,
    byStatus: Type.Record(Type.String(), Count),
    successRate: Type.Number({ minimum: 0, maximum: 1 }),
    running: Type.Integer({ minimum: 0, description: 'Executions recorded as running, in any process.' }),
    inProcess: Type.Integer({ minimum: 0, description: 'Executions this server started and is running.' }),
  }),
  notifications: Strict({ pending: Count, sent: Count, failed: Count, dropped: Count }),
  cluster: Type.Optional(Strict({
    replica: Type.String({ description: 'This replica\'s id in the database.' }),
    role: StringEnum(['leader', 'follower'] as const, 'The leader runs the scheduler, escalations and self-healing; every replica serves the API and runs executions and tasks.'),
  }, { description: 'With `store.postgres`: this replica among those sharing the database.' })),
  tasks: Type.Optional(Strict({
    workers: Type.Integer({ minimum: 0, description: 'Workers online (idle, busy or draining).' }),
    activeTasks: Type.Integer({ minimum: 0, description: 'Tasks claimed or running.' }),
    pendingTasks: Count,
    unroutableTasks: Type.Integer({ minimum: 0, description: 'Pending tasks no online worker has the capabilities for.' }),
    completedTasks: Count,
    failedTasks: Type.Integer({ minimum: 0, description: 'Failed or dead-lettered.' }),
    successRate: Type.Number({ minimum: 0, maximum: 1, description: 'Succeeded of those that ended succeeded, failed or dead-lettered (1 when none did).' }),
  }, 'Workers and tasks (`/api/workers`, `/api/tasks`).')),
  controls: Type.Optional(Controls),
  config: Strict({ loadedAt: Time, error: Type.Optional(Type.String({ description: 'Why the last reload was refused; the previous configuration stays in use.' })) }),
  backups: Type.Optional(Strict({
    lastSuccessAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the newest good backup was made.' })),
    lastVerifyAt: Type.Optional(Time),
    lastVerifyOk: Type.Optional(Type.Boolean({ description: 'Whether the last verification found every backup matching its manifest.' })),
    failures: Type.Integer({ minimum: 0, description: 'Scheduled backups and verifications that failed.' }),
  }, { description: 'Present when the project file schedules backups (docs/backups.md).' })),
});
