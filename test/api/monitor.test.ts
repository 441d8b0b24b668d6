// The monitoring routes over a real engine: checks (list, one with history, run now), alerts by
// state, incidents (list by status, one with its timeline, acknowledge and resolve with the
// token's name, model refusals as 409/422 with the model's code), pushed metrics (a bad sample
// refused alone), and the status summary.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi, tokens, type Harness } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await startApi(); });
test.after(async () => { await h.close(); });

const get = async (path: string) => (await h.call('GET', path, { token: tokens.read })).body;
const post = (path: string, json?: unknown, token: string = tokens.write) => h.call('POST', path, { token, ...(json !== undefined ? { json } : {}) });

test('checks: listed with their health, run now, shown with history', async () => {
  const before = await get('/api/checks');
  assert.equal(before.data, [{ id: 'svc', type: 'command', healthy: true, consecutiveFailures: 0, consecutiveSuccesses: 0 }]);
  writeFileSync(join(h.dir, 'up'), '');
  const ok = await post('/api/checks/svc/run');
  assert.is(ok.status, 200);
  assert.is(ok.body.data.result.ok, true);
  assert.is(ok.body.data.result.fields.exitCode, 0);
  rmSync(join(h.dir, 'up'));
  const failed = await post('/api/checks/svc/run');
  assert.is(failed.body.data.result.ok, false);
  assert.equal(failed.body.data.check.last.failed, ['exitCode == 0']);
  assert.is(failed.body.data.check.healthy, false);
  const one = await get('/api/checks/svc');
  assert.equal(one.data.history.map((r: { ok: boolean }) => r.ok), [true, false]);
  assert.is(one.data.consecutiveFailures, 1);
  const missing = await h.call('GET', '/api/checks/nope', { token: tokens.read });
  assert.is(missing.status, 404);
  assert.is((await post('/api/checks/nope/run')).status, 404);
});

test('alerts: the failing check fires its rule; filtered by state', async () => {
  const firing = await get('/api/alerts?state=firing');
  assert.is(firing.data.length, 1);
  assert.is(firing.data[0].ruleId, 'svc-down');
  assert.is(firing.data[0].severity, 'critical');
  assert.equal((await get('/api/alerts?state=pending')).data, []);
  const bad = await h.call('GET', '/api/alerts?state=burning', { token: tokens.read });
  assert.is(bad.status, 400);
});

test('incidents: listed by status, shown with the timeline, acknowledged by the token\'s name', async () => {
  const open = await get('/api/incidents?status=open');
  assert.is(open.data.length, 1);
  const id = open.data[0].id as string;
  assert.match(id, /^[0-9a-f]{32}:\d+$/);
  assert.is(open.data[0].timeline, undefined, 'the list leaves timelines out');
  const one = await get(`/api/incidents/${id}`);
  assert.is(one.data.timeline[0].kind, 'opened');
  const refused = await post(`/api/incidents/${id}/acknowledge`, {}, tokens.read);
  assert.is(refused.status, 403);
  assert.is(h.monitor.incident(id)?.status, 'open');
  const badTimeout = await post(`/api/incidents/${id}/acknowledge`, { timeout: 'soon' });
  assert.is(badTimeout.status, 422);
  const zero = await post(`/api/incidents/${id}/acknowledge`, { timeout: '0s' });
  assert.is(zero.status, 422);
  assert.is(zero.body.details.code, 'invalid-timeout');
  const acked = await post(`/api/incidents/${id}/acknowledge`, { timeout: '30m' });
  assert.is(acked.status, 200);
  assert.is(acked.body.data.status, 'acknowledged');
  assert.is(acked.body.data.acknowledgedBy, 'ops-writer');
  assert.ok(acked.body.data.ackTimeoutAt > acked.body.data.acknowledgedAt);
  assert.is((await get('/api/incidents?status=acknowledged')).data.length, 1);
  assert.is((await get('/api/incidents?status=active')).data.length, 1);
  assert.is((await h.call('GET', '/api/incidents?status=closed', { token: tokens.read })).status, 400);
  assert.is((await h.call('GET', '/api/incidents/nope:1', { token: tokens.read })).status, 404);
  assert.is((await post('/api/incidents/nope:1/acknowledge', {})).status, 404);
});

test('incidents: resolved with a resolution; model refusals carry their code', async () => {
  const id = (await get('/api/incidents?status=active')).data[0].id as string;
  const empty = await post(`/api/incidents/${id}/resolve`, { resolution: '' });
  assert.is(empty.status, 422);
  const blank = await post(`/api/incidents/${id}/resolve`, { resolution: '   ' });
  assert.is(blank.status, 422);
  assert.is(blank.body.details.code, 'resolution-required');
  const missing = await post(`/api/incidents/${id}/resolve`);
  assert.is(missing.status, 422);
  const done = await post(`/api/incidents/${id}/resolve`, { resolution: 'restarted the service' });
  assert.is(done.status, 200);
  assert.is(done.body.data.status, 'resolved');
  assert.is(done.body.data.resolvedBy, 'ops-writer');
  assert.is(done.body.data.timeline.at(-1).kind, 'resolved');
  const twice = await post(`/api/incidents/${id}/resolve`, { resolution: 'again' });
  assert.is(twice.status, 409);
  assert.is(twice.body.code, 'E_CONFLICT');
  assert.is(twice.body.details.code, 'already-resolved');
  const ackResolved = await post(`/api/incidents/${id}/acknowledge`, {});
  assert.is(ackResolved.status, 409);
  assert.equal((await get('/api/incidents?status=active')).data, []);
});

test('metrics: good samples are kept, each bad one is refused with its index', async () => {
  const r = await post('/api/metrics', { samples: [
    { plugin: 'pay', metric: 'cpu_usage', value: 0.5 },
    { metric: 'cpu_usage', value: 'high' },
    { metric: 'cpu_usage', value: 1, colour: 'red' },
    { metric: 'mem', value: 2, timestamp: '2026-01-01T00:00:00Z' },
    { metric: 'bad name!', value: 1 },
  ] });
  assert.is(r.status, 200);
  assert.is(r.body.data.accepted, 2);
  assert.equal(r.body.data.rejected.map((x: { index: number }) => x.index), [1, 2, 4]);
  assert.match(r.body.data.rejected[1].error, /colour/);
  const many = await post('/api/metrics', { samples: Array.from({ length: 10_001 }, () => ({ metric: 'm', value: 1 })) });
  assert.is(many.status, 422);
  const most = await post('/api/metrics', { samples: Array.from({ length: 10_000 }, (_, i) => ({ metric: 'm', value: i })) });
  assert.is(most.status, 200);
  assert.is(most.body.data.accepted, 10_000);
});

test('status: one call over every component', async () => {
  const s = (await get('/api/status')).data;
  assert.is(s.version, '0.0.0-test');
  assert.ok(s.uptimeMs >= 0);
  assert.equal(s.checks, { total: 1, healthy: 0, unhealthy: 1 });
  assert.is(s.alerts.byState.firing, 1);
  assert.equal(s.incidents, { open: 0, acknowledged: 0, active: 0 });
  assert.equal(s.notifications, { pending: 0, sent: 0, failed: 0, dropped: 0 });
  assert.is(s.scheduler.status, 'off');
  assert.type(s.config.loadedAt, 'string');
  assert.is(s.executions.total, 0);
});

test.run();
