// The `pushed` and `healthCheck` adapters: a real MetricStore's series for one plugin newer than
// `since`, and a check's recent results as response times (successful results) or 0/1 error
// samples, read through the monitor's check views.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetricStore } from '../../../src/monitor/runtime/metrics.ts';
import type { CheckView } from '../../../src/monitor/runtime/view.ts';
import { checkSamples, type CheckResults } from '../../../src/optimize/sources/checks.ts';
import { pushedSamples } from '../../../src/optimize/sources/pushed.ts';

test('pushed: the plugin\'s samples of the metric, newer than `since`, oldest first', () => {
  const store = new MetricStore();
  const pushed = store.push([
    { metric: 'latency', plugin: 'resizer', value: 120, timestamp: 3_000 },
    { metric: 'latency', plugin: 'resizer', value: 100, timestamp: 1_000 },
    { metric: 'latency', plugin: 'resizer', value: 110, timestamp: 2_000 },
    { metric: 'latency', plugin: 'thumbs', value: 999, timestamp: 2_500 },
    { metric: 'cpu', plugin: 'resizer', value: 0.5, timestamp: 2_500 },
    { metric: 'latency', value: 5, timestamp: 2_500 },
  ], 10_000);
  assert.is(pushed.accepted, 6);
  const series = (metric: string, plugin?: string) => store.series(metric, plugin);
  assert.equal(pushedSamples(series, 'latency', 'resizer', 1_000), [{ t: 2_000, v: 110 }, { t: 3_000, v: 120 }]);
  assert.equal(pushedSamples(series, 'latency', 'resizer', 0), [{ t: 1_000, v: 100 }, { t: 2_000, v: 110 }, { t: 3_000, v: 120 }]);
  assert.equal(pushedSamples(series, 'latency', 'nobody', 0), []);
  // The samples are copies: the store's series is not handed out.
  const out = pushedSamples(series, 'cpu', 'resizer', 0);
  out[0]!.v = 42;
  assert.equal(store.series('cpu', 'resizer')[0]!.samples, [{ t: 2_500, v: 0.5 }]);
});

const result = (at: number, ok: boolean, durationMs: number) => ({ at, ok, durationMs });

test('healthCheck: responseTime from successful results, errorRate 1 per failed result and 0 per other, newer than `since`', () => {
  const kept: Record<string, ReturnType<typeof result>[]> = { api: [result(1_000, true, 80), result(2_000, false, 5_000), result(3_000, true, 120), result(4_000, true, 90)], db: [] };
  const results: CheckResults = (id) => kept[id] ?? [];
  assert.equal(checkSamples(results, 'api', 'responseTime', 1_000), [{ t: 3_000, v: 120 }, { t: 4_000, v: 90 }]);
  assert.equal(checkSamples(results, 'api', 'errorRate', 0), [{ t: 1_000, v: 0 }, { t: 2_000, v: 1 }, { t: 3_000, v: 0 }, { t: 4_000, v: 0 }]);
  assert.equal(checkSamples(results, 'db', 'errorRate', 0), []);
  assert.equal(checkSamples(results, 'unknown', 'responseTime', 0), []);
});

test.run();
