// The resources analyzer: too little data, a flat and a noisy CPU use that fit the current limit,
// a step up of CPU use past it, memory after out-of-memory events, no current limit, and missing
// metrics. A day of one sample a minute has confidence ≈ 1, so widening is ≈ nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeResources, cpuLimit, memoryLimit, type ResourcesInput } from '../../../src/optimize/analysis/resources.ts';
import { isFinding, type Analysis, type Finding } from '../../../src/optimize/analysis/types.ts';
import type { ResourcesSettings } from '../../../src/documents/schema/optimization.ts';
import { flat, noisy, now, scope, series, step } from './helpers.ts';

const mib = 1024 * 1024;
const cpuOnly: ResourcesSettings = { cpu: 'cpu', currentCpu: 'cpuLimit' };
const memOnly: ResourcesSettings = { memory: 'mem', oomEvents: 'oom', currentMemory: 'memLimit' };
const run = (views: Omit<ResourcesInput, 'windowMs' | 'rule'>, s: ResourcesSettings): Analysis[] => analyzeResources({ ...scope, ...views }, s, now);

function only(as: Analysis[]): Analysis {
  assert.is(as.length, 1);
  return as[0]!;
}
function finding(a: Analysis): Finding {
  if (!isFinding(a)) throw new Error(`expected a finding; got ${a.reason}: ${a.message}`);
  return a;
}

test('too little data: no suggestion, the numbers in the message', () => {
  assert.equal(run({ cpu: flat('cpu', 2, { n: 50, stepMs: 60_000 }), currentCpu: flat('cpuLimit', 0.5) }, cpuOnly), [
    { analyzer: 'resources', reason: 'insufficient-data', message: 'cpu: 50 samples over 49m; needs 100 samples over 3h' },
  ]);
});

// 0.5 cores flat: limit ≈ 0.5 × 1.15 = 0.575 → 0.58 (p90 ± 5%: 0.55 … 0.61), within 10% of 0.6.
const fits: Array<{ name: string; cpu: () => ReturnType<typeof flat> }> = [
  { name: 'flat 0.5 cores', cpu: () => flat('cpu', 0.5) },
  ...[1, 2, 3].map((seed) => ({ name: `0.5 cores ± 10% (seed ${seed})`, cpu: () => noisy('cpu', 0.5, 0.1, seed) })),
];
for (const c of fits) {
  test(`within target: ${c.name} against a 0.6-core limit`, () => {
    const a = only(run({ cpu: c.cpu(), currentCpu: flat('cpuLimit', 0.6) }, cpuOnly));
    assert.ok(!isFinding(a) && a.reason === 'within-target', JSON.stringify(a));
  });
}

// 0.2 cores, then 1.0 for the last 12 h: the decaying p90 is the 1.0; limit ≈ 1.15 → +130% of 0.5.
test('a step up of CPU use: a higher limit, from the p90 with the margin, severity critical', () => {
  const cpu = step('cpu', 0.2, 1.0);
  const f = finding(only(run({ cpu, currentCpu: flat('cpuLimit', 0.5) }, cpuOnly)));

  assert.is(f.type, 'cpu_limit');
  assert.is(f.value, cpuLimit(cpu.quantile(0.9), 0.15, f.confidence));
  assert.ok(f.value! >= 1.09 && f.value! <= 1.22, String(f.value));
  assert.is(f.previous, 0.5);
  assert.is(f.unit, 'cores');
  assert.is(f.severity, 'critical');
  assert.equal(f.expected, { metric: 'cpu', direction: 'up', size: (f.value! - 0.5) / 0.5, hold: true });
  assert.match(f.description.en, /^CPU use p90 is [\d.]+ cores?\. Set the CPU limit to [\d.]+ cores? \(now 0\.5 cores\)\.$/);
  assert.match(f.description.ko, /^CPU 사용량 p90은 [\d.]+코어입니다\. CPU 한도를 0\.5코어에서 [\d.]+코어로 바꾸세요\.$/);
});

// 400 MiB with one 500 MiB spike and an out-of-memory event: max(p95 × 1.15, 500 × 1.15) × 1.2
// = 575 × 1.2 = 690 MiB, against 512 MiB now: raise, at least high.
test('memory after out-of-memory events: above the largest use, bumped, expected to end the OOMs', () => {
  const mem = series('mem', (i) => (i === 700 ? 500 : 400) * mib, { unit: 'bytes' });
  const oom = series('oom', (i) => (i === 700 ? 1 : 0));
  const f = finding(only(run({ memory: mem, oomEvents: oom, currentMemory: flat('memLimit', 512 * mib) }, memOnly)));

  assert.is(f.type, 'memory_limit');
  assert.is(f.value, memoryLimit(mem.quantile(0.95), 500 * mib, 0.15, 0.2, f.confidence));
  assert.is(f.value! % mib, 0);
  assert.ok(Math.abs(f.value! / mib - 690) <= 1, String(f.value! / mib));
  assert.is(f.severity, 'high');
  assert.equal(f.expected, { metric: 'oom', direction: 'down', size: 1 });
  assert.match(f.description.en, /ran out of memory in the window\. Set the memory limit to 69\d MiB \(now 512 MiB\)\.$/);
  assert.match(f.description.ko, /메모리 부족\(OOM\)이 있었습니다\. 메모리 한도를 512 MiB에서 69\d MiB로 바꾸세요\.$/);
});

test('memory without out-of-memory events and without a current limit: the KRR bound, said to be a first limit', () => {
  const mem = noisy('mem', 300 * mib, 0.05, 7);
  const f = finding(only(run({ memory: mem, oomEvents: flat('oom', 0) }, { memory: 'mem', oomEvents: 'oom' })));

  assert.is(f.value, memoryLimit(mem.quantile(0.95), mem.max, 0.15, undefined, f.confidence));
  assert.is(f.previous, undefined);
  assert.is(f.severity, 'low');
  assert.match(f.description.en, /\(the current limit is unknown\)\.$/);
  assert.match(f.description.ko, /\(현재 한도는 알 수 없습니다\)\.$/);
});

test('both named: one answer each, CPU first; a named metric without data is missing', () => {
  const as = run({ cpu: flat('cpu', 0.5), currentCpu: flat('cpuLimit', 0.6) }, { ...cpuOnly, ...memOnly });
  assert.is(as.length, 2);
  assert.ok(!isFinding(as[0]!) && as[0]!.reason === 'within-target');
  assert.equal(as[1], { analyzer: 'resources', reason: 'missing-metric', message: 'metric mem (memory) has no data' });
  assert.equal(run({}, {}), []);
});

test.run();
