// The robust score: median and MAD against hand-computed values, the sorted array kept through
// evictions, the constant guard, and an outlier in the window that hides the next anomaly from
// the plain z-score but not from the MAD.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../../bench/stats.ts';
import { madOf, madScore, medianOf, MedianWindow } from '../../src/monitor/math/mad.ts';
import { zscore } from '../../src/monitor/math/zscore.ts';
import { windowOf } from './helpers.ts';

function medianWindowOf(values: number[], capacity = values.length): MedianWindow {
  const w = new MedianWindow(capacity);
  values.forEach((v, i) => w.push(i * 1000, v));
  return w;
}

// [1, 1, 2, 2, 4, 6, 9]: median 2 (4th of 7); |x − 2| = 1 1 0 0 2 4 7 → sorted 0 0 1 1 2 4 7 → MAD 1
const statCases: Array<{ values: number[]; median: number; mad: number }> = [
  { values: [1, 1, 2, 2, 4, 6, 9], median: 2, mad: 1 },
  // sorted 1 2 3 4 5 6: median (3 + 4) / 2 = 3.5; deviations 2.5 1.5 .5 .5 1.5 2.5 → sorted .5 .5 1.5 1.5 2.5 2.5 → MAD 1.5
  { values: [6, 1, 5, 2, 4, 3], median: 3.5, mad: 1.5 },
  // median 10; deviations 0 0 0 0 1 1 1 1 2 40 (see the masking case below) → MAD (1 + 1) / 2 = 1
  { values: [10, 11, 9, 10, 12, 10, 9, 11, 10, 50], median: 10, mad: 1 },
  { values: [7], median: 7, mad: 0 },
  { values: [3, 3, 3, 8], median: 3, mad: 0 }, // deviations 0 0 0 5
];
for (const c of statCases) {
  test(`median and MAD of [${c.values.join(', ')}]: ${c.median}, ${c.mad}`, () => {
    const w = medianWindowOf(c.values);
    const sorted = [...c.values].sort((a, b) => a - b);

    assert.equal(w.sorted(), sorted);
    assert.is(w.median(), c.median);
    assert.is(w.mad(), c.mad);
    assert.is(medianOf(sorted), c.median);
    assert.is(madOf(sorted, c.median), c.mad);
  });
}

// Modified z = 0.6745 × (x − median) / MAD, threshold 3.5:
// [9, 10, 10, 11, 9, 11, 10, 10, 12, 8]: sorted 8 9 9 10 10 10 10 11 11 12 → median 10;
//   deviations 2 1 1 0 0 0 0 1 1 2 → sorted 0 0 0 0 1 1 1 1 2 2 → MAD (1 + 1) / 2 = 1
//   x = 15: z = 0.6745 × 5 / 1 = 3.3725 → ok (≤ 3.5); x = 16: 0.6745 × 6 = 4.047 → anomaly
const scoreBase = [9, 10, 10, 11, 9, 11, 10, 10, 12, 8];
const scoreCases: Array<{ value: number; kind: 'ok' | 'anomaly'; z: number }> = [
  { value: 10, kind: 'ok', z: 0 },
  { value: 15, kind: 'ok', z: 3.3725 },
  { value: 16, kind: 'anomaly', z: 4.047 },
  { value: 4, kind: 'anomaly', z: -4.047 },
];
for (const c of scoreCases) {
  test(`modified z of ${c.value}: ${c.kind}, ${c.z}`, () => {
    const r = madScore(medianWindowOf(scoreBase), c.value);
    assert.is(r.kind, c.kind);
    if (r.kind !== 'ok' && r.kind !== 'anomaly') throw new Error('unreachable');
    assert.ok(Math.abs(r.z - c.z) < 1e-12, `z ${r.z}`);
    assert.equal([r.median, r.mad, r.sigma], [10, 1, 1.4826]);
  });
}

// One outlier (50) in the window of ten. Plain: Σ = 142, mean 14.2; deviations −4.2 −3.2 −5.2
// −4.2 −2.2 −4.2 −5.2 −3.2 −4.2 35.8, squares Σ = 1431.6, sample std √(1431.6 / 9) = 12.612;
// the next reading 20 scores (20 − 14.2) / 12.612 = 0.46: ok. The 50 alone raised the mean by 4
// and the std from ≈ 1.1 to 12.6 (without it, 20 would score ≈ 9). Robust: median 10, MAD 1 (the
// 50 is one rank among ten), modified z = 0.6745 × 10 / 1 = 6.745: anomaly.
test('one outlier in the window masks the next anomaly for the z-score, not for the MAD', () => {
  const series = [10, 11, 9, 10, 12, 10, 9, 11, 10, 50];

  const plain = zscore(windowOf(series), 20);
  const robust = madScore(medianWindowOf(series), 20);

  assert.is(plain.kind, 'ok');
  if (plain.kind === 'ok') assert.ok(Math.abs(plain.z - 0.45987) < 1e-5, `z ${plain.z}`);
  assert.equal(robust, { kind: 'anomaly', z: 6.745, median: 10, mad: 1, sigma: 1.4826 });
  const withoutOutlier = zscore(windowOf(series.slice(0, 9)), 20, { minSamples: 9 });
  assert.is(withoutOutlier.kind, 'anomaly');
});

// More than half the window equal: MAD 0, sigma under the floor → constant guard.
test('MAD 0 (most of the window equal) is guarded: the median is constant, a departure an anomaly', () => {
  const w = medianWindowOf([5, 5, 5, 5, 5, 5, 5, 5, 6, 4]);

  assert.equal(madScore(w, 5), { kind: 'constant', median: 5, mad: 0 });
  const r = madScore(w, 6);
  assert.is(r.kind, 'anomaly');
  assert.equal(madScore(w, 6, { minStd: 1 }), { kind: 'constant', median: 5, mad: 0 }); // 1 ≤ 3.5 × 1
});

test('below minSamples the score is insufficient; a NaN sample is rejected', () => {
  const w = medianWindowOf([1, 2, 3]);
  assert.equal(madScore(w, 2), { kind: 'insufficient', count: 3 });
  assert.is(w.push(4000, Number.NaN), false);
  assert.is(w.window.rejected, 1);
  assert.equal(w.sorted(), [1, 2, 3]);
});

test('through 10,000 pushes past capacity the sorted array, median and MAD equal a fresh sort', () => {
  const rand = prng(7);
  const w = new MedianWindow(101);
  for (let i = 0; i < 10_101; i++) {
    // integers, so duplicates (and the eviction of one of several equal values) are common
    w.push(i, Math.floor(rand() * 40));
    if (i % 499 === 0 && w.count > 0) {
      const fresh = w.window.samples().map((s) => s.v).sort((a, b) => a - b);
      const m = medianOf(fresh);
      const mad = medianOf(fresh.map((x) => Math.abs(x - m)).sort((a, b) => a - b));
      assert.equal(w.sorted(), fresh);
      assert.is(w.median(), m);
      assert.is(w.mad(), mad);
    }
  }
  assert.is(w.count, 101);
});

test('madOf equals a brute-force median of deviations for every length 1–60, odd and even, with ties', () => {
  const rand = prng(11);
  for (let n = 1; n <= 60; n++) {
    for (let rep = 0; rep < 20; rep++) {
      const xs = Array.from({ length: n }, () => Math.floor(rand() * 12)).sort((a, b) => a - b);
      const m = medianOf(xs);
      assert.is(madOf(xs, m), medianOf(xs.map((x) => Math.abs(x - m)).sort((a, b) => a - b)), `[${xs.join(', ')}]`);
    }
  }
});

test.run();
