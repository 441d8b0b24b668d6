// Pushed metrics: bad samples are refused one by one with a reason, good ones in the same batch
// are kept; rules read them at their `every:` — an anomaly against the series' own baseline, a
// trend predicted to cross its level, and levels where lower is worse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PushedSample } from '../../src/monitor/runtime/metrics.ts';
import { min, sec, world, type World } from './helpers.ts';

type Json = Record<string, any>;

const rule = (id: string, spec: string[]) => `apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: ${id} }
spec:
  every: 10s
  notify: { channels: [ops-hook], escalate: false }
${spec.map((l) => `  ${l}`).join('\n')}
`;

const documents = [
  rule('error-spike', ['source: { metric: error_rate }', 'anomaly: { method: zscore, window: 60, threshold: 3, minSamples: 10 }', 'severity: warning']),
  rule('disk-filling', ['source: { metric: disk_used_percent }', 'levels: { critical: 95 }', 'trend: { level: critical, horizon: 1h, window: 30, minConfidence: 0.8, minSamples: 10 }', 'severity: danger']),
  rule('coverage-low', ['source: { metric: test_coverage }', 'direction: below', 'levels: { warning: 80, danger: 70 }', 'category: test']),
].join('---\n');

/** Pushes one sample of each series (at the current time), then lets one evaluation happen. */
async function step(w: World, samples: PushedSample[]): Promise<void> {
  const r = w.monitor.pushMetrics(samples);
  if (r.rejected.length) throw new Error(`refused: ${JSON.stringify(r.rejected)}`);
  await w.run(10 * sec);
}

const alertOf = (w: World, ruleId: string, plugin?: string) =>
  w.monitor.alerts().find((a) => a.ruleId === ruleId && (plugin === undefined || a.labels.plugin === plugin));

test('bad samples are refused by index with a reason; the good ones of the batch are kept', async () => {
  const w = await world({ documents });
  try {
    const batch = [
      { metric: 'test_coverage', value: 91, plugin: 'acme' },
      { metric: 'bad name!', value: 1 },
      { metric: 'test_coverage', value: Number.NaN },
      { metric: 'test_coverage', value: '85' },
      { metric: 'test_coverage', value: 85, timestamp: 'yesterday' },
      { metric: 'test_coverage', value: 85, plugin: '' },
      null,
      { metric: 'test_coverage', value: 88, timestamp: '2026-03-02T08:59:00Z' },
    ] as unknown as PushedSample[];
    const r = w.monitor.pushMetrics(batch);
    assert.is(r.accepted, 2);
    assert.equal(r.rejected.map((x) => x.index), [1, 2, 3, 4, 5, 6]);
    const reason = Object.fromEntries(r.rejected.map((x) => [x.index, x.error]));
    assert.match(reason[1]!, /metric must be a name like cpu_usage .* found "bad name!"/);
    assert.match(reason[2]!, /value must be a finite number, found null/);
    assert.match(reason[3]!, /value must be a finite number, found "85"/);
    assert.match(reason[4]!, /timestamp must be ms since the epoch or an ISO time, found "yesterday"/);
    assert.match(reason[5]!, /plugin must be a non-empty string/);
    assert.match(reason[6]!, /expected an object with metric and value/);

    w.monitor.start();
    await w.run(20 * sec);
    const alerts = w.monitor.alerts().filter((a) => a.ruleId === 'coverage-low');
    assert.equal(alerts.map((a) => `${a.labels.plugin ?? '-'} ${a.state} ${a.value}`).sort(), ['- ok 88', 'acme ok 91'], 'the accepted samples were judged, one alert per plugin');
  } finally {
    await w.close();
  }
});

test('anomaly (zscore): a spike after a steady baseline fires; the wobble before it does not', async () => {
  const w = await world({ documents });
  try {
    w.monitor.start();
    await w.run(10 * sec);
    for (let i = 0; i < 14; i++) await step(w, [{ metric: 'error_rate', value: i % 2 ? 2 : 1 }]);
    assert.is(alertOf(w, 'error-spike')?.state, 'ok', 'fourteen samples between 1 and 2 are no anomaly');
    assert.equal(w.got('/hook'), []);

    await step(w, [{ metric: 'error_rate', value: 9 }]);
    const alert = alertOf(w, 'error-spike')!;
    assert.is(alert.state, 'firing');
    assert.is(alert.severity, 'warning');
    assert.is(alert.value, 9);
    const hook = w.got('/hook') as Json[];
    assert.is(hook.length, 1);
    assert.match(hook[0]!.alerts[0].annotations.summary, /error_rate is 9, [\d.]+σ from its baseline 1\.5 \(anomaly\)/);

    await step(w, [{ metric: 'error_rate', value: 2 }]);
    assert.is(alertOf(w, 'error-spike')!.state, 'resolved', 'back to normal');
  } finally {
    await w.close();
  }
});

test('trend: a steady rise predicted to cross the level within the horizon fires; a flat series does not', async () => {
  const w = await world({ documents });
  try {
    w.monitor.start();
    await w.run(10 * sec);
    // 0.5 points every 10 s: from 50 the level 95 is about 15 minutes away, well inside 1 h.
    for (let i = 0; i < 8; i++) await step(w, [{ metric: 'disk_used_percent', value: 50 + i * 0.5, plugin: 'rising' }, { metric: 'disk_used_percent', value: 60, plugin: 'flat' }]);
    assert.is(alertOf(w, 'disk-filling', 'rising')?.state, 'ok', 'too few samples for a forecast');
    for (let i = 8; i < 14; i++) await step(w, [{ metric: 'disk_used_percent', value: 50 + i * 0.5, plugin: 'rising' }, { metric: 'disk_used_percent', value: 60, plugin: 'flat' }]);
    const rising = alertOf(w, 'disk-filling', 'rising')!;
    assert.is(rising.state, 'firing');
    assert.is(rising.severity, 'danger', "a trend fires at the rule's severity");
    assert.ok(rising.value! < 95, 'well before the level is reached');
    assert.is(alertOf(w, 'disk-filling', 'flat')?.state, 'ok');
    const hook = w.got('/hook') as Json[];
    assert.is(hook.length, 1);
    assert.is(hook[0]!.alerts[0].labels.plugin, 'rising');
    assert.match(hook[0]!.alerts[0].annotations.summary, /disk_used_percent\{plugin=rising\} is predicted to reach 95 in \d+m/);
  } finally {
    await w.close();
  }
});

test('direction below: lower is worse; the severity rises with the level reached', async () => {
  const w = await world({ documents });
  try {
    w.monitor.start();
    await w.run(10 * sec);
    await step(w, [{ metric: 'test_coverage', value: 85 }]);
    assert.is(alertOf(w, 'coverage-low')?.state, 'ok');
    await step(w, [{ metric: 'test_coverage', value: 75 }]);
    assert.is(alertOf(w, 'coverage-low')?.state, 'firing');
    assert.is(alertOf(w, 'coverage-low')?.severity, 'warning');
    assert.is(w.monitor.incidents()[0]!.severity, 'warning');
    await step(w, [{ metric: 'test_coverage', value: 65 }]);
    assert.is(alertOf(w, 'coverage-low')?.severity, 'danger');
    assert.is(w.monitor.incidents().length, 1, 'the same incident');
    assert.is(w.monitor.incidents()[0]!.severity, 'danger', 'raised');
    await step(w, [{ metric: 'test_coverage', value: 120 }]);
    assert.is(alertOf(w, 'coverage-low')?.state, 'resolved', 'higher is better, however high');
    const hook = w.got('/hook') as Json[];
    assert.match(hook[0]!.alerts[0].annotations.summary, /test_coverage is 75, at or beyond the warning level 80/);

    // A series that stops being pushed goes stale: no data, so its alert does not stay firing.
    await step(w, [{ metric: 'test_coverage', value: 60 }]);
    assert.is(alertOf(w, 'coverage-low')?.state, 'firing');
    await w.run(6 * min);
    assert.is(alertOf(w, 'coverage-low')?.state, 'nodata');
  } finally {
    await w.close();
  }
});

test.run();
