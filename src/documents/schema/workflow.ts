// Workflow: a step graph (delivery pipeline). Also the step shape that ActionPlans reuse.
import { Type, type Static } from '@sinclair/typebox';
import { parameterFormats } from '../parameters/formats.ts';
import { Duration, Timeout, EnvMap, Id, MapOf, StringEnum, documentEnvelope } from './common.ts';

export const Retry = Type.Object({
  limit: Type.Integer({ minimum: 0, maximum: 100, description: 'Extra attempts after the first.' }),
  backoff: Type.Optional(StringEnum(['fixed', 'exponential'] as const, 'Delay growth between attempts (default fixed).')),
  delay: Type.Optional(Timeout),
  maxDelay: Type.Optional(Timeout),
  jitter: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Random share of each delay, 0 to 1 (default 0.2).' })),
  on: Type.Optional(Type.Array(StringEnum(['failure', 'timeout'] as const), { minItems: 1, uniqueItems: true, description: 'Which failures retry (default both).' })),
  exitCodes: Type.Optional(Type.Array(Type.Integer(), { minItems: 1, description: 'For `run` steps: only these exit codes retry.' })),
}, { additionalProperties: false });

/** Capabilities a worker must have to run a step (GitHub's `runs-on` labels). */
export const RunsOn = Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:+/-]*$' }), {
  minItems: 1, maxItems: 16, uniqueItems: true,
  description: 'Run on a worker (`pluginops worker --capability …`) that has every one of these capabilities, instead of in the process that runs the workflow. Logs and outputs come back into the same execution; cancelling the run stops the step there. Approval steps always wait on the server.',
});

export const Step = Type.Object({
  id: Id,
  name: Type.Optional(Type.String()),
  uses: Type.Optional(Type.String({ description: 'A built-in step type, e.g. `http`, `wait`.' })),
  run: Type.Optional(Type.String({ description: 'A shell script. Expression values reach it as environment variables, never as script text.' })),
  shell: Type.Optional(StringEnum(['bash', 'sh'] as const)),
  workingDirectory: Type.Optional(Type.String()),
  with: Type.Optional(MapOf(Type.Unknown(), 'Inputs of the step type, checked against its own schema.')),
  needs: Type.Optional(Type.Array(Id, { uniqueItems: true })),
  if: Type.Optional(Type.String({ description: 'Expression; without a status function it means `success() && (…)`.' })),
  timeout: Type.Optional(Timeout),
  retry: Type.Optional(Retry),
  continueOnError: Type.Optional(Type.Boolean()),
  env: Type.Optional(EnvMap),
  runsOn: Type.Optional(RunsOn),
}, {
  additionalProperties: false,
  oneOf: [{ required: ['uses'] }, { required: ['run'] }],
  errorMessage: 'a step needs exactly one of `uses` or `run`',
});

export const Parameter = Type.Object({
  type: Type.Optional(StringEnum(['string', 'number', 'boolean'] as const)),
  description: Type.Optional(Type.String()),
  default: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  required: Type.Optional(Type.Boolean()),
  enum: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1 })),
  pattern: Type.Optional(Type.String({ minLength: 1, description: 'For a string: a regular expression (Unicode mode, not anchored: write `^…$`) every value must match, the empty string included.' })),
  format: Type.Optional(StringEnum(parameterFormats, 'For a string: a named format a non-empty value must have: `path` (no `..`, `.` or empty segments, no control characters), `absolute-path`, `relative-path`, `id`, `uri` (http or https), `hostname`.')),
}, { additionalProperties: false });

export const WorkflowSpec = Type.Object({
  timeout: Type.Optional(Timeout),
  maxParallel: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  env: Type.Optional(EnvMap),
  parameters: Type.Optional(MapOf(Parameter)),
  autoRollback: Type.Optional(Type.Boolean()),
  notifications: Type.Optional(Type.Array(Type.String())),
  runsOn: Type.Optional(RunsOn),
  risk: Type.Optional(Type.Object({
    requireApproval: StringEnum(['medium', 'high'] as const, 'Ask for an approval before each deploy step when the run\'s assessed risk is at least this level.'),
    approvers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true, description: 'Who may approve (anyone with write access when absent).' })),
    timeout: Type.Optional(Duration),
    channels: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Channels told that a decision is needed.' })),
  }, { additionalProperties: false, description: 'The delivery risk policy (docs/risk.md).' })),
  steps: Type.Array(Step, { minItems: 1 }),
}, { additionalProperties: false });

export const Workflow = documentEnvelope('Workflow', WorkflowSpec, 'A pluginops workflow: a graph of steps.');

export type StepDoc = Static<typeof Step>;
export type RetryDoc = Static<typeof Retry>;
export type ParameterDoc = Static<typeof Parameter>;
export type WorkflowDoc = Static<typeof Workflow>;
