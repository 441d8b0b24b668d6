// The life of a `pluginops serve` process. Two projects, each with its own process, started once
// for the file (tests in order): one without --cron (the API answers, nothing is scheduled, a
// check runs only when asked), one with --cron whose service is down and whose Slack receiver
// fails, so secrets pass through log lines. SIGTERM waits for an execution started through the
// API and exits 0 with the execution recorded success, SIGINT exits 0; a bad --port is a
// usage error (exit 2); the default address is loopback; every stdout line is a JSON log object
// and no configured secret is ever printed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openFileStore } from '../../src/store/file-store.ts';
import { cli } from '../cli/helpers.ts';
import { apiDownDocuments, eventually, readToken, serveWorld, writeToken, type ServeWorld } from './helpers.ts';
import { launch, messages, sample, sleep, startServe, stop, type Exit, type Launched } from './process.ts';

const documents = apiDownDocuments({ failureThreshold: 1, channels: ['ops-slack'] });

const slow = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: slow }
spec:
  steps:
    - id: nap
      run: sleep 1
`;

let plain: ServeWorld, cron: ServeWorld;
let a: Launched, b: Launched;
/** Every process of the file, for the log and secret checks at the end. */
const outputs: Launched[] = [];
let badPort: Promise<{ exit: Exit; stderr: string }>;

test.before(async () => {
  [plain, cron] = await Promise.all([
    serveWorld({ documents, monitoring: ['acknowledgeTimeout: 30m'] }),
    serveWorld({ documents, monitoring: ['acknowledgeTimeout: 30m'] }),
  ]);
  writeFileSync(join(cron.dir, 'pipelines', 'slow.yml'), slow);
  cron.service.mode = 'down';
  // A failing Slack that echoes the (secret) webhook URL back in its error body.
  cron.receiver.reply = (req) => (req.path === '/slack' ? { status: 500, body: `no such hook: ${cron.env.SLACK_URL}` } : { status: 200, body: '{}' });
  [a, b] = await Promise.all([startServe(plain, ['--port', '0']), startServe(cron, ['--port', '0', '--cron'])]);
  outputs.push(a, b);
});
test.after(async () => { await Promise.all([plain.close(), cron.close()]); });

test('the default bind address is 127.0.0.1', () => {
  for (const p of [a, b]) {
    assert.match(p.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(messages(p).some((m) => /^listening on http:\/\/127\.0\.0\.1:\d+ \(dashboard at /.test(m)));
  }
});

test('without --cron the API answers, no check runs by itself, and POST /api/checks/:id/run runs one', async () => {
  // While nothing should happen here, the bad --port case starts (see below).
  const bad = launch(plain.dir, plain.env, ['--port', 'abc']);
  badPort = bad.exited.then((exit) => ({ exit, stderr: bad.stderr() }));
  await sleep(1_500);
  assert.is(await sample(a.url, 'pluginops_checks_run_total'), 0);
  assert.is(await sample(a.url, 'pluginops_scheduler_running'), 0);
  assert.is(plain.service.hits, 0);
  const ready = await plain.api('GET', '/readyz');
  assert.is(ready.status, 200);
  assert.equal(ready.body.components, { config: 'loaded', store: 'writable', scheduler: 'off' });
  assert.is((await plain.api('GET', '/api/status', { token: readToken })).body.data.scheduler.status, 'off');

  assert.is((await plain.api('POST', '/api/checks/api/run', { token: readToken, body: {} })).status, 403);
  const run = await plain.api('POST', '/api/checks/api/run', { token: writeToken, body: {} });
  assert.is(run.status, 200, JSON.stringify(run.body));
  assert.is(run.body.data.result.ok, true);
  assert.is(plain.service.hits, 1);
  assert.is(await sample(a.url, 'pluginops_checks_run_total'), 1);
  await sleep(700);
  assert.is(await sample(a.url, 'pluginops_checks_run_total'), 1, 'a run on request schedules nothing');
});

test('with --cron /readyz is 200, the scheduler runs the checks, a failing notification is retried', async () => {
  const ready = await cron.api('GET', '/readyz');
  assert.is(ready.status, 200);
  assert.equal(ready.body, { status: 'ready', components: { config: 'loaded', store: 'writable', scheduler: 'running' } });
  assert.is(await sample(b.url, 'pluginops_scheduler_running'), 1);
  await eventually(async () => (await sample(b.url, 'pluginops_checks_run_total')) >= 2, { what: 'scheduled checks' });
  await eventually(() => messages(b).some((m) => /^ops-slack .*attempt 1 failed: /.test(m)), { what: 'the Slack delivery failing' });
  assert.ok(cron.got('/slack').length >= 1, 'Slack was called');

  // Refused calls are logged with their path: here the path holds secrets.
  assert.is((await cron.api('POST', `/api/incidents/${writeToken}/acknowledge`, { body: {} })).status, 401);
  assert.is((await cron.api('POST', `/api/incidents/${cron.env.PD_KEY}/acknowledge`, { token: `${writeToken}x`, body: {} })).status, 401);
  assert.is((await cron.api('POST', `/api/incidents/${readToken}/acknowledge`, { token: readToken, body: {} })).status, 403);
});

test('SIGTERM while an execution runs: it finishes, exit 0, and the store says success; SIGINT exits 0', async () => {
  const started = await cron.api('POST', '/api/executions', { token: writeToken, body: { workflow: 'slow' } });
  assert.is(started.status, 202, JSON.stringify(started.body));
  const id = started.body.data.id as string;
  await eventually(async () => (await cron.api('GET', `/api/executions/${id}`, { token: readToken })).body.data.steps.nap?.status === 'running', { what: 'the step running' });

  const exit = await stop(b, 'SIGTERM', 6_000);
  assert.equal([exit.code, exit.signal], [0, null]);
  assert.ok(exit.ms < 3_000 + 1_000, `within server.grace (3 s): ${exit.ms}ms`);
  const log = messages(b);
  const stopping = log.indexOf('stopping: no new work; waiting for what runs'), finished = log.indexOf(`execution ${id} success`);
  assert.ok(stopping >= 0 && stopping < finished, 'the execution finished after the stop began');
  assert.ok(finished < log.indexOf('stopped'), 'and before the process stopped');

  const store = await openFileStore(join(cron.dir, '.pluginops'));
  try {
    const record = await store.get(id);
    assert.is(record?.status, 'success');
    assert.is(record?.steps.nap?.status, 'success');
  } finally {
    await store.close();
  }

  const x = await stop(a, 'SIGINT', 5_000);
  assert.equal([x.code, x.signal], [0, null]);
  assert.is(messages(a).at(-1), 'stopped');
});

test('a bad --port is a usage error: exit 2', async () => {
  const { exit, stderr } = await badPort;
  assert.is(exit.code, 2);
  assert.match(stderr, /^error: --port is a number from 0 to 65535, found "abc"$/m);
  for (const port of ['70000', '80.5', '-1', '']) {
    const r = await cli(['serve', '--port', port], plain.dir);
    assert.is(r.code, 2, `--port ${JSON.stringify(port)}: ${r.stderr}`);
    assert.match(r.stderr, /^error: /, port);
    assert.is(r.stdout, '', port);
  }
});

test('stdout is JSON log lines (time, level, msg); no configured secret reaches stdout or stderr', async () => {
  const secrets = [...[plain, cron].flatMap((w) => [w.env.SLACK_URL!, w.env.PD_KEY!]), writeToken, readToken];
  for (const p of outputs) {
    assert.is(p.child.exitCode, 0, 'every process has stopped');
    const lines = p.stdout().split('\n').filter(Boolean);
    assert.ok(lines.length >= 3);
    for (const line of lines) {
      const o = JSON.parse(line) as Record<string, unknown>;
      assert.ok(o !== null && typeof o === 'object' && !Array.isArray(o), line);
      assert.ok(!Number.isNaN(Date.parse(String(o.time))) && String(o.time).endsWith('Z'), line);
      assert.ok(['debug', 'info', 'warn', 'error'].includes(String(o.level)), line);
      assert.type(o.msg, 'string', line);
    }
    for (const s of secrets) {
      assert.not.ok(p.stdout().includes(s), `a secret in stdout: ${s}`);
      assert.not.ok(p.stderr().includes(s), `a secret in stderr: ${s}`);
    }
  }
  // Not vacuous: the refused calls and the failing Slack delivery were logged, masked.
  const refused = messages(b).filter((m) => /^POST \/api\/incidents\/.*\/acknowledge refused: /.test(m));
  assert.is(refused.length, 3);
  assert.ok(refused.every((m) => m.startsWith('POST /api/incidents/***/acknowledge refused: ')), refused.join('\n'));
  assert.ok(messages(b).some((m) => /ops-slack/.test(m) && /\*\*\*/.test(m)), messages(b).filter((m) => /slack/.test(m)).join('\n'));
});

test.run();
