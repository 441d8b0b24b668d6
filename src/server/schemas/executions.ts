// Executions as the API shows them (the store's records, masked), and the requests about them:
// starting one, listing, reading logs, statistics and cleanup.
import { Type } from '@sinclair/typebox';
import type { ExecutionStatus, LogLevel, StepStatus } from '../../store/types.ts';
import { StringEnum, Strict, keysOf } from './common.ts';

export const executionStatuses = keysOf({
  pending: 1, running: 1, waiting: 1, success: 1, failed: 1, cancelled: 1, timed_out: 1, interrupted: 1,
} satisfies Record<ExecutionStatus, 1>);
const stepStatuses = keysOf({
  pending: 1, running: 1, waiting: 1, success: 1, failed: 1, skipped: 1, cancelled: 1, timed_out: 1, interrupted: 1,
} satisfies Record<StepStatus, 1>);
const logLevels = keysOf({ debug: 1, info: 1, warn: 1, error: 1 } satisfies Record<LogLevel, 1>);

export const ExecutionStatusName = StringEnum(executionStatuses);
const Time = Type.String({ format: 'date-time' });

export const StepRecord = Type.Object({
  id: Type.String(),
  status: StringEnum(stepStatuses),
  conclusion: Type.Optional(StringEnum(stepStatuses)),
  attempts: Type.Integer({ minimum: 0 }),
  startedAt: Type.Optional(Time),
  endedAt: Type.Optional(Time),
  durationMs: Type.Optional(Type.Number()),
  outputs: Type.Record(Type.String(), Type.String()),
  error: Type.Optional(Type.String()),
});

export const ExecutionRecord = Type.Object({
  id: Type.String(),
  workflow: Type.String(),
  plugin: Type.Optional(Type.String()),
  parameters: Type.Record(Type.String(), Type.Unknown()),
  status: ExecutionStatusName,
  currentStep: Type.Optional(Type.String()),
  createdAt: Time,
  startedAt: Type.Optional(Time),
  endedAt: Type.Optional(Time),
  durationMs: Type.Optional(Type.Number()),
  steps: Type.Record(Type.String(), StepRecord),
  artifacts: Type.Array(Type.Object({ name: Type.String(), path: Type.String(), size: Type.Optional(Type.Number()), sha256: Type.Optional(Type.String()) })),
  error: Type.Optional(Type.String()),
  owner: Type.Optional(Type.Object({ pid: Type.Integer(), host: Type.String(), startTime: Type.Optional(Type.String()) })),
}, { description: 'An execution; secrets in parameters, logs, outputs, approvals and errors are replaced by ***.' });

export const LogRecord = Type.Object({
  timestamp: Time,
  level: StringEnum(logLevels),
  step: Type.Optional(Type.String()),
  message: Type.String(),
});

const StatsFigures = {
  total: Type.Integer({ minimum: 0 }),
  successRate: Type.Number({ minimum: 0, maximum: 1, description: 'Successful / finished, from 0 to 1.' }),
  averageDurationMs: Type.Number({ minimum: 0 }),
  byStatus: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
};
export const Stats = Type.Object({ ...StatsFigures, perWorkflow: Type.Record(Type.String(), Type.Object(StatsFigures)) });

/** Parameter values as JSON gives them; converted to the declared types like `--param`. */
const ParameterValue = Type.Union([Type.String({ maxLength: 65_536 }), Type.Number(), Type.Boolean()]);

export const StartExecution = Strict({
  workflow: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$', description: 'The id of a Workflow or ActionPlan of the project, or of a shipped template.' }),
  plugin: Type.Optional(Type.String({
    pattern: '^(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$', maxLength: 1024,
    description: 'The plugin directory, relative to the server\'s working directory (no `..`, not absolute).',
  })),
  parameters: Type.Optional(Type.Record(Type.String(), ParameterValue, { maxProperties: 100, description: 'Checked against the declared parameters like `--param`: unknown names, missing required ones, wrong types and values outside `enum` are refused.' })),
});

export const Started = Type.Object({ id: Type.String(), status: Type.Literal('pending'), workflow: Type.String() });

export const ListQuery = Strict({
  plugin: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  status: Type.Optional(ExecutionStatusName),
  workflow: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'At most this many, newest first (default 50).' })),
});

export const FromQuery = Strict({
  from: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9, description: 'Index of the first log record (0-based).' })),
});

export const CancelAnswer = Type.Object({
  id: Type.String(),
  status: ExecutionStatusName,
  cancelRequested: Type.Literal(true),
}, { description: 'The execution is asked to stop; its status becomes `cancelled` once its steps have stopped.' });

export const Cleanup = Strict({ days: Type.Integer({ minimum: 1, maximum: 36_500, description: 'Delete finished executions that ended more than this many days ago.' }) });
export const CleanupAnswer = Type.Object({ deleted: Type.Integer({ minimum: 0 }) });
