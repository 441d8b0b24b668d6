// Learning from remediation outcomes. Every automatic remediation ends in a verification (the
// triggering check re-run) and people may give feedback on an incident's remediation; both are
// counted per pattern, a (scope, plugin, plan) triple where the scope is a rule id or
// `category:<name>`. Pure: no I/O and no clock; every operation takes the time in ms since the
// epoch and returns a new state of plain JSON-safe data with no undefined fields, so a state
// written with JSON.stringify and read back is equal to the original.
//
// Counting: a verification 'fixed' is a success; 'not-fixed', 'failed' and 'timed-out' are
// failures (a plan that cannot run or never finishes did not fix the problem either). Feedback
// counts as positive or negative, and its reason (with the expected result, if given) goes to the
// front of `lastReasons`, which keeps the 5 newest. `lastAt` is the latest time either kind of
// record was given; records may arrive out of order.
//
// Scoring (`score`): the lower bound of the 95% Wilson score interval for the chance the plan
// fixes the problem, with good = successes + positive and n = good + failures + negative:
//   p = good / n, z = 1.959964
//   lower = (p + z²/2n - z·√(p(1-p)/n + z²/4n²)) / (1 + z²/n)
// It is conservative on little evidence: 1 of 1 scores 0.207, 45 of 50 scores 0.786. No record
// at all scores 0.
//
// Ranking (`rankPlans`): each candidate is looked up at the most specific pattern that exists for
// it: rule+plugin, then rule, then category+plugin, then category. A candidate with no pattern at
// any level gets the neutral prior: the score of one good and one bad record (p = 1/2, n = 2, the
// Laplace prior), NEUTRAL_SCORE ≈ 0.095. Sorting by score, best first, and keeping candidate order
// on ties therefore puts known-good plans (1 of 1 and better) first, unknown plans next in their
// given order, and poor ones (0 of 1, 1 of 3, ...) last; a record exactly at the prior (1 of 2)
// ties with unknown plans and keeps its place among them. A repeated candidate is listed once.
//
// Operational errors (a time that is not a finite number, an empty scope or plan, an unknown
// outcome) are RangeErrors; invalid feedback, which comes from people, is a typed result.
import { outcomes } from './guard.ts';
import type { Outcome } from './state.ts';

export interface PatternKey {
  /** A rule id, or `category:<name>`. */
  scope: string;
  plugin?: string;
  plan: string;
}

export interface PatternStats {
  key: PatternKey;
  successes: number;
  failures: number;
  positive: number;
  negative: number;
  lastAt: number;
  /** Feedback reasons, newest first, at most `maxReasons`. */
  lastReasons: string[];
}

export interface LearningState {
  /** By `patternId(key)`. */
  patterns: Record<string, PatternStats>;
}

export interface Feedback {
  positive: boolean;
  reason?: string;
  expected?: string;
  /** Who gave it; required. */
  by: string;
}

export type FeedbackError =
  | { code: 'E_REQUIRED'; field: 'by'; message: string }
  | { code: 'E_TOO_LONG'; field: 'reason' | 'expected'; message: string };

export type FeedbackResult = { ok: true; state: LearningState } | { ok: false; errors: FeedbackError[] };

export interface RankedPlan {
  plan: string;
  score: number;
  stats?: PatternStats;
}

export type PatternListing = PatternStats & { score: number; recommended: boolean };

export const maxReasons = 5;
export const maxTextLength = 1000;
const z = 1.959964;

export function emptyLearningState(): LearningState {
  return { patterns: {} };
}

/** Unambiguous for any text, and the same whether `plugin` is absent or undefined. */
export function patternId(key: PatternKey): string {
  return JSON.stringify([key.scope, key.plugin ?? null, key.plan]);
}

/** The Wilson lower bound (95%) for `good` of `n`; 0 when n is 0. */
export function wilsonLowerBound(good: number, n: number): number {
  if (n <= 0) return 0;
  const p = good / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/** The score of a plan with no record: as if it had one good and one bad record. */
export const NEUTRAL_SCORE = wilsonLowerBound(1, 2);

export function score(stats: PatternStats): number {
  const good = stats.successes + stats.positive;
  return wilsonLowerBound(good, good + stats.failures + stats.negative);
}

export function recordVerification(state: LearningState, key: PatternKey, outcome: Outcome, at: number): LearningState {
  checkRecord(key, at, 'recordVerification');
  if (!(outcomes as readonly string[]).includes(outcome)) {
    throw new RangeError(`recordVerification: the outcome must be one of ${outcomes.join(', ')}, found ${String(outcome)}`);
  }
  const current = stored(state, key, at);
  const counted = outcome === 'fixed' ? { successes: current.successes + 1 } : { failures: current.failures + 1 };
  return withPattern(state, { ...current, ...counted, lastAt: Math.max(current.lastAt, at) });
}

export function recordFeedback(state: LearningState, key: PatternKey, feedback: Feedback, at: number): FeedbackResult {
  checkRecord(key, at, 'recordFeedback');
  const errors = feedbackErrors(feedback);
  if (errors.length > 0) return { ok: false, errors };
  const current = stored(state, key, at);
  const counted = feedback.positive ? { positive: current.positive + 1 } : { negative: current.negative + 1 };
  const reason = reasonText(feedback);
  const lastReasons = reason === undefined ? current.lastReasons : [reason, ...current.lastReasons].slice(0, maxReasons);
  return { ok: true, state: withPattern(state, { ...current, ...counted, lastAt: Math.max(current.lastAt, at), lastReasons }) };
}

export function rankPlans(
  state: LearningState, scope: { rule: string; category?: string; plugin?: string }, candidates: readonly string[],
): RankedPlan[] {
  const ranked = unique(candidates).map((plan): RankedPlan => {
    const stats = lookup(state, scope, plan);
    return stats === undefined ? { plan, score: NEUTRAL_SCORE } : { plan, score: score(stats), stats };
  });
  return ranked.sort((a, b) => b.score - a.score);
}

/** Sorted by scope, plugin (none first), then best first; `recommended` marks the best plan of each
 *  (scope, plugin), and only when it beats an unknown plan. */
export function patterns(state: LearningState, filter: { scope?: string; plugin?: string } = {}): PatternListing[] {
  const listed = Object.values(state.patterns)
    .filter((s) => (filter.scope === undefined || s.key.scope === filter.scope) && (filter.plugin === undefined || s.key.plugin === filter.plugin))
    .map((s) => ({ ...s, score: score(s), recommended: false }))
    .sort((a, b) => compareText(a.key.scope, b.key.scope) || compareText(a.key.plugin ?? '', b.key.plugin ?? '')
      || b.score - a.score || evidence(b) - evidence(a) || compareText(a.key.plan, b.key.plan));
  return listed.map((s, i) => {
    const prev = listed[i - 1];
    const first = prev === undefined || prev.key.scope !== s.key.scope || prev.key.plugin !== s.key.plugin;
    return { ...s, recommended: first && s.score > NEUTRAL_SCORE };
  });
}

function lookup(state: LearningState, scope: { rule: string; category?: string; plugin?: string }, plan: string): PatternStats | undefined {
  const scopes = [scope.rule, ...(scope.category === undefined ? [] : [`category:${scope.category}`])];
  const keys = scopes.flatMap((s): PatternKey[] => scope.plugin === undefined ? [{ scope: s, plan }] : [{ scope: s, plugin: scope.plugin, plan }, { scope: s, plan }]);
  for (const key of keys) {
    const found = state.patterns[patternId(key)];
    if (found !== undefined) return found;
  }
  return undefined;
}

function feedbackErrors(feedback: Feedback): FeedbackError[] {
  const errors: FeedbackError[] = [];
  if (feedback.by.trim() === '') errors.push({ code: 'E_REQUIRED', field: 'by', message: 'feedback must name who gave it: `by` is empty' });
  for (const field of ['reason', 'expected'] as const) {
    const length = [...(feedback[field] ?? '')].length;
    if (length > maxTextLength) {
      errors.push({ code: 'E_TOO_LONG', field, message: `the feedback's \`${field}\` has ${length} characters; at most ${maxTextLength} are allowed` });
    }
  }
  return errors;
}

function reasonText(feedback: Feedback): string | undefined {
  const reason = feedback.reason?.trim() ?? '';
  const expected = feedback.expected?.trim() ?? '';
  if (expected === '') return reason === '' ? undefined : reason;
  return reason === '' ? `expected: ${expected}` : `${reason} (expected: ${expected})`;
}

function checkRecord(key: PatternKey, at: number, operation: string): void {
  if (!Number.isFinite(at)) throw new RangeError(`${operation}: the time must be a finite number of ms, found ${String(at)}`);
  if (key.scope === '' || key.plan === '' || key.plugin === '') {
    throw new RangeError(`${operation}: a pattern needs a non-empty scope and plan, and a plugin that is absent or non-empty, found ${patternId(key)}`);
  }
}

function stored(state: LearningState, key: PatternKey, at: number): PatternStats {
  return state.patterns[patternId(key)] ?? {
    key: { scope: key.scope, ...(key.plugin === undefined ? {} : { plugin: key.plugin }), plan: key.plan },
    successes: 0, failures: 0, positive: 0, negative: 0, lastAt: at, lastReasons: [],
  };
}

function withPattern(state: LearningState, stats: PatternStats): LearningState {
  return { ...state, patterns: { ...state.patterns, [patternId(stats.key)]: stats } };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function evidence(s: PatternStats): number {
  return s.successes + s.failures + s.positive + s.negative;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
