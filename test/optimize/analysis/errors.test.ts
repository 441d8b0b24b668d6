// The errors analyzer: too little data, a flat rate, noise (a continuous rate, and a health
// check's 0-or-1 samples) that never rises, a real rise with its signatures, cause and incidents,
// and the block baseline.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../../../bench/stats.ts';
import { analyzeErrors, blockMeans, type ErrorsInput } from '../../../src/optimize/analysis/errors.ts';
import { isFinding, type Analysis, type Finding } from '../../../src/optimize/analysis/types.ts';
import type { ErrorsSettings } from '../../../src/documents/schema/optimization.ts';
import { flat, hour, minute, noisy, now, scope, series } from './helpers.ts';

const settings: ErrorsSettings = { errorRate: 'errors' };
const run = (views: Omit<ErrorsInput, 'windowMs' | 'rule'>, s: ErrorsSettings = settings): Analysis => analyzeErrors({ ...scope, ...views }, s, now);
function finding(a: Analysis): Finding {
  if (!isFinding(a)) throw new Error(`expected a finding; got ${a.reason}: ${a.message}`);
  return a;
}

/** 0.5% for 23 h, then `recent` for the last hour (60 samples). */
const rise = (recent: number) => series('errors', (i, n) => (i >= n - 60 ? recent : 0.005));

test('too little data: no suggestion, the numbers in the message', () => {
  assert.equal(run({ errorRate: series('errors', () => 0.3, { n: 90 }) }), {
    analyzer: 'errors', reason: 'insufficient-data', message: 'errors: 90 samples over 1h 29m; needs 100 samples over 3h',
  });
});

test('nothing in the recent window, or nothing before it: insufficient data, said so', () => {
  const stale = series('errors', () => 0.5, { end: now - 2 * hour });
  const young = series('errors', () => 0.5, { n: 200 }); // 3h 19m: enough, but all of it in the last 4h
  const recentOnly = run({ errorRate: stale });
  assert.equal(recentOnly, { analyzer: 'errors', reason: 'insufficient-data', message: 'errors: no samples in the last 1h' });
  assert.equal(run({ errorRate: young }, { ...settings, recent: '4h' }), { analyzer: 'errors', reason: 'insufficient-data', message: 'errors: no samples before the last 4h to compare with' });
});

const quiet: Array<{ name: string; view: () => ReturnType<typeof flat> }> = [
  { name: 'flat 3%', view: () => flat('errors', 0.03) },
  { name: 'flat 0.2% (under the floor)', view: () => flat('errors', 0.002) },
  ...[1, 2, 3, 4, 5].map((seed) => ({ name: `3% ± 30% (seed ${seed})`, view: () => noisy('errors', 0.03, 0.3, seed) })),
  // a health check: each sample 0 or 1, failing 2% of the time
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ name: `0-or-1 samples failing 2% (seed ${seed})`, view: () => { const r = prng(seed); return series('errors', () => (r() < 0.02 ? 1 : 0)); } })),
];
for (const c of quiet) {
  test(`no rise: ${c.name}`, () => {
    const a = run({ errorRate: c.view() });
    assert.ok(!isFinding(a) && a.reason === 'within-target', JSON.stringify(a));
  });
}

test('a rise from 0.5% to 8% in the last hour: a diagnosis with the top signatures, the cause and the incidents', () => {
  const lines = [
    'upstream timeout after 30s calling 10.0.0.7:8080',
    'upstream timeout after 12s calling 10.0.0.8:8080',
    'user "x" not found',
    'upstream timeout after 30s calling 10.0.0.9:8080',
  ];
  const incidents = [{ id: 'inc-1', title: 'older', openedAt: now - 5 * hour }, { id: 'inc-2', title: 'newer', openedAt: now - 10 * minute }];

  const f = finding(run({ errorRate: rise(0.08), lines, incidents }));

  assert.is(f.type, 'diagnose_errors');
  assert.is(f.value, undefined);
  assert.equal(f.signatures![0], { template: 'upstream timeout after <dur> calling <ip>', count: 3, example: lines[0] });
  assert.is(f.likelyCause, 'a dependency is slow or unreachable');
  assert.equal(f.incidents!.map((i) => i.id), ['inc-2', 'inc-1']);
  assert.is(f.evidence.figures.baseline, 0.005);
  assert.ok(Math.abs(f.evidence.figures.recent! - 0.08) < 1e-12);
  assert.equal(f.expected, { metric: 'errors', direction: 'down', size: 1 - 0.005 / 0.08 });
  assert.is(f.severity, 'critical'); // 0.08 / (2 × 0.01) − 1 = 3
  assert.is(f.description.en, 'Error rate rose to 8% over the last 1h from a baseline of 0.5% (16×). Top error: "upstream timeout after <dur> calling <ip>" (3 lines). Likely cause: a dependency is slow or unreachable.');
  assert.is(f.description.ko, '최근 1h 동안 오류율이 기준 0.5%에서 8%로 올랐습니다(16배). 가장 많은 오류: "upstream timeout after <dur> calling <ip>" (3줄). 추정 원인: 의존 서비스가 느리거나 닿지 않습니다.');
});

const bars: Array<{ name: string; recent: number; s?: ErrorsSettings; rises: boolean }> = [
  { name: '1.2% is 2.4× 0.5% and over the floor', recent: 0.012, rises: true },
  { name: '0.9% is under the 1% floor', recent: 0.009, rises: false },
  { name: '1.2% is under 3× with rise 3', recent: 0.012, s: { ...settings, rise: 3 }, rises: false },
  { name: '1.2% is under a 2% floor', recent: 0.012, s: { ...settings, floor: 0.02 }, rises: false },
];
for (const c of bars) {
  test(`the bar: ${c.name}`, () => {
    const a = run({ errorRate: rise(c.recent) }, c.s);
    assert.is(isFinding(a), c.rises, JSON.stringify(a));
  });
}

test('without log lines: no signatures, the cause unknown', () => {
  const f = finding(run({ errorRate: rise(0.3) }));
  assert.equal(f.signatures, []);
  assert.is(f.likelyCause, 'unknown; see the top signatures');
  assert.match(f.description.en, /No error lines were given\./);
  assert.is(f.incidents, undefined);
});

test('blockMeans: blocks counted back from the end, weighted by samples, oldest first', () => {
  const point = (t: number, mean: number, n: number) => ({ t, mean, min: mean, max: mean, n });
  // end 100, blocks of 30 by where a bucket starts: [70, 100) → 0, [40, 70) → 1, [10, 40) → 2, [−20, 10) → 3
  const chart = [point(0, 9, 1), point(20, 1, 1), point(45, 2, 3), point(60, 4, 1), point(90, 5, 2), point(100, 99, 1)];
  assert.equal(blockMeans(chart, 100, 30), [9, 1, 2.5, 5]);
});

test('missing metric', () => {
  assert.equal(run({}), { analyzer: 'errors', reason: 'missing-metric', message: 'metric errors (errorRate) has no data' });
});

test.run();
