// Signing in to the dashboard and what a session may do, against a real `serve` on loopback:
// the session cookie's attributes, CSRF on API writes, read-only sessions, sign-out, expiry by
// token rotation, and the unknown-page 404; in a real Chromium, the sign-in form.
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { apiDownDocuments, eventually, readToken, serveWorld, writeToken, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const test = suite('dashboard sessions');
let w: ServeWorld;

test.before(async () => {
  w = await serveWorld({ monitoring: ['historySize: 50'], documents: apiDownDocuments({ failureThreshold: 2, channels: ['ops-hook'] }) });
  await w.start([]);
});
test.after(async () => { await w.close(); });

async function signInHttp(token: string): Promise<{ cookie: string; setCookie: string; status: number; location: string | null }> {
  const res = await fetch(`${w.proc!.url}/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, next: '/checks' }) });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, setCookie, status: res.status, location: res.headers.get('location') };
}

test('a token becomes an HttpOnly, SameSite=Strict session cookie; a wrong one is refused', async () => {
  const ok = await signInHttp(writeToken);
  assert.is(ok.status, 303);
  assert.is(ok.location, '/checks');
  assert.match(ok.setCookie, /^pluginops_session=[A-Za-z0-9_-]{20,};/);
  assert.match(ok.setCookie, /HttpOnly/);
  assert.match(ok.setCookie, /SameSite=Strict/);
  assert.match(ok.setCookie, /Max-Age=43200/);
  const bad = await signInHttp('nope');
  assert.is(bad.status, 401);
  assert.is(bad.setCookie, '');
});

test('with the session cookie, API writes need the CSRF token; a read-only session is refused writes', async () => {
  const { cookie } = await signInHttp(writeToken);
  const forged = await fetch(`${w.proc!.url}/api/checks/api/run`, { method: 'POST', headers: { cookie } });
  assert.is(forged.status, 403);
  assert.is((await forged.json()).code, 'E_CSRF');
  const page = await (await fetch(`${w.proc!.url}/sign-in`)).text();
  assert.not.match(page, /csrf-token/); // not signed in: no token on the page
  const read = await fetch(`${w.proc!.url}/api/checks`, { headers: { cookie } });
  assert.is(read.status, 200);
  const ro = await signInHttp(readToken);
  const denied = await fetch(`${w.proc!.url}/api/checks/api/run`, { method: 'POST', headers: { cookie: ro.cookie } });
  assert.is(denied.status, 403);
  assert.is((await denied.json()).code, 'E_CSRF');
});

test('behind a TLS proxy the cookie is Secure; a page without a session goes to sign-in, an ended one says so', async () => {
  const res = await fetch(`${w.proc!.url}/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' }, body: new URLSearchParams({ token: readToken }) });
  assert.match(res.headers.get('set-cookie') ?? '', /; Secure/);
  const anonymous = await fetch(`${w.proc!.url}/checks?status=down`, { redirect: 'manual' });
  assert.is(anonymous.status, 303);
  assert.is(anonymous.headers.get('location'), `/sign-in?next=${encodeURIComponent('/checks?status=down')}`);
  const ended = await fetch(`${w.proc!.url}/checks`, { redirect: 'manual', headers: { cookie: 'pluginops_session=not-a-session' } });
  assert.is(ended.status, 303);
  assert.match(ended.headers.get('location') ?? '', /&expired=1$/);
  const form = await (await fetch(`${w.proc!.url}${ended.headers.get('location')}`)).text();
  assert.match(form, /Your session has ended/);
  // A form on another site cannot sign a browser in.
  const cross = await fetch(`${w.proc!.url}/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: new URLSearchParams({ token: readToken }) });
  assert.is(cross.status, 403);
  assert.is(cross.headers.get('set-cookie'), null);
  // `next` never leaves the site.
  const away = await fetch(`${w.proc!.url}/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: readToken, next: '//evil.example/x' }) });
  assert.is(away.headers.get('location'), '/');
});

test('the language follows the switch, then Accept-Language; the switch is remembered', async () => {
  const ko = await (await fetch(`${w.proc!.url}/sign-in`, { headers: { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5' } })).text();
  assert.match(ko, /<html lang="ko">/);
  assert.match(ko, /API 토큰/);
  const switched = await fetch(`${w.proc!.url}/sign-in?lang=en`, { headers: { 'accept-language': 'ko-KR' } });
  assert.match(await switched.text(), /<html lang="en">/);
  const remembered = (switched.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.is(remembered, 'pluginops_lang=en');
  const again = await (await fetch(`${w.proc!.url}/sign-in`, { headers: { 'accept-language': 'ko-KR', cookie: remembered } })).text();
  assert.match(again, /<html lang="en">/);
});

test('unknown pages answer a 404 page to a browser and a JSON error to other clients, not a stack; assets come from the package', async () => {
  const { cookie } = await signInHttp(readToken);
  const plain = await fetch(`${w.proc!.url}/no/such/page`, { headers: { cookie } });
  assert.is(plain.status, 404);
  assert.match(plain.headers.get('content-type') ?? '', /application\/json/);
  assert.is(((await plain.json()) as { code: string }).code, 'E_NOT_FOUND');
  const res = await fetch(`${w.proc!.url}/no/such/page`, { headers: { cookie, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  assert.is(res.status, 404);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  const body = await res.text();
  assert.match(body, /Not found/);
  assert.not.match(body, /at .*\.ts:\d+/);
  const js = await fetch(`${w.proc!.url}/assets/app.js`);
  assert.is(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
  assert.is((await fetch(`${w.proc!.url}/assets/../../package.json`)).status, 404);
});

test('in Chromium: the sign-in form signs in, the page carries a CSRF token, sign-out ends the session', async () => {
  const browser = await launch();
  try {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    await page.goto(`${w.proc!.url}/sign-in`);
    assert.equal(await axe(page), []);
    await screenshot(page, 'sign-in');
    await signIn(page, w.proc!.url, writeToken, '/no-such-page');
    assert.ok(await page.locator('meta[name="csrf-token"]').getAttribute('content'));
    const cookies = await ctx.cookies();
    const session = cookies.find((c) => c.name === 'pluginops_session');
    assert.ok(session?.httpOnly);
    assert.is(session?.sameSite, 'Strict');
    await Promise.all([page.waitForURL((u) => u.pathname === '/sign-in'), page.click('form[action="/sign-out"] button')]);
    const after = await fetch(`${w.proc!.url}/api/checks`, { headers: { cookie: `pluginops_session=${session!.value}` } });
    assert.is(after.status, 401);
  } finally { await browser.close(); }
});

test('sign-in refuses forms from other origins (null, junk, another scheme) with 403, and a tab in next does not leave the site', async () => {
  const form = (origin?: string, next = '/checks') => fetch(`${w.proc!.url}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin === undefined ? {} : { origin }) },
    body: new URLSearchParams({ token: readToken, next }),
  });
  const here = new URL(w.proc!.url);
  for (const origin of ['null', 'garbage', `${here.origin}.evil.example`, `https://${here.host}`, 'http://evil.example']) {
    const r = await form(origin);
    assert.is(r.status, 403, origin);
    assert.is(r.headers.get('set-cookie'), null, `${origin}: no session`);
  }
  assert.is((await form(here.origin)).status, 303);
  for (const [next, location] of [['/\t/evil.example', '/'], ['/\u000b/x', '/'], ['/\u3000/x', '/%E3%80%80/x']]) {
    const r = await form(here.origin, next);
    assert.is(r.status, 303, JSON.stringify(next));
    assert.is(r.headers.get('location'), location, JSON.stringify(next));
  }
  const notFound = await (await fetch(`${w.proc!.url}/\\evil.example/x`, { headers: { accept: 'text/html' } })).text();
  assert.not.match(notFound, /href="\/\/|href="\/\\/, 'the 404 page links only to this site');
});

test('live streams: one caller gets at most 50 at once, and another caller still gets its own', async () => {
  const { cookie } = await signInHttp(readToken);
  const other = (await signInHttp(writeToken)).cookie;
  const open = (c: string) => new Promise<{ status: number; req: import('node:http').ClientRequest }>((resolve, reject) => {
    const req = httpRequest(`${w.proc!.url}/events?topics=checks`, { headers: { cookie: c } }, (res) => { resolve({ status: res.statusCode ?? 0, req }); res.resume(); });
    req.on('error', reject);
    req.end();
  });
  const held = [];
  try {
    for (let i = 0; i < 50; i++) held.push(await open(cookie));
    assert.ok(held.every((h) => h.status === 200));
    const refused = await open(cookie);
    held.push(refused);
    assert.is(refused.status, 503);
    const theirs = await open(other);
    held.push(theirs);
    assert.is(theirs.status, 200, 'another token still follows changes');
  } finally { for (const h of held) h.req.destroy(); }
  await eventually(async () => (await open(cookie).then((h) => { h.req.destroy(); return h.status; })) === 200, { what: 'slots given back when streams close' });
});

test('anonymous reading only when the project file allows it: pages without buttons, writes still refused', async () => {
  const html = { accept: 'text/html' };
  const before = await fetch(`${w.proc!.url}/checks/api`, { headers: html, redirect: 'manual' });
  assert.is(before.status, 303, 'without anonymousRead a page needs a session');
  assert.match(before.headers.get('location') ?? '', /^\/sign-in\?next=%2Fchecks%2Fapi/);
  const config = join(w.dir, 'pluginops.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('server:\n', 'server:\n  anonymousRead: true\n'));
  const page = await eventually(async () => {
    const r = await fetch(`${w.proc!.url}/checks/api`, { headers: html, redirect: 'manual' });
    return r.status === 200 ? r.text() : undefined;
  }, { what: 'the reloaded project to allow anonymous reading' });
  assert.match(page, /<h1[^>]*>[^<]*api/);
  assert.not.match(page, /class="run-now"|data-api=/, 'no buttons for an anonymous reader');
  assert.not.match(page, /action="\/sign-out"/);
  const write = await fetch(`${w.proc!.url}/api/checks/api/run`, { method: 'POST' });
  assert.is(write.status, 401);
  assert.is(((await write.json()) as { code: string }).code, 'E_UNAUTHORIZED');
});

test.run();
