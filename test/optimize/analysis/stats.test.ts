// Percentiles, the relative change of the median, and the Mann–Whitney test against hand-computed
// cases (normal approximation with tie and continuity corrections, two-sided).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mannWhitney, median, percentile, relativeChange } from '../../../src/optimize/analysis/stats.ts';

const percentileCases: Array<{ xs: number[]; q: number; want: number }> = [
  { xs: [1, 2, 3, 4, 5], q: 0.5, want: 3 },
  { xs: [1, 2, 3, 4], q: 0.5, want: 2.5 },
  // rank 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9)
  { xs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], q: 0.9, want: 9.1 },
  { xs: [7], q: 0.99, want: 7 },
  { xs: [1, 2], q: 0, want: 1 },
  { xs: [1, 2], q: 1, want: 2 },
];
for (const c of percentileCases) {
  test(`percentile q ${c.q} of [${c.xs.join(', ')}] is ${c.want}`, () => {
    assert.ok(Math.abs(percentile(c.xs, c.q) - c.want) < 1e-12, String(percentile(c.xs, c.q)));
  });
}

test('median sorts a copy; the median of nothing is NaN', () => {
  const xs = [5, 1, 3];
  assert.is(median(xs), 3);
  assert.equal(xs, [5, 1, 3]);
  assert.ok(Number.isNaN(median([])));
});

const changeCases: Array<{ before: number[]; after: number[]; want: number; note: string }> = [
  { before: [100, 100, 100], after: [80, 80, 80], want: -0.2, note: 'a 20% fall' },
  { before: [10, 20, 30], after: [30, 40, 50], want: 1, note: 'the median doubles' },
  { before: [-10], after: [-5], want: 0.5, note: 'a negative median: relative to its size' },
  { before: [0, 0, 0], after: [0.2, 0.3, 0.4], want: 0.3, note: 'a zero median: the plain difference' },
];
for (const c of changeCases) {
  test(`relative change: ${c.note}`, () => {
    assert.ok(Math.abs(relativeChange(c.before, c.after) - c.want) < 1e-12, String(relativeChange(c.before, c.after)));
  });
}

// U of `after` = pairs (b, a) with a > b, ties half; μ = nb na / 2; σ² = nb na / 12 × (n + 1 − Σ(t³ − t) / (n (n − 1))).
const rankSumCases: Array<{ name: string; before: number[]; after: number[]; u: number; z: number; p: number }> = [
  // The classic textbook example (ages of 5 males vs 4 females): U = 17, μ = 10, σ² = 20/12 × 10 =
  // 16.667, z = (7 − 0.5) / 4.0825 = 1.5922, p = 2 (1 − Φ(1.5922)) = 0.1113.
  { name: 'textbook, no ties', before: [20, 11, 17, 12], after: [19, 22, 16, 29, 24], u: 17, z: 1.5922, p: 0.1113 },
  // ties 2×2, 3×4, 4×3, 5×2: Σ(t³ − t) = 6 + 60 + 24 + 6 = 96; n = 13, σ² = 42/12 × (14 − 96/156) =
  // 46.846; U = 38.5, μ = 21, z = 17 / 6.8444 = 2.4838, p = 0.0130.
  { name: 'with ties', before: [1, 2, 2, 3, 3, 3, 4], after: [3, 4, 4, 5, 5, 6], u: 38.5, z: 2.4838, p: 0.013 },
  // complete separation, after lower: U = 0, μ = 4.5, σ² = 9/12 × 7 = 5.25, z = −4 / 2.2913 = −1.7457, p = 0.0809
  { name: 'after all lower', before: [5, 6, 7], after: [1, 2, 3], u: 0, z: -1.7457, p: 0.0809 },
  // U = 62 of 64 pairs; ties 12×3 and five pairs (11, 13, 14, 15, 16): Σ(t³ − t) = 24 + 5 × 6 = 54;
  // n = 16, σ² = 64/12 × (17 − 54/240) = 89.467; z = (30 − 0.5) / 9.4587 = 3.1188, p = 0.0018.
  { name: 'a clear rise', before: [10, 12, 11, 13, 12, 14, 11, 12], after: [15, 14, 16, 13, 17, 15, 16, 18], u: 62, z: 3.1188, p: 0.0018 },
  { name: 'all tied', before: [1, 1, 1, 1], after: [1, 1, 1, 1], u: 8, z: 0, p: 1 },
];
for (const c of rankSumCases) {
  test(`Mann–Whitney, ${c.name}: U ${c.u}, p ${c.p}`, () => {
    const r = mannWhitney(c.before, c.after);

    assert.is(r.u, c.u);
    assert.ok(Math.abs(r.z - c.z) < 1e-3, `z ${r.z}`);
    assert.ok(Math.abs(r.p - c.p) < 1e-3, `p ${r.p}`);
  });
}

test('Mann–Whitney is symmetric: swapping the sides flips z and keeps p', () => {
  const a = mannWhitney([20, 11, 17, 12], [19, 22, 16, 29, 24]);
  const b = mannWhitney([19, 22, 16, 29, 24], [20, 11, 17, 12]);
  assert.is(b.u, 20 - a.u);
  assert.ok(Math.abs(a.z + b.z) < 1e-12 && Math.abs(a.p - b.p) < 1e-12);
  assert.equal(mannWhitney([], [1, 2]), { u: Number.NaN, z: 0, p: 1 });
});

test.run();
