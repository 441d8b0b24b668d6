// What the executions pages read from the API: the list in pages behind a keyset cursor and
// bounded by creation time, logs of one step (the newest ones) with the index to continue
// from, a stream of one step's logs, and the plan's `needs` edges kept on the record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExecutionRecord } from '../../src/store/types.ts';
import { parseEvents, startApi, tokens, until, type Harness } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await startApi(); });
test.after(async () => { await h.close(); });

const at = (minute: number) => new Date(Date.parse('2026-03-01T10:00:00Z') + minute * 60_000).toISOString();
const stored = (id: string, minute: number, o: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  id, workflow: 'stored', parameters: {}, status: 'success', createdAt: at(minute), steps: {}, artifacts: [], ...o,
});
const list = (query: string) => h.call('GET', `/api/executions?${query}`, { token: tokens.read });

test('the list comes in pages behind a cursor, newest first; a run started meanwhile repeats nothing', async () => {
  for (let i = 0; i < 7; i++) await h.store.create(stored(`page-${i}`, i));
  const seen: string[] = [];
  let query = 'workflow=stored&limit=3';
  for (let n = 0; n < 5; n++) {
    const r = await list(query);
    assert.is(r.status, 200, r.text);
    seen.push(...r.body.data.map((e: ExecutionRecord) => e.id));
    if (n === 0) await h.store.create(stored('page-new', 60));
    const next = r.headers.get('x-next-cursor');
    if (!next) { assert.is(r.headers.get('link'), null); break; }
    assert.is(r.headers.get('link'), `</api/executions?workflow=stored&limit=3&cursor=${next}>; rel="next"`);
    query = `workflow=stored&limit=3&cursor=${next}`;
  }
  assert.equal(seen, ['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
  const bad = await list('cursor=not*a*cursor');
  assert.is(bad.status, 400);
  assert.is(bad.body.code, 'E_VALIDATION');
});

test('since and until bound the creation time; a time that is not one is 400', async () => {
  for (let i = 0; i < 4; i++) await h.store.create(stored(`window-${i}`, 100 + i, { workflow: 'windowed' }));
  const r = await list(`workflow=windowed&since=${encodeURIComponent(at(101))}&until=${encodeURIComponent(at(103))}`);
  assert.equal(r.body.data.map((e: ExecutionRecord) => e.id), ['window-2', 'window-1']);
  assert.is((await list(`workflow=windowed&since=${encodeURIComponent(at(104))}`)).body.data.length, 0);
  const bad = await list('since=yesterday');
  assert.is(bad.status, 400);
  assert.match(bad.body.message, /since/);
});

test('logs of one step, the newest `tail` of them, and X-Next-From; the stream sends only that step', async () => {
  await h.store.create(stored('logged', 200, { steps: { a: { id: 'a', status: 'success', attempts: 1, outputs: {} }, b: { id: 'b', status: 'success', attempts: 1, outputs: {} } } }));
  for (let i = 0; i < 6; i++) h.store.log('logged', { timestamp: at(200), level: 'info', step: i % 2 ? 'b' : 'a', message: `line ${i}` });
  await h.store.flush();
  const r = await h.call('GET', '/api/executions/logged/logs?step=b&tail=2', { token: tokens.read });
  assert.is(r.status, 200, r.text);
  assert.equal(r.body.data.map((l: { message: string }) => l.message), ['line 3', 'line 5']);
  assert.is(r.headers.get('x-next-from'), '6');
  const from = await h.call('GET', '/api/executions/logged/logs?from=4', { token: tokens.read });
  assert.is(from.headers.get('x-next-from'), '6');
  const res = await fetch(`${h.url}/api/executions/logged/logs/stream?step=a&from=1`, { headers: { authorization: `Bearer ${tokens.read}` }, signal: AbortSignal.timeout(10_000) });
  const events = parseEvents(await res.text()).filter((e) => e.event === 'log');
  assert.equal(events.map((e) => [e.id, (e.data as { message: string }).message]), [['2', 'line 2'], ['4', 'line 4']]);
});

test('a run keeps its plan\'s needs edges', async () => {
  const r = await h.call('POST', '/api/executions', { token: tokens.write, json: { workflow: 'quick' } });
  const id = r.body.data.id as string;
  await until(async () => (await h.call('GET', `/api/executions/${id}`, { token: tokens.read })).body.data.status === 'success');
  const shown = await h.call('GET', `/api/executions/${id}`, { token: tokens.read });
  assert.equal(shown.body.data.needs, { s2: ['s1'] });
});

test.run();
