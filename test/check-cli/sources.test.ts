// `pluginops check run` of loki, prometheus and plugin checks: the server from the project file
// (`{ env: NAME }` values read from the environment), the check's own server, plugins found under
// the project's plugin directories, and `check list` showing server and query.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { project, root } from '../cli/helpers.ts';
import { fakeLoki, fakePrometheus, ns, vector, type Fake } from '../monitor-sources/fakes.ts';
import { cli, healthCheck } from './helpers.ts';

let loki: Fake, prom: Fake;
test.before(async () => {
  const now = Date.now();
  loki = await fakeLoki({ logs: {
    '{app="api"} |= "error"': [{ labels: { app: 'api' }, lines: [[ns(now - 5_000), 'error: upstream timed out'], [ns(now - 6 * 60_000), 'error: connection reset']] }],
    '{app="api"} |= "panic"': [],
  } });
  prom = await fakePrometheus({ 'up{job="api"}': () => vector({ metric: { job: 'api' }, value: [now / 1000, '1'] }) });
});
test.after(async () => { await loki.close(); await prom.close(); });

const projectFile = (monitoring: string, extra = '') => `apiVersion: pluginops/v1
kind: Project
${extra}monitoring:
${monitoring}`;

const lokiProject = (checks: Record<string, string>) => project({
  'pluginops.yml': projectFile('  loki:\n    url: { env: LOKI_URL }\n    tenant: team-a\n    headers: { authorization: { env: LOKI_AUTH } }\n'),
  ...Object.fromEntries(Object.entries(checks).map(([id, spec]) => [`pipelines/${id}.yml`, healthCheck(id, spec)])),
});

const env = () => ({ LOKI_URL: loki.url, LOKI_AUTH: 'Bearer s3cret' });

test('check run: a loki check counts matching lines on the project\'s server, with its tenant and headers', async () => {
  const dir = lokiProject({ errors: '  type: loki\n  query: \'{app="api"} |= "error"\'\n  window: 10m\n  conditions: ["count < 5"]\n' });
  const r = await cli(['check', 'run', 'errors'], dir, { env: env() });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^check errors ok in \d+ms\n/);
  assert.match(r.stdout, '  ✓ count < 5\n');
  assert.match(r.stdout, '  count: 2\n');
  assert.match(r.stdout, '  lines: ["error: upstream timed out","error: connection reset"]\n');
  const seen = loki.requests.at(-1)!;
  assert.is(seen.headers['x-scope-orgid'], 'team-a');
  assert.is(seen.headers.authorization, 'Bearer s3cret');
  assert.not.match(r.stdout, 's3cret');
});

test('check run: the default loki condition `count == 0` fails when lines match (exit 1)', async () => {
  const dir = lokiProject({ errors: '  type: loki\n  query: \'{app="api"} |= "error"\'\n', panics: '  type: loki\n  query: \'{app="api"} |= "panic"\'\n' });
  const failing = await cli(['check', 'run', 'errors'], dir, { env: env() });
  assert.is(failing.code, 1);
  assert.match(failing.stdout, '  ✗ count == 0\n');
  assert.match(failing.stdout, '  count: 1\n'); // the default window is 5m
  const passing = await cli(['check', 'run', 'panics', '--json'], dir, { env: env() });
  assert.is(passing.code, 0, passing.stdout + passing.stderr);
  const out = JSON.parse(passing.stdout) as { type: string; target: string; fields: Record<string, unknown> };
  assert.is(out.type, 'loki');
  assert.is(out.target, '$LOKI_URL {app="api"} |= "panic" over 5m');
  assert.equal(out.fields, { count: 0, lines: [], truncated: false, responseTime: out.fields.responseTime });
});

test('check run: a missing environment variable of monitoring.loki is a CLI error (exit 1), before any query', async () => {
  const dir = lokiProject({ errors: '  type: loki\n  query: \'{app="api"} |= "error"\'\n' });
  const before = loki.requests.length;
  const r = await cli(['check', 'run', 'errors'], dir, { env: { LOKI_URL: loki.url } });
  assert.is(r.code, 1);
  assert.match(r.stderr, 'error: monitoring.loki.headers.authorization comes from the environment variable LOKI_AUTH, which is not set');
  assert.is(r.stdout, '');
  assert.is(loki.requests.length, before);
});

test('check run: a Loki error answer is the check\'s error (exit 1)', async () => {
  const dir = lokiProject({ broken: '  type: loki\n  query: \'{app="api"\'\n' });
  const r = await cli(['check', 'run', 'broken'], dir, { env: env() });
  assert.is(r.code, 1);
  assert.match(r.stdout, '  error: Loki answered 400: parse error : syntax error');
});

test('check run: a prometheus check with its own server; without one and without monitoring.prometheus it fails plainly', async () => {
  const dir = project({
    'pipelines/api.yml': healthCheck('api', `  type: prometheus\n  query: up{job="api"}\n  server: ${prom.url}\n`),
    'pipelines/nowhere.yml': healthCheck('nowhere', '  type: prometheus\n  query: up\n'),
  });
  const ok = await cli(['check', 'run', 'api'], dir);
  assert.is(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, '  ✓ value\n');
  assert.match(ok.stdout, '  value: 1\n');
  assert.match(ok.stdout, '  series: 1\n');
  const none = await cli(['check', 'run', 'nowhere'], dir);
  assert.is(none.code, 1);
  assert.match(none.stdout, '  error: a prometheus check needs a server: give `server` in the check, or `monitoring.prometheus.url` in the project file');
});

test('check run: a plugin check runs the manifest health probe of a plugin under the project\'s plugin directories', async () => {
  const dir = project({
    'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\nplugins: [plugins]\n',
    'pipelines/hello.yml': healthCheck('hello', '  type: plugin\n  plugin: hello-node\n'),
    'pipelines/missing.yml': healthCheck('missing', '  type: plugin\n  plugin: nope\n'),
  });
  cpSync(join(root, 'examples', 'plugins', 'hello-node'), join(dir, 'plugins', 'hello-node'), { recursive: true });
  const r = await cli(['check', 'run', 'hello'], dir);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, '  ✓ healthy\n');
  assert.match(r.stdout, '  detail: "healthy: ok"\n');
  const missing = await cli(['check', 'run', 'missing'], dir);
  assert.is(missing.code, 1);
  assert.match(missing.stdout, '  error: no plugin `nope` was found');
});

test('check list: server and query for prometheus and loki checks', async () => {
  const dir = project({
    'pluginops.yml': projectFile('  prometheus:\n    url: http://prometheus.internal:9090\n'),
    'pipelines/api.yml': healthCheck('api', '  type: prometheus\n  query: up{job="api"}\n'),
    'pipelines/errors.yml': healthCheck('errors', '  type: loki\n  query: \'{app="api"}\'\n  server: http://loki:3100\n  window: 15m\n'),
    'pipelines/hello.yml': healthCheck('hello', '  type: plugin\n  plugin: hello\n'),
  });
  const r = await cli(['check', 'list'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/)), [
    ['api', 'prometheus', 'http://prometheus.internal:9090 up{job="api"}'],
    ['errors', 'loki', 'http://loki:3100 {app="api"} over 15m'],
    ['hello', 'plugin', 'hello'],
  ]);
});

test.run();
