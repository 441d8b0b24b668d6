// The workers analyzer on synthetic days (one sample a minute): too little data, flat and noisy
// latency within target, a step up that needs more workers, a quiet plugin that needs fewer, the
// utilisation rule, the ceiling, and missing metrics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeWorkers, suggestWorkers, type WorkersInput } from '../../../src/optimize/analysis/workers.ts';
import { isFinding, type Analysis, type Finding } from '../../../src/optimize/analysis/types.ts';
import type { WorkersSettings } from '../../../src/documents/schema/optimization.ts';
import { flat, noisy, now, scope, step } from './helpers.ts';

const settings: WorkersSettings = { latency: 'lat', current: 'workers', target: 200 };
const run = (views: Omit<WorkersInput, 'windowMs' | 'rule'>, s: WorkersSettings = settings): Analysis => analyzeWorkers({ ...scope, ...views }, s, now);

function finding(a: Analysis): Finding {
  if (!isFinding(a)) throw new Error(`expected a finding; got ${a.reason}: ${a.message}`);
  return a;
}

test('too little data: no suggestion, and the numbers found and needed', () => {
  const a = run({ latency: step('lat', 100, 900, { n: 20, unit: 'ms' }), current: flat('workers', 4, { n: 20 }) });
  assert.equal(a, { analyzer: 'workers', reason: 'insufficient-data', message: 'lat: 20 samples over 19m; needs 100 samples over 3h' });
});

const within: Array<{ name: string; latency: () => ReturnType<typeof flat>; utilization?: () => ReturnType<typeof flat> }> = [
  { name: 'flat latency 150 ms (between half and all of the target)', latency: () => flat('lat', 150, { unit: 'ms' }) },
  { name: 'flat latency 60 ms but utilisation 0.6 (busy: no scale down)', latency: () => flat('lat', 60), utilization: () => flat('util', 0.6) },
  ...[1, 2, 3, 4, 5].map((seed) => ({ name: `noisy latency 150 ms ± 30% (seed ${seed})`, latency: () => noisy('lat', 150, 0.3, seed) })),
];
for (const c of within) {
  test(`within target: ${c.name}`, () => {
    const s: WorkersSettings = c.utilization ? { ...settings, utilization: 'util' } : settings;
    const a = run({ latency: c.latency(), current: flat('workers', 4), ...(c.utilization ? { utilization: c.utilization() } : {}) }, s);
    assert.is(a.analyzer, 'workers');
    assert.ok(!isFinding(a) && a.reason === 'within-target', JSON.stringify(a));
  });
}

// Latency 100 ms, then 280 ms for the last 12 h: the decaying p90 is the 280 (the newer half
// weighs 0.8 of the whole with a 6 h half-life), within its 5% bucket. 4 × 280 / 200 × 1.15 = 6.44
// → 7 (p90 ± 5%: 6.1 … 6.8, still 7).
test('a step up of the latency: more workers, by the p90 over the target with the margin', () => {
  const latency = step('lat', 100, 280, { unit: 'ms' });
  const f = finding(run({ latency, current: flat('workers', 4) }));
  const p90 = latency.quantile(0.9);

  assert.ok(Math.abs(p90 - 280) / 280 < 0.05, `p90 ${p90}`);
  assert.is(f.value, 7);
  assert.is(f.value, Math.ceil(4 * (p90 / 200) * 1.15));
  assert.is(f.previous, 4);
  assert.is(f.type, 'scale_workers');
  assert.equal(f.expected, { metric: 'lat', direction: 'down', size: 1 - 4 / 7 });
  assert.is(f.severity, 'medium'); // 280 / 200 − 1 = 0.4
  assert.ok(f.confidence > 0.99, String(f.confidence));
  assert.is(f.evidence.metric, 'lat');
  assert.is(f.evidence.unit, 'ms');
  assert.is(f.evidence.figures.latencyP90, p90);
  assert.match(f.description.en, /^Latency p90 2\d\d ms is over the target 200 ms\. Raise workers from 4 to 7\.$/);
  assert.match(f.description.ko, /^지연 p90 2\d\d ms가 목표 200 ms를 넘습니다\. 워커를 4개에서 7개로 늘리세요\.$/);
});

// Latency 60 ms, utilisation 0.2, 8 workers: 8 × max(60 / 200, 0.2 / 0.7) × 1.15 = 8 × 0.3 × 1.15 = 2.76 → 3.
test('a quiet plugin: fewer workers, and the utilisation is expected to rise', () => {
  const f = finding(run({ latency: flat('lat', 60, { unit: 'ms' }), utilization: flat('util', 0.2), current: flat('workers', 8) }, { ...settings, utilization: 'util' }));

  assert.is(f.value, 3);
  assert.equal(f.expected, { metric: 'util', direction: 'up', size: 8 / 3 - 1, hold: true });
  assert.is(f.severity, 'low');
  assert.match(f.description.en, /Lower workers from 8 to 3\.$/);
  assert.match(f.description.ko, /^지연 p90 [\d.]+ ms가 목표 200 ms의 절반보다 낮고 사용률 p90도 \d+(\.\d+)?%입니다\. 워커를 8개에서 3개로 줄이세요\.$/);
});

test('busy workers: a utilisation p90 over 0.85 can ask for more than the latency does', () => {
  const latency = flat('lat', 205), utilization = flat('util', 0.98);
  const f = finding(run({ latency, utilization, current: flat('workers', 10) }, { ...settings, utilization: 'util' }));
  const byLatency = Math.ceil(10 * (latency.quantile(0.9) / 200) * 1.15);
  const byUtil = Math.ceil((10 * utilization.quantile(0.9)) / 0.7 - 1e-9);

  assert.ok(byUtil > byLatency, `${byUtil} vs ${byLatency}`);
  assert.is(f.value, byUtil);
});

const rules: Array<{ name: string; args: Parameters<typeof suggestWorkers>; want: number }> = [
  { name: 'over target ×2', args: [4, 400, 200, undefined, {}], want: 10 }, // 4 × 2 × 1.15 = 9.2
  { name: 'margin 0', args: [4, 400, 200, undefined, { margin: 0 }], want: 8 },
  { name: 'capped at max', args: [40, 400, 200, undefined, { max: 50 }], want: 50 },
  { name: 'not under min when scaling down', args: [4, 10, 200, 0.01, { min: 3 }], want: 3 },
  { name: 'a scale down that would not lower the count', args: [1, 10, 200, undefined, {}], want: 1 },
  { name: 'exactly at the target', args: [4, 200, 200, 0.5, {}], want: 4 },
];
for (const c of rules) {
  test(`suggestWorkers: ${c.name} → ${c.want}`, () => assert.is(suggestWorkers(...c.args), c.want));
}

test('already at the ceiling: no change, and says so', () => {
  const a = run({ latency: flat('lat', 400), current: flat('workers', 64) });
  assert.ok(!isFinding(a) && a.reason === 'within-target');
  assert.match(!isFinding(a) ? a.message : '', /already the ceiling/);
});

const missing: Array<{ name: string; views: Omit<WorkersInput, 'windowMs' | 'rule'>; s: WorkersSettings; message: string }> = [
  { name: 'latency', views: { current: flat('workers', 4) }, s: settings, message: 'metric lat (latency) has no data' },
  { name: 'current', views: { latency: flat('lat', 300) }, s: settings, message: 'metric workers (current) has no data' },
  { name: 'utilization, when named', views: { latency: flat('lat', 300), current: flat('workers', 4) }, s: { ...settings, utilization: 'util' }, message: 'metric util (utilization) has no data' },
  { name: 'a usable count', views: { latency: flat('lat', 300), current: flat('workers', 0) }, s: settings, message: 'metric workers (current) has no usable worker count: last value 0' },
];
for (const c of missing) {
  test(`missing metric: ${c.name}`, () => {
    assert.equal(run(c.views, c.s), { analyzer: 'workers', reason: 'missing-metric', message: c.message });
  });
}

test.run();
