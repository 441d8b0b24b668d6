// Self-healing as the API shows it: remediation records (what ran for which incident and how it
// ended), feedback on them, the patterns learned from outcomes, and circuit breakers.
import { Type } from '@sinclair/typebox';
import { Strict } from './common.ts';

const Ms = Type.Number({ description: 'Milliseconds since the epoch.' });

export const RemediationRecord = Type.Object({
  id: Type.String(), incident: Type.String(), rule: Type.String(), check: Type.Optional(Type.String()), plugin: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()), plan: Type.String(), target: Type.String(),
  decision: Type.String({ description: '`run` or `dry-run`.' }), runId: Type.Optional(Type.String()),
  params: Type.Record(Type.String(), Type.Unknown()), approval: Type.Boolean(), startedAt: Ms, approvedAt: Type.Optional(Ms), endedAt: Type.Optional(Ms),
  outcome: Type.Optional(Type.String({ description: '`fixed`, `not-fixed`, `failed`, `timed-out`, `rejected`.' })),
  detail: Type.Optional(Type.String()), by: Type.Optional(Type.String()),
  verification: Type.Optional(Type.Unknown()), feedback: Type.Array(Type.Unknown()),
}, { additionalProperties: true, description: 'One remediation: the decision, the run, its outcome and verification, and the feedback on it.' });

export const RemediationsQuery = Strict({
  incident: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  rule: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  plugin: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  plan: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});

export const Feedback = Strict({
  positive: Type.Boolean({ description: 'Whether the remediation helped.' }),
  reason: Type.Optional(Type.String({ maxLength: 1_000 })),
  expected: Type.Optional(Type.String({ maxLength: 1_000, description: 'What should have happened instead.' })),
});

export const Pattern = Type.Object({
  key: Type.Object({ scope: Type.String(), plugin: Type.Optional(Type.String()), plan: Type.String() }, { additionalProperties: true }),
  successes: Type.Integer(), failures: Type.Integer(), positive: Type.Integer(), negative: Type.Integer(),
  lastAt: Ms, lastReasons: Type.Array(Type.String()),
  score: Type.Number({ description: 'Wilson lower bound of the good share (outcomes and feedback).' }),
  recommended: Type.Boolean({ description: 'The best plan for its scope and plugin.' }),
}, { additionalProperties: true });

export const PatternsQuery = Strict({
  scope: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'A rule id, or `category:<name>`.' })),
  plugin: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
});

export const Breaker = Type.Object({ plan: Type.String(), target: Type.String(), consecutiveBad: Type.Integer(), breaker: Type.Unknown() }, { additionalProperties: true });

export const ResetBreaker = Strict({ plan: Type.String({ minLength: 1, maxLength: 128 }), target: Type.String({ minLength: 1, maxLength: 512 }) });
