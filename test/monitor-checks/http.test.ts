// The HTTP probe against a real node:http server on loopback: status codes with the default and
// given conditions, JSON bodies, the body cap, and timeouts (headers or body too slow) that end
// the check at the timeout, not when the server finally answers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { probeHttp } from '../../src/monitor/checks/http.ts';
import { maxCapturedBytes } from '../../src/monitor/checks/result.ts';
import { runCheck } from '../../src/monitor/checks/run.ts';
import { closedPort, httpServer, realEdges } from './helpers.ts';

const timers = new Set<NodeJS.Timeout>();
const later = (ms: number, fn: () => void) => { const t = setTimeout(() => { timers.delete(t); fn(); }, ms); timers.add(t); };

const server = await httpServer({
  '/ok': (_q, res) => res.end('fine'),
  '/teapot': (_q, res) => { res.statusCode = 418; res.end('short and stout'); },
  '/moved': (_q, res) => { res.statusCode = 302; res.setHeader('location', '/ok'); res.end(); },
  '/json': (_q, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ status: 'ok', checks: { db: 'up' } })); },
  '/big': (_q, res) => res.end('x'.repeat(maxCapturedBytes + 10_000)),
  '/echo': (req, res) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => res.end(`${req.method} ${req.headers['x-probe']} ${b}`)); },
  '/slow': (_q, res) => later(3_000, () => res.end('late')),
  '/slow-body': (_q, res) => { res.write('{"status":'); later(3_000, () => res.end('"ok"}')); },
});

test('2xx passes the default condition with status, responseTime and body', async () => {
  const r = await runCheck({ type: 'http', url: `${server.url}/ok` }, realEdges());
  assert.is(r.ok, true);
  assert.is(r.fields.status, 200);
  assert.is(r.fields.body, 'fine');
  assert.is(r.fields.json, null);
  assert.type(r.fields.responseTime, 'number');
  assert.equal(r.conditions, [{ expression: 'status >= 200 && status < 400', ok: true }]);
});

test('4xx fails the default condition but the probe itself succeeded', async () => {
  const r = await runCheck({ type: 'http', url: `${server.url}/teapot` }, realEdges());
  assert.is(r.ok, false);
  assert.is(r.fields.status, 418);
  assert.is(r.error, undefined);
  assert.equal(r.conditions.map((c) => c.ok), [false]);
});

test('redirects are followed', async () => {
  const r = await runCheck({ type: 'http', url: `${server.url}/moved` }, realEdges());
  assert.is(r.fields.status, 200);
  assert.is(r.ok, true);
});

test('JSON bodies are parsed for json.* conditions', async () => {
  const r = await runCheck({
    type: 'http', url: `${server.url}/json`,
    conditions: ['status == 200', "json.status == 'ok'", "json.checks.db == 'up'", "json.status == 'degraded'"],
  }, realEdges());
  assert.equal(r.fields.json, { status: 'ok', checks: { db: 'up' } });
  assert.equal(r.conditions.map((c) => c.ok), [true, true, true, false]);
  assert.is(r.ok, false);
});

test('the body is cut at 64 KiB and then not parsed', async () => {
  const r = await runCheck({ type: 'http', url: `${server.url}/big` }, realEdges());
  assert.is(r.ok, true);
  assert.is((r.fields.body as string).length, maxCapturedBytes);
  assert.is(r.fields.json, null);
});

test('method, headers and body are sent', async () => {
  const r = await probeHttp({ url: `${server.url}/echo`, method: 'POST', headers: { 'x-probe': 'yes' }, body: 'ping', timeoutMs: 2_000 },
    { fetch: (u, i) => fetch(u, i), now: () => Date.now() });
  assert.is(r.ok, true);
  assert.is(r.fields.body, 'POST yes ping');
});

for (const path of ['/slow', '/slow-body']) {
  test(`${path}: a response slower than the timeout fails at the timeout`, async () => {
    const started = Date.now();
    const r = await runCheck({ type: 'http', url: `${server.url}${path}`, timeout: '200ms' }, realEdges());
    const waited = Date.now() - started;
    assert.is(r.ok, false);
    assert.is(r.error, 'timed out after 200ms');
    assert.ok(waited >= 190 && waited < 1_000, `waited ${waited}ms`);
  });
}

test('a cancelled scheduler signal ends the probe', async () => {
  const controller = new AbortController();
  later(100, () => controller.abort());
  const r = await runCheck({ type: 'http', url: `${server.url}/slow`, timeout: '5s' }, realEdges({ signal: controller.signal }));
  assert.is(r.ok, false);
  assert.is(r.error, 'cancelled');
});

test('a refused connection is a failed probe with the reason', async () => {
  const port = await closedPort();
  const r = await runCheck({ type: 'http', url: `http://127.0.0.1:${port}/` }, realEdges());
  assert.is(r.ok, false);
  assert.match(r.error ?? '', /request to http:\/\/127\.0\.0\.1:\d+\/ failed: .*ECONNREFUSED/);
  assert.is(r.fields.status, null);
  assert.equal(r.conditions.map((c) => c.ok), [false]);
});

test('a bad URL or missing url fails without a request', async () => {
  let calls = 0;
  const edges = realEdges({ fetch: async () => { calls++; return new Response(''); } });
  assert.match((await runCheck({ type: 'http', url: 'not a url' }, edges)).error ?? '', /is not a URL/);
  assert.match((await runCheck({ type: 'http' }, edges)).error ?? '', /needs `url`/);
  assert.is(calls, 0);
});

test('a fake clock gives at, durationMs and responseTime', async () => {
  let t = 1_000;
  const edges = realEdges({ now: () => (t += 10), fetch: async () => new Response('{"a":1}', { status: 200 }) });
  const r = await runCheck({ type: 'http', url: 'http://example.invalid/' }, edges);
  assert.is(r.at, 1_010);
  assert.is(r.fields.responseTime, 10);
  assert.is(r.durationMs, 30); // now() is read at start, probe start, headers and end
  assert.equal(r.fields.json, { a: 1 });
});

test('query and plugin types without their setting fail plainly', async () => {
  const needs = { prometheus: 'query', loki: 'query', plugin: 'plugin' } as const;
  for (const type of ['prometheus', 'loki', 'plugin'] as const) {
    const r = await runCheck({ type }, realEdges());
    assert.is(r.ok, false);
    assert.is(r.error, `a ${type} check needs \`${needs[type]}\``);
  }
});

test.after(async () => {
  for (const t of timers) clearTimeout(t);
  await server.close();
});

test.run();
