// The verdict on an applied change: better, worse, no change or too few samples, from seeded
// noisy samples before and after with a known shift of the median.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../../../bench/stats.ts';
import { verdict, type Outcome } from '../../../src/optimize/analysis/verdict.ts';
import type { Direction, Sample } from '../../../src/optimize/analysis/types.ts';

/** n samples of `center` × (1 ± 10%), one a minute from t0. */
function samples(n: number, center: number, seed: number, t0 = 0): Sample[] {
  const rand = prng(seed);
  return Array.from({ length: n }, (_, i) => ({ t: t0 + i * 60_000, v: center * (1 + 0.1 * (2 * rand() - 1)) }));
}

const cases: Array<{ name: string; after: number; direction: Direction; n?: number; outcome: Outcome }> = [
  { name: 'latency 300 → 200, expected down', after: 200, direction: 'down', outcome: 'better' },
  { name: 'latency 300 → 400, expected down', after: 400, direction: 'down', outcome: 'worse' },
  { name: 'utilisation 300 → 400, expected up', after: 400, direction: 'up', outcome: 'better' },
  { name: 'latency 300 → 300, expected down', after: 300, direction: 'down', outcome: 'no-change' },
  // significant with 200 samples a side, but a 4% move is under minEffect 10%
  { name: 'latency 300 → 288 (−4%) with many samples', after: 288, direction: 'down', n: 200, outcome: 'no-change' },
  { name: '19 samples a side', after: 100, direction: 'down', n: 19, outcome: 'insufficient' },
];
for (const c of cases) {
  test(`verdict: ${c.name} is ${c.outcome}`, () => {
    const n = c.n ?? 60;
    const before = samples(n, 300, 1), after = samples(n, c.after, 2, n * 60_000);

    const v = verdict(before, after, { direction: c.direction, size: 0.3 });

    assert.is(v.outcome, c.outcome);
    assert.is(v.before.n, n);
    assert.is(v.after.n, n);
    assert.ok(Math.abs(v.change - (c.after - 300) / 300) < 0.05, `change ${v.change}`);
    if (c.outcome === 'better' || c.outcome === 'worse') assert.ok(v.p < 0.001, `p ${v.p}`);
  });
}

test('the same noise on both sides is no change for twenty seeds (no false verdict)', () => {
  const outcomes = new Set<Outcome>();
  for (let seed = 10; seed < 30; seed++) outcomes.add(verdict(samples(60, 300, seed), samples(60, 300, seed + 100), { direction: 'down', size: 0.2 }).outcome);
  assert.equal([...outcomes], ['no-change']);
});

test('options: a looser minEffect (2%) turns the small move better; non-finite values do not count', () => {
  const before = samples(200, 300, 1), after = samples(200, 288, 2);
  assert.is(verdict(before, after, { direction: 'down' }, { minEffect: 0.02 }).outcome, 'better');
  const withNaN = [...samples(19, 300, 3), { t: 0, v: Number.NaN }];
  assert.is(verdict(withNaN, samples(30, 200, 4), { direction: 'down' }).outcome, 'insufficient');
});

test('a rate that is mostly zero (a share of failed checks): 20% failed before, none after is better, not a tie of medians', () => {
  const before = Array.from({ length: 60 }, (_, i) => ({ t: i * 60_000, v: i % 5 === 0 ? 1 : 0 }));
  const after = Array.from({ length: 60 }, (_, i) => ({ t: (60 + i) * 60_000, v: 0 }));
  const v = verdict(before, after, { direction: 'down', size: 1 });
  assert.is(v.outcome, 'better');
  assert.is(v.change, -1);
  assert.ok(v.p < 0.01);
  assert.is(verdict(after, before, { direction: 'down', size: 1 }).outcome, 'worse');
});

test.run();
