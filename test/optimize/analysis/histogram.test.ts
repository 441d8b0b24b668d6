// The decaying histogram: quantiles within 5% of the exact ones on uniform and lognormal data,
// zero values in their own bucket, weights that halve every half-life, a reference that moves
// before weights overflow, bucket bounds that hold every value, the batch path equal to the
// single one, and a compact JSON round trip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../../../bench/stats.ts';
import { DecayingHistogram } from '../../../src/optimize/analysis/histogram.ts';
import { percentile } from '../../../src/optimize/analysis/stats.ts';
import { near } from './helpers.ts';

const halfLifeMs = 3_600_000;

function lognormal(rand: () => number, mu: number, sigma: number): number {
  // Box–Muller
  const u = 1 - rand(), v = rand();
  return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

const distributions: Array<{ name: string; draw: (rand: () => number) => number }> = [
  { name: 'uniform [0, 1000)', draw: (rand) => rand() * 1000 },
  { name: 'uniform [0.2, 0.3)', draw: (rand) => 0.2 + rand() * 0.1 },
  { name: 'lognormal μ 3 σ 1', draw: (rand) => lognormal(rand, 3, 1) },
  { name: 'lognormal μ 20 σ 0.5 (bytes)', draw: (rand) => lognormal(rand, 20, 0.5) },
];
for (const d of distributions) {
  test(`quantiles of ${d.name} are within 5% of the exact ones`, () => {
    const rand = prng(42);
    const h = new DecayingHistogram({ halfLifeMs });
    const xs: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const x = d.draw(rand);
      xs.push(x);
      h.add(0, x); // one time: no decay, plain percentiles
    }
    xs.sort((a, b) => a - b);

    for (const q of [0.1, 0.5, 0.9, 0.95, 0.99]) {
      const exact = percentile(xs, q), got = h.quantile(q);
      assert.ok(near(got, exact, 0.05), `q ${q}: ${got} vs ${exact}`);
    }
    assert.is(h.totalWeight, 50_000);
  });
}

test('values ≤ 0 fall in the zero bucket: an all-zero metric answers 0, a half-zero one 0 below the median', () => {
  const zeros = new DecayingHistogram({ halfLifeMs });
  const half = new DecayingHistogram({ halfLifeMs });
  for (let i = 0; i < 100; i++) {
    zeros.add(0, 0);
    half.add(0, i < 60 ? 0 : 5);
  }
  zeros.add(0, -3);

  assert.is(zeros.quantile(0.99), 0);
  assert.is(half.quantile(0.5), 0);
  assert.ok(near(half.quantile(0.9), 5, 0.05), String(half.quantile(0.9)));
  assert.is(zeros.bucketOf(-3), 0);
});

// Weights 2^((t − t0) / halfLife): 1000 samples of 10 at t0 weigh 1000, 1000 of 100 one half-life
// later weigh 2000, so 10 holds a third of the weight: q 0.3 is in its bucket, q 0.4 in 100's.
// Two half-lives later they weigh 4000 and 10 holds a fifth: q 0.3 is then 100.
const decayCases: Array<{ later: number; share: number; q: number; value: number }> = [
  { later: 1, share: 1 / 3, q: 0.3, value: 10 },
  { later: 1, share: 1 / 3, q: 0.4, value: 100 },
  { later: 2, share: 1 / 5, q: 0.3, value: 100 },
  { later: 2, share: 1 / 5, q: 0.15, value: 10 },
];
for (const c of decayCases) {
  test(`samples ${c.later} half-li${c.later === 1 ? 'fe' : 'ves'} older count ${2 ** c.later}× less: q ${c.q} is ${c.value}`, () => {
    const h = new DecayingHistogram({ halfLifeMs });
    for (let i = 0; i < 1000; i++) h.add(0, 10);
    for (let i = 0; i < 1000; i++) h.add(c.later * halfLifeMs, 100);

    assert.ok(near(h.totalWeight, 1000 + 1000 * 2 ** c.later, 1e-12), String(h.totalWeight));
    assert.ok(near(1000 / h.totalWeight, c.share, 1e-12));
    assert.ok(near(h.quantile(c.q), c.value, 0.05), String(h.quantile(c.q)));
  });
}

test('a thousand half-lives of samples do not overflow: the reference moves and the newest dominate', () => {
  const h = new DecayingHistogram({ halfLifeMs });
  for (let i = 0; i <= 1000; i++) h.add(i * halfLifeMs, i < 990 ? 1 : 1000);

  assert.ok(Number.isFinite(h.totalWeight) && h.totalWeight > 0);
  // the last 11 (1000s) weigh 2^10 + … + 2^0 against ≤ 2^0 (…) for the rest: ≈ all of it
  assert.ok(near(h.quantile(0.01), 1000, 0.05), String(h.quantile(0.01)));
  const j = h.toJSON();
  assert.ok(j.reference !== null && j.reference > 800 * halfLifeMs, `reference ${j.reference}`);
});

test('every value lands in the bucket whose bounds hold it, from 1e-7 to 1e14', () => {
  const h = new DecayingHistogram({ halfLifeMs });
  const rand = prng(5);
  for (let i = 0; i < 200_000; i++) {
    const v = 10 ** (-7 + 21 * rand());
    const k = h.bucketOf(v);
    assert.ok(k >= 1 && k < h.size);
    if (k < h.size - 1) assert.ok(h.bucketStart(k) <= v && v < h.bucketStart(k + 1), `v ${v} in bucket ${k}`);
    else assert.ok(v >= h.bucketStart(k));
  }
  // exactly at a bound: the bucket it starts
  for (const k of [2, 50, 400, h.size - 2]) assert.is(h.bucketOf(h.bucketStart(k)), k);
});

test('non-finite values, non-finite times and weights ≤ 0 are ignored', () => {
  const h = new DecayingHistogram({ halfLifeMs });
  h.add(0, Number.NaN);
  h.add(0, Infinity);
  h.add(Number.NaN, 1);
  h.add(0, 1, 0);
  h.add(0, 1, -1);

  assert.ok(h.isEmpty);
  assert.ok(Number.isNaN(h.quantile(0.5)));
  h.add(0, 1, 2);
  assert.is(h.totalWeight, 2);
});

test('addRun gives exactly what one add per sample gives', () => {
  const rand = prng(9);
  const n = 20_000;
  const ts = new Float64Array(n), vs = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += i % 7 === 0 ? 30_000 : 15_000; // two gaps, so the cached factor changes
    ts[i] = t;
    vs[i] = i % 11 === 0 ? 0 : lognormal(rand, 2, 1);
  }
  const one = new DecayingHistogram({ halfLifeMs: 600_000 });
  for (let i = 0; i < n; i++) one.add(ts[i]!, vs[i]!);
  const batch = new DecayingHistogram({ halfLifeMs: 600_000 });
  batch.addRun(ts, vs, 0, n / 2);
  batch.addRun(ts, vs, n / 2, n);

  assert.equal(batch.toJSON(), one.toJSON());
});

test('JSON round trip: compact (non-empty buckets only) and the same quantiles after', () => {
  const rand = prng(3);
  const h = new DecayingHistogram({ halfLifeMs });
  for (let i = 0; i < 5_000; i++) h.add(i * 60_000, 50 + rand() * 10);

  const j = JSON.parse(JSON.stringify(h.toJSON()));
  const back = DecayingHistogram.fromJSON(j);

  assert.ok(j.index.length < 40, `${j.index.length} buckets for values 50–60`);
  assert.is(j.index.length, j.weight.length);
  for (const q of [0.1, 0.5, 0.99]) assert.is(back.quantile(q), h.quantile(q));
  back.add(5_000 * 60_000, 55);
  h.add(5_000 * 60_000, 55);
  for (const q of [0.1, 0.5, 0.99]) assert.ok(near(back.quantile(q), h.quantile(q), 1e-12));
  assert.is(DecayingHistogram.fromJSON(new DecayingHistogram({ halfLifeMs }).toJSON()).isEmpty, true);
});

test.run();
