// The Prometheus client and the `prometheus` HealthCheck against a real Prometheus (Debian's
// 2.42) that scrapes a loopback exporter every second: what the fakes in test/monitor-sources
// assume about the HTTP API is checked here against the server itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnProcess } from '../../src/engine/process/spawn.ts';
import { runCheck, type CheckSpec } from '../../src/monitor/checks/run.ts';
import { queryPrometheus, queryPrometheusRange, type QueryResult, type Series } from '../../src/monitor/sources/prometheus.ts';
import { delay, eventually, startStack, suiteFixture } from './harness.ts';

const edges = { fetch: globalThis.fetch };

const stack = suiteFixture(test, async () => {
  const s = await startStack();
  s.exporter.set('queue_depth', { plugin: 'payments' }, 3);
  s.exporter.set('queue_depth', { plugin: 'billing' }, 7);
  return s;
});

/** The stack once Prometheus has scraped both queue_depth series. */
async function scraped() {
  const s = await stack();
  await eventually('Prometheus has scraped the exporter', async () => {
    const r = await queryPrometheus({ url: s.prometheus.url }, 'queue_depth', { timeoutMs: 2_000 }, edges);
    if (!r.ok) throw new Error(r.error);
    assert.is(r.series.length, 2, `series so far: ${JSON.stringify(r.series)}`);
  });
  return s;
}

const ok = (r: QueryResult): Series[] => {
  if (!r.ok) throw new Error(`the query failed: ${r.error}`);
  return r.series;
};

test('an instant vector: one series per scraped series, labelled as Prometheus labels it', async () => {
  const s = await scraped();
  const before = Date.now();
  const series = ok(await queryPrometheus({ url: s.prometheus.url }, 'queue_depth', { timeoutMs: 5_000 }, edges));
  const byPlugin = Object.fromEntries(series.map((x) => [x.labels.plugin, x]));
  assert.equal(byPlugin.payments?.labels, { __name__: 'queue_depth', instance: s.exporter.target, job: 'exporter', plugin: 'payments' });
  assert.equal(byPlugin.billing?.labels, { __name__: 'queue_depth', instance: s.exporter.target, job: 'exporter', plugin: 'billing' });
  assert.is(byPlugin.payments?.value, 3);
  assert.is(byPlugin.billing?.value, 7);
  // Without `time`, Prometheus evaluates at its own now: the sample time is the query's.
  assert.ok(Math.abs(byPlugin.payments!.at - before) < 5_000, `evaluated now (${byPlugin.payments!.at} vs ${before})`);

  // `at` pins the evaluation time (here: the last one, when both series had been scraped).
  const at = byPlugin.payments!.at;
  const pinned = ok(await queryPrometheus({ url: s.prometheus.url }, 'sum(queue_depth)', { at, timeoutMs: 5_000 }, edges));
  assert.equal(pinned, [{ labels: {}, value: 10, at }], 'an aggregation drops the labels; the sample is at `at`');
});

test('a scalar: one series with no labels; vector(1) is a vector of one unlabelled series', async () => {
  const s = await scraped();
  const scalar = ok(await queryPrometheus({ url: s.prometheus.url }, 'scalar(sum(queue_depth))', { timeoutMs: 5_000 }, edges));
  assert.is(scalar.length, 1);
  assert.equal(scalar[0]!.labels, {});
  assert.is(scalar[0]!.value, 10);
  const one = ok(await queryPrometheus({ url: s.prometheus.url }, 'vector(1)', { timeoutMs: 5_000 }, edges));
  assert.equal(one.map((x) => [x.labels, x.value]), [[{}, 1]]);
  const nan = ok(await queryPrometheus({ url: s.prometheus.url }, 'scalar(queue_depth)', { timeoutMs: 5_000 }, edges));
  assert.ok(nan.length === 1 && Number.isNaN(nan[0]!.value), 'scalar() of two series is NaN, which the client keeps');
});

test('an empty result: ok, with no series', async () => {
  const s = await scraped();
  const r = await queryPrometheus({ url: s.prometheus.url }, 'queue_depth{plugin="nobody"}', { timeoutMs: 5_000 }, edges);
  assert.equal(r, { ok: true, series: [] });
});

test('a PromQL syntax error: not ok, with Prometheus\'s own status, error type and text', async () => {
  const s = await scraped();
  const r = await queryPrometheus({ url: s.prometheus.url }, 'sum(queue_depth', { timeoutMs: 5_000 }, edges);
  assert.equal(r, { ok: false, error: 'Prometheus answered 400: bad_data: invalid parameter "query": 1:16: parse error: unclosed left parenthesis' });
  const unknown = await queryPrometheus({ url: s.prometheus.url }, 'nosuchfunction(queue_depth)', { timeoutMs: 5_000 }, edges);
  assert.ok(!unknown.ok && /^Prometheus answered 400: bad_data: .*unknown function with name "nosuchfunction"/.test(unknown.error), JSON.stringify(unknown));
});

test('a range query: samples at start + k·step, oldest first, with the scraped values', async () => {
  const s = await scraped();
  const started = Date.now();
  s.exporter.set('jobs_done', { plugin: 'payments' }, 1);
  // The gauge goes 1 → 2 while Prometheus scrapes it every second.
  await eventually('three samples of jobs_done were scraped', async () => {
    const r = ok(await queryPrometheus({ url: s.prometheus.url }, 'count_over_time(jobs_done[1m])', { timeoutMs: 2_000 }, edges));
    assert.ok((r[0]?.value ?? 0) >= 3, JSON.stringify(r));
  }, { timeoutMs: 10_000 });
  s.exporter.set('jobs_done', { plugin: 'payments' }, 2);
  await eventually('the new value was scraped', async () => {
    const r = ok(await queryPrometheus({ url: s.prometheus.url }, 'jobs_done', { timeoutMs: 2_000 }, edges));
    assert.is(r[0]?.value, 2);
  }, { timeoutMs: 10_000 });

  const start = Math.floor(started / 1000) * 1000;
  // The last step point may lie up to one step before `end`: end a step after the new value was seen.
  await delay(1_000);
  const end = Date.now();
  const r = await queryPrometheusRange({ url: s.prometheus.url }, 'jobs_done', { start, end, stepMs: 1_000, timeoutMs: 5_000 }, edges);
  if (!r.ok) throw new Error(r.error);
  assert.is(r.series.length, 1);
  const [series] = r.series;
  assert.equal(series!.labels, { __name__: 'jobs_done', instance: s.exporter.target, job: 'exporter', plugin: 'payments' });
  const samples = series!.samples;
  assert.ok(samples.length >= 3 && samples.length <= 60, `several samples (${JSON.stringify(samples).slice(0, 300)})`);
  samples.forEach((p, i) => { if (i > 0) assert.is(p.at - samples[i - 1]!.at, 1_000, 'one step apart'); });
  assert.ok(samples.every((p) => (p.at - start) % 1_000 === 0 && p.at >= start && p.at <= end), 'on the step grid inside the range');
  assert.is(samples[0]!.value, 1, 'the old value first');
  assert.is(samples.at(-1)!.value, 2, 'the new value last');

  const empty = await queryPrometheusRange({ url: s.prometheus.url }, 'jobs_done{plugin="nobody"}', { start, end, stepMs: 1_000, timeoutMs: 5_000 }, edges);
  assert.equal(empty, { ok: true, series: [] });
  // 60 s at 1 ms steps is 60,000 points; Prometheus refuses more than 11,000.
  const bad = await queryPrometheusRange({ url: s.prometheus.url }, 'jobs_done', { start: end - 60_000, end, stepMs: 1, timeoutMs: 5_000 }, edges);
  assert.ok(!bad.ok && /^Prometheus answered 400: bad_data: .*exceeded maximum resolution of 11,000 points/.test(bad.error), JSON.stringify(bad).slice(0, 300));
});

const checkEdges = { fetch: globalThis.fetch, spawn: spawnProcess, now: () => Date.now(), killGraceMs: 1_000 };

test('a prometheus HealthCheck with `server:` on the real server: value, series and conditions', async () => {
  const s = await scraped();
  const check = (over: Partial<CheckSpec>): CheckSpec => ({ type: 'prometheus', server: s.prometheus.url, timeout: '5s', query: 'queue_depth{plugin="payments"}', ...over });

  const healthy = await runCheck(check({ conditions: ['value < 10', 'series == 1'] }), checkEdges);
  assert.is(healthy.ok, true, JSON.stringify(healthy));
  assert.is(healthy.fields.value, 3);
  assert.is(healthy.fields.series, 1);
  assert.ok(typeof healthy.fields.responseTime === 'number' && healthy.fields.responseTime >= 0);
  assert.equal(healthy.error, undefined);

  const deep = await runCheck(check({ conditions: ['value < 2'] }), checkEdges);
  assert.is(deep.ok, false, 'the condition fails on the scraped value');
  assert.equal(deep.conditions, [{ expression: 'value < 2', ok: false }]);
  assert.equal(deep.error, undefined, 'the probe itself worked');

  const up = await runCheck(check({ query: 'up{job="exporter"}' }), checkEdges);
  assert.is(up.ok, true, 'the default condition: the exporter is up');

  const empty = await runCheck(check({ query: 'up{job="nobody"}' }), checkEdges);
  assert.is(empty.ok, false, 'an empty result fails the default condition');
  assert.is(empty.fields.series, 0);
  assert.is(empty.fields.value, null);

  const broken = await runCheck(check({ query: 'up{job=' }), checkEdges);
  assert.is(broken.ok, false);
  assert.match(broken.error ?? '', /^Prometheus answered 400: bad_data: invalid parameter "query": .*parse error/);
});

test.run();
