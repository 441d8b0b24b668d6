// Documents written through the API of a real `pluginops serve --cron` (one process, tests in
// order): a HealthCheck created with POST is a file the watch reloads, and the monitor probes the
// loopback server it names within the reload time; a bad one is 422 with line:col and changes
// nothing; replacing it moves the probes to the new URL; deleting it stops them and the id is
// 404 afterwards. An AlertRule over it fires, is replaced (the alert takes the new severity) and
// leaves the monitor's rules with its file; an ActionPlan is created,
// replaced and deleted as the listings show. Each write is an `admin` write, seen by the reload.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { adminToken, eventually, readToken, serveWorld, writeToken, type ServeWorld } from './helpers.ts';
import { messages, sleep, startServe, type Launched } from './process.ts';

/** A loopback server that records the path of every request, with when it came. */
interface Probe { url: string; seen: Array<{ path: string; at: number }>; server: Server }
async function startProbe(): Promise<Probe> {
  const seen: Probe['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', at: Date.now() });
    req.resume();
    res.writeHead(req.url === '/down' ? 503 : 200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const check = (id: string, url: string) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: ${id} }
spec:
  type: http
  url: "${url}"
  interval: 300ms
  stagger: 0s
  timeout: 1s
  failureThreshold: 1
  successThreshold: 1
`;

let w: ServeWorld, p: Launched, probe: Probe;
test.before(async () => {
  probe = await startProbe();
  w = await serveWorld({ documents: check('base', '{service}/health').replace('300ms', '1h'), monitoring: ['acknowledgeTimeout: 30m'] });
  p = await startServe(w, ['--port', '0', '--cron']);
});
test.after(async () => {
  await w.close();
  probe.server.closeAllConnections();
  await new Promise((r) => probe.server.close(r));
});

const yaml = (method: string, path: string, text: string, token = adminToken) => w.api(method, path, { token, raw: text, type: 'application/yaml' });
const hits = (path: string, since = 0) => probe.seen.filter((s) => s.path === path && s.at >= since).length;
const checkIds = async () => ((await w.api('GET', '/api/checks', { token: readToken })).body.data as Array<{ id: string }>).map((c) => c.id).sort();
/** Waits for the watch's reload after `from` (a log index) and returns its log line. */
async function reloadedSince(from: number): Promise<Record<string, unknown>> {
  return eventually(() => p.lines.slice(from).find((l) => l.msg === 'configuration reloaded (files changed)'), { timeoutMs: 5_000, what: `a reload; got: ${messages(p).slice(from).join(' | ')}` });
}
/** The reload time: the watch's quiet period (300 ms) and the load, with room for a busy machine. */
const reloadMs = 4_000;

test('a HealthCheck created with POST is reloaded and probes the loopback server within the reload time', async () => {
  const from = p.lines.length;
  const created = await yaml('POST', '/api/documents/HealthCheck', check('probe', `${probe.url}/v1`));
  const answeredAt = Date.now();
  assert.is(created.status, 201, JSON.stringify(created.body));
  assert.is(created.body.data.file, 'pipelines/checks/probe.yml');
  const reload = await reloadedSince(from);
  assert.is(reload.checks, 2);
  await eventually(() => hits('/v1') > 0, { timeoutMs: reloadMs, what: 'the first probe of /v1' });
  assert.ok(probe.seen[0]!.at - answeredAt < reloadMs, `first probe ${probe.seen[0]!.at - answeredAt} ms after the answer`);
  assert.equal(await checkIds(), ['base', 'probe']);
  assert.ok(messages(p).some((m) => m === 'HealthCheck probe created in pipelines/checks/probe.yml'));
});

test('a bad HealthCheck is 422 with line:col, writes nothing and reloads nothing', async () => {
  const from = p.lines.length;
  const files = readdirSync(join(w.dir, 'pipelines', 'checks'));
  const bad = await yaml('PUT', '/api/documents/HealthCheck/broken', check('broken', `${probe.url}/x`).replace('interval: 300ms', 'interval: soon'));
  assert.is(bad.status, 422);
  assert.is(bad.body.code, 'E_VALIDATION');
  assert.equal([bad.body.details[0].line, bad.body.details[0].col], [7, 13]);
  const syntax = await yaml('PUT', '/api/documents/HealthCheck/broken', 'apiVersion: pluginops/v1\nkind: HealthCheck\nmetadata: { id: broken\n');
  assert.is(syntax.status, 422);
  assert.ok(syntax.body.details[0].line >= 3 && syntax.body.details[0].col >= 1, JSON.stringify(syntax.body.details));
  assert.equal(readdirSync(join(w.dir, 'pipelines', 'checks')), files);
  await sleep(800);
  assert.not.ok(messages(p).slice(from).some((m) => m.startsWith('configuration reloaded')), 'no reload');
  assert.equal(await checkIds(), ['base', 'probe']);
});

test('writes need admin: a write token is 403, no token 401, and nothing changes', async () => {
  const write = await yaml('PUT', '/api/documents/HealthCheck/probe', check('probe', `${probe.url}/other`), writeToken);
  assert.is(write.status, 403);
  const none = await w.api('DELETE', '/api/documents/HealthCheck/probe');
  assert.is(none.status, 401);
  assert.ok(existsSync(join(w.dir, 'pipelines', 'checks', 'probe.yml')));
  assert.is((await w.api('GET', '/api/documents/HealthCheck/probe', { token: readToken })).body.data.document.spec.url, `${probe.url}/v1`);
});

test('replacing the HealthCheck moves the probes to the new spec', async () => {
  const from = p.lines.length;
  const replaced = await yaml('PUT', '/api/documents/HealthCheck/probe', check('probe', `${probe.url}/v2`));
  assert.is(replaced.status, 200);
  assert.is(replaced.body.data.created, false);
  const at = Date.now();
  await reloadedSince(from);
  await eventually(() => hits('/v2') > 0, { timeoutMs: reloadMs, what: 'a probe of /v2' });
  const settled = Date.now() + 200;
  await sleep(1_200);
  assert.is(hits('/v1', settled), 0, 'the old spec is no longer probed');
  assert.ok(hits('/v2', settled) >= 2, 'the new spec keeps being probed');
  assert.ok(probe.seen.find((s) => s.path === '/v2')!.at - at < reloadMs);
});

test('an AlertRule over it fires through the monitor, is replaced, and stops with its file', async () => {
  let from = p.lines.length;
  const rule = 'apiVersion: pluginops/v1\nkind: AlertRule\nmetadata: { id: probe-down }\nspec:\n  source: { healthCheck: probe }\n  severity: warning\n';
  const created = await yaml('PUT', '/api/documents/AlertRule/probe-down', rule);
  assert.is(created.status, 201, JSON.stringify(created.body));
  assert.is(created.body.data.file, 'pipelines/rules/probe-down.yml');
  assert.is((await reloadedSince(from)).rules, 1);
  // The check now answers 503: the rule's alert fires.
  from = p.lines.length;
  assert.is((await yaml('PUT', '/api/documents/HealthCheck/probe', check('probe', `${probe.url}/down`))).status, 200);
  await reloadedSince(from);
  const firing = async () => ((await w.api('GET', '/api/alerts', { token: readToken })).body.data as Array<{ ruleId: string; state: string; severity?: string }>).find((a) => a.ruleId === 'probe-down');
  await eventually(async () => (await firing())?.state === 'firing', { timeoutMs: 8_000, what: 'probe-down firing' });
  from = p.lines.length;
  assert.is((await yaml('PUT', '/api/documents/AlertRule/probe-down', rule.replace('warning', 'critical'))).status, 200);
  await reloadedSince(from);
  await eventually(async () => (await firing())?.severity === 'critical', { timeoutMs: 8_000, what: 'the replaced severity' });
  assert.equal(((await w.api('GET', '/api/documents/AlertRule', { token: readToken })).body.data as Array<{ id: string }>).map((r) => r.id), ['probe-down']);
  // The check cannot go while the rule names it.
  const named = await w.api('DELETE', '/api/documents/HealthCheck/probe', { token: adminToken });
  assert.is(named.status, 409);
  assert.is(named.body.details.reason, 'referenced');
  from = p.lines.length;
  assert.is((await w.api('DELETE', '/api/documents/AlertRule/probe-down', { token: adminToken })).status, 200);
  assert.is((await reloadedSince(from)).rules, 0, 'the monitor no longer holds the rule');
  assert.equal((await w.api('GET', '/api/documents/AlertRule', { token: readToken })).body.data, []);
});

test('deleting the HealthCheck stops its probes after the reload; it is 404 afterwards', async () => {
  const from = p.lines.length;
  const deleted = await w.api('DELETE', '/api/documents/HealthCheck/probe', { token: adminToken });
  assert.is(deleted.status, 200, JSON.stringify(deleted.body));
  assert.equal(deleted.body.data, { id: 'probe', kind: 'HealthCheck', file: 'pipelines/checks/probe.yml' });
  assert.not.ok(existsSync(join(w.dir, 'pipelines', 'checks', 'probe.yml')));
  assert.is((await reloadedSince(from)).checks, 1);
  const after = Date.now() + 200;
  await sleep(1_200);
  assert.is(probe.seen.filter((s) => s.at >= after).length, 0, 'no probe after the reload');
  assert.equal(await checkIds(), ['base']);
  assert.is((await w.api('GET', '/api/checks/probe', { token: readToken })).status, 404);
  assert.is((await w.api('GET', '/api/documents/HealthCheck/probe', { token: readToken })).status, 404);
  assert.is((await w.api('DELETE', '/api/documents/HealthCheck/probe', { token: adminToken })).status, 404);
});

test('an ActionPlan: created, runnable, replaced and deleted, as the listings show', async () => {
  const plan = (say: string) => `apiVersion: pluginops/v1\nkind: ActionPlan\nmetadata: { id: flush_cache }\nspec:\n  steps:\n    - { id: go, run: "echo ${say}" }\n`;
  const listed = async () => ((await w.api('GET', '/api/workflows', { token: readToken })).body.data as Array<{ id: string; file: string }>).find((e) => e.id === 'flush_cache');
  const created = await yaml('POST', '/api/documents/ActionPlan', plan('one'));
  assert.is(created.status, 201);
  assert.is((await listed())?.file, 'pipelines/plans/flush_cache.yml');
  const run = await w.api('POST', '/api/executions', { token: writeToken, body: { workflow: 'flush_cache' } });
  assert.is(run.status, 202);
  assert.is((await yaml('PUT', '/api/documents/ActionPlan/flush_cache', plan('two'))).status, 200);
  const shown = await w.api('GET', '/api/documents/ActionPlan/flush_cache', { token: readToken });
  assert.is(shown.body.data.document.spec.steps[0].run, 'echo two');
  assert.is((await w.api('DELETE', '/api/documents/ActionPlan/flush_cache', { token: adminToken })).status, 200);
  assert.is(await listed(), undefined);
  assert.equal((await w.api('GET', '/api/documents/ActionPlan', { token: readToken })).body.data, []);
});

test.run();
