// Tasks and workers as the API shows them, and the bodies workers and people send.
import { Type } from '@sinclair/typebox';
import type { Task as TaskModel, WorkerView } from '../../tasks/model.ts';
import { priorities, taskStates } from '../../tasks/model.ts';
import type { BoardStats } from '../../tasks/board.ts';
import { StringEnum, Strict } from './common.ts';
import type { Describes } from './describes.ts';

const Time = Type.String({ format: 'date-time' });
const Capability = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:+/-]*$' });
const Capabilities = Type.Array(Capability, { maxItems: 32, uniqueItems: true });
const WorkerId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
export const Priority = StringEnum(priorities, 'Claimed first: critical, high, normal, low; a waiting task rises one level per aging interval.');
export const TaskState = StringEnum(taskStates);

const TaskResult = Strict({
  outputs: Type.Optional(Type.Record(Type.String(), Type.String())),
  error: Type.Optional(Type.String()), exitCode: Type.Optional(Type.Integer()), timedOut: Type.Optional(Type.Boolean()),
}, 'How the last attempt ended.');

const StepWork = Strict({
  kind: Type.Literal('step'), execution: Type.String(), workflow: Type.String(),
  step: Strict({
    id: Type.String(), name: Type.String(), uses: Type.String({ description: '`run`, or the step type.' }),
    inputs: Type.Record(Type.String(), Type.Unknown(), { description: 'The step\'s `with` (or script), expressions filled in.' }),
    env: Type.Record(Type.String(), Type.String(), { description: 'What the run sets beyond the worker\'s own environment.' }),
    timeoutMs: Type.Optional(Type.Number()), attempt: Type.Integer(),
  }),
  plugin: Type.Optional(Type.String({ description: 'The run\'s plugin directory, relative to the worker\'s directory.' })),
}, 'One step of an execution the server runs (`runsOn`).');
const WorkflowWork = Strict({ kind: Type.Literal('workflow'), workflow: Type.String(), plugin: Type.Optional(Type.String()) }, 'A workflow or action plan the worker runs, with `data` as its parameters.');

export const Task = Strict({
  id: Type.String(), type: Type.String(), priority: Priority,
  data: Type.Record(Type.String(), Type.Unknown()),
  capabilities: Type.Array(Type.String(), { description: 'A worker must have every one.' }),
  work: Type.Union([StepWork, WorkflowWork]),
  state: TaskState,
  attempts: Type.Integer({ description: 'Attempts started (a claim starts one).' }), maxAttempts: Type.Integer(),
  backoffMs: Type.Number({ description: 'The wait before the second attempt; doubled for each later one.' }),
  runAt: Time, deadline: Type.Optional(Time), createdAt: Time, updatedAt: Time, startedAt: Type.Optional(Time), endedAt: Type.Optional(Time),
  requestedBy: Type.Optional(Type.String()),
  worker: Type.Optional(Type.String({ description: 'The worker holding it, or that ended it.' })), workerName: Type.Optional(Type.String()),
  claim: Type.Optional(Type.String({ description: 'The current attempt\'s claim; only the worker holding it sees it in a claim answer, and reports must carry it.' })),
  leaseUntil: Type.Optional(Time), cancelRequested: Type.Optional(Type.Boolean()),
  result: Type.Optional(TaskResult),
  execution: Type.Optional(Type.String({ description: 'The execution it belongs to (a step) or that records it (a workflow).' })),
  history: Type.Array(Strict({ at: Time, state: TaskState, worker: Type.Optional(Type.String()), message: Type.Optional(Type.String()) }), { description: 'The last 50 changes, oldest first.' }),
  version: Type.Integer(),
  unroutable: Type.Optional(Type.Boolean({ description: 'Pending, and no online worker has its capabilities.' })),
}, 'A task.');
true satisfies Describes<typeof Task, TaskModel & { unroutable?: boolean }>;

export const Worker = Strict({
  id: Type.String(), name: Type.String(), type: Type.Optional(Type.String()),
  capabilities: Type.Array(Type.String()), concurrency: Type.Integer(),
  host: Type.Optional(Type.String()), pid: Type.Optional(Type.Integer()), version: Type.Optional(Type.String()),
  registeredAt: Time, lastSeen: Time, draining: Type.Boolean(), offlineAt: Type.Optional(Time),
  completed: Type.Integer(), failed: Type.Integer(),
  state: StringEnum(['idle', 'busy', 'draining', 'offline'] as const),
  tasks: Type.Array(Type.String(), { description: 'The tasks it holds.' }),
}, 'A worker.');
true satisfies Describes<typeof Worker, WorkerView>;

const Count = Type.Integer({ minimum: 0 });
export const TaskStats = Strict({
  workers: Strict({ total: Count, idle: Count, busy: Count, draining: Count, offline: Count }),
  activeTasks: Count, pendingTasks: Count, unroutableTasks: Count, completedTasks: Count, failedTasks: Count,
  successRate: Type.Number({ minimum: 0, maximum: 1 }),
  byState: Type.Record(Type.String(), Count), queueDepth: Type.Record(Type.String(), Count),
}, 'Workers and tasks in figures.');
true satisfies Describes<typeof TaskStats, BoardStats>;

export const SubmitBody = Strict({
  type: Type.String({ minLength: 1, maxLength: 128, description: 'What the task is; the workflow it runs when `workflow` is absent.' }),
  priority: Type.Optional(Priority),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The workflow\'s parameters.' })),
  workflow: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The workflow or action plan a worker runs.' })),
  plugin: Type.Optional(Type.String({
    pattern: '^(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$', maxLength: 256,
    description: 'The plugin directory, relative to the worker\'s directory (no `..`, not absolute).',
  })),
  capabilities: Type.Optional(Capabilities),
  maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  backoffMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
  deadline: Type.Optional(Time),
}, 'A task: the seed\'s `{type, priority, data, workflow}` and more.');

export const TasksQuery = Strict({
  state: Type.Optional(StringEnum([...taskStates, 'active', 'ended'] as const)),
  type: Type.Optional(Type.String({ maxLength: 128 })),
  priority: Type.Optional(Priority),
  worker: Type.Optional(Type.String({ maxLength: 64 })),
  execution: Type.Optional(Type.String({ maxLength: 128 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

export const RegisterBody = Strict({
  id: Type.Optional(WorkerId),
  name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]*$' }),
  type: Type.Optional(Type.String({ maxLength: 64 })),
  capabilities: Capabilities,
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
  host: Type.Optional(Type.String({ maxLength: 256 })), pid: Type.Optional(Type.Integer({ minimum: 0 })),
  version: Type.Optional(Type.String({ maxLength: 64 })),
}, 'A worker: the seed\'s `{id, name, type, capabilities}` and how many tasks it runs at once.');

export const Registered = Strict({ worker: Worker, leaseMs: Type.Number(), heartbeatMs: Type.Number({ description: 'How often to heartbeat.' }) });
export const HeartbeatAnswer = Strict({ draining: Type.Boolean(), cancel: Type.Array(Type.String(), { description: 'Tasks it holds that are cancelled: stop them.' }), leaseMs: Type.Number() });
export const ClaimBody = Strict({ waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000, description: 'How long to wait for a task (default 20 s).' })) });

const ProgressEvent = Type.Union([
  Strict({ kind: Type.Literal('log'), at: Type.Number(), level: StringEnum(['debug', 'info', 'warn', 'error'] as const), message: Type.String({ maxLength: 65_536 }), stream: Type.Optional(StringEnum(['stdout', 'stderr'] as const)) }),
  Strict({ kind: Type.Literal('output'), name: Type.String({ minLength: 1, maxLength: 256 }), value: Type.String({ maxLength: 1_048_576 }) }),
  Strict({ kind: Type.Literal('artifact'), name: Type.String({ maxLength: 256 }), path: Type.String({ maxLength: 4096 }), size: Type.Optional(Type.Integer({ minimum: 0 })), sha256: Type.Optional(Type.String({ maxLength: 64 })) }),
  Strict({ kind: Type.Literal('event'), event: Type.Object({ type: Type.String({ maxLength: 64 }), at: Type.Number() }, { additionalProperties: true }) }),
]);
export const ProgressBody = Strict({
  claim: Type.String({ minLength: 1, maxLength: 64 }), worker: WorkerId,
  events: Type.Optional(Type.Array(ProgressEvent, { maxItems: 5_000 })),
}, 'From the worker holding the task: it runs, and what it wrote since the last report.');
export const CompleteBody = Strict({
  claim: Type.String({ minLength: 1, maxLength: 64 }), worker: WorkerId,
  status: StringEnum(['succeeded', 'failed', 'cancelled'] as const),
  outputs: Type.Optional(Type.Record(Type.String(), Type.String())),
  error: Type.Optional(Type.String({ maxLength: 65_536 })), exitCode: Type.Optional(Type.Integer()), timedOut: Type.Optional(Type.Boolean()),
}, 'From the worker holding the task: how the attempt ended.');
