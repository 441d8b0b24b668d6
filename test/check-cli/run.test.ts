import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checksProject, cli, closedPort, healthCheck, startServer } from './helpers.ts';

let server: Awaited<ReturnType<typeof startServer>>;
test.before(async () => { server = await startServer(); });
test.after(async () => { await server.close(); });

const http = (id: string, path: string, conditions: string[], extra = '') => healthCheck(id, `  type: http
  url: ${server.url}${path}
${extra}  conditions:
${conditions.map((c) => `    - "${c}"`).join('\n')}
`);

test('check run: an http check whose conditions hold exits 0 and shows each condition and field', async () => {
  const dir = checksProject({ api: http('api', '/health', ['status == 200', "json.status == 'ok'"]) });
  const r = await cli(['check', 'run', 'api'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^check api ok in \d+ms\n/);
  assert.match(r.stdout, '  ✓ status == 200\n');
  assert.match(r.stdout, "  ✓ json.status == 'ok'\n");
  assert.match(r.stdout, '  status: 200\n');
  assert.match(r.stdout, /  responseTime: \d+ms\n/);
});

test('check run: a failing condition exits 1 and the ✗ line names it', async () => {
  const dir = checksProject({ api: http('api', '/down', ['status == 200', 'responseTime < 60000']) });
  const r = await cli(['check', 'run', 'api'], dir);
  assert.is(r.code, 1);
  assert.match(r.stdout, /^check api FAILED in \d+ms\n/);
  assert.match(r.stdout, '  ✗ status == 200\n');
  assert.match(r.stdout, '  ✓ responseTime < 60000\n');
  assert.match(r.stdout, '  status: 503\n');
});

test('check run --json: the result with id, type and target', async () => {
  const dir = checksProject({ api: http('api', '/health', ['status == 200']) });
  const r = await cli(['check', 'run', 'api', '--json'], dir);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown> & { fields: Record<string, unknown> };
  assert.is(out.id, 'api');
  assert.is(out.type, 'http');
  assert.is(out.target, `GET ${server.url}/health`);
  assert.is(out.ok, true);
  assert.type(out.at, 'number');
  assert.type(out.durationMs, 'number');
  assert.equal(out.conditions, [{ expression: 'status == 200', ok: true }]);
  assert.is(out.fields.status, 200);
  assert.equal(out.fields.json, { status: 'ok' });
  assert.not.ok('error' in out);
});

test('check run: method, headers and body reach the server', async () => {
  const extra = '  method: POST\n  headers: { x-probe: pluginops }\n  body: hello\n';
  const dir = checksProject({ api: http('api', '/echo', ["json.method == 'POST'", "json.probe == 'pluginops'", "json.body == 'hello'"], extra) });
  const r = await cli(['check', 'run', 'api'], dir);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, "  ✓ json.method == 'POST'\n");
  assert.match(r.stdout, "  ✓ json.body == 'hello'\n");
});

test('check run: an unknown id is a usage error naming the known checks (exit 2)', async () => {
  const dir = checksProject({ api: http('api', '/health', ['status == 200']), db: healthCheck('db', '  type: tcp\n  host: 127.0.0.1\n  port: 1\n') });
  const r = await cli(['check', 'run', 'nope'], dir);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'no HealthCheck `nope`; expected one of: api, db');
  assert.is(r.stdout, '');
});

test('check run: invalid documents are reported with file:line:col (exit 1)', async () => {
  const dir = checksProject({ api: http('api', '/health', ['status === 200']) });
  const r = await cli(['check', 'run', 'api'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'pipelines/api.yml:8:7: E_EXPRESSION');
  assert.is(r.stdout, '');
});

test('check run: a tcp check against a closed port fails (exit 1) with the reason', async () => {
  const port = await closedPort();
  const dir = checksProject({ db: healthCheck('db', `  type: tcp\n  host: 127.0.0.1\n  port: ${port}\n  timeout: 5s\n`) });
  const r = await cli(['check', 'run', 'db'], dir);
  assert.is(r.code, 1);
  assert.match(r.stdout, /^check db FAILED in \d+ms\n/);
  assert.match(r.stdout, `  error: could not connect to 127.0.0.1:${port}`);
  assert.match(r.stdout, '  ✗ connected\n');
  assert.match(r.stdout, '  connected: false\n');
});

test('check run: a tcp check against an open port passes', async () => {
  const port = new URL(server.url).port;
  const dir = checksProject({ web: healthCheck('web', `  type: tcp\n  host: 127.0.0.1\n  port: ${port}\n`) });
  const r = await cli(['check', 'run', 'web'], dir);
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, '  ✓ connected\n');
});

test('check run: a command check runs in workingDirectory and judges exitCode and output', async () => {
  const spec = `  type: command
  command: "cat state.txt"
  workingDirectory: work
  conditions:
    - "exitCode == 0 && contains(output, 'ready')"
`;
  const dir = checksProject({ worker: healthCheck('worker', spec) });
  mkdirSync(join(dir, 'work'));
  writeFileSync(join(dir, 'work', 'state.txt'), 'worker ready\n');
  const ok = await cli(['check', 'run', 'worker'], dir);
  assert.is(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, "  ✓ exitCode == 0 && contains(output, 'ready')\n");
  assert.match(ok.stdout, '  output: "worker ready"\n');

  writeFileSync(join(dir, 'work', 'state.txt'), 'starting\n');
  const notYet = await cli(['check', 'run', 'worker'], dir);
  assert.is(notYet.code, 1);
  assert.match(notYet.stdout, "  ✗ exitCode == 0 && contains(output, 'ready')\n");
});

test('check list: ids, types and targets, sorted by id', async () => {
  const dir = checksProject({
    web: http('web', '/health', ['status == 200']),
    db: healthCheck('db', '  type: tcp\n  host: db.internal\n  port: 5432\n'),
    worker: healthCheck('worker', '  type: command\n  command: ./is-ready\n'),
  });
  const r = await cli(['check', 'list'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/)), [
    ['db', 'tcp', 'db.internal:5432'],
    ['web', 'http', `GET ${server.url}/health`],
    ['worker', 'command', './is-ready'],
  ]);
});

test.run();
