// Executions as the API shows them (the store's records, masked), and the requests about them:
// starting one, listing, reading logs, statistics and cleanup.
import { Type } from '@sinclair/typebox';
import type {
  ApprovalDecision as ApprovalDecisionModel, ApprovalParameter as ApprovalParameterModel, ApprovalRecord as ApprovalRecordModel, DecisionChannel, DecisionKind, ExecutionRecord as ExecutionRecordModel,
  ExecutionStatus, LogLevel, LogRecord as LogRecordModel, StepRecord as StepRecordModel, StepStatus, Stats as StatsModel,
} from '../../store/types.ts';
import { StringEnum, Strict, keysOf } from './common.ts';
import { RiskAssessment } from './risk.ts';
import type { Describes } from './describes.ts';

export const executionStatuses = keysOf({
  pending: 1, running: 1, waiting: 1, success: 1, failed: 1, cancelled: 1, timed_out: 1, interrupted: 1,
} satisfies Record<ExecutionStatus, 1>);
const stepStatuses = keysOf({
  pending: 1, running: 1, waiting: 1, success: 1, failed: 1, skipped: 1, cancelled: 1, timed_out: 1, interrupted: 1,
} satisfies Record<StepStatus, 1>);
const logLevels = keysOf({ debug: 1, info: 1, warn: 1, error: 1 } satisfies Record<LogLevel, 1>);

export const ExecutionStatusName = StringEnum(executionStatuses);
const Time = Type.String({ format: 'date-time' });

export const StepRecord = Strict({
  id: Type.String(),
  status: StringEnum(stepStatuses),
  conclusion: Type.Optional(StringEnum(stepStatuses, '`failed` while `continueOnError` turns the step\'s status into success.')),
  attempts: Type.Integer({ minimum: 0 }),
  startedAt: Type.Optional(Time),
  endedAt: Type.Optional(Time),
  durationMs: Type.Optional(Type.Number()),
  outputs: Type.Record(Type.String(), Type.String()),
  error: Type.Optional(Type.String()),
});

const ScalarValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

export const ApprovalDecision = Strict({
  by: Type.String(),
  at: Time,
  decision: StringEnum(['approve', 'reject', 'timeout'] as const satisfies readonly DecisionKind[]),
  via: StringEnum(['cli', 'api', 'slack', 'timeout'] as const satisfies readonly DecisionChannel[]),
  comment: Type.Optional(Type.String()),
  values: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Values the approver changed (Modify).' })),
}, 'One answer to an approval (or the timeout\'s).');

const ApprovalParameter = Strict({
  type: Type.Optional(StringEnum(['string', 'number', 'boolean'] as const)),
  description: Type.Optional(Type.String()),
  default: Type.Optional(ScalarValue),
  required: Type.Optional(Type.Boolean()),
  enum: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number()]))),
  pattern: Type.Optional(Type.String({ description: 'A regular expression a string value must match.' })),
  format: Type.Optional(Type.String({ description: 'A named shape a string value must have (`path`, `id`, `uri`, …).' })),
});

export const ApprovalRecord = Strict({
  step: Type.String(),
  status: StringEnum(['waiting', 'approved', 'rejected'] as const),
  requestedAt: Time,
  deadline: Type.Optional(Type.String({ format: 'date-time', description: 'When the wait ends by `onTimeout`.' })),
  onTimeout: StringEnum(['reject', 'approve'] as const),
  approvers: Type.Optional(Type.Array(Type.String(), { description: 'Who may answer; anyone with write access when absent.' })),
  quorum: Type.Integer({ minimum: 1 }),
  fourEyes: Type.Boolean({ description: 'The person who started the run may not approve it.' }),
  title: Type.String(),
  channels: Type.Optional(Type.Array(Type.String(), { description: 'Who was asked; told the decision too.' })),
  message: Type.Optional(Type.String()),
  parameters: Type.Record(Type.String(), ApprovalParameter, { description: 'Values an approver may change, declared like workflow parameters.' }),
  modifiesParameters: Type.Optional(Type.Boolean({ description: 'The plan\'s own approval: approved values replace the run\'s parameters.' })),
  decisions: Type.Array(ApprovalDecision),
}, 'An approval step\'s request and what came of it.');

const Labels = Type.Record(Type.String(), Type.String());
const IncidentBrief = Strict({
  id: Type.String(), title: Type.String(), severity: Type.String(), openedAt: Time,
  evidence: Type.Optional(Type.Array(Strict({
    source: StringEnum(['loki', 'prometheus', 'check', 'manual'] as const),
    at: Type.Number({ description: 'ms since the epoch' }),
    query: Type.Optional(Type.String()),
    by: Type.Optional(Type.String()),
    lines: Type.Optional(Type.Array(Strict({ text: Type.String(), at: Type.Optional(Type.Number()), labels: Type.Optional(Labels) }))),
    samples: Type.Optional(Type.Array(Strict({ labels: Labels, value: Type.Number(), at: Type.Optional(Type.Number()) }))),
    truncated: Type.Optional(Type.Boolean()),
  }))),
}, 'The incident a self-healing run answers, as it stood when the run started (an excerpt of its evidence).');

export const ExecutionRecord = Strict({
  id: Type.String(),
  workflow: Type.String({ description: 'The id of the Workflow or ActionPlan.' }),
  kind: Type.Optional(StringEnum(['Workflow', 'ActionPlan'] as const)),
  category: Type.Optional(Type.String({ description: 'An action plan\'s category (system, security, …).' })),
  requestedBy: Type.Optional(Type.String({ description: 'Who started it: a token\'s name, a person, `remediation`.' })),
  trigger: Type.Optional(Strict({
    incident: Type.Optional(Type.String()), rule: Type.Optional(Type.String()), check: Type.Optional(Type.String()),
    brief: Type.Optional(IncidentBrief),
    suggestion: Type.Optional(Type.String({ description: 'The optimization suggestion this run applies or reverts.' })),
    task: Type.Optional(Type.String({ description: 'The task a worker ran it for.' })),
  }, 'What started it, for runs started by self-healing, an optimization suggestion or a task.')),
  concurrencyKey: Type.Optional(Type.String({ description: 'The concurrency key it holds while pending, running or waiting.' })),
  approvals: Type.Optional(Type.Record(Type.String(), ApprovalRecord, { description: 'By step id.' })),
  source: Type.Optional(Type.String({ description: 'The file the plan came from, so a resumed run finds the same document.' })),
  options: Type.Optional(Strict({ requireApproval: Type.Optional(Type.Boolean()) }, 'How the run was planned: an approval forced before the first step.')),
  resumes: Type.Optional(Type.Array(Strict({ at: Time, reason: StringEnum(['approved', 'retry'] as const), by: Type.Optional(Type.String()) }), { description: 'Each time the run was taken up again: after an approval, or a retry of its failed steps.' })),
  plugin: Type.Optional(Type.String({ description: 'The plugin directory the run was given (`--plugin`).' })),
  pluginId: Type.Optional(Type.String({ description: 'The id in that plugin\'s manifest; `?plugin=` matches it too.' })),
  parameters: Type.Record(Type.String(), Type.Unknown()),
  secretParameters: Type.Optional(Type.Record(Type.String(), Strict({
    masked: Type.String({ description: 'The value as stored, with each secret as ***.' }),
    parts: Type.Array(Type.Union([Type.String(), Strict({ env: Type.String({ description: 'The environment variable that holds the secret.' }) })])),
  }, 'How a parameter that held a project secret is rebuilt from the environment when the run is taken up again; names variables, never holds values.'))),
  status: ExecutionStatusName,
  currentStep: Type.Optional(Type.String()),
  createdAt: Time,
  startedAt: Type.Optional(Time),
  endedAt: Type.Optional(Time),
  durationMs: Type.Optional(Type.Number()),
  steps: Type.Record(Type.String(), StepRecord),
  needs: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'The plan\'s edges: for each step that waits for others, the ids of the steps it waits for (`needs`). Absent for runs recorded before it was kept.' })),
  artifacts: Type.Array(Strict({ name: Type.String(), path: Type.String(), size: Type.Optional(Type.Number()), sha256: Type.Optional(Type.String()) })),
  error: Type.Optional(Type.String()),
  risk: Type.Optional(RiskAssessment),
  owner: Type.Optional(Strict({ pid: Type.Integer(), host: Type.String(), startTime: Type.Optional(Type.String()) }, 'The process that runs it; one left `running` by a dead owner is `interrupted`.')),
}, 'An execution; secrets in parameters, logs, outputs, approvals and errors are replaced by ***.');

export const LogRecord = Strict({
  timestamp: Time,
  level: StringEnum(logLevels),
  step: Type.Optional(Type.String()),
  message: Type.String(),
});

true satisfies Describes<typeof StepRecord, StepRecordModel>;
true satisfies Describes<typeof ApprovalDecision, ApprovalDecisionModel>;
true satisfies Describes<typeof ApprovalParameter, ApprovalParameterModel>;
true satisfies Describes<typeof ApprovalRecord, ApprovalRecordModel>;
true satisfies Describes<typeof ExecutionRecord, ExecutionRecordModel>;
true satisfies Describes<typeof LogRecord, LogRecordModel>;

const StatsFigures = {
  total: Type.Integer({ minimum: 0 }),
  finished: Type.Integer({ minimum: 0, description: 'How many have finished (success, failed, cancelled, timed_out, interrupted).' }),
  successRate: Type.Number({ minimum: 0, maximum: 1, description: 'Successful / finished, from 0 to 1 (0 when none finished).' }),
  averageDurationMs: Type.Number({ minimum: 0, description: 'Over finished executions.' }),
  p95DurationMs: Type.Number({ minimum: 0, description: 'The 95th percentile (nearest rank) of finished executions\' durations.' }),
  byStatus: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
};
const Rate = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });
const RiskFigures = (description: string) => Strict({
  assessed: Type.Integer({ minimum: 0, description: 'Executions with a risk score (a null score, for want of history, is left out).' }),
  meanScore: Type.Union([Rate('Their mean score.'), Type.Null()], { description: 'Their mean score, from 0 to 1; null when none was assessed.' }),
  meanProbability: Type.Optional(Rate('The mean calibrated probability of failure of those that have one; absent when none has.')),
  high: Type.Integer({ minimum: 0, description: 'Assessed at level `high`.' }),
  finished: Type.Integer({ minimum: 0, description: 'Assessed executions that have finished.' }),
  failed: Type.Integer({ minimum: 0, description: 'Of those, how many failed or timed out.' }),
  failureRate: Type.Union([Rate('failed / finished.'), Type.Null()], { description: 'The observed failure rate, failed / finished, from 0 to 1; null when none finished.' }),
}, description);
export const Stats = Strict({
  ...StatsFigures,
  perWorkflow: Type.Record(Type.String(), Strict(StatsFigures)),
  workflows: Type.Array(Type.String(), { description: 'Every workflow with executions in the store, whatever the query.' }),
  window: Type.Optional(Strict({ days: Type.Integer({ minimum: 1 }), from: Time, to: Time }, 'With `days`: the UTC days counted, from `from` (included) to `to` (excluded).')),
  daily: Type.Optional(Type.Array(Strict({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The UTC day, YYYY-MM-DD.' }), ...StatsFigures, risk: RiskFigures('The failure risk assessed before that day\'s executions started, beside how they ended.') }), {
    description: 'With `days`: the figures of the executions created on each UTC day of the window, oldest first (one entry per day, empty days included).',
  })),
  risk: Type.Optional(RiskFigures('With `days`: the failure risk assessed before the window\'s executions started, beside how they ended.')),
});
export const StatsQuery = Strict({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: 'Only executions created within the last N UTC days (today included), with one entry per day in `daily`.' })),
  workflow: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Only this workflow\'s executions.' })),
});
true satisfies Describes<typeof Stats, StatsModel>;

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

export const Started = Strict({ id: Type.String(), status: Type.Literal('pending'), workflow: Type.String(), risk: Type.Optional(RiskAssessment) });

export const ListQuery = Strict({
  plugin: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  status: Type.Optional(ExecutionStatusName),
  workflow: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Only those created at or after this time.' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Only those created before this time.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'At most this many, newest first (default 50).' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Where the previous page ended: its `X-Next-Cursor`. Opaque.' })),
});

const from = Type.Optional(Type.Integer({ minimum: 0, maximum: 1e9, description: 'Index of the first log record (0-based).' }));
const step = Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Only the records of this step (indices still count every record).' }));

export const FromQuery = Strict({ from, step });

export const LogsQuery = Strict({
  from, step,
  tail: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Only the last this many of the matching records.' })),
});

export const CancelAnswer = Strict({
  id: Type.String(),
  status: ExecutionStatusName,
  cancelRequested: Type.Literal(true),
}, 'The execution is asked to stop; its status becomes `cancelled` once its steps have stopped.');

export const Cleanup = Strict({ days: Type.Integer({ minimum: 1, maximum: 36_500, description: 'Delete finished executions that ended more than this many days ago.' }) });
export const CleanupAnswer = Strict({ deleted: Type.Integer({ minimum: 0 }) });
