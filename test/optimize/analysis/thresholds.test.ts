// The thresholds analyzer: samples that do not cover `for`, a flat value under the levels, noise
// that crosses a level now and then, a step past a level held for all of `for`, a level held for
// only part of it, the `below` direction, and one answer per rule.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeThresholds, covers } from '../../../src/optimize/analysis/thresholds.ts';
import { isFinding, type Analysis, type Finding, type MetricView } from '../../../src/optimize/analysis/types.ts';
import type { ThresholdSettings } from '../../../src/documents/schema/optimization.ts';
import { flat, minute, noisy, now, scope, series } from './helpers.ts';

const rule: ThresholdSettings = { metric: 'p95', levels: { warning: 80, danger: 90, critical: 99 }, value: 4 };
const one = (view: MetricView | undefined, r: ThresholdSettings = rule): Analysis => {
  const out = analyzeThresholds({ ...scope, views: { [r.metric]: view } }, [r], now);
  assert.is(out.length, 1);
  return out[0]!;
};
function finding(a: Analysis): Finding {
  if (!isFinding(a)) throw new Error(`expected a finding; got ${a.reason}: ${a.message}`);
  return a;
}
/** `base` until the last `lastMinutes` minutes, `high` in them (one sample a minute). */
const lastMinutes = (base: number, high: number, minutes: number) => series('p95', (i, n) => (i >= n - 1 - minutes ? high : base), { unit: 'ms' });

test('too little data: samples that stop before now do not cover `for`; the numbers in the message', () => {
  const stale = series('p95', () => 95, { n: 4, end: now - 20 * minute });
  assert.equal(one(stale), { analyzer: 'thresholds', reason: 'insufficient-data', message: 'p95: 0 samples over 0s; needs samples covering the last 10m' });
  const short = series('p95', () => 95, { n: 4 });
  assert.equal(one(short), { analyzer: 'thresholds', reason: 'insufficient-data', message: 'p95: 4 samples over 3m; needs samples covering the last 10m' });
  const stopped = series('p95', () => 95, { n: 30, end: now - 6 * minute }); // 10m to 6m ago in the span, none after
  assert.equal(one(stopped), { analyzer: 'thresholds', reason: 'insufficient-data', message: 'p95: 5 samples over 4m; needs samples covering the last 10m' });
});

const quiet: Array<{ name: string; view: () => MetricView }> = [
  { name: 'flat 50', view: () => flat('p95', 50) },
  { name: 'over the warning for 5 of the 10 minutes', view: () => lastMinutes(50, 85, 5) },
  ...[1, 2, 3].map((seed) => ({ name: `70 ± 20% (seed ${seed}), past 80 now and then`, view: () => noisy('p95', 70, 0.2, seed) })),
];
for (const c of quiet) {
  test(`not held: ${c.name}`, () => {
    const a = one(c.view());
    assert.ok(!isFinding(a) && a.reason === 'within-target', JSON.stringify(a));
  });
}

// 50, then 95 for the last 20 minutes: every sample of the last 10 is past danger (90), none past
// critical (99): level danger, severity high; back under the warning: (95 − 80) / 95.
test('a step past the danger level, held for all of `for`: the worst level every sample reached', () => {
  const f = finding(one(lastMinutes(50, 95, 20)));

  assert.is(f.type, `threshold_${f.evidence.metric}`);
  assert.is(f.value, 4);
  assert.is(f.severity, 'high');
  assert.equal(f.expected, { metric: 'p95', direction: 'down', size: 15 / 95 });
  assert.is(f.evidence.figures.level, 90);
  assert.is(f.evidence.figures.heldMs, 10 * minute);
  // 11 samples (10m ago to now) over all of the 10m: √1 × √min(1, 11 / (4 × 3))
  assert.ok(Math.abs(f.confidence - Math.sqrt(11 / 12)) < 1e-12, String(f.confidence));
  assert.is(f.description.en, 'p95 has been at or above the danger level 90 ms for 10m (now 95 ms, median 95 ms).');
  assert.is(f.description.ko, 'p95 값이 10m 동안 위험 수준 90 ms 이상이었습니다(현재 95 ms, 중앙값 95 ms).');
});

test('direction below, `for` 30m: coverage under the warning level', () => {
  const r: ThresholdSettings = { metric: 'coverage', levels: { warning: 60, critical: 40 }, direction: 'below', for: '30m' };
  const f = finding(one(series('coverage', (i, n) => (i >= n - 40 ? 55 : 75)), r));

  assert.is(f.severity, 'medium');
  assert.is(f.value, undefined);
  assert.equal(f.expected, { metric: 'coverage', direction: 'up', size: 5 / 55 });
  assert.match(f.description.ko, /경고 수준 60 이하였습니다/);
});

test('one answer per rule, in order; a metric without data is missing', () => {
  const rules: ThresholdSettings[] = [rule, { ...rule, metric: 'gone' }, { ...rule, levels: { critical: 99 } }];
  const out = analyzeThresholds({ ...scope, views: { p95: lastMinutes(50, 95, 20), gone: undefined } }, rules, now);

  assert.equal(out.map((a) => (isFinding(a) ? a.severity : a.reason)), ['high', 'missing-metric', 'within-target']);
});

const coverage: Array<{ name: string; ts: number[]; want: boolean }> = [
  { name: 'one a minute through the span', ts: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], want: true },
  { name: 'starting two gaps late', ts: [2, 3, 4, 5, 6, 7, 8, 9, 10], want: false }, // gap 1m, first − from = 2m
  { name: 'stopping early', ts: [0, 1, 2, 3, 4, 5, 6], want: false },
  { name: 'a single sample', ts: [10], want: false },
];
for (const c of coverage) {
  test(`covers: ${c.name}`, () => {
    const samples = c.ts.map((m) => ({ t: m * minute, v: 1 }));
    assert.is(covers(samples, 0, 10 * minute), c.want);
  });
}

test.run();
