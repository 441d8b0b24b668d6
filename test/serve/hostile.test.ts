// Hostile requests against the real process (`pluginops serve`, one for the file): each is a 4xx
// JSON error with `success: false` and a stable code, nothing is started or written, and the
// process keeps answering /healthz and the API afterwards. A client that sends its headers a few
// bytes at a time does not hold up anybody else.
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readToken, serveWorld, writeToken, type ServeWorld } from './helpers.ts';
import { raw, sleep, startServe, type Launched, type RawAnswer } from './process.ts';

const documents = `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec:
  type: http
  url: "{service}/health"
  interval: 1h
---
apiVersion: pluginops/v1
kind: Workflow
metadata: { id: quick }
spec:
  steps:
    - id: a
      run: echo hi
`;

let w: ServeWorld;
let p: Launched;
test.before(async () => {
  w = await serveWorld({ documents, monitoring: ['acknowledgeTimeout: 30m'] });
  p = await startServe(w, ['--port', '0']);
});
test.after(async () => { await w.close(); });

const write = { authorization: `Bearer ${writeToken}` };
const read = { authorization: `Bearer ${readToken}` };
const json = { ...write, 'content-type': 'application/json' };

function isJsonError(r: RawAnswer, status: number, code: string, what: string): void {
  assert.is(r.status, status, `${what}: ${r.text.slice(0, 300)}`);
  assert.match(String(r.headers['content-type']), /^application\/json/, what);
  assert.is(r.body?.success, false, what);
  assert.is(r.body?.code, code, what);
  assert.type(r.body?.message, 'string', what);
  assert.not.match(r.text, /\n\s+at /, `${what}: no stack trace`);
}

async function stillAnswers(): Promise<void> {
  assert.is((await raw(p.url, 'GET', '/healthz')).status, 200);
  const status = await raw(p.url, 'GET', '/api/status', { headers: read });
  assert.is(status.status, 200);
  assert.is(status.body.success, true);
}

test('each hostile request is a 4xx JSON error with a code; nothing runs; the process keeps answering', async () => {
  const big = Buffer.alloc(5 * 1024 * 1024, 0x61);
  const cases: Array<[string, string, string, { headers?: Record<string, string>; body?: Buffer | string }, number, string]> = [
    ['malformed JSON', 'POST', '/api/executions', { headers: json, body: '{"workflow": "quick"' }, 400, 'E_BAD_JSON'],
    ['a 5 MiB body', 'POST', '/api/executions', { headers: json, body: big }, 413, 'E_TOO_LARGE'],
    ['a 5 MiB body, chunked', 'POST', '/api/executions', { headers: { ...json, 'transfer-encoding': 'chunked' }, body: big }, 413, 'E_TOO_LARGE'],
    ['unknown fields', 'POST', '/api/executions', { headers: json, body: JSON.stringify({ workflow: 'quick', shell: 'rm -rf /' }) }, 422, 'E_VALIDATION'],
    ['an encoded traversal in an id', 'GET', '/api/incidents/..%2F..%2Fetc%2Fpasswd', { headers: read }, 400, 'E_VALIDATION'],
    ['a raw traversal in a path', 'GET', '/api/workflows/../../etc/passwd', { headers: read }, 404, 'E_NOT_FOUND'],
    ['a raw traversal outside the API', 'GET', '/../../etc/passwd', {}, 404, 'E_NOT_FOUND'],
    ['a wrong content type', 'POST', '/api/executions', { headers: { ...write, 'content-type': 'text/plain' }, body: '{"workflow":"quick"}' }, 415, 'E_MEDIA_TYPE'],
    ['limit=100000', 'GET', '/api/executions?limit=100000', { headers: read }, 400, 'E_VALIDATION'],
    ['an unknown API path', 'GET', '/api/nothing/here', { headers: read }, 404, 'E_NOT_FOUND'],
    ['an unknown path', 'GET', '/nothing', {}, 404, 'E_NOT_FOUND'],
    ['a write without a token', 'POST', '/api/executions', { headers: { 'content-type': 'application/json' }, body: '{"workflow":"quick"}' }, 401, 'E_UNAUTHORIZED'],
  ];
  for (const [what, method, path, o, status, code] of cases) {
    isJsonError(await raw(p.url, method, path, o), status, code, what);
  }
  await stillAnswers();
  const executions = await raw(p.url, 'GET', '/api/executions', { headers: read });
  assert.equal(executions.body.data, [], 'nothing was started');
  assert.equal(readdirSync(join(w.dir, 'pipelines')), ['monitor.yml'], 'nothing was written');
  assert.not.ok(p.lines.some((l) => l.level === 'error'), 'no internal error was logged');
  assert.is(p.child.exitCode, null);
});

test('a client sending its headers a byte at a time does not hold up others', async () => {
  const { port } = new URL(p.url);
  const slow = connect(Number(port), '127.0.0.1');
  let answer = '';
  slow.setEncoding('utf8');
  slow.on('data', (d: string) => { answer += d; });
  await new Promise<void>((r) => slow.once('connect', () => r()));
  const request = `GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${readToken}\r\nX-Padding: ${'a'.repeat(10)}\r\n\r\n`;
  try {
    const answered: number[] = [];
    for (let i = 0; i < request.length - 2; i++) {
      slow.write(request[i]!);
      if (i % 6 === 0) {
        const t0 = Date.now();
        await stillAnswers();
        answered.push(Date.now() - t0);
      } else {
        await sleep(15);
      }
    }
    assert.ok(answered.length >= 10);
    assert.ok(Math.max(...answered) < 1_000, `others were answered at once: ${answered.join(', ')} ms`);
    // The slow request itself is answered once its headers are complete.
    slow.write('\r\n');
    const until = Date.now() + 5_000;
    while (!answer.includes('"success":true') && Date.now() < until) await sleep(20);
    assert.match(answer, /^HTTP\/1\.1 200 /);
  } finally {
    slow.destroy();
  }
  await stillAnswers();
});

test.run();
