// The rolling window: count, mean and variance of a small hand-computed series, eviction in
// ring order, rejection of non-finite samples, and incremental sums that stay equal to a
// from-scratch computation after 10,000 pushes past the capacity.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../../bench/stats.ts';
import { RollingWindow } from '../../src/monitor/math/rolling.ts';
import { close, fromScratch, windowOf } from './helpers.ts';

// Population vs sample: the window reports both; `variance` and `std` are the SAMPLE ones (n − 1).
// [2, 4, 4, 4, 5, 5, 7, 9]: Σ = 40, mean = 40 / 8 = 5
//   deviations −3, −1, −1, −1, 0, 0, 2, 4 → squares 9, 1, 1, 1, 0, 0, 4, 16 → Σ = 32
//   population variance = 32 / 8 = 4 (std 2); sample variance = 32 / 7 = 4.571428…
const momentCases: Array<{ values: number[]; mean: number; variance: number; populationVariance: number }> = [
  { values: [2, 4, 4, 4, 5, 5, 7, 9], mean: 5, variance: 32 / 7, populationVariance: 4 },
  // Σ = 15, mean 3; deviations −2 −1 0 1 2 → Σ² = 10; sample 10/4 = 2.5, population 10/5 = 2
  { values: [1, 2, 3, 4, 5], mean: 3, variance: 2.5, populationVariance: 2 },
  // Σ = 60, mean 12; deviations −2 2 −2 2 → Σ² = 16; sample 16/3, population 4
  { values: [10, 14, 10, 14], mean: 12, variance: 16 / 3, populationVariance: 4 },
  // 1e9 offset: the same spread as [1..5] must survive the cancellation a raw Σv² would suffer
  { values: [1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4, 1e9 + 5], mean: 1e9 + 3, variance: 2.5, populationVariance: 2 },
];
for (const c of momentCases) {
  test(`moments of [${c.values.join(', ')}]: mean ${c.mean}, sample variance ${c.variance.toFixed(4)}`, () => {
    const w = windowOf(c.values);

    assert.is(w.count, c.values.length);
    assert.ok(close(w.mean, c.mean, 1e-12), `mean ${w.mean}`);
    assert.ok(close(w.variance, c.variance, 1e-9), `variance ${w.variance}`);
    assert.ok(close(w.populationVariance, c.populationVariance, 1e-9), `population variance ${w.populationVariance}`);
    assert.ok(close(w.std, Math.sqrt(c.variance), 1e-9));
  });
}

test('a full window evicts the oldest sample and its statistics follow', () => {
  const w = windowOf([1, 2, 3], { capacity: 3 });

  w.push(3000, 10); // evicts 1 → [2, 3, 10]: mean 5, deviations −3 −2 5 → Σ² = 38, sample 19

  assert.equal(w.samples(), [{ t: 1000, v: 2 }, { t: 2000, v: 3 }, { t: 3000, v: 10 }]);
  assert.ok(w.full);
  assert.ok(close(w.mean, 5));
  assert.ok(close(w.variance, 19));
  assert.is(w.valueAt(0), 2);
  assert.is(w.newestTime, 3000);
});

const rejectCases: Array<[string, number, number]> = [
  ['a NaN value', 5000, Number.NaN],
  ['an infinite value', 5000, Number.POSITIVE_INFINITY],
  ['a NaN timestamp', Number.NaN, 1],
  ['an infinite timestamp', Number.NEGATIVE_INFINITY, 1],
];
for (const [what, t, v] of rejectCases) {
  test(`${what} is rejected: counted, not added`, () => {
    const w = windowOf([1, 2, 3, 4, 5], { capacity: 10 });

    const accepted = w.push(t, v);

    assert.is(accepted, false);
    assert.is(w.rejected, 1);
    assert.is(w.count, 5);
    assert.ok(close(w.mean, 3));
    assert.ok(close(w.variance, 2.5));
  });
}

test('below two samples the variance is NaN; an empty window has a NaN mean', () => {
  const w = new RollingWindow(4);
  assert.ok(Number.isNaN(w.mean));
  w.push(0, 7);
  assert.is(w.mean, 7);
  assert.ok(Number.isNaN(w.variance));
  assert.is(w.populationVariance, 0);
});

test('capacity 1 keeps only the newest sample', () => {
  const w = new RollingWindow(1);
  for (let i = 0; i < 50; i++) w.push(i, i * 3);
  assert.equal(w.samples(), [{ t: 49, v: 147 }]);
  assert.is(w.mean, 147);
});

test('a capacity or recompute interval that is not a positive integer is refused', () => {
  assert.throws(() => new RollingWindow(0), /capacity must be a positive integer; found 0/);
  assert.throws(() => new RollingWindow(10, { recomputeEvery: 0.5 }), /recomputeEvery/);
});

// Epoch timestamps with jitter, values near 1e6 with a drift and noise: the case where raw sums
// cancel. Every 997 pushes (a prime, so checks land at every phase of the ring) the incremental
// state must equal a two-pass computation over the same samples within 1e-9 relative.
const driftCases: Array<{ capacity: number; recomputeEvery?: number }> = [
  { capacity: 1000 },
  { capacity: 7 },
  { capacity: 1000, recomputeEvery: 1_000_000 }, // Welford alone, no periodic rebuild
];
for (const c of driftCases) {
  test(`capacity ${c.capacity}${c.recomputeEvery ? ', never rebuilt' : ''}: incremental = from scratch after 10,000 pushes past capacity`, () => {
    const rand = prng(42 + c.capacity);
    const w = new RollingWindow(c.capacity, c.recomputeEvery ? { recomputeEvery: c.recomputeEvery } : {});
    let t = 1_724_000_000_000;
    const total = c.capacity + 10_000;
    let checks = 0;
    for (let i = 1; i <= total; i++) {
      t += 1000 + Math.floor(rand() * 200);
      assert.ok(w.push(t, 1e6 + 0.5 * i + (rand() - 0.5) * 20));
      if (i % 997 === 0 || i === total) {
        const ref = fromScratch(w.samples());
        const s = w.leastSquares();
        const slope = s.suv / s.suu;
        const fittedLast = s.meanV + slope * (w.newestTime - s.origin - s.meanU);
        assert.ok(close(w.mean, ref.mean), `mean ${w.mean} vs ${ref.mean} at push ${i}`);
        assert.ok(close(w.variance, ref.variance), `variance ${w.variance} vs ${ref.variance} at push ${i}`);
        assert.ok(close(slope, ref.slope), `slope ${slope} vs ${ref.slope} at push ${i}`);
        assert.ok(close(fittedLast, ref.fittedLast), `fitted ${fittedLast} vs ${ref.fittedLast} at push ${i}`);
        checks++;
      }
    }
    assert.is(w.count, c.capacity);
    assert.ok(checks >= 10);
  });
}

test('recompute() changes nothing but rounding', () => {
  const w = windowOf([3, 1, 4, 1, 5, 9, 2, 6], { t0: 1_724_000_000_000, capacity: 5 });
  const before = { mean: w.mean, variance: w.variance };
  w.recompute();
  assert.ok(close(w.mean, before.mean, 1e-12));
  assert.ok(close(w.variance, before.variance, 1e-12));
});

test.run();
