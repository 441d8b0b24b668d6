// The `http` step against a real node:http server on 127.0.0.1: status and JSON-path assertions,
// the response-time bound, failure messages, and the status/body outputs read downstream.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventsOf, logsOf, planWorkflow, removeTempDirs, runReal, statuses } from './helpers.ts';

interface Seen { method: string; url: string; contentType: string | undefined; token: string | undefined; body: string }

const seen: Seen[] = [];
let server: Server;
let base = '';

const readBody = (req: IncomingMessage) => new Promise<string>((resolve) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => { text += c; });
  req.on('end', () => resolve(text));
});

const healthBody = JSON.stringify({ status: 'ok', data: { items: [{ name: 'a' }, { name: 'b' }], count: 2 } });

test.before(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], token: req.headers['x-token'] as string | undefined, body });
    const json = (status: number, text: string) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(text); };
    switch (req.url) {
      case '/health': return json(200, healthBody);
      case '/down': return json(503, '{"status":"maintenance"}');
      case '/text': res.writeHead(200); return res.end('plain words, not json');
      case '/slow': return setTimeout(() => json(200, '{}'), 300);
      case '/echo': return json(201, JSON.stringify({ received: JSON.parse(body || 'null') }));
      default: return json(404, '{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(async () => {
  await new Promise((resolve) => server.close(resolve));
  removeTempDirs();
});

/** One http step `check` with the given `with:` (JSON is YAML). */
const httpStep = (inputs: Record<string, unknown>) => planWorkflow(`
  steps:
    - { id: check, uses: http, with: ${JSON.stringify(inputs)} }
`);

test('status and JSON paths as expected: success, outputs status, body and responseTime', async () => {
  const graph = planWorkflow(`
    steps:
      - id: check
        uses: http
        with:
          url: ${base}/health
          expect:
            status: 200
            json:
              status: ok
              "data.items[1].name": b
              data.count: 2
              "data.items[0]": { name: a }
            bodyContains: '"items"'
  `);

  const { result, events } = await runReal(graph);

  const check = eventsOf(events, 'step.finished', 'check')[0];
  assert.is(result.status, 'success', check?.error);
  assert.is(check?.outputs.status, '200');
  assert.is(check?.outputs.body, healthBody);
  assert.match(check?.outputs.responseTime ?? '', /^\d+$/);
  assert.equal(seen.at(-1), { method: 'GET', url: '/health', contentType: undefined, token: undefined, body: '' });
  assert.match(logsOf(events, 'check')[0] ?? '', new RegExp(`^GET ${base}/health → 200 in \\d+ms$`));
});

interface Failure { name: string; with: (base: string) => Record<string, unknown>; message: RegExp }

const failures: Failure[] = [
  {
    name: 'a status other than the expected one',
    with: (b) => ({ url: `${b}/down`, expect: { status: 200 } }),
    message: /^status 503, expected 200$/,
  },
  {
    name: 'a status outside an expected list',
    with: (b) => ({ url: `${b}/down`, expect: { status: [200, 204] } }),
    message: /^status 503, expected 200 or 204$/,
  },
  {
    name: 'a non-2xx status when no status is expected',
    with: (b) => ({ url: `${b}/down` }),
    message: /^status 503, expected 2xx$/,
  },
  {
    name: 'a JSON path with another value',
    with: (b) => ({ url: `${b}/health`, expect: { json: { 'data.items[0].name': 'z' } } }),
    message: /^data\.items\[0\]\.name is "a", expected "z"$/,
  },
  {
    name: 'a JSON path compared strictly (2 is not "2")',
    with: (b) => ({ url: `${b}/health`, expect: { json: { 'data.count': '2' } } }),
    message: /^data\.count is 2, expected "2"$/,
  },
  {
    name: 'a JSON path that does not exist',
    with: (b) => ({ url: `${b}/health`, expect: { json: { 'data.missing.deep': 1 } } }),
    message: /^data\.missing\.deep is undefined, expected 1$/,
  },
  {
    name: 'a body that is not JSON',
    with: (b) => ({ url: `${b}/text`, expect: { json: { a: 1 } } }),
    message: /^body is not JSON$/,
  },
  {
    name: 'a response slower than maxResponseTime',
    with: (b) => ({ url: `${b}/slow`, expect: { maxResponseTime: '50ms' } }),
    message: /^response time (\d+)ms, expected at most 50ms$/,
  },
  {
    name: 'several problems at once, joined',
    with: (b) => ({ url: `${b}/down`, expect: { status: 200, bodyContains: 'healthy', json: { status: 'ok' } } }),
    message: /^status 503, expected 200; body does not contain "healthy"; status is "maintenance", expected "ok"$/,
  },
];

for (const f of failures) {
  test(`http fails on ${f.name}, saying what it found and expected`, async () => {
    const graph = httpStep(f.with(base));

    const { result, events } = await runReal(graph);

    const check = eventsOf(events, 'step.finished', 'check')[0];
    assert.is(result.status, 'failed');
    assert.is(check?.status, 'failed');
    assert.match(check?.error ?? '', f.message);
    assert.ok(check?.outputs.status, 'the status output is set even when the assertions fail');
  });
}

test('maxResponseTime reports the measured time, at least the server delay', async () => {
  const graph = httpStep({ url: `${base}/slow`, expect: { maxResponseTime: '50ms' } });

  const { events } = await runReal(graph);

  const check = eventsOf(events, 'step.finished', 'check')[0];
  const measured = Number(/response time (\d+)ms/.exec(check?.error ?? '')?.[1]);
  assert.ok(measured >= 290, `measured ${measured} ms for a 300 ms response`);
  assert.is(check?.outputs.responseTime, String(measured));
});

test('an unreachable server fails with the method, the URL and the cause', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const graph = httpStep({ url: `http://127.0.0.1:${port}/health` });

  const { result, events } = await runReal(graph);

  assert.is(result.status, 'failed');
  assert.match(eventsOf(events, 'step.finished', 'check')[0]?.error ?? '', new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/health failed: .*ECONNREFUSED`));
});

test('POST with a JSON body and headers from parameters; outputs read by a later run step', async () => {
  const graph = planWorkflow(`
    parameters:
      base: { type: string }
      token: { type: string }
    steps:
      - id: create
        uses: http
        with:
          url: "\${{ params.base }}/echo"
          method: POST
          headers: { x-token: "\${{ params.token }}" }
          body: { name: plugin-a, replicas: 3 }
          expect: { status: 201, json: { received.replicas: 3 } }
      - id: use
        needs: [create]
        env:
          STATUS: "\${{ steps.create.outputs.status }}"
        run: |
          echo "status=$STATUS"
          echo "body=" \${{ steps.create.outputs.body }}
  `);

  const { result, events } = await runReal(graph, { params: { base, token: 't-123' } });

  assert.is(result.status, 'success', eventsOf(events, 'step.finished', 'create')[0]?.error);
  assert.equal(statuses(events), { create: 'success', use: 'success' });
  assert.equal(seen.at(-1), {
    method: 'POST', url: '/echo', contentType: 'application/json', token: 't-123',
    body: JSON.stringify({ name: 'plugin-a', replicas: 3 }),
  });
  assert.equal(logsOf(events, 'use'), ['status=201', 'body= {"received":{"name":"plugin-a","replicas":3}}']);
});

test.run();
