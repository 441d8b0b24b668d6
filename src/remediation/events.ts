// The events of the remediation log (`<store>/remediation.jsonl`), one JSON object a line. The
// schemas below are the single source of both the TypeScript types and the check a line read
// back must pass; a line that fails it (torn by a crash, edited by hand) is skipped.
//
// - attempt: a run was started (`runId`; absent when the runner refused to start it, and an
//   outcome `failed` follows at once) or a dry run recorded what it would have run. It carries
//   the policy it was decided under, so folding the log replays the guard exactly.
// - approved: a run that waited for approval went on; its timeout counts from here.
// - outcome: how a run ended: fixed, not-fixed, failed, timed-out, or rejected by a person
//   (which is not a bad outcome: nothing ran).
// - feedback: a person's judgement of an incident's remediation.
// - reset: a person closed the circuit breaker of a (plan, target).
// - skipped: a remediation that would have run did not, because self-healing was turned off at
//   run time; nothing ran and the guard is not touched.
// - snapshot: the whole folded state; a compacted log starts with one (log.ts, `compactLog`).
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Text = Type.String({ minLength: 1 });
const Ms = Type.Number();

export const Policy = Type.Object({
  cooldownMs: Type.Number(), maxPerWindow: Type.Number(), windowMs: Type.Number(), breakerThreshold: Type.Number(),
  breakerResetMs: Type.Optional(Type.Number()), dryRun: Type.Boolean(),
});

export const loggedOutcomes = ['fixed', 'not-fixed', 'failed', 'timed-out', 'rejected'] as const;
const LoggedOutcome = Type.Union(loggedOutcomes.map((o) => Type.Literal(o)));

export const Verification = Type.Object({
  /** What was re-run: `check <id>` or `rule <id>`. */
  by: Text,
  attempts: Type.Integer({ minimum: 1 }),
  results: Type.Array(Type.Object({ at: Ms, ok: Type.Boolean(), error: Type.Optional(Type.String()) })),
});

export const AttemptEvent = Type.Object({
  type: Type.Literal('attempt'), at: Ms, id: Text, incident: Text, rule: Text,
  check: Type.Optional(Text), plugin: Type.Optional(Text), category: Type.Optional(Text),
  plan: Text, target: Text, decision: Type.Union([Type.Literal('run'), Type.Literal('dry-run')]),
  runId: Type.Optional(Text), params: Type.Record(Type.String(), Type.Unknown()), policy: Policy, approval: Type.Boolean(),
  /** Candidates still to try, in order, when this one ends badly (kept so a restart can go on with them). */
  fallback: Type.Optional(Type.Array(Text)),
});

export const ApprovedEvent = Type.Object({ type: Type.Literal('approved'), at: Ms, id: Text });

export const OutcomeEvent = Type.Object({
  type: Type.Literal('outcome'), at: Ms, id: Text, outcome: LoggedOutcome,
  detail: Type.Optional(Type.String()), by: Type.Optional(Text), verification: Type.Optional(Verification),
});

export const FeedbackEvent = Type.Object({
  type: Type.Literal('feedback'), at: Ms, id: Text, incident: Text, positive: Type.Boolean(),
  reason: Type.Optional(Type.String()), expected: Type.Optional(Type.String()), by: Text,
});

/** A remediation that did not run because people turned self-healing off (monitor/controls). */
export const SkippedEvent = Type.Object({
  type: Type.Literal('skipped'), at: Ms, incident: Text, rule: Text, target: Text, plans: Type.Array(Text),
  reason: Type.Literal('self-healing-off'), text: Text,
});

export const ResetEvent = Type.Object({ type: Type.Literal('reset'), at: Ms, plan: Text, target: Text, by: Text });

export const SnapshotEvent = Type.Object({
  type: Type.Literal('snapshot'), at: Ms,
  guard: Type.Object({ keys: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: true }),
  learning: Type.Object({ patterns: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: true }),
  records: Type.Array(Type.Object({ id: Text, incident: Text, plan: Text, target: Text }, { additionalProperties: true })),
  skipped: Type.Optional(Type.Array(SkippedEvent)),
});

export const LogEvent = Type.Union([AttemptEvent, ApprovedEvent, OutcomeEvent, FeedbackEvent, ResetEvent, SkippedEvent, SnapshotEvent]);

export type LoggedOutcome = typeof loggedOutcomes[number];
export type VerificationRecord = Static<typeof Verification>;
export type AttemptEvent = Static<typeof AttemptEvent>;
export type OutcomeEvent = Static<typeof OutcomeEvent>;
export type FeedbackEvent = Static<typeof FeedbackEvent>;
export type ResetEvent = Static<typeof ResetEvent>;
export type SkippedEvent = Static<typeof SkippedEvent>;
export type SnapshotEvent = Static<typeof SnapshotEvent>;
export type LogEvent = Static<typeof LogEvent>;

/** One line of the log as an event, or undefined for a line that is not one (skipped). */
export function parseEvent(line: string): LogEvent | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try { value = JSON.parse(line); } catch { return undefined; }
  return Value.Check(LogEvent, value) && Number.isFinite(value.at) ? value : undefined;
}

export const eventLine = (event: LogEvent): string => `${JSON.stringify(event)}\n`;
