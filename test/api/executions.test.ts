// Executions through the API: started in the background (202, pending), followed live as
// server-sent events to `event: end`, resumed with Last-Event-ID, listed and filtered, their logs
// read from an index, cancelled (409 once finished); refused when the workflow is unknown or the
// parameters are wrong; statistics and cleanup; secrets masked in records, logs and streams.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseEvents, secret, startApi, tokens, until, workflow, type Harness } from './helpers.ts';

let h: Harness;
test.before(async () => {
  h = await startApi({
    files: {
      'pipelines/slow.yml': workflow('slow', ['sleep 30']),
      'pipelines/leak.yml': workflow('leak', ['echo "token=$API_SECRET"; echo "out=$API_SECRET" >> "$PLUGINOPS_OUTPUT"; exit 3']),
      'pipelines/params.yml': workflow('params', ['echo "count=$N mode=$M"'], [
        'parameters:', '  count: { type: number, required: true }', '  mode: { type: string, enum: [fast, safe], default: safe }',
        'env: { N: "${{ params.count }}", M: "${{ params.mode }}" }',
      ]),
    },
  });
});
test.after(async () => { await h.close(); });

const start = async (json: unknown) => h.call('POST', '/api/executions', { token: tokens.write, json });
const record = async (id: string) => (await h.call('GET', `/api/executions/${id}`, { token: tokens.read })).body.data;
const stream = async (id: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${h.url}/api/executions/${id}/logs/stream`, { headers: { authorization: `Bearer ${tokens.read}`, ...headers }, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, type: res.headers.get('content-type'), events: parseEvents(await res.text()) };
};

test('a run is accepted at once and followed as server-sent events to `event: end`', async () => {
  const t0 = Date.now();
  const r = await start({ workflow: 'quick' });
  assert.is(r.status, 202);
  assert.is(r.body.data.status, 'pending');
  assert.is(r.body.data.workflow, 'quick');
  assert.ok(Date.now() - t0 < 2_000);
  const s = await stream(r.body.data.id);
  assert.is(s.status, 200);
  assert.match(s.type ?? '', /^text\/event-stream/);
  const logs = s.events.filter((e) => e.event === 'log');
  assert.equal(logs.map((e) => [e.id, (e.data as { message: string }).message]), [['0', 'x'], ['1', 'y']]);
  assert.is(s.events[0]!.event, 'status');
  assert.ok(s.events.some((e) => e.event === 'status' && (e.data as { status: string }).status === 'running'), 'saw it running');
  assert.equal(s.events.at(-1), { event: 'end', data: { status: 'success' } });
  // Reconnecting after the first record continues with the second.
  const resumed = await stream(r.body.data.id, { 'last-event-id': '0' });
  assert.equal(resumed.events.filter((e) => e.event === 'log').map((e) => e.id), ['1']);
  assert.is(resumed.events.at(-1)!.event, 'end');
});

test('list with filters, one record, logs from an index', async () => {
  const r = await start({ workflow: 'quick' });
  const id = r.body.data.id as string;
  await until(async () => (await record(id)).status === 'success');
  const all = await h.call('GET', '/api/executions?workflow=quick&status=success&limit=1', { token: tokens.read });
  assert.is(all.status, 200);
  assert.is(all.body.data.length, 1);
  assert.is(all.body.data[0].id, id, 'newest first');
  const none = await h.call('GET', '/api/executions?status=failed&workflow=quick', { token: tokens.read });
  assert.equal(none.body.data, []);
  const one = await record(id);
  assert.equal(Object.keys(one.steps), ['s1', 's2']);
  assert.is(one.steps.s1.status, 'success');
  const logs = await h.call('GET', `/api/executions/${id}/logs?from=1`, { token: tokens.read });
  assert.equal(logs.body.data.map((l: { message: string }) => l.message), ['y']);
  for (const path of [`/api/executions/nope-1`, `/api/executions/nope-1/logs`, `/api/executions/nope-1/logs/stream`]) {
    const missing = await h.call('GET', path, { token: tokens.read });
    assert.is(missing.status, 404, path);
    assert.is(missing.body.code, 'E_NOT_FOUND');
  }
});

test('cancel stops a running execution; cancelling a finished one is 409', async () => {
  const r = await start({ workflow: 'slow' });
  const id = r.body.data.id as string;
  await until(async () => (await record(id)).status === 'running');
  assert.is(h.runs.running(), 1);
  const c = await h.call('POST', `/api/executions/${id}/cancel`, { token: tokens.write });
  assert.is(c.status, 202);
  assert.is(c.body.data.cancelRequested, true);
  await until(async () => (await record(id)).status === 'cancelled', 5_000);
  const again = await h.call('POST', `/api/executions/${id}/cancel`, { token: tokens.write });
  assert.is(again.status, 409);
  assert.is(again.body.code, 'E_CONFLICT');
  assert.is(again.body.details.status, 'cancelled');
  const missing = await h.call('POST', '/api/executions/nope-2/cancel', { token: tokens.write });
  assert.is(missing.status, 404);
});

test('an unknown workflow is 404; bad parameters and plugin paths are 422; nothing is recorded', async () => {
  const before = (await h.store.list()).length;
  const unknown = await start({ workflow: 'nope' });
  assert.is(unknown.status, 404);
  assert.match(unknown.body.message, /quick/);
  for (const parameters of [{}, { count: 'many' }, { count: 2, mode: 'reckless' }, { count: 2, colour: 'red' }]) {
    const bad = await start({ workflow: 'params', parameters });
    assert.is(bad.status, 422, JSON.stringify(parameters));
    assert.is(bad.body.code, 'E_VALIDATION');
    assert.is(bad.body.details[0].code, 'E_PARAMETER');
  }
  for (const plugin of ['../elsewhere', '/etc', 'missing-dir']) {
    const bad = await start({ workflow: 'quick', plugin });
    assert.is(bad.status, 422, plugin);
  }
  // The run supervisor's refusal (a run error), as the API answers it.
  const missing = await start({ workflow: 'quick', plugin: 'missing-dir' });
  assert.equal(missing.body.details, [{ path: '/plugin', message: 'not a directory', code: 'E_NO_PLUGIN_DIRECTORY' }]);
  assert.is((await h.store.list()).length, before);
  const good = await start({ workflow: 'params', parameters: { count: '3', mode: 'fast' } });
  assert.is(good.status, 202);
  await until(async () => (await record(good.body.data.id)).status === 'success');
  const logs = await h.call('GET', `/api/executions/${good.body.data.id}/logs`, { token: tokens.read });
  assert.is(logs.body.data[0].message, 'count=3 mode=fast');
  assert.equal((await record(good.body.data.id)).parameters, { count: 3, mode: 'fast' });
});

test('secrets are masked in records, logs and streams', async () => {
  const r = await start({ workflow: 'leak' });
  const id = r.body.data.id as string;
  const s = await stream(id);
  const texts = [JSON.stringify(s.events), (await h.call('GET', `/api/executions/${id}`, { token: tokens.read })).text,
    (await h.call('GET', `/api/executions/${id}/logs`, { token: tokens.read })).text, (await h.call('GET', '/api/executions', { token: tokens.read })).text];
  for (const t of texts) assert.not.ok(t.includes(secret), 'raw secret');
  assert.ok(texts[2]!.includes('token=***'));
  assert.is((await record(id)).status, 'failed');
  assert.is((await record(id)).steps.s1.outputs.out, '***');
});

test('status summarises executions and the runner', async () => {
  const s = await h.call('GET', '/api/status', { token: tokens.read });
  assert.is(s.status, 200);
  assert.is(s.body.data.version, '0.0.0-test');
  assert.is(s.body.data.executions.inProcess, 0);
  assert.ok(s.body.data.executions.total >= 5);
  assert.is(s.body.data.scheduler.status, 'off');
});

test('statistics count what ran; cleanup deletes only old finished executions', async () => {
  const stats = await h.call('GET', '/api/statistics', { token: tokens.read });
  assert.is(stats.status, 200);
  const d = stats.body.data;
  assert.ok(d.total >= 5);
  assert.ok(d.byStatus.success >= 3 && d.byStatus.cancelled === 1 && d.byStatus.failed === 1, JSON.stringify(d.byStatus));
  assert.ok(d.successRate > 0 && d.successRate < 1);
  assert.is(d.perWorkflow.slow.byStatus.cancelled, 1);
  assert.ok(d.p95DurationMs >= d.averageDurationMs * 0.5 && d.p95DurationMs > 0);
  assert.ok(d.workflows.includes('slow'));
  const slow = (await h.call('GET', '/api/statistics?days=3&workflow=slow', { token: tokens.read })).body.data;
  assert.equal(Object.keys(slow.perWorkflow), ['slow']);
  assert.is(slow.total, d.perWorkflow.slow.total);
  assert.is(slow.window.days, 3);
  assert.is(slow.daily.length, 3);
  assert.is(slow.daily.reduce((a: number, x: { total: number }) => a + x.total, 0), slow.total);
  assert.is(slow.daily[0].day < slow.daily[2].day, true);
  const bad = await h.call('GET', '/api/statistics?days=0', { token: tokens.read });
  assert.is(bad.status, 400);
  assert.is(bad.body.code, 'E_VALIDATION');
  const kept = await h.call('POST', '/api/cleanup', { token: tokens.write, json: { days: 1 } });
  assert.equal(kept.body.data, { deleted: 0 });
  assert.is((await h.store.list()).length, d.total);
  h.shift.ms = 3 * 24 * 3_600_000;
  try {
    const later = await h.call('POST', '/api/cleanup', { token: tokens.write, json: { days: 2 } });
    assert.is(later.body.data.deleted, d.total);
  } finally {
    h.shift.ms = 0;
  }
  assert.equal(await h.store.list(), []);
});

test('nothing runs while the project\'s documents do not validate (422 with their diagnostics)', async () => {
  const broken = join(h.dir, 'pipelines', 'broken.yml');
  writeFileSync(broken, 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: broken }\nspec: { steps: [ }\n');
  try {
    const r = await start({ workflow: 'quick' });
    assert.is(r.status, 422);
    assert.is(r.body.details[0].file, 'pipelines/broken.yml');
    assert.is(r.body.details[0].line, 4);
  } finally {
    rmSync(broken);
  }
});

test('once stopping, the runner refuses new executions with 503', async () => {
  const r = await start({ workflow: 'slow' });
  await until(async () => (await record(r.body.data.id)).status === 'running');
  const t0 = Date.now();
  await h.runs.stop(100);
  assert.ok(Date.now() - t0 < 5_000, 'the grace is short, then it is cancelled');
  assert.is((await record(r.body.data.id)).status, 'cancelled');
  const refused = await start({ workflow: 'quick' });
  assert.is(refused.status, 503);
  assert.is(refused.body.code, 'E_UNAVAILABLE');
  assert.equal(refused.body.details, { reason: 'E_STOPPING' });
});

test.run();
