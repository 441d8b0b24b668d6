// The incident list over the real API: newest first (opening time, then id), at most `limit`
// (default 100, 1..500), and `X-Next-Cursor` / `Link` while more remain. Incidents opened
// between two pages do not make a page repeat or skip one; a cursor this server did not give is
// 400 E_VALIDATION.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCursor } from '../../src/api/paging.ts';
import { startApi, tokens, type Harness } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await startApi(); });
test.after(async () => { await h.close(); });

const list = (query: string) => h.call('GET', `/api/incidents${query}`, { token: tokens.read });
const ids = (r: { body: { data: Array<{ id: string }> } }) => r.body.data.map((i) => i.id);
async function report(n: number): Promise<string> {
  const r = await h.call('POST', '/api/incidents', { token: tokens.write, json: { title: `report ${n}`, severity: 'info', category: 'system', labels: { n: String(n) } } });
  assert.is(r.status, 201, r.text);
  return r.body.data.id as string;
}

test('pages newest first with a cursor that holds while newer incidents open', async () => {
  const opened: string[] = [];
  for (let n = 0; n < 7; n++) opened.push(await report(n));
  const newestFirst = [...h.monitor.incidents()].sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? 1 : -1)).map((i) => i.id);
  assert.equal(new Set(newestFirst), new Set(opened));

  const p1 = await list('?limit=3');
  assert.is(p1.status, 200);
  assert.equal(ids(p1), newestFirst.slice(0, 3));
  const c1 = p1.headers.get('x-next-cursor')!;
  assert.ok(c1);
  assert.is(p1.headers.get('link'), `</api/incidents?limit=3&cursor=${c1}>; rel="next"`);

  const later = await report(100);
  const p2 = await list(`?limit=3&cursor=${c1}`);
  assert.equal(ids(p2), newestFirst.slice(3, 6), 'the incident opened between the pages moves nothing');
  const p3 = await list(`?limit=3&cursor=${p2.headers.get('x-next-cursor')}`);
  assert.equal(ids(p3), newestFirst.slice(6));
  assert.is(p3.headers.get('x-next-cursor'), null, 'the last page has no cursor');
  assert.is(p3.headers.get('link'), null);
  assert.equal([...ids(p1), ...ids(p2), ...ids(p3)].sort(), [...opened].sort(), 'every incident once, none twice');

  const fresh = await list('?limit=1');
  assert.equal(ids(fresh), [later], 'a new first page starts with the newest');
});

test('the status filter and the cursor go together', async () => {
  const active = await list('?status=active&limit=2');
  assert.equal(active.body.data.map((i: { status: string }) => i.status), ['open', 'open']);
  const next = active.headers.get('x-next-cursor')!;
  assert.match(active.headers.get('link')!, /^<\/api\/incidents\?status=active&limit=2&cursor=/);
  const p2 = await list(`?status=active&limit=2&cursor=${next}`);
  assert.is(p2.body.data.length, 2);
  assert.not.ok(ids(p2).some((id) => ids(active).includes(id)));
});

test('severity and category filter the list, and the next page keeps every filter', async () => {
  const opened: string[] = [];
  for (let n = 0; n < 3; n++) {
    const r = await h.call('POST', '/api/incidents', { token: tokens.write, json: { title: `disk ${n}`, severity: 'danger', category: 'backup', labels: { disk: String(n) } } });
    assert.is(r.status, 201, r.text);
    opened.push(r.body.data.id as string);
  }
  await h.call('POST', '/api/incidents', { token: tokens.write, json: { title: 'other', severity: 'danger', category: 'security' } });
  const bySeverity = await list('?severity=danger&limit=500');
  assert.ok(bySeverity.body.data.every((i: { severity: string }) => i.severity === 'danger'));
  assert.is(bySeverity.body.data.length, 4);
  const p1 = await list('?status=active&severity=danger&category=backup&limit=2');
  assert.is(p1.status, 200, p1.text);
  assert.is(ids(p1).length, 2);
  const cursor = p1.headers.get('x-next-cursor')!;
  assert.is(p1.headers.get('link'), `</api/incidents?status=active&severity=danger&category=backup&limit=2&cursor=${cursor}>; rel="next"`);
  const p2 = await list(`?status=active&severity=danger&category=backup&limit=2&cursor=${cursor}`);
  assert.equal([...ids(p1), ...ids(p2)].sort(), [...opened].sort(), 'the three, each once, across the pages');
  for (const bad of ['severity=urgent', 'category=nope']) {
    const r = await list(`?${bad}`);
    assert.is(r.status, 400, bad);
    assert.is(r.body.code, 'E_VALIDATION');
  }
});

test('limit: default 100, 1..500', async () => {
  for (let n = 200; h.monitor.incidents().length < 105; n++) await report(n);
  const all = h.monitor.incidents().length;
  const first = await list('');
  assert.is(first.body.data.length, 100);
  const rest = await list(`?cursor=${first.headers.get('x-next-cursor')}`);
  assert.is(rest.body.data.length, all - 100);
  assert.is((await list('?limit=500')).body.data.length, all);
  assert.is((await list('?limit=500')).headers.get('x-next-cursor'), null);
  for (const bad of ['0', '501', '-1', 'x', '2.5']) {
    const r = await list(`?limit=${bad}`);
    assert.is(r.status, 400, `limit=${bad}`);
    assert.is(r.body.code, 'E_VALIDATION');
  }
});

test('a malformed cursor is 400 E_VALIDATION naming `cursor`', async () => {
  const notJson = Buffer.from('nope').toString('base64url');
  const wrongShape = Buffer.from(JSON.stringify({ at: 1 })).toString('base64url');
  for (const cursor of ['%25%25', '!!', notJson, wrongShape, encodeURIComponent('a b'), 'x'.repeat(600)]) {
    const r = await list(`?cursor=${cursor}`);
    assert.is(r.status, 400, cursor);
    assert.is(r.body.code, 'E_VALIDATION');
    assert.ok(r.body.details.some((d: { path: string }) => d.path === '/cursor'), r.text);
  }
  // A well-formed cursor past every incident is an empty last page.
  const past = await list(`?cursor=${encodeCursor({ at: 0, id: '' })}`);
  assert.equal([past.status, past.body.data], [200, []]);
});

test.run();
