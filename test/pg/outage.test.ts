// A database that is not there when `serve` starts, and one that goes away while it runs: serve
// says it waits and retries with backoff, starts once the database answers, reports readiness
// false while it is gone (503, `database: unreachable`), answers API reads that need it with a
// JSON error instead of hanging or crashing, and is ready again when it is back; the execution
// recorded before the outage is still there. Bad configuration ends at once with a clear message.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
// @ts-expect-error a plain .mjs module without types
import { startCluster } from '../../scripts/pg-cluster.mjs';
import { launch } from '../serve/process.ts';
import { eventually } from '../serve/helpers.ts';
import { writeToken } from './replicas.ts';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-outage-'));
  writeFileSync(join(dir, 'pluginops.yml'), [
    'apiVersion: pluginops/v1', 'kind: Project', 'documents: [pipelines]',
    'store:', '  postgres: { url: { env: PLUGINOPS_DATABASE_URL }, leaderLease: 2s }',
    'server:', '  tokens:', '    - { name: ci, token: { env: API_WRITE }, scopes: [read, write] }', '  grace: 1s',
  ].join('\n'));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines', 'hello.yml'), 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: hello }\nspec:\n  steps: [{ id: say, run: echo hello }]\n');
  return dir;
}

test('a database down at start is waited for; one that goes away makes serve unready and answers 503, and all is back when it returns', async () => {
  const cluster = await startCluster();
  cluster.pause();
  const dir = project();
  const env = { ...process.env, PLUGINOPS_DATABASE_URL: cluster.url.replace('postgres://postgres@', 'postgres://postgres:Hunter2Secret@'), API_WRITE: writeToken } as Record<string, string>;
  const s = launch(dir, env, ['--cron', '--port', '0', '--log', 'json']);
  try {
    await eventually(() => s.lines.some((l) => /waiting for the database/.test(String(l.msg))), { what: 'the waiting line' });
    await eventually(() => s.lines.filter((l) => /waiting for the database/.test(String(l.msg))).length >= 2, { what: 'a second try' });
    assert.not.match(s.stdout() + s.stderr(), /Hunter2Secret/, 'the password is never printed');
    cluster.resume();
    const url = await s.listening;
    const headers = { authorization: `Bearer ${writeToken}`, 'content-type': 'application/json' };
    await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, { what: 'ready' });
    const ready = await (await fetch(`${url}/readyz`)).json() as { components: Record<string, string> };
    assert.is(ready.components.database, 'reachable');
    const started = await fetch(`${url}/api/executions`, { method: 'POST', headers, body: JSON.stringify({ workflow: 'hello' }) });
    assert.ok(started.status < 300, `${started.status} ${await started.clone().text()}`);
    const id = ((await started.json()) as { data: { id: string } }).data.id;
    await eventually(async () => ((await (await fetch(`${url}/api/executions/${id}`, { headers })).json()) as { data: { status: string } }).data.status === 'success', { what: 'the run to end' });

    cluster.pause();
    await eventually(async () => {
      const r = await fetch(`${url}/readyz`);
      const body = await r.json() as { components: Record<string, string> };
      return r.status === 503 && body.components.database === 'unreachable';
    }, { what: 'not ready while the database is gone', timeoutMs: 10_000 });
    const read = await fetch(`${url}/api/executions/${id}`, { headers, signal: AbortSignal.timeout(15_000) });
    assert.is(read.status, 503);
    const body = await read.json() as { success: boolean; code: string };
    assert.is(body.success, false);
    assert.is(body.code, 'E_UNAVAILABLE');
    assert.ok(s.child.exitCode === null, 'serve keeps running');

    cluster.resume();
    await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, { what: 'ready again', timeoutMs: 20_000 });
    const again = await fetch(`${url}/api/executions/${id}`, { headers });
    assert.is(again.status, 200);
    assert.is(((await again.json()) as { data: { status: string } }).data.status, 'success');
    assert.not.match(s.stdout() + s.stderr(), /Hunter2Secret|    at /, 'no password, no stack trace');
  } finally {
    s.child.kill('SIGKILL');
    await s.exited;
    cluster.stop();
  }
});

test('an unset variable or a URL that is not postgres:// ends serve at once with a clear message', async () => {
  const dir = project();
  for (const [value, expect] of [[undefined, /PLUGINOPS_DATABASE_URL \(store\.postgres\.url\) is not set/], ['mysql://x@y/z', /must start with postgres:\/\//]] as const) {
    const env = { ...process.env, API_WRITE: writeToken } as Record<string, string>;
    delete env.PLUGINOPS_DATABASE_URL;
    if (value) env.PLUGINOPS_DATABASE_URL = value;
    const s = launch(dir, env, ['--port', '0']);
    const exit = await s.exited;
    assert.ok(exit.code !== 0 && exit.code !== null, `exit ${exit.code}`);
    assert.match(s.stderr() + s.stdout(), expect);
    assert.not.match(s.stderr(), /    at /);
  }
});

test.run();
