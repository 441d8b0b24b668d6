// The metric history: the window summary from the chart buckets (rounded out to whole steps),
// refusal of non-finite and out-of-order samples, the raw ring behind `since`, the chart merged
// down to a number of points, `addMany` equal to one `add` per sample, and a JSON round trip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prng } from '../../../bench/stats.ts';
import { MetricHistory } from '../../../src/optimize/analysis/history.ts';
import { hour, minute } from './helpers.ts';

const second = 1000;
const history = (o: { ringCapacity?: number; windowMs?: number } = {}): MetricHistory =>
  new MetricHistory({ name: 'm', windowMs: o.windowMs ?? hour, halfLifeMs: hour, chartStepMs: minute, ringCapacity: o.ringCapacity ?? 4096 });

// A sample every 10 s for 3 h, value = its time in seconds: t = 0, 10, …, 10790 s.
// Window [10790 − 3600, 10790] = [7190, 10790] s holds 361 samples exactly. The buckets that overlap
// it are minutes 119 (7140–7199 s) … 179: 61 buckets × 6 samples = 366, the first at 7140 s.
test('count, firstAt and max come from the buckets overlapping the window; last and lastAt are exact', () => {
  const h = history();
  for (let t = 0; t < 3 * hour; t += 10 * second) h.add(t, t / second);

  assert.is(h.count, 366);
  assert.is(h.firstAt, 7140 * second);
  assert.is(h.lastAt, 10790 * second);
  assert.is(h.last, 10790);
  assert.is(h.max, 10790);
});

test('an empty history answers NaN and nothing', () => {
  const h = history();
  assert.is(h.count, 0);
  assert.ok(Number.isNaN(h.firstAt) && Number.isNaN(h.lastAt) && Number.isNaN(h.last) && Number.isNaN(h.max));
  assert.ok(Number.isNaN(h.quantile(0.5)));
  assert.equal(h.since(0), []);
  assert.equal(h.chart(), []);
});

const refusals: Array<{ name: string; t: number; v: number }> = [
  { name: 'NaN value', t: 5 * second, v: Number.NaN },
  { name: 'infinite value', t: 5 * second, v: Infinity },
  { name: 'NaN time', t: Number.NaN, v: 1 },
  { name: 'older than the newest', t: 1 * second, v: 1 },
];
for (const c of refusals) {
  test(`a sample with ${c.name} is refused and counted`, () => {
    const h = history();
    h.add(2 * second, 7);

    assert.is(h.add(c.t, c.v), false);
    assert.is(h.rejected, 1);
    assert.is(h.count, 1);
    assert.is(h.last, 7);
    assert.is(h.add(2 * second, 8), true); // the same time as the newest is accepted
  });
}

test('since(t) answers the raw samples from t on, the newest ringCapacity of them', () => {
  const h = history({ ringCapacity: 10 });
  for (let i = 0; i < 25; i++) h.add(i * second, i);

  assert.equal(h.since(20 * second).map((s) => s.v), [20, 21, 22, 23, 24]);
  assert.equal(h.since(19_500).map((s) => s.v), [20, 21, 22, 23, 24]);
  assert.equal(h.since(0).map((s) => s.v), [15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  assert.equal(h.since(25 * second), []);
});

// 60 one-minute buckets with 6 samples each; merged to 7 points: ⌈60 / 7⌉ = 9 buckets a point, 7 points.
test('chart merges the window buckets down to at most `points`, keeping count, mean, min and max', () => {
  const h = history();
  for (let t = 0; t < hour; t += 10 * second) h.add(t, t / minute);

  const full = h.chart(1000);
  const merged = h.chart(7);

  assert.is(full.length, 60);
  assert.equal(full[3], { t: 3 * minute, mean: 3 + 25 / 60, min: 3, max: 3 + 50 / 60, n: 6 });
  assert.is(merged.length, 7);
  assert.is(merged.reduce((a, p) => a + p.n, 0), 360);
  // minutes 0–8, each bucket's mean m + 25/60: 4 + 25/60 on average
  assert.equal(merged[0], { t: 0, mean: 4 + 25 / 60, min: 0, max: 8 + 50 / 60, n: 54 });
  assert.is(merged[6]!.n, 6 * 6); // minutes 54–59
  assert.is(h.chart().length, 60);
});

test('gaps leave no chart points, and buckets older than the window are not shown', () => {
  const h = history();
  h.add(0, 1);
  h.add(30 * minute, 2);
  h.add(100 * minute, 3); // the window is now [40m, 100m]: the first two are out

  assert.equal(h.chart().map((p) => p.mean), [3]);
  assert.is(h.count, 1);
  assert.is(h.firstAt, 100 * minute);
});

test('addMany equals one add per sample, refusals included', () => {
  const rand = prng(17);
  const n = 5000;
  const ts = new Float64Array(n), vs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ts[i] = i * 7 * second;
    vs[i] = rand() * 100;
  }
  vs[10] = Number.NaN;
  ts[20] = 3 * second; // out of order
  vs[4000] = Infinity;

  const one = history({ ringCapacity: 500 });
  let accepted = 0;
  for (let i = 0; i < n; i++) if (one.add(ts[i]!, vs[i]!)) accepted++;
  const many = history({ ringCapacity: 500 });

  assert.is(many.addMany(ts, vs), accepted);
  assert.is(accepted, n - 3);
  assert.is(many.rejected, 3);
  assert.equal(many.toJSON(), one.toJSON());
});

test('a zero-valued metric: quantiles and max are 0', () => {
  const h = history();
  for (let i = 0; i < 100; i++) h.add(i * second, 0);
  assert.is(h.quantile(0.99), 0);
  assert.is(h.max, 0);
});

test('JSON round trip: the same view, and the same history after more samples', () => {
  const rand = prng(4);
  const a = history({ ringCapacity: 300 });
  for (let i = 0; i < 1000; i++) a.add(i * 10 * second, rand() * 10);

  const b = MetricHistory.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));

  for (const h of [a, b]) h.add(1000 * 10 * second, 5);
  assert.equal([b.count, b.firstAt, b.lastAt, b.last, b.max], [a.count, a.firstAt, a.lastAt, a.last, a.max]);
  assert.equal(b.chart(), a.chart());
  assert.equal(b.since(0), a.since(0));
  assert.ok(Math.abs(b.quantile(0.9) - a.quantile(0.9)) < 1e-12);
});

test.run();
