// Tokens and scopes: missing, wrong, malformed and other-length tokens are 401, a read token on a
// write is 403, both answer JSON and change nothing; tokens are read from the environment at each
// request; no tokens configured refuses writes; anonymous reads; CORS for listed origins only.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi, tokens, type Harness } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await startApi(); });
test.after(async () => { await h.close(); });

const added = 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: added }\nspec:\n  steps:\n    - { id: a, run: "true" }\n';
const addedCheck = 'apiVersion: pluginops/v1\nkind: HealthCheck\nmetadata: { id: added }\nspec: { type: tcp, host: 127.0.0.1, port: 1 }\n';
/** Each write with the scope it needs: documents are written with `admin`, everything else with `write`. */
const writes = (): Array<[string, string, { json?: unknown; body?: string; type?: string }, 'write' | 'admin']> => [
  ['POST', '/api/executions', { json: { workflow: 'quick' } }, 'write'],
  ['PUT', '/api/workflows/added', { body: added, type: 'application/yaml' }, 'admin'],
  ['PUT', '/api/documents/HealthCheck/added', { body: addedCheck, type: 'application/yaml' }, 'admin'],
  ['POST', '/api/documents/HealthCheck', { body: addedCheck, type: 'application/yaml' }, 'admin'],
  ['DELETE', '/api/documents/HealthCheck/svc', {}, 'admin'],
  ['POST', '/api/cleanup', { json: { days: 1 } }, 'write'],
  ['POST', '/api/checks/svc/run', {}, 'write'],
  ['POST', '/api/metrics', { json: { samples: [{ metric: 'cpu', value: 1 }] } }, 'write'],
];

async function nothingChanged(): Promise<void> {
  assert.equal(await h.store.list(), [], 'no execution recorded');
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'workflows')), 'no workflow written');
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'checks')), 'no health check written');
  assert.match(readFileSync(join(h.dir, 'pipelines', 'ops.yml'), 'utf8'), /kind: HealthCheck/, 'no document deleted');
  assert.is(h.monitor.checks()[0]!.history.length, 0, 'no check run');
}

test('a read without a token is 401 with WWW-Authenticate, JSON and nosniff', async () => {
  const r = await h.call('GET', '/api/workflows');
  assert.is(r.status, 401);
  assert.is(r.body.success, false);
  assert.is(r.body.code, 'E_UNAUTHORIZED');
  assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.is(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
});

test('read, write and write-only tokens may all read', async () => {
  for (const token of [tokens.read, tokens.write, tokens.deploy]) {
    const r = await h.call('GET', '/api/statistics', { token });
    assert.is(r.status, 200, token);
    assert.is(r.body.success, true);
    assert.is(r.body.data.total, 0);
  }
});

test('every write without a token, with a wrong one, with one of another length or malformed is 401; nothing changes', async () => {
  const wrongSameLength = tokens.write.slice(0, -1) + (tokens.write.endsWith('x') ? 'y' : 'x');
  const attempts: Array<Record<string, string>> = [
    {}, { authorization: `Bearer ${wrongSameLength}` }, { authorization: `Bearer ${tokens.write}x` },
    { authorization: `Bearer ${tokens.write.slice(0, 5)}` }, { authorization: `Basic ${Buffer.from(`u:${tokens.write}`).toString('base64')}` },
    { authorization: 'Bearer' }, { authorization: `bearer  ${tokens.write} extra` },
  ];
  for (const headers of attempts) {
    for (const [method, path, o] of writes()) {
      const r = await h.call(method, path, { ...o, headers });
      assert.is(r.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
      assert.is(r.body.code, 'E_UNAUTHORIZED');
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer realm="pluginops"/);
    }
  }
  await nothingChanged();
});

test('a read token on a write is 403 insufficient_scope; nothing changes; no token reaches the log', async () => {
  for (const [method, path, o, scope] of writes()) {
    const r = await h.call(method, path, { ...o, token: tokens.read });
    assert.is(r.status, 403, `${method} ${path}`);
    assert.is(r.body.code, 'E_FORBIDDEN');
    assert.match(r.body.message, new RegExp(`ops-reader.*needs \`${scope}\``));
    assert.match(r.headers.get('www-authenticate') ?? '', /insufficient_scope/);
  }
  await nothingChanged();
  const logged = JSON.stringify(h.logs);
  for (const t of Object.values(tokens)) assert.not.ok(logged.includes(t), 'token in the log');
  assert.ok(h.logs.some((l) => l.level === 'warn' && /refused/.test(l.line)));
});

test('a write token on a document write is 403 naming `admin`; nothing changes; an admin token writes', async () => {
  for (const [method, path, o] of writes().filter((w) => w[3] === 'admin')) {
    for (const token of [tokens.write, tokens.deploy]) {
      const r = await h.call(method, path, { ...o, token });
      assert.is(r.status, 403, `${method} ${path}`);
      assert.match(r.body.message, /needs `admin`/);
      assert.match(r.headers.get('www-authenticate') ?? '', /scope="admin"/);
    }
  }
  await nothingChanged();
  const r = await h.call('PUT', '/api/workflows/added', { body: added, type: 'application/yaml', token: tokens.admin });
  assert.is(r.status, 201);
  assert.ok(existsSync(join(h.dir, 'pipelines', 'workflows', 'added.yml')));
  rmSync(join(h.dir, 'pipelines', 'workflows'), { recursive: true });
});

test('a write-only token writes', async () => {
  const r = await h.call('POST', '/api/cleanup', { token: tokens.deploy, json: { days: 30 } });
  assert.is(r.status, 200);
  assert.equal(r.body.data, { deleted: 0 });
});

test('tokens are read from the environment at each request: a rotation takes effect at once', async () => {
  const before = h.env.READ_TOKEN;
  h.env.READ_TOKEN = 'rotated-read-token-000';
  try {
    assert.is((await h.call('GET', '/api/status', { token: tokens.read })).status, 401);
    assert.is((await h.call('GET', '/api/status', { token: 'rotated-read-token-000' })).status, 200);
    h.env.READ_TOKEN = undefined;
    assert.is((await h.call('GET', '/api/status', { token: 'rotated-read-token-000' })).status, 401);
  } finally {
    h.env.READ_TOKEN = before;
  }
});

test('no tokens configured: writes are refused with a message naming server.tokens; reads too unless anonymousRead', async () => {
  const bare = await startApi({ project: [] });
  const open = await startApi({ project: ['server:', '  anonymousRead: true'] });
  try {
    const w = await bare.call('POST', '/api/executions', { json: { workflow: 'quick' }, token: tokens.write });
    assert.is(w.status, 401);
    assert.match(w.body.message, /server\.tokens/);
    const r = await bare.call('GET', '/api/workflows');
    assert.is(r.status, 401);
    assert.match(r.body.message, /anonymousRead/);
    assert.is((await open.call('GET', '/api/workflows')).status, 200);
    const ow = await open.call('POST', '/api/cleanup', { json: { days: 1 } });
    assert.is(ow.status, 401);
    assert.match(ow.body.message, /server\.tokens/);
    assert.equal(await bare.store.list(), []);
  } finally {
    await bare.close();
    await open.close();
  }
});

test('CORS: listed origins only, answered preflights, no header otherwise', async () => {
  const c = await startApi({ project: ['server:', '  anonymousRead: true', '  cors: { origins: ["https://dash.example"] }'] });
  try {
    const ok = await c.call('GET', '/api/status', { headers: { origin: 'https://dash.example' } });
    assert.is(ok.headers.get('access-control-allow-origin'), 'https://dash.example');
    const other = await c.call('GET', '/api/status', { headers: { origin: 'https://evil.example' } });
    assert.is(other.status, 200);
    assert.is(other.headers.get('access-control-allow-origin'), null);
    const pre = await c.call('OPTIONS', '/api/executions', { headers: { origin: 'https://dash.example', 'access-control-request-method': 'POST' } });
    assert.is(pre.status, 204);
    assert.is(pre.headers.get('access-control-allow-origin'), 'https://dash.example');
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/);
    const refused = await c.call('OPTIONS', '/api/executions', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.is(refused.status, 403);
    assert.is(refused.body.code, 'E_FORBIDDEN');
    assert.is(refused.headers.get('access-control-allow-origin'), null);
    // Without a cors section nobody gets the header.
    const none = await h.call('GET', '/api/status', { token: tokens.read, headers: { origin: 'https://dash.example' } });
    assert.is(none.headers.get('access-control-allow-origin'), null);
  } finally {
    await c.close();
  }
});

test.run();
