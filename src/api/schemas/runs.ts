// Action plan runs as the API takes and shows them: starting one from a template and data (the
// same shape the seeds use), decisions on a waiting run, and the filters of the run list.
import { Type } from '@sinclair/typebox';
import { ApprovalDecision, ExecutionRecord, ExecutionStatusName } from './executions.ts';
import { StringEnum, Strict } from './common.ts';

const ScalarValue = Type.Union([Type.String({ maxLength: 65_536 }), Type.Number(), Type.Boolean()]);
const Id = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' });

export const StartRun = Strict({
  templateId: { ...Id, description: 'The id of an action plan (or workflow) of the project, or of a shipped template.' },
  data: Type.Optional(Type.Record(Type.String(), ScalarValue, { maxProperties: 100, description: 'The plan\'s parameters, checked against its declarations: unknown names, missing required ones, wrong types and values outside `enum` are refused before anything is recorded.' })),
  plugin: Type.Optional(Type.String({ pattern: '^(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$', maxLength: 1024, description: 'A plugin directory under the server\'s working directory.' })),
  requireApproval: Type.Optional(Type.Boolean({ description: 'Wait for an approval before the first step even when the plan does not require one.' })),
});

export const RunStarted = Strict({ id: Type.String(), status: Type.Literal('pending'), templateId: Type.String() });

export const RunsQuery = Strict({
  status: Type.Optional(ExecutionStatusName),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  templateId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'At most this many, newest first (default 50).' })),
});

export const Approve = Strict({
  comment: Type.Optional(Type.String({ maxLength: 2_000 })),
  values: Type.Optional(Type.Record(Type.String(), ScalarValue, { maxProperties: 100, description: 'Modify: new values for the approval\'s parameters, checked against their types.' })),
  step: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The approval step, when a run waits at several.' })),
});

export const Decision = Strict({
  outcome: StringEnum(['waiting', 'approved', 'rejected'] as const, '`waiting`: more approvals are needed (quorum).'),
  decision: ApprovalDecision,
  run: ExecutionRecord,
});
