// The scheduler's lean HTTP client against real loopback servers: status and body, redirects
// (relative and absolute, 303 turning POST into GET, a loop cut at the limit), request headers and
// body, abort during the headers and during the body, and the HTTP probe on top of it giving the
// same fields as with `fetch`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { leanFetch, type ProbeResponse } from '../../src/monitor/checks/lean-fetch.ts';
import { probeHttp } from '../../src/monitor/checks/http.ts';

let server: Server;
let base = '';
const seen: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];

test.before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const url = req.url ?? '/';
      if (url === '/ok') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); return; }
      if (url === '/moved') { res.writeHead(301, { location: '/ok' }); res.end(); return; }
      if (url === '/see-other') { res.writeHead(303, { location: `${base}/ok` }); res.end(); return; }
      if (url === '/loop') { res.writeHead(302, { location: '/loop' }); res.end(); return; }
      if (url === '/hang') return;
      if (url === '/slow-body') { res.writeHead(200); res.write('first'); return; }
      if (url === '/big') { res.writeHead(200); res.end('x'.repeat(200_000)); return; }
      res.writeHead(404); res.end('no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); });

async function text(r: ProbeResponse): Promise<string> {
  const reader = r.body!.getReader();
  let out = '';
  for (;;) { const { done, value } = await reader.read(); if (done || !value) break; out += Buffer.from(value).toString(); }
  return out;
}

test('status and body', async () => {
  const r = await leanFetch(`${base}/ok`, {});
  assert.is(r.status, 200);
  assert.is(await text(r), '{"status":"ok"}');
  const missing = await leanFetch(`${base}/nope`, {});
  assert.is(missing.status, 404);
});

test('redirects are followed: relative, absolute, 303 POST → GET; a loop stops at the limit', async () => {
  const r = await leanFetch(`${base}/moved`, { redirect: 'follow' });
  assert.is(r.status, 200);
  seen.length = 0;
  const post = await leanFetch(`${base}/see-other`, { method: 'POST', body: 'payload', redirect: 'follow' });
  assert.is(post.status, 200);
  assert.equal(seen.map((s) => [s.method, s.url]), [['POST', '/see-other'], ['GET', '/ok']]);
  const loop = await leanFetch(`${base}/loop`, { redirect: 'follow' });
  assert.is(loop.status, 302, 'the last redirect is returned after 10 hops');
});

test('method, headers and body are sent', async () => {
  seen.length = 0;
  await leanFetch(`${base}/ok`, { method: 'PUT', headers: { 'x-probe': 'yes' }, body: 'hello' });
  assert.is(seen[0]!.method, 'PUT');
  assert.is(seen[0]!.headers['x-probe'], 'yes');
  assert.is(seen[0]!.body, 'hello');
});

test('an abort ends a request waiting for headers, and one waiting for the rest of the body', async () => {
  const a = new AbortController();
  const pending = leanFetch(`${base}/hang`, { signal: a.signal });
  setTimeout(() => a.abort(new Error('timed out after 50ms')), 50);
  try { await pending; assert.unreachable('should have been aborted'); } catch (e) { assert.match((e as Error).message, 'timed out after 50ms'); }
  const b = new AbortController();
  const r = await leanFetch(`${base}/slow-body`, { signal: b.signal });
  const reader = r.body!.getReader();
  const first = await reader.read();
  assert.is(Buffer.from(first.value!).toString(), 'first');
  setTimeout(() => b.abort(new Error('stop')), 20);
  try { await reader.read(); assert.unreachable('the body read should fail'); } catch (e) { assert.ok(e instanceof Error); }
});

test('the HTTP probe gives the same fields through leanFetch as through fetch, and caps the body', async () => {
  const edges = { now: Date.now };
  const lean = await probeHttp({ url: `${base}/ok`, timeoutMs: 2_000 }, { ...edges, fetch: leanFetch });
  const full = await probeHttp({ url: `${base}/ok`, timeoutMs: 2_000 }, { ...edges, fetch: globalThis.fetch });
  assert.is(lean.ok, true);
  assert.equal({ ...lean.fields, responseTime: 0 }, { ...full.fields, responseTime: 0 });
  const big = await probeHttp({ url: `${base}/big`, timeoutMs: 2_000 }, { ...edges, fetch: leanFetch });
  assert.is((big.fields.body as string).length, 64 * 1024);
  const hang = await probeHttp({ url: `${base}/hang`, timeoutMs: 100 }, { ...edges, fetch: leanFetch });
  assert.is(hang.ok, false);
  assert.match(hang.error!, 'timed out after 100ms');
});

test.run();
