// Learning from remediation outcomes: Wilson lower bounds against hand-computed values, ranking
// with specific-to-general fallback and the neutral prior for unknown plans, feedback validation,
// and state that survives JSON.stringify/parse between steps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  emptyLearningState, NEUTRAL_SCORE, patterns, rankPlans, recordFeedback, recordVerification, score, wilsonLowerBound,
  type Feedback, type LearningState, type PatternKey, type PatternStats,
} from '../../src/remediation/learning.ts';
import type { Outcome } from '../../src/remediation/state.ts';

const t0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Records `fixed` successes and `bad` not-fixed verifications, passing the state through JSON. */
function verified(state: LearningState, key: PatternKey, fixed: number, bad: number): LearningState {
  const outcomes: Outcome[] = [...Array<Outcome>(fixed).fill('fixed'), ...Array<Outcome>(bad).fill('not-fixed')];
  return outcomes.reduce((s, o, i) => json(recordVerification(s, key, o, t0 + i)), state);
}

function feedback(state: LearningState, key: PatternKey, f: Feedback, at = t0): LearningState {
  const result = recordFeedback(state, key, f, at);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return json(result.state);
}

function stats(good: number, bad: number): PatternStats {
  return { key: { scope: 'r', plan: 'p' }, successes: good, failures: bad, positive: 0, negative: 0, lastAt: t0, lastReasons: [] };
}

// lower = (p + z²/2n - z·√(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964, z² = 3.841459
// 1/1:   p = 1,   (1 + 1.920729 - 1.959964·0.980000) / 4.841459           = 0.206549
// 1/2:   p = 0.5, (0.5 + 0.960365 - 1.959964·0.604183) / 2.920729         = 0.094531
// 9/10:  p = 0.9, (0.9 + 0.192073 - 1.959964·0.136397) / 1.384146         = 0.595850
// 45/50: p = 0.9, (0.9 + 0.038415 - 1.959964·0.045000) / 1.076829         = 0.786398
const wilson: Array<[good: number, n: number, lower: number]> = [
  [0, 0, 0],
  [0, 1, 0],
  [1, 1, 0.206549],
  [1, 2, 0.094531],
  [9, 10, 0.595850],
  [45, 50, 0.786398],
];

for (const [good, n, lower] of wilson) {
  test(`wilson lower bound of ${good}/${n} is ${lower}`, () => {
    assert.ok(Math.abs(wilsonLowerBound(good, n) - lower) < 5e-6, `got ${wilsonLowerBound(good, n)}`);
  });
}

test('score counts positive feedback with successes and negative with failures', () => {
  const s: PatternStats = { ...stats(40, 3), positive: 5, negative: 2 };
  assert.is(score(s), wilsonLowerBound(45, 50));
  assert.ok(score(stats(1, 0)) < score(stats(45, 5)), '1 of 1 must not beat 45 of 50');
  assert.is(NEUTRAL_SCORE, wilsonLowerBound(1, 2));
});

test('verifications: fixed is a success, not-fixed, failed and timed-out are failures', () => {
  const key: PatternKey = { scope: 'disk-full', plan: 'rotate-logs' };
  let state = emptyLearningState();
  const steps: Outcome[] = ['fixed', 'not-fixed', 'failed', 'timed-out', 'fixed'];
  steps.forEach((o, i) => { state = json(recordVerification(state, key, o, t0 + i * 1000)); });
  const [only] = patterns(state);
  assert.equal(only, {
    key, successes: 2, failures: 3, positive: 0, negative: 0, lastAt: t0 + 4000, lastReasons: [],
    score: wilsonLowerBound(2, 5), recommended: true,
  });
  assert.throws(() => recordVerification(state, key, 'fixed', Number.NaN), /finite/);
  assert.throws(() => recordVerification(state, { scope: '', plan: 'x' }, 'fixed', t0), /non-empty scope/);
});

test('ranking prefers rule+plugin, then rule, then category+plugin, then category', () => {
  const scope = { rule: 'api-latency', category: 'latency', plugin: 'http' };
  let state = emptyLearningState();
  // restart: poor for this rule and plugin, good in general; the specific record wins.
  state = verified(state, { scope: 'api-latency', plugin: 'http', plan: 'restart' }, 0, 3);
  state = verified(state, { scope: 'api-latency', plan: 'restart' }, 20, 0);
  // scale-up: only known for the category, with and without the plugin.
  state = verified(state, { scope: 'category:latency', plugin: 'http', plan: 'scale-up' }, 9, 1);
  state = verified(state, { scope: 'category:latency', plan: 'scale-up' }, 0, 10);
  // flush-cache: known for the rule without plugin, and for the category.
  state = verified(state, { scope: 'api-latency', plan: 'flush-cache' }, 3, 0);
  state = verified(state, { scope: 'category:latency', plan: 'flush-cache' }, 50, 0);

  const ranked = rankPlans(state, scope, ['restart', 'flush-cache', 'scale-up']);
  assert.equal(ranked.map((r) => [r.plan, r.stats?.key]), [
    ['scale-up', { scope: 'category:latency', plugin: 'http', plan: 'scale-up' }],
    ['flush-cache', { scope: 'api-latency', plan: 'flush-cache' }],
    ['restart', { scope: 'api-latency', plugin: 'http', plan: 'restart' }],
  ]);
  assert.equal(ranked.map((r) => r.score), [wilsonLowerBound(9, 10), wilsonLowerBound(3, 3), 0]);

  // Without a plugin, only the general levels count.
  const general = rankPlans(state, { rule: 'api-latency', category: 'latency' }, ['scale-up', 'restart']);
  assert.equal(general.map((r) => [r.plan, r.score]), [['restart', wilsonLowerBound(20, 20)], ['scale-up', 0]]);
});

test('unknown plans get the neutral prior: after good records, before poor ones, in given order', () => {
  const rule = { rule: 'queue-backlog' };
  let state = emptyLearningState();
  state = verified(state, { scope: 'queue-backlog', plan: 'good' }, 1, 0);
  state = verified(state, { scope: 'queue-backlog', plan: 'poor' }, 1, 2);
  state = verified(state, { scope: 'queue-backlog', plan: 'even' }, 1, 1);
  state = verified(state, { scope: 'other-rule', plan: 'new-b' }, 50, 0);

  const ranked = rankPlans(state, rule, ['poor', 'new-a', 'even', 'good', 'new-b', 'new-a']);
  assert.equal(ranked.map((r) => r.plan), ['good', 'new-a', 'even', 'new-b', 'poor']);
  assert.equal(ranked.map((r) => r.score), [wilsonLowerBound(1, 1), NEUTRAL_SCORE, NEUTRAL_SCORE, NEUTRAL_SCORE, wilsonLowerBound(1, 3)]);
  assert.is(ranked[1]?.stats, undefined);
  assert.equal(rankPlans(emptyLearningState(), rule, ['b', 'a']).map((r) => r.plan), ['b', 'a']);
});

test('feedback validation: `by` is required, reason and expected at most 1000 characters', () => {
  const key: PatternKey = { scope: 'cert-expiry', plan: 'renew' };
  const cases: Array<[Feedback, Array<[string, string]>]> = [
    [{ positive: true, by: '  ' }, [['E_REQUIRED', 'by']]],
    [{ positive: false, by: 'ana', reason: 'x'.repeat(1001) }, [['E_TOO_LONG', 'reason']]],
    [{ positive: false, by: '', reason: 'x'.repeat(1001), expected: 'y'.repeat(1001) }, [['E_REQUIRED', 'by'], ['E_TOO_LONG', 'reason'], ['E_TOO_LONG', 'expected']]],
  ];
  for (const [f, expected] of cases) {
    const result = recordFeedback(emptyLearningState(), key, f, t0);
    assert.ok(!result.ok);
    if (!result.ok) assert.equal(result.errors.map((e) => [e.code, e.field]), expected);
  }
  const ok = recordFeedback(emptyLearningState(), key, { positive: true, by: 'ana', reason: '🙂'.repeat(1000) }, t0);
  assert.ok(ok.ok, 'exactly 1000 characters, counted as code points, are allowed');
});

test('feedback counts and keeps the 5 newest reasons, newest first', () => {
  const key: PatternKey = { scope: 'category:memory', plugin: 'jvm', plan: 'heap-dump-restart' };
  let state = emptyLearningState();
  for (let i = 1; i <= 7; i++) state = feedback(state, key, { positive: i % 2 === 1, by: 'ana', reason: `reason ${i}` }, t0 + i);
  state = feedback(state, key, { positive: true, by: 'bo' }, t0 + 8);
  state = feedback(state, key, { positive: false, by: 'bo', reason: 'too slow', expected: 'back within 1 min' }, t0 + 3);
  const s = state.patterns[Object.keys(state.patterns)[0] ?? '']!;
  assert.equal(
    { positive: s.positive, negative: s.negative, lastAt: s.lastAt, lastReasons: s.lastReasons },
    { positive: 5, negative: 4, lastAt: t0 + 8, lastReasons: ['too slow (expected: back within 1 min)', 'reason 7', 'reason 6', 'reason 5', 'reason 4'] },
  );
});

test('state is JSON-safe and patterns lists with a recommendation per (scope, plugin)', () => {
  let state = emptyLearningState();
  state = verified(state, { scope: 'disk-full', plan: 'rotate-logs', plugin: undefined }, 9, 1);
  state = verified(state, { scope: 'disk-full', plan: 'purge-tmp' }, 2, 0);
  state = verified(state, { scope: 'disk-full', plugin: 'docker', plan: 'prune-images' }, 0, 2);
  state = feedback(state, { scope: 'disk-full', plan: 'purge-tmp' }, { positive: true, by: 'ana', expected: 'usage below 80%' });
  assert.equal(json(state), state);

  const listed = patterns(state);
  assert.equal(listed.map((p) => [p.key.plugin ?? '-', p.key.plan, p.recommended]), [
    ['-', 'rotate-logs', true],
    ['-', 'purge-tmp', false],
    ['docker', 'prune-images', false],
  ]);
  assert.equal(listed[1]?.lastReasons, ['expected: usage below 80%']);
  assert.equal(patterns(state, { plugin: 'docker' }).map((p) => p.key.plan), ['prune-images']);
  assert.equal(patterns(state, { scope: 'cpu' }), []);
});

test.run();
