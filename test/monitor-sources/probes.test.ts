// The prometheus, loki and plugin probes through runCheck: their fields, their default
// conditions, where the server comes from, and the errors for what is missing.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../../src/monitor/checks/run.ts';
import { findPlugin } from '../../src/monitor/sources/plugins.ts';
import { realEdges } from '../monitor-checks/helpers.ts';
import { fakeLoki, fakePrometheus, ns, vector, type Fake } from './fakes.ts';

const now = 1_700_000_000_000;
let prom: Fake, loki: Fake;

test.before(async () => {
  prom = await fakePrometheus({
    'up{job="api"}': () => vector({ metric: { job: 'api' }, value: [1_700_000_000, '1'] }),
    'up{job="db"}': () => vector({ metric: { job: 'db' }, value: [1_700_000_000, '0'] }),
    'up{job="gone"}': () => vector(),
    'nan': () => vector({ metric: {}, value: [1, 'NaN'] }),
    'up': () => vector({ metric: { job: 'api' }, value: [1, '1'] }, { metric: { job: 'db' }, value: [1, '0'] }),
  });
  loki = await fakeLoki({ logs: {
    '{app="api"} |= "error"': [{ labels: { app: 'api' }, lines: [
      [ns(now - 1_000), 'error: disk full'], [ns(now - 2_000), 'error: retrying'], [ns(now - 3 * 60_000), 'error: old one'],
    ] }],
    '{app="api"} |= "panic"': [],
  } });
});
test.after(async () => { await prom.close(); await loki.close(); });

const edges = (over: Parameters<typeof realEdges>[0] = {}) => realEdges({ now: () => now, ...over });

test('prometheus: value, series and responseTime; the default condition passes on a non-zero value', async () => {
  const r = await runCheck({ type: 'prometheus', query: 'up{job="api"}', server: prom.url }, edges());
  assert.is(r.ok, true, r.error);
  assert.equal(r.fields, { value: 1, series: 1, responseTime: 0 });
  assert.equal(r.conditions, [{ expression: 'value', ok: true }]);
});

test('prometheus: the default fails on 0, on an empty result and on NaN (value null)', async () => {
  for (const [query, value, series] of [['up{job="db"}', 0, 1], ['up{job="gone"}', null, 0], ['nan', null, 1]] as const) {
    const r = await runCheck({ type: 'prometheus', query, server: prom.url }, edges());
    assert.is(r.ok, false, query);
    assert.is(r.error, undefined, query);
    assert.equal([r.fields.value, r.fields.series], [value, series], query);
    assert.equal(r.conditions, [{ expression: 'value', ok: false }], query);
  }
});

test('prometheus: conditions over series and value', async () => {
  const r = await runCheck({ type: 'prometheus', query: 'up', server: prom.url, conditions: ['series == 2', 'value == 1'] }, edges());
  assert.is(r.ok, true);
  assert.equal(r.conditions.map((c) => c.ok), [true, true]);
});

test('prometheus: the project\'s server with its headers when the check names none; an error when neither does', async () => {
  const before = prom.requests.length;
  const r = await runCheck({ type: 'prometheus', query: 'up{job="api"}' }, edges({ servers: { prometheus: { url: prom.url, headers: { authorization: 'Bearer abc' } } } }));
  assert.is(r.ok, true, r.error);
  assert.is(prom.requests[before]?.headers.authorization, 'Bearer abc');

  const none = await runCheck({ type: 'prometheus', query: 'up' }, edges());
  assert.is(none.ok, false);
  assert.is(none.error, 'a prometheus check needs a server: give `server` in the check, or `monitoring.prometheus.url` in the project file');
  assert.is((await runCheck({ type: 'prometheus', server: prom.url }, edges())).error, 'a prometheus check needs `query`');
});

test('prometheus: an error answer fails the probe with Prometheus\'s words', async () => {
  const r = await runCheck({ type: 'prometheus', query: 'up{', server: prom.url }, edges());
  assert.is(r.ok, false);
  assert.match(r.error ?? '', /^Prometheus answered 400: bad_data: /);
  assert.equal(r.fields, { value: null, series: null, responseTime: null });
});

test('loki: count, lines and truncated over the default 5m window; the default `count == 0` fails on matches', async () => {
  const r = await runCheck({ type: 'loki', query: '{app="api"} |= "error"', server: loki.url }, edges());
  assert.is(r.error, undefined);
  assert.is(r.ok, false);
  assert.equal(r.fields, { count: 3, lines: ['error: disk full', 'error: retrying', 'error: old one'], truncated: false, responseTime: 0 });
  assert.equal(r.conditions, [{ expression: 'count == 0', ok: false }]);
  const seen = loki.requests.at(-1)!;
  assert.equal([seen.params.get('start'), seen.params.get('end')], [String(ns(now - 5 * 60_000)), String(ns(now))]);
});

test('loki: `window` narrows the count; no matches pass the default', async () => {
  const narrow = await runCheck({ type: 'loki', query: '{app="api"} |= "error"', server: loki.url, window: '1m', conditions: ['count < 5'] }, edges());
  assert.is(narrow.ok, true);
  assert.is(narrow.fields.count, 2);
  const quiet = await runCheck({ type: 'loki', query: '{app="api"} |= "panic"', server: loki.url }, edges());
  assert.is(quiet.ok, true);
  assert.equal(quiet.fields, { count: 0, lines: [], truncated: false, responseTime: 0 });
});

test('loki: the project\'s server and tenant; a parse error fails the probe', async () => {
  const r = await runCheck({ type: 'loki', query: '{app="api"} |= "panic"' }, edges({ servers: { loki: { url: loki.url, tenant: 'ops' } } }));
  assert.is(r.ok, true, r.error);
  assert.is(loki.requests.at(-1)?.headers['x-scope-orgid'], 'ops');
  const bad = await runCheck({ type: 'loki', query: '{app=', server: loki.url }, edges());
  assert.is(bad.ok, false);
  assert.match(bad.error ?? '', /^Loki answered 400: parse error/);
});

/** A temp plugins directory with one plugin per manifest. */
function pluginsDir(manifests: Record<string, object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-plugins-'));
  for (const [name, manifest] of Object.entries(manifests)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'plugin.json'), JSON.stringify({ name, version: '1.0.0', runtime: 'other', entry: 'run.sh', ...manifest }));
    writeFileSync(join(dir, name, 'state'), `${name} ready\n`);
  }
  return dir;
}

test('plugin: the manifest\'s health command runs in the plugin directory; healthy, detail and responseTime', async () => {
  const dir = pluginsDir({
    good: { id: 'good', health: { command: 'cat state' } },
    bad: { id: 'bad', health: { command: 'echo broken; exit 3' } },
  });
  const find = (id: string) => findPlugin([dir], id);
  const good = await runCheck({ type: 'plugin', plugin: 'good' }, edges({ findPlugin: find }));
  assert.is(good.ok, true, good.error);
  assert.equal(good.fields, { healthy: true, detail: 'healthy: good ready', responseTime: 0 });
  assert.equal(good.conditions, [{ expression: 'healthy', ok: true }]);

  const bad = await runCheck({ type: 'plugin', plugin: 'bad' }, edges({ findPlugin: find }));
  assert.is(bad.ok, false);
  assert.is(bad.error, undefined);
  assert.equal([bad.fields.healthy, bad.fields.detail], [false, 'exit 3: broken']);
});

test('plugin: an http health probe with expectStatus', async () => {
  const dir = pluginsDir({ web: { id: 'web', health: { url: `${prom.url}/api/v1/query?query=up`, expectStatus: 200 } } });
  const r = await runCheck({ type: 'plugin', plugin: 'web' }, edges({ findPlugin: (id) => findPlugin([dir], id) }));
  assert.is(r.ok, true, r.error);
  assert.is(r.fields.detail, `${prom.url}/api/v1/query?query=up → 200`);
});

test('plugin: unknown plugin, no health probe, a duplicated id, no plugin finder: clear errors', async () => {
  const dir = pluginsDir({ quiet: { id: 'quiet' }, one: { id: 'twin', health: { command: 'true' } }, two: { id: 'twin', health: { command: 'true' } } });
  const find = (id: string) => findPlugin([dir], id);
  assert.is((await runCheck({ type: 'plugin', plugin: 'nope' }, edges({ findPlugin: find }))).error,
    'no plugin `nope` was found; expected the id of a plugin (its manifest\'s `id`) under the project\'s plugin directories');
  assert.is((await runCheck({ type: 'plugin', plugin: 'quiet' }, edges({ findPlugin: find }))).error,
    'plugin `quiet` declares no health probe; expected `health.url` or `health.command` in its manifest');
  assert.match((await runCheck({ type: 'plugin', plugin: 'twin' }, edges({ findPlugin: find }))).error ?? '', /^plugin id `twin` is declared by more than one manifest: .*\/one, .*\/two/);
  assert.match((await runCheck({ type: 'plugin', plugin: 'quiet' }, edges())).error ?? '', /need the project's plugin directories/);
  assert.is((await runCheck({ type: 'plugin' }, edges({ findPlugin: find }))).error, 'a plugin check needs `plugin`');
});

test('plugin: the check\'s timeout wins over the manifest\'s', async () => {
  const dir = pluginsDir({ slow: { id: 'slow', health: { command: 'sleep 5', timeout: '10s' } } });
  const started = Date.now();
  const r = await runCheck({ type: 'plugin', plugin: 'slow', timeout: '200ms' }, realEdges({ findPlugin: (id) => findPlugin([dir], id) }));
  assert.is(r.fields.healthy, false);
  assert.match(String(r.fields.detail), /timed out after 200ms/);
  assert.ok(Date.now() - started < 4_000);
});

test('the example plugin hello-node is healthy by its manifest probe', async () => {
  const r = await runCheck({ type: 'plugin', plugin: 'hello-node' }, realEdges({ findPlugin: (id) => findPlugin([join(import.meta.dirname, '..', '..', 'examples', 'plugins')], id) }));
  assert.is(r.ok, true, r.error);
  assert.equal([r.fields.healthy, r.fields.detail], [true, 'healthy: ok']);
});

test.run();
