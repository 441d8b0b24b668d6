// The cache analyzer: too little data, flat and noisy hit ratios that meet the target, a drop of
// the hit ratio that asks for a bigger cache (or a longer TTL), the ceiling, and a suggestion
// relative to an unknown current size.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeCache, cacheFactor, type CacheInput } from '../../../src/optimize/analysis/cache.ts';
import { isFinding, type Analysis, type Finding } from '../../../src/optimize/analysis/types.ts';
import type { CacheSettings } from '../../../src/documents/schema/optimization.ts';
import { flat, noisy, now, scope, step } from './helpers.ts';

const settings: CacheSettings = { hitRatio: 'hits', current: 'size' };
const run = (views: Omit<CacheInput, 'windowMs' | 'rule'>, s: CacheSettings = settings): Analysis => analyzeCache({ ...scope, ...views }, s, now);
function finding(a: Analysis): Finding {
  if (!isFinding(a)) throw new Error(`expected a finding; got ${a.reason}: ${a.message}`);
  return a;
}

test('too little data: no suggestion, the numbers in the message', () => {
  assert.equal(run({ hitRatio: flat('hits', 0.2, { n: 200, stepMs: 30_000 }), current: flat('size', 1000) }), {
    analyzer: 'cache', reason: 'insufficient-data', message: 'hits: 200 samples over 1h 39m; needs 100 samples over 3h',
  });
});

const meets: Array<{ name: string; hits: () => ReturnType<typeof flat> }> = [
  { name: 'flat 0.9', hits: () => flat('hits', 0.9) },
  ...[1, 2, 3, 4].map((seed) => ({ name: `0.85 ± 5% (seed ${seed})`, hits: () => noisy('hits', 0.85, 0.05, seed) })),
];
for (const c of meets) {
  test(`within target: hit ratio ${c.name} against 0.8`, () => {
    const a = run({ hitRatio: c.hits(), current: flat('size', 1000) });
    assert.ok(!isFinding(a) && a.reason === 'within-target', JSON.stringify(a));
  });
}

// 0.9, then 0.4 for the last 12 h: the decaying median is the 0.4 (the newer half weighs 0.8);
// 0.8 / 0.4 = 2 → 2000 (the median ± 5% moves it 1905 … 2105).
test('a drop of the hit ratio: a bigger cache by target / hit, latency expected down by the misses removed', () => {
  const hits = step('hits', 0.9, 0.4);
  const f = finding(run({ hitRatio: hits, current: flat('size', 1000, { unit: 'entries' }), latency: flat('lat', 80) }, { ...settings, latency: 'lat' }));
  const hit = hits.quantile(0.5);

  assert.is(f.type, 'cache_size');
  assert.is(f.value, Math.ceil(1000 * (0.8 / hit)));
  assert.ok(f.value! >= 1905 && f.value! <= 2105, String(f.value));
  assert.is(f.previous, 1000);
  assert.is(f.unit, 'entries');
  assert.equal(f.expected, { metric: 'lat', direction: 'down', size: 1 - 0.2 / (1 - hit) });
  assert.is(f.severity, 'high'); // (0.8 − 0.4) / 0.8 = 0.5
  assert.match(f.description.en, /^Cache hit ratio p50 is [\d.]+%, under the target 80%\. Raise the cache size from 1000 entries to \d+ entries\.$/);
  assert.match(f.description.ko, /^캐시 적중률 p50은 [\d.]+%로 목표 80%보다 낮습니다\. 캐시 크기를 1000 entries에서 \d+ entries로 늘리세요\.$/);
});

test('TTL, bounded by max; at the ceiling there is nothing to raise', () => {
  const hits = () => step('hits', 0.9, 0.4);
  const ttl: CacheSettings = { ...settings, adjust: 'ttl', max: 1500 };

  const f = finding(run({ hitRatio: hits(), current: flat('size', 1000) }, ttl));
  const atMax = run({ hitRatio: hits(), current: flat('size', 1500) }, ttl);

  assert.is(f.type, 'cache_ttl');
  assert.is(f.value, 1500);
  assert.match(f.description.ko, /캐시 TTL을 1000에서 1500으로 늘리세요\.$/);
  assert.ok(!isFinding(atMax) && atMax.reason === 'within-target');
  assert.match(!isFinding(atMax) ? atMax.message : '', /already at the ceiling 1500/);
});

test('without a current size: the factor itself, hit ratio expected up', () => {
  const hits = step('hits', 0.9, 0.5);
  const f = finding(run({ hitRatio: hits }, { hitRatio: 'hits' }));
  const hit = hits.quantile(0.5);

  assert.is(f.value, Math.round((0.8 / hit) * 100) / 100);
  assert.is(f.unit, '×');
  assert.is(f.previous, undefined);
  assert.equal(f.expected, { metric: 'hits', direction: 'up', size: 0.8 / hit - 1 });
  assert.match(f.description.en, /Raise the cache size 1\.\d+× \(the current cache size is unknown\)\.$/);
  assert.match(f.description.ko, /캐시 크기를 1\.\d+배로 늘리세요\(현재 값은 알 수 없습니다\)\.$/);
});

const factors: Array<[number, number, number]> = [[0.4, 0.8, 2], [0.8, 0.8, 1], [0.1, 0.8, 4], [0, 0.8, 4], [0.5, 0.9, 1.8]];
for (const [hit, target, want] of factors) {
  test(`cacheFactor(${hit}, ${target}) = ${want}`, () => assert.ok(Math.abs(cacheFactor(hit, target) - want) < 1e-12));
}

test('missing metrics: the hit ratio, or a named current size', () => {
  assert.equal(run({ current: flat('size', 1) }), { analyzer: 'cache', reason: 'missing-metric', message: 'metric hits (hitRatio) has no data' });
  assert.equal(run({ hitRatio: flat('hits', 0.2) }), { analyzer: 'cache', reason: 'missing-metric', message: 'metric size (current) has no data' });
});

test.run();
