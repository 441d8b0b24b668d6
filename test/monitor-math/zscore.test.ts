// The plain z-score against hand-computed values (sample std, n − 1), the insufficient and
// constant guards, and a non-finite value refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { zscore, type ZScoreResult } from '../../src/monitor/math/zscore.ts';
import { windowOf } from './helpers.ts';

// [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, Σ(x − 5)² = 32, sample std = √(32 / 7) = √4.571428 = 2.138090
//   x = 10: z = (10 − 5) / 2.138090 = 2.338536 → ok (≤ 2.5)
//   x = 11: z = 6 / 2.138090 = 2.806243 → anomaly
// (With the population std 2 the first would read 2.5 exactly: the choice of n − 1 matters on
// small windows, and is the conservative one.)
const base = [2, 4, 4, 4, 5, 5, 7, 9];
const std = Math.sqrt(32 / 7);
const cases: Array<{ value: number; threshold?: number; kind: 'ok' | 'anomaly'; z: number }> = [
  { value: 5, kind: 'ok', z: 0 },
  { value: 10, kind: 'ok', z: 2.338536 },
  { value: 11, kind: 'anomaly', z: 2.806243 },
  { value: 0, kind: 'ok', z: -2.338536 },
  { value: -1, kind: 'anomaly', z: -2.806243 },
  { value: 10, threshold: 2, kind: 'anomaly', z: 2.338536 },
  { value: 7, kind: 'ok', z: 0.935414 }, // 2 / 2.138090
];
for (const c of cases) {
  test(`z of ${c.value} against [${base.join(', ')}]${c.threshold ? ` at threshold ${c.threshold}` : ''}: ${c.kind}, z ≈ ${c.z}`, () => {
    const r = zscore(windowOf(base), c.value, { minSamples: 8, ...(c.threshold ? { threshold: c.threshold } : {}) });

    assert.is(r.kind, c.kind);
    if (r.kind !== 'ok' && r.kind !== 'anomaly') throw new Error('unreachable');
    assert.ok(Math.abs(r.z - c.z) < 1e-6, `z ${r.z}`);
    assert.is(r.mean, 5);
    assert.ok(Math.abs(r.std - std) < 1e-12);
  });
}

test('below minSamples (default 10) the result is insufficient', () => {
  assert.equal(zscore(windowOf(base), 100), { kind: 'insufficient', count: 8 });
  assert.equal(zscore(windowOf([1]), 100, { minSamples: 0 }), { kind: 'insufficient', count: 1 });
});

// A constant series has std 0 (or 1e-16-ish after rounding). The std is floored at minStd
// (default 1e-9 × max(1, |mean|) = 1e-7 for a mean of 100): the mean itself is `constant`, a value
// more than threshold × minStd = 2.5e-7 away is an anomaly with z = Δ / minStd.
const constant = Array.from({ length: 12 }, () => 100);
const constantCases: Array<{ value: number; minStd?: number; expect: ZScoreResult }> = [
  { value: 100, expect: { kind: 'constant', mean: 100, std: 0 } },
  { value: 100 + 2e-7, expect: { kind: 'constant', mean: 100, std: 0 } },
  { value: 101, expect: { kind: 'anomaly', z: 1 / 1e-7, mean: 100, std: 0 } },
  { value: 99, expect: { kind: 'anomaly', z: -1 / 1e-7, mean: 100, std: 0 } },
  { value: 101, minStd: 0.5, expect: { kind: 'constant', mean: 100, std: 0 } }, // 1 ≤ 2.5 × 0.5
  { value: 102, minStd: 0.5, expect: { kind: 'anomaly', z: 4, mean: 100, std: 0 } }, // 2 / 0.5
];
for (const c of constantCases) {
  test(`constant series at 100, value ${c.value}${c.minStd ? `, minStd ${c.minStd}` : ''}: ${c.expect.kind}`, () => {
    const r = zscore(windowOf(constant), c.value, c.minStd ? { minStd: c.minStd } : {});
    if (r.kind === 'anomaly' && c.expect.kind === 'anomaly') {
      assert.ok(Math.abs(r.z - c.expect.z) <= 1e-6 * Math.abs(c.expect.z), `z ${r.z}`);
      assert.is(r.mean, 100);
    } else {
      assert.equal(r, c.expect);
    }
  });
}

test('a near-constant series (std 1e-12 around 1e3) is guarded, not divided', () => {
  const values = Array.from({ length: 10 }, (_, i) => 1000 + (i % 2) * 2e-12);
  const r = zscore(windowOf(values), 1000);
  assert.is(r.kind, 'constant');
});

test('a non-finite value is a caller error', () => {
  assert.throws(() => zscore(windowOf(base), Number.NaN, { minSamples: 8 }), /non-finite value: NaN/);
});

test.run();
