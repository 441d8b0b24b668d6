// The CLI's client of a running serve, against the real API on loopback: data comes back, an
// error answer becomes a CliError of the API's kind (so the exit code follows), a server that is
// not there is `unavailable` with a message naming the URL, and scopes rank admin > write > read.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authorize } from '../../src/api/auth.ts';
import { serveClient } from '../../src/cli/client.ts';
import { CliError, exitCodes } from '../../src/cli/errors.ts';
import { startApi, tokens, type Harness } from '../api/helpers.ts';

let h: Harness;
test.before(async () => { h = await startApi(); });
test.after(async () => { await h.close(); });

const ctx = (token?: string) => ({ env: token ? { PLUGINOPS_TOKEN: token } : {}, signal: new AbortController().signal });
async function refused(p: Promise<unknown>): Promise<CliError> {
  try { await p; } catch (e) { if (e instanceof CliError) return e; throw e; }
  throw new Error('expected a CliError');
}

test('a request answers the envelope\'s data; the token comes from PLUGINOPS_TOKEN', async () => {
  const client = serveClient(ctx(tokens.read), { url: h.url });
  const { data } = await client.request<Array<{ id: string }>>('GET', '/api/checks');
  assert.ok(Array.isArray(data));
  assert.ok(data.some((c) => c.id === 'svc'));
});

test('error answers keep the API\'s code and map to the CLI\'s exit codes', async () => {
  const none = await refused(serveClient(ctx(), { url: h.url }).request('GET', '/api/checks'));
  assert.is(none.code, 'E_UNAUTHORIZED');
  assert.is(none.exitCode, exitCodes.refused);
  const missing = await refused(serveClient(ctx(tokens.read), { url: h.url }).request('GET', '/api/incidents/nope'));
  assert.is(missing.code, 'E_NOT_FOUND');
  assert.is(missing.exitCode, exitCodes.failed);
  const scope = await refused(serveClient(ctx(tokens.read), { url: h.url }).request('POST', '/api/checks/svc/run'));
  assert.is(scope.code, 'E_FORBIDDEN');
});

test('no server at the URL is unavailable and names it; a non-pluginops answer is a failure', async () => {
  const gone = createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  const { port } = gone.address() as AddressInfo;
  await new Promise<void>((r) => gone.close(() => r()));
  const e = await refused(serveClient(ctx(), { url: `http://127.0.0.1:${port}` }).request('GET', '/api/status'));
  assert.is(e.kind, 'unavailable');
  assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  const other = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>hi</html>'); });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  try {
    const bad = await refused(serveClient(ctx(), { url: `http://127.0.0.1:${(other.address() as AddressInfo).port}` }).request('GET', '/api/status'));
    assert.is(bad.code, 'E_BAD_ANSWER');
  } finally { await new Promise<void>((r) => other.close(() => r())); }
  assert.throws(() => serveClient(ctx(), { url: 'ftp://x' }), /http\(s\) URL/);
});

test('scopes rank: admin grants write and read; write does not grant admin', () => {
  const server = { tokens: [{ name: 'w', token: { env: 'W' }, scopes: ['write' as const] }, { name: 'a', token: { env: 'A' }, scopes: ['admin' as const] }] };
  const env = { W: 'wwww-token', A: 'aaaa-token' };
  for (const access of ['read', 'write', 'admin'] as const) assert.is(authorize(access, 'Bearer aaaa-token', server, env).name, 'a');
  assert.is(authorize('write', 'Bearer wwww-token', server, env).name, 'w');
  assert.throws(() => authorize('admin', 'Bearer wwww-token', server, env), /needs `admin`/);
});

test.run();
