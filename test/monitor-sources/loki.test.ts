// The Loki counter against a fake that honours start, end, limit and direction as Loki does:
// counting across streams, the window's edges, paging when a page is full (including lines that
// share a nanosecond at a page boundary), truncation after the page cap, metric (matrix)
// answers, the tenant header, and error answers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countLoki } from '../../src/monitor/sources/loki.ts';
import { closedPort, fakeLoki, ns, success, type Fake, type Stream } from './fakes.ts';

const end = 1_700_000_000_000; // ms
const minute = 60_000;
const edges = { fetch: (url: string, init: RequestInit) => fetch(url, init) };

/** `count` lines of one stream, one per `every` ms, the newest `before` ms before the end. */
const lines = (labels: Record<string, string>, count: number, every = 1_000, before = 1_000, text = 'error'): Stream =>
  ({ labels, lines: Array.from({ length: count }, (_, i) => [ns(end - before - i * every), `${text} ${i}`] as [bigint, string]) });

let loki: Fake;
test.before(async () => {
  loki = await fakeLoki({
    logs: {
      '{app="api"} |= "error"': [lines({ app: 'api', pod: 'a' }, 3), lines({ app: 'api', pod: 'b' }, 4, 1_000, 1_500)],
      // 25 lines: three pages of 10.
      '{app="busy"}': [lines({ app: 'busy' }, 15, 2_000), lines({ app: 'busy', pod: 'b' }, 10, 2_000, 2_000)],
      // Lines 8, 9 and 10 (counting from the newest) share one nanosecond: a page of 9 cuts them apart.
      '{app="ties"}': [{ labels: { app: 'ties' }, lines: [
        ...Array.from({ length: 8 }, (_, i) => [ns(end - 1_000 - i * 1_000), `l${i}`] as [bigint, string]),
        [ns(end - 20_000, 7n), 'same a'], [ns(end - 20_000, 7n), 'same b'], [ns(end - 20_000, 7n), 'same c'],
        [ns(end - 30_000), 'old'],
      ] }],
      '{app="flood"}': [lines({ app: 'flood' }, 200, 100)],
      '{app="burst"}': [{ labels: { app: 'burst' }, lines: Array.from({ length: 12 }, (_, i) => [ns(end - 1_000), `burst ${i}`] as [bigint, string]) }],
      '{app="edges"}': [{ labels: { app: 'edges' }, lines: [
        [ns(end), 'at end (excluded)'], [ns(end - 1), 'just before end'], [ns(end - minute), 'at start (included)'], [ns(end - minute, -1n), 'before start'],
      ] }],
      '{app="quiet"}': [lines({ app: 'quiet' }, 3, 1_000, 10 * minute)],
    },
    metrics: {
      'sum by (pod) (count_over_time({app="api"} |= "error" [5m]))': () => success({ resultType: 'matrix', result: [
        { metric: { pod: 'a' }, values: [[1_699_999_700, '2'], [1_699_999_990, '5']] },
        { metric: { pod: 'b' }, values: [[1_699_999_990, '3']] },
      ] }),
      'json': () => ({ status: 400, json: { status: 'error', errorType: 'bad_data', error: 'invalid query, through <nil>' } }),
      'html': () => ({ text: '<html>gateway</html>', contentType: 'text/html' }),
      'shape': () => success({ resultType: 'streams', result: [{ stream: { app: 'x' }, values: [[123, 'not a string timestamp']] }] }),
      'hang': () => 'hang',
    },
  });
});
test.after(async () => { await loki.close(); });

const count = (query: string, o: { windowMs?: number; limit?: number; maxPages?: number; timeoutMs?: number } = {}, server: { url: string; tenant?: string; headers?: Record<string, string> } = { url: loki.url }) =>
  countLoki(server, query, { windowMs: o.windowMs ?? 5 * minute, end, limit: o.limit, maxPages: o.maxPages, timeoutMs: o.timeoutMs ?? 5_000 }, edges);

test('streams: every line counts, one series per stream, the five newest lines as a sample', async () => {
  const r = await count('{app="api"} |= "error"');
  if (!r.ok) throw new Error(r.error);
  assert.is(r.total, 7);
  assert.equal(r.series, [
    { labels: { app: 'api', pod: 'a' }, value: 3, at: end - 1_000 },
    { labels: { app: 'api', pod: 'b' }, value: 4, at: end - 1_500 },
  ]);
  assert.equal(r.sample, ['error 0', 'error 0', 'error 1', 'error 1', 'error 2']);
  assert.is(r.truncated, undefined);
  const seen = loki.requests.at(-1)!;
  assert.is(seen.path, '/loki/api/v1/query_range');
  assert.equal([seen.params.get('start'), seen.params.get('end'), seen.params.get('limit'), seen.params.get('direction')],
    [String(ns(end - 5 * minute)), String(ns(end)), '1000', 'backward']);
});

test('the window is [end - window, end): a line at the start counts, one at the end does not', async () => {
  const r = await count('{app="edges"}', { windowMs: minute });
  if (!r.ok) throw new Error(r.error);
  assert.is(r.total, 2);
  assert.equal(r.sample, ['just before end', 'at start (included)']);
  // The newest lines keep their time and their stream's labels, for evidence.
  assert.equal(r.newest.map((l) => l.text), ['just before end', 'at start (included)']);
  assert.ok(r.newest.every((l) => Number.isInteger(l.at) && typeof l.labels === 'object'));
});

test('no lines in the window: total 0 and no series', async () => {
  assert.equal(await count('{app="quiet"}'), { ok: true, total: 0, series: [], sample: [], newest: [] });
});

test('a full page pages further back until a page is not full', async () => {
  const before = loki.requests.length;
  const r = await count('{app="busy"}', { limit: 10 });
  if (!r.ok) throw new Error(r.error);
  assert.is(r.total, 25);
  assert.equal(r.series.map((s) => s.value), [15, 10]);
  assert.is(r.truncated, undefined);
  const pages = loki.requests.slice(before);
  assert.is(pages.length, 3);
  assert.ok(pages.every((p) => p.params.get('limit') === '10'));
  // Each next page ends one nanosecond after the oldest line of the page before.
  assert.is(pages[1]!.params.get('end'), String(ns(end - 2_000 - 4 * 2_000) + 1n));
});

test('lines that share a nanosecond at a page boundary are counted once each', async () => {
  const r = await count('{app="ties"}', { limit: 9 });
  if (!r.ok) throw new Error(r.error);
  assert.is(r.total, 12);
});

test('after the page cap the count so far comes back truncated', async () => {
  const before = loki.requests.length;
  const r = await count('{app="flood"}', { limit: 20, maxPages: 3 });
  if (!r.ok) throw new Error(r.error);
  // Pages 2 and 3 each ask again for the oldest nanosecond of the page before: 20 + 19 + 19.
  assert.is(r.total, 58);
  assert.is(r.truncated, true);
  assert.is(loki.requests.length - before, 3);
});

test('more lines in one nanosecond than a page holds: truncated, not an endless loop', async () => {
  const before = loki.requests.length;
  const r = await count('{app="burst"}', { limit: 5 });
  if (!r.ok) throw new Error(r.error);
  assert.is(r.total, 5);
  assert.is(r.truncated, true);
  assert.is(loki.requests.length - before, 2);
});

test('matrix (a metric query): the total is the sum of each series\' newest value', async () => {
  const r = await count('sum by (pod) (count_over_time({app="api"} |= "error" [5m]))');
  assert.equal(r, { ok: true, total: 8, series: [
    { labels: { pod: 'a' }, value: 5, at: 1_699_999_990_000 },
    { labels: { pod: 'b' }, value: 3, at: 1_699_999_990_000 },
  ], sample: [], newest: [] });
});

test('the tenant is sent as X-Scope-OrgID, with the server\'s headers', async () => {
  await count('{app="api"} |= "error"', {}, { url: loki.url, tenant: 'team-a', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
  const seen = loki.requests.at(-1)!;
  assert.is(seen.headers['x-scope-orgid'], 'team-a');
  assert.is(seen.headers.authorization, 'Basic dXNlcjpwYXNz');
  await count('{app="api"} |= "error"');
  assert.is(loki.requests.at(-1)!.headers['x-scope-orgid'], undefined);
});

test('a plain-text 400 (a LogQL parse error) is the error, as Loki wrote it', async () => {
  assert.equal(await count('{app="api"'), { ok: false, error: 'Loki answered 400: parse error : syntax error: unexpected IDENTIFIER, expecting { or ( or STRING' });
  assert.equal(await count('{app="api"} |= "error"', { limit: 6000 }), { ok: false, error: 'Loki answered 400: max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)' });
});

test('a JSON error body, a body that is not JSON, a wrong shape', async () => {
  assert.equal(await count('json'), { ok: false, error: 'Loki answered 400: bad_data: invalid query, through <nil>' });
  assert.equal(await count('html'), { ok: false, error: 'malformed answer from Loki: the body is not JSON (it starts with "<html>gateway</html>")' });
  assert.equal(await count('shape'), { ok: false, error: 'malformed answer from Loki: `data.result[0].values[0]` is not a ["<nanoseconds>", "<line>"] pair' });
});

test('a server that never answers, and one that refuses', async () => {
  assert.equal(await count('hang', { timeoutMs: 150 }), { ok: false, error: `no answer within 150ms from Loki at ${new URL(loki.url).host}` });
  const port = await closedPort();
  const refused = await count('{app="api"}', {}, { url: `http://127.0.0.1:${port}` });
  assert.is(refused.ok, false);
  if (!refused.ok) assert.match(refused.error, `request to http://127.0.0.1:${port}/loki/api/v1/query_range failed`);
});

test.run();
