// Optimization as the API shows it: suggestions with their evidence, confidence, expected effect,
// runbook, state and etag; the apply and dismiss requests; the sources and last analyses.
import { Type } from '@sinclair/typebox';
import type { Suggestion as SuggestionModel, Verification as VerificationModel } from '../../optimize/suggestion.ts';
import { suggestionStates } from '../../optimize/suggestion.ts';
import type { SourceStatus as SourceStatusModel } from '../../optimize/collect.ts';
import { StringEnum, Strict } from './common.ts';
import type { Describes } from './describes.ts';

const Ms = Type.Number({ description: 'Milliseconds since the epoch.' });
const Num = Type.Number();

const ChartPoint = Strict({ t: Ms, mean: Num, min: Num, max: Num, n: Type.Integer({ minimum: 0 }) }, 'One bucket of the evidence chart: the samples in [t, t + step).');

const Evidence = Strict({
  metric: Type.String({ description: 'The metric, as named under the Optimization\'s `metrics`.' }),
  unit: Type.Optional(Type.String({ description: 'The metric\'s unit, as the document names it.' })),
  windowMs: Type.Number(), samples: Type.Integer(), spanMs: Type.Number(),
  percentiles: Strict({ p50: Num, p90: Num, p95: Num, p99: Num, max: Num }, 'Of the metric over the window; newer samples weigh more (half-life).'),
  figures: Type.Record(Type.String(), Num, { description: 'Other numbers the analyzer used, by name.' }),
  chart: Type.Array(ChartPoint),
}, 'The numbers behind a suggestion.');

const RunbookCall = Strict({ runbook: Type.String(), parameters: Type.Record(Type.String(), Type.Unknown()) });
const RunRef = Strict({ id: Type.String(), startedAt: Ms, finishedAt: Type.Optional(Ms), status: Type.Optional(Type.String()), error: Type.Optional(Type.String()) });
const Maybe = Type.Union([Type.Number(), Type.Null()], { description: 'null when there is no sample on that side.' });
const Measured = { n: Type.Integer(), median: Maybe, p90: Maybe, from: Ms, to: Ms };

const Verification = Strict({
  metric: Type.String(),
  before: Strict(Measured, 'The window before the change.'),
  after: Strict(Measured, 'The window after the warm-up.'),
  change: Type.Union([Type.Number(), Type.Null()], { description: 'Relative change of the median (0.25 = +25%); null without samples on a side.' }),
  p: Type.Number({ description: 'Two-sided p-value of the rank-sum test.' }),
  outcome: StringEnum(['better', 'worse', 'no-change', 'insufficient'] as const),
}, 'The measured effect of the change.');

export const SuggestionState = StringEnum(suggestionStates, 'active → approved → applying → verifying → succeeded | reverting → reverted | inconclusive | failed; dismissed; expired.');

export const Suggestion = Strict({
  id: Type.String(), key: Type.String({ description: '`<optimization>/<plugin>/<type>`: one open suggestion per key.' }),
  optimization: Type.String(), plugin: Type.String(),
  analyzer: StringEnum(['workers', 'resources', 'cache', 'errors', 'thresholds'] as const),
  type: Type.String({ description: 'scale_workers, cpu_limit, memory_limit, cache_size, cache_ttl, diagnose_errors, threshold.' }),
  state: SuggestionState,
  version: Type.Integer({ description: 'Bumped by every change; the etag is `"<id>.<version>"`.' }),
  createdAt: Ms, updatedAt: Ms, seenAt: Type.Number({ description: 'When an analysis last confirmed the evidence (ms).' }),
  value: Type.Optional(Num), previous: Type.Optional(Num), unit: Type.Optional(Type.String()),
  description: Strict({ en: Type.String(), ko: Type.String() }),
  evidence: Evidence,
  expected: Strict({
    metric: Type.String(), direction: StringEnum(['up', 'down'] as const), size: Type.Number({ description: 'A share: 0.2 = 20%.' }),
    hold: Type.Optional(Type.Boolean({ description: 'A saving that may move the metric this way by up to `size`: verified by not moving further.' })),
  }, 'What the change should do.'),
  severity: StringEnum(['low', 'medium', 'high', 'critical'] as const, 'From the size of the change.'),
  confidence: Type.Number({ minimum: 0, maximum: 1, description: 'From the span of the history and the number of samples.' }),
  signatures: Type.Optional(Type.Array(Strict({ template: Type.String(), count: Type.Integer(), example: Type.String() }))),
  likelyCause: Type.Optional(Type.String()),
  apply: Type.Optional(RunbookCall), revert: Type.Optional(RunbookCall),
  applyKey: Type.Optional(Type.String({ description: 'The idempotency key of the accepted apply.' })),
  approvedBy: Type.Optional(Type.String()),
  backup: Type.Optional(Type.String({ description: 'The pinned safety backup taken before the apply run.' })),
  run: Type.Optional(RunRef), revertRun: Type.Optional(RunRef),
  before: Type.Optional(Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), { description: 'The expected metric over the verification window before the run started, [ms, value] pairs, kept when the run started.' })),
  verifyAt: Type.Optional(Ms), verification: Type.Optional(Verification),
  reason: Type.Optional(Type.String({ description: 'Why it failed, was dismissed or expired, or the verdict in words.' })),
  transitions: Type.Array(Strict({ at: Ms, state: SuggestionState, by: Type.Optional(Type.String()), note: Type.Optional(Type.String()) })),
  etag: Type.String({ description: 'Send it back as `If-Match` (or `etag`) to act only on this version.' }),
}, 'A suggested change for a plugin, with its evidence and where it stands.');

true satisfies Describes<typeof Suggestion, SuggestionModel & { etag: string }>;
true satisfies Describes<typeof Verification, VerificationModel>;

export const SuggestionsQuery = Strict({
  state: Type.Optional(Type.Union([SuggestionState, Type.Literal('open')], { description: 'One state, or `open` for every state that has not ended (default open).' })),
  plugin: Type.Optional(Type.String({ maxLength: 128 })),
  optimization: Type.Optional(Type.String({ maxLength: 128 })),
  type: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

export const HistoryQuery = Strict({
  plugin: Type.Optional(Type.String({ maxLength: 128 })),
  optimization: Type.Optional(Type.String({ maxLength: 128 })),
  state: Type.Optional(StringEnum(['succeeded', 'reverted', 'inconclusive', 'failed', 'dismissed', 'expired'] as const)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

export const ApplyBody = Strict({
  etag: Type.Optional(Type.String({ maxLength: 200, description: 'Act only if the suggestion is still this version (also `If-Match`).' })),
  key: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'An idempotency key: the same request repeated answers the same suggestion and applies once (also `Idempotency-Key`).' })),
  dryRun: Type.Optional(Type.Boolean({ description: 'Answer what would run; change nothing.' })),
});

export const DismissBody = Strict({
  etag: Type.Optional(Type.String({ maxLength: 200 })),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const DryRunAnswer = Strict({
  dryRun: Type.Literal(true), suggestion: Suggestion, runbook: Type.String(), parameters: Type.Record(Type.String(), Type.Unknown()),
}, 'What an apply would run.');

const SourceStatus = Strict({
  optimization: Type.String(), plugin: Type.String(), metric: Type.String(), ok: Type.Boolean(), error: Type.Optional(Type.String()),
  checkedAt: Ms, lastGoodAt: Type.Optional(Ms), samples: Type.Integer(), firstAt: Type.Optional(Ms), lastAt: Type.Optional(Ms),
}, 'A metric source of one plugin: whether its last read worked, and the data kept.');
true satisfies Describes<typeof SourceStatus, SourceStatusModel>;

const NoFinding = Strict({ analyzer: Type.String(), reason: StringEnum(['insufficient-data', 'within-target', 'missing-metric'] as const), message: Type.String() });

export const OptimizationStatus = Strict({
  optimizations: Type.Array(Strict({ id: Type.String(), plugins: Type.Array(Type.String()), everyMs: Type.Number(), nextAt: Type.Optional(Ms) })),
  sources: Type.Array(SourceStatus),
  analyses: Type.Array(Strict({
    optimization: Type.String(), plugin: Type.String(), at: Ms, findings: Type.Integer(),
    notes: Type.Array(NoFinding, { description: 'Analyzers that suggested nothing, and why (too little data says how much there is and how much is needed).' }),
  })),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'Suggestions in each state.' }),
}, 'What optimization analyses, from which sources, and what the last analyses found.');
