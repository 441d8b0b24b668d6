// Hostile input: each is a 4xx JSON error with a stable code, nothing is written, no stack trace
// is shown, and the server keeps answering afterwards. An unexpected failure is 500 E_INTERNAL
// with a log line and no detail.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi, tokens, type Harness } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await startApi(); });
test.after(async () => { await h.close(); });

// Admin, which every write accepts (documents need it).
const auth = { authorization: `Bearer ${tokens.admin}` };
const mib = 1024 * 1024;

function isJsonError(text: string, code: string): void {
  const body = JSON.parse(text) as { success: boolean; code: string; message: string };
  assert.is(body.success, false);
  assert.is(body.code, code);
  assert.type(body.message, 'string');
  assert.not.match(text, /\n\s+at /, 'no stack trace');
}

async function stillAnswers(): Promise<void> {
  const r = await h.call('GET', '/api/status', { token: tokens.read });
  assert.is(r.status, 200);
  assert.is(r.body.success, true);
}

test('malformed JSON is 400 E_BAD_JSON', async () => {
  for (const body of ['{"workflow": "quick"', '{workflow: quick}', 'null x', '\u0000']) {
    const r = await h.call('POST', '/api/executions', { token: tokens.write, body, type: 'application/json' });
    assert.is(r.status, 400, body);
    isJsonError(r.text, 'E_BAD_JSON');
  }
  const latin1 = await h.raw('POST', '/api/cleanup', { headers: { ...auth, 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]) });
  assert.is(latin1.status, 400);
  isJsonError(latin1.text, 'E_BAD_JSON');
  await stillAnswers();
});

test('a 5 MiB body is 413 E_TOO_LARGE, declared or chunked; the server keeps answering', async () => {
  const big = Buffer.alloc(5 * mib, 0x61);
  const declared = await h.raw('POST', '/api/metrics', { headers: { ...auth, 'content-type': 'application/json', 'content-length': String(big.length) }, body: big });
  assert.is(declared.status, 413);
  isJsonError(declared.text, 'E_TOO_LARGE');
  const chunked = await h.raw('POST', '/api/metrics', { headers: { ...auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: big });
  assert.is(chunked.status, 413);
  isJsonError(chunked.text, 'E_TOO_LARGE');
  const yaml = await h.raw('PUT', '/api/workflows/big', { headers: { ...auth, 'content-type': 'application/yaml' }, body: big });
  assert.is(yaml.status, 413);
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'big.yml')));
  // Unauthenticated, the body is never read: 401 first.
  const anon = await h.raw('POST', '/api/metrics', { headers: { 'content-type': 'application/json' }, body: big });
  assert.is(anon.status, 401);
  await stillAnswers();
});

test('unknown fields, wrong types and a non-object body are 422 E_VALIDATION with details', async () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['/api/executions', { workflow: 'quick', extra: 1 }, /unknown field `extra`/],
    ['/api/executions', { workflow: 'quick', parameters: { a: { nested: true } } }, /parameters/],
    ['/api/executions', [1, 2], /object/],
    ['/api/executions', {}, /missing field `workflow`/],
    ['/api/cleanup', { days: 1, force: true }, /unknown field `force`/],
    ['/api/cleanup', { days: '7' }, /integer/],
    ['/api/cleanup', { days: 0 }, />= 1/],
    ['/api/metrics', { samples: [], more: 1 }, /unknown field `more`/],
    ['/api/checks/svc/run', { now: true }, /unknown field `now`/],
  ];
  for (const [path, json, message] of cases) {
    const r = await h.call('POST', path, { token: tokens.write, json });
    assert.is(r.status, 422, `${path} ${JSON.stringify(json)}`);
    isJsonError(r.text, 'E_VALIDATION');
    assert.ok(Array.isArray(r.body.details) && r.body.details.length > 0);
    assert.match(JSON.stringify(r.body.details), message);
  }
  assert.equal(await h.store.list(), []);
  assert.is(h.monitor.checks()[0]!.history.length, 0);
  await stillAnswers();
});

test('traversal in ids: encoded is 400 before any disk access, raw `../` matches no route', async () => {
  const encoded = [
    ['GET', '/api/workflows/..%2F..%2Fetc%2Fpasswd'], ['GET', '/api/executions/..%2F..%2Fetc%2Fpasswd'],
    ['GET', '/api/executions/..%2F..%2Fetc%2Fpasswd/logs'], ['GET', '/api/executions/..%2F..%2Fetc%2Fpasswd/logs/stream'],
    ['GET', '/api/checks/%2E%2E'], ['GET', '/api/incidents/a%2Fb'], ['GET', '/api/workflows/%E0%A4%A'],
    ['PUT', '/api/workflows/..%2Fevil'], ['POST', '/api/executions/..%5C..%5Cx/cancel'], ['GET', `/api/workflows/${'a'.repeat(200)}`],
  ];
  for (const [method, path] of encoded) {
    const r = await h.raw(method!, path!, { headers: { ...auth, 'content-type': 'application/yaml' }, body: Buffer.from('kind: Workflow\n') });
    assert.is(r.status, 400, `${method} ${path}`);
    isJsonError(r.text, 'E_VALIDATION');
  }
  for (const path of ['/api/workflows/../../etc/passwd', '/api/../../etc/passwd', '/api/workflows/..', '/api/executions/../logs']) {
    const r = await h.raw('GET', path, { headers: auth });
    assert.ok(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
    isJsonError(r.text, r.status === 404 ? 'E_NOT_FOUND' : 'E_VALIDATION');
  }
  assert.equal(readdirSync(join(h.dir, 'pipelines')).sort(), ['ops.yml', 'quick.yml']);
  assert.not.ok(existsSync(join(h.dir, 'evil.yml')));
  await stillAnswers();
});

test('a wrong content type is 415 E_MEDIA_TYPE', async () => {
  const cases: Array<[string, string, string, string]> = [
    ['POST', '/api/cleanup', 'text/plain', '{"days":1}'],
    ['POST', '/api/cleanup', 'application/x-www-form-urlencoded', 'days=1'],
    ['POST', '/api/cleanup', 'application/json; charset=latin1', '{"days":1}'],
    ['PUT', '/api/workflows/quick', 'application/xml', '<workflow/>'],
    ['POST', '/api/metrics', 'application/yaml', 'samples: []'],
  ];
  for (const [method, path, type, body] of cases) {
    const r = await h.call(method, path, { token: tokens.admin, body, type });
    assert.is(r.status, 415, `${path} ${type}`);
    isJsonError(r.text, 'E_MEDIA_TYPE');
  }
  await stillAnswers();
});

test('bad query values are 400: huge, zero, not a number, repeated, unknown', async () => {
  for (const q of ['limit=100000000000', 'limit=1001', 'limit=0', 'limit=-1', 'limit=abc', 'limit=1&limit=2', 'status=bogus', 'colour=blue', 'limit=1e400']) {
    const r = await h.call('GET', `/api/executions?${q}`, { token: tokens.read });
    assert.is(r.status, 400, q);
    isJsonError(r.text, 'E_VALIDATION');
  }
  assert.is((await h.call('GET', '/api/executions?limit=1000', { token: tokens.read })).status, 200);
  await stillAnswers();
});

test('unknown routes are 404 and wrong methods 405 with Allow', async () => {
  const none = await h.call('GET', '/api/nothing', { token: tokens.read });
  assert.is(none.status, 404);
  isJsonError(none.text, 'E_NOT_FOUND');
  const method = await h.call('DELETE', '/api/workflows/quick', { token: tokens.write });
  assert.is(method.status, 405);
  isJsonError(method.text, 'E_METHOD');
  assert.match(method.headers.get('allow') ?? '', /GET.*PUT|PUT.*GET/);
  const head = await h.raw('PATCH', '/api/executions', { headers: auth });
  assert.is(head.status, 405);
  await stillAnswers();
});

test('an unexpected failure is 500 E_INTERNAL without detail, and logged', async () => {
  const broken = await startApi({ monitorFails: 'state file /srv/secret/place is broken' });
  try {
    const r = await broken.call('GET', '/api/checks', { token: tokens.read });
    assert.is(r.status, 500);
    isJsonError(r.text, 'E_INTERNAL');
    assert.not.match(r.text, /secret\/place/);
    assert.ok(broken.logs.some((l) => l.level === 'error' && /secret\/place/.test(l.line) && typeof l.fields?.stack === 'string'));
    assert.is((await broken.call('GET', '/api/statistics', { token: tokens.read })).status, 200);
  } finally {
    await broken.close();
  }
});

test.run();
