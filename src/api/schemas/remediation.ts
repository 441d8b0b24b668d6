// Self-healing as the API shows it: remediation records (what ran for which incident and how it
// ended), feedback on them, the patterns learned from outcomes, and circuit breakers.
import { Type } from '@sinclair/typebox';
import { loggedOutcomes, Policy, type VerificationRecord } from '../../remediation/events.ts';
import type { RemediationRecord as RemediationRecordModel } from '../../remediation/fold.ts';
import { outcomes, type KeyState } from '../../remediation/guard.ts';
import type { PatternListing } from '../../remediation/learning.ts';
import { StringEnum, Strict } from './common.ts';
import type { Describes } from './describes.ts';

const Ms = Type.Number({ description: 'Milliseconds since the epoch.' });

const Verification = Strict({
  by: Type.String({ description: 'What was re-run: `check <id>` or `rule <id>`.' }),
  attempts: Type.Integer({ minimum: 1 }),
  results: Type.Array(Strict({ at: Ms, ok: Type.Boolean(), error: Type.Optional(Type.String()) })),
}, 'How the fix was verified after the run.');

const FeedbackRecord = Strict({
  at: Ms, positive: Type.Boolean(), reason: Type.Optional(Type.String()), expected: Type.Optional(Type.String()), by: Type.String(),
});

export const RemediationRecord = Strict({
  id: Type.String(), incident: Type.String(), rule: Type.String(), check: Type.Optional(Type.String()), plugin: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()), plan: Type.String(), target: Type.String(),
  fallback: Type.Optional(Type.Array(Type.String(), { description: 'Candidate plans still to try after a bad outcome of this one.' })),
  decision: StringEnum(['run', 'dry-run'] as const), runId: Type.Optional(Type.String()),
  params: Type.Record(Type.String(), Type.Unknown()),
  approval: Type.Boolean({ description: 'Whether the run waited for a person\'s approval.' }),
  policy: Strict(Policy.properties, 'The limits it was decided under (ms).'),
  startedAt: Ms, approvedAt: Type.Optional(Ms), endedAt: Type.Optional(Ms),
  outcome: Type.Optional(StringEnum(loggedOutcomes)),
  detail: Type.Optional(Type.String()), by: Type.Optional(Type.String({ description: 'Who rejected the run, for the outcome `rejected`.' })),
  verification: Type.Optional(Verification), feedback: Type.Array(FeedbackRecord),
}, 'One remediation: the decision, the run, its outcome and verification, and the feedback on it.');

true satisfies Describes<typeof RemediationRecord, RemediationRecordModel>;
true satisfies Describes<typeof Verification, VerificationRecord>;

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

export const Pattern = Strict({
  key: Strict({ scope: Type.String({ description: 'A rule id, or `category:<name>`.' }), plugin: Type.Optional(Type.String()), plan: Type.String() }),
  successes: Type.Integer(), failures: Type.Integer(), positive: Type.Integer(), negative: Type.Integer(),
  lastAt: Ms, lastReasons: Type.Array(Type.String(), { description: 'Feedback reasons, newest first.' }),
  score: Type.Number({ description: 'Wilson lower bound of the good share (outcomes and feedback).' }),
  recommended: Type.Boolean({ description: 'The best plan for its scope and plugin.' }),
});

true satisfies Describes<typeof Pattern, PatternListing>;

export const PatternsQuery = Strict({
  scope: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'A rule id, or `category:<name>`.' })),
  plugin: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
});

const BreakerState = Type.Union([
  Strict({ status: Type.Literal('closed') }),
  Strict({ status: Type.Literal('open'), since: Ms }),
  Strict({ status: Type.Literal('half-open'), since: Ms, trialAt: Type.Number({ description: 'When the one trial run was granted; its outcome closes or re-opens the breaker.' }) }),
]);

export const Breaker = Strict({
  plan: Type.String(), target: Type.String(),
  attempts: Type.Array(Ms, { description: 'Attempt times still inside the window, ascending.' }),
  lastAttemptAt: Type.Optional(Ms),
  lastOutcome: Type.Optional(Strict({ outcome: StringEnum(outcomes), at: Ms })),
  consecutiveBad: Type.Integer({ minimum: 0, description: 'Bad outcomes since the last `fixed` or reset.' }),
  breaker: BreakerState,
  lastReset: Type.Optional(Strict({ by: Type.String(), at: Ms })),
  touchedAt: Type.Number({ description: 'The last attempt, outcome or reset (ms since the epoch).' }),
  retainUntil: Type.Number({ description: 'Forgotten after this (ms since the epoch) unless its breaker is not closed.' }),
}, 'The guard\'s state of one plan on one target.');

true satisfies Describes<typeof Breaker, KeyState>;

export const ResetBreaker = Strict({ plan: Type.String({ minLength: 1, maxLength: 128 }), target: Type.String({ minLength: 1, maxLength: 512 }) });
