// The Prometheus client against a fake that speaks the documented API: every result type, the
// special values, error bodies by status, malformed answers, warnings, a timeout, and range
// queries whose samples follow the start/end/step the client sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryPrometheus, queryPrometheusRange } from '../../src/monitor/sources/prometheus.ts';
import { closedPort, fakePrometheus, promError, success, vector, type Fake } from './fakes.ts';

let prom: Fake;
const edges = { fetch: (url: string, init: RequestInit) => fetch(url, init) };
const server = () => ({ url: prom.url });
const ask = (query: string, timeoutMs = 5_000) => queryPrometheus(server(), query, { timeoutMs }, edges);

test.before(async () => {
  prom = await fakePrometheus({
    up: () => vector(
      { metric: { __name__: 'up', job: 'api', instance: 'a:9100' }, value: [1_700_000_000.5, '1'] },
      { metric: { __name__: 'up', job: 'api', instance: 'b:9100' }, value: [1_700_000_000.5, '0'] },
    ),
    'scalar(1.5)': () => success({ resultType: 'scalar', result: [1_700_000_001, '1.5'] }),
    'up[5m]': () => success({ resultType: 'matrix', result: [
      { metric: { job: 'api' }, values: [[1_700_000_000, '3'], [1_700_000_015, '4'], [1_700_000_030, '7']] },
      { metric: { job: 'db' }, values: [] },
    ] }),
    '"hello"': () => success({ resultType: 'string', result: [1_700_000_000, 'hello'] }),
    special: () => vector(
      { metric: { v: 'nan' }, value: [1, 'NaN'] }, { metric: { v: 'pos' }, value: [1, '+Inf'] }, { metric: { v: 'neg' }, value: [1, '-Inf'] }, { metric: { v: 'exp' }, value: [1, '2.5e3'] },
    ),
    'absent_metric': () => vector(),
    'with_warnings': () => success({ resultType: 'vector', result: [] }, ['PromQL info: metric might not be a counter']),
    'bad{': () => promError(400, 'bad_data', 'invalid parameter "query": 1:5: parse error: unexpected end of input'),
    'too_many': () => promError(422, 'execution', 'query processing would load too many samples into memory in query execution'),
    'slow': () => promError(503, 'timeout', 'query timed out in expression evaluation'),
    'html': () => ({ text: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' }),
    'html502': () => ({ status: 502, text: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' }),
    'empty': () => ({ text: '' }),
    'not_list': () => success({ resultType: 'vector', result: { oops: true } }),
    'number_value': () => success({ resultType: 'vector', result: [{ metric: {}, value: [1, 5] }] }),
    'word_value': () => success({ resultType: 'vector', result: [{ metric: {}, value: [1, 'lots'] }] }),
    'odd_type': () => success({ resultType: 'table', result: [] }),
    'no_data': () => ({ json: { status: 'success' } }),
    'hang': () => 'hang',
    'at_time': (p) => vector({ metric: { time: p.get('time') ?? 'none', timeout: p.get('timeout') ?? 'none' }, value: [Number(p.get('time') ?? 0), '1'] }),
    'rate(x[1m])': (p) => {
      const start = Number(p.get('start')), end = Number(p.get('end')), step = Number(p.get('step'));
      const values: Array<[number, string]> = [];
      for (let t = start; t <= end; t += step) values.push([t, String(t - start)]);
      return success({ resultType: 'matrix', result: [{ metric: { job: 'api' }, values }] });
    },
  });
});
test.after(async () => { await prom.close(); });

test('vector: one series per element, labels and values, time in ms', async () => {
  const r = await ask('up');
  if (!r.ok) throw new Error(r.error);
  assert.equal(r.series, [
    { labels: { __name__: 'up', job: 'api', instance: 'a:9100' }, value: 1, at: 1_700_000_000_500 },
    { labels: { __name__: 'up', job: 'api', instance: 'b:9100' }, value: 0, at: 1_700_000_000_500 },
  ]);
  assert.is(r.warnings, undefined);
  assert.is(prom.requests.at(-1)?.path, '/api/v1/query');
});

test('scalar: one series with no labels', async () => {
  assert.equal(await ask('scalar(1.5)'), { ok: true, series: [{ labels: {}, value: 1.5, at: 1_700_000_001_000 }] });
});

test('matrix from an instant query: each series\' newest sample; a series without samples is left out', async () => {
  assert.equal(await ask('up[5m]'), { ok: true, series: [{ labels: { job: 'api' }, value: 7, at: 1_700_000_030_000 }] });
});

test('string: an error, since a check needs a number', async () => {
  const r = await ask('"hello"');
  assert.is(r.ok, false);
  if (!r.ok) assert.match(r.error, /the query answers a string \("hello"\), not a number/);
});

test('NaN, +Inf, -Inf and exponents', async () => {
  const r = await ask('special');
  if (!r.ok) throw new Error(r.error);
  const values = r.series.map((s) => s.value);
  assert.ok(Number.isNaN(values[0]));
  assert.equal(values.slice(1), [Infinity, -Infinity, 2500]);
});

test('an empty vector is a success with no series', async () => {
  assert.equal(await ask('absent_metric'), { ok: true, series: [] });
});

test('warnings are passed on', async () => {
  assert.equal(await ask('with_warnings'), { ok: true, series: [], warnings: ['PromQL info: metric might not be a counter'] });
});

test('error bodies name the status, errorType and error (400, 422, 503)', async () => {
  assert.equal(await ask('bad{'), { ok: false, error: 'Prometheus answered 400: bad_data: invalid parameter "query": 1:5: parse error: unexpected end of input' });
  assert.equal(await ask('too_many'), { ok: false, error: 'Prometheus answered 422: execution: query processing would load too many samples into memory in query execution' });
  assert.equal(await ask('slow'), { ok: false, error: 'Prometheus answered 503: timeout: query timed out in expression evaluation' });
});

test('a body that is not JSON: malformed on 200, the status and text otherwise', async () => {
  assert.equal(await ask('html'), { ok: false, error: 'malformed answer from Prometheus: the body is not JSON (it starts with "<html><body>Bad Gateway</body></html>")' });
  assert.equal(await ask('empty'), { ok: false, error: 'malformed answer from Prometheus: the body is not JSON (it is empty)' });
  assert.equal(await ask('html502'), { ok: false, error: 'Prometheus answered 502: <html><body>Bad Gateway</body></html>' });
});

test('wrongly shaped answers say what was wrong', async () => {
  const cases: Array<[string, string]> = [
    ['not_list', '`data.result` is not a list'],
    ['number_value', '`data.result[0].value[1]` is not a string holding a number'],
    ['word_value', '`data.result[0].value[1]` is "lots", not a number'],
    ['odd_type', '`data.resultType` is "table"; expected vector, scalar, matrix or string'],
    ['no_data', '`data` is missing or not an object'],
  ];
  for (const [query, why] of cases) assert.equal(await ask(query), { ok: false, error: `malformed answer from Prometheus: ${why}` }, query);
});

test('a server that never answers: "no answer within" the timeout', async () => {
  const started = Date.now();
  const r = await ask('hang', 150);
  assert.equal(r, { ok: false, error: `no answer within 150ms from Prometheus at ${new URL(prom.url).host}` });
  assert.ok(Date.now() - started < 2_000);
});

test('the caller\'s signal cancels', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  assert.equal(await queryPrometheus(server(), 'hang', { timeoutMs: 5_000 }, { ...edges, signal: controller.signal }), { ok: false, error: 'cancelled' });
});

test('time and timeout are sent in seconds', async () => {
  const r = await queryPrometheus(server(), 'at_time', { at: 1_700_000_000_250, timeoutMs: 2_500 }, edges);
  if (!r.ok) throw new Error(r.error);
  assert.equal(r.series[0]?.labels, { time: '1700000000.25', timeout: '2.5' });
  assert.is(r.series[0]?.at, 1_700_000_000_250);
});

test('a path prefix in the server URL is kept; headers and tenant are sent', async () => {
  const prefixed = await fakePrometheus({ up: () => vector({ metric: {}, value: [1, '1'] }) }, '/prometheus');
  try {
    const r = await queryPrometheus({ url: `${prefixed.url}/prometheus/`, headers: { authorization: 'Bearer t0ken' }, tenant: 'team-a' }, 'up', { timeoutMs: 5_000 }, edges);
    assert.equal(r, { ok: true, series: [{ labels: {}, value: 1, at: 1_000 }] });
    const seen = prefixed.requests[0]!;
    assert.is(seen.path, '/prometheus/api/v1/query');
    assert.is(seen.headers.authorization, 'Bearer t0ken');
    assert.is(seen.headers['x-scope-orgid'], 'team-a');
  } finally { await prefixed.close(); }
});

test('a refused connection and a bad URL are errors, not throws', async () => {
  const port = await closedPort();
  const refused = await queryPrometheus({ url: `http://127.0.0.1:${port}` }, 'up', { timeoutMs: 2_000 }, edges);
  assert.is(refused.ok, false);
  if (!refused.ok) assert.match(refused.error, `request to http://127.0.0.1:${port}/api/v1/query failed`);
  assert.equal(await queryPrometheus({ url: 'prometheus:9090' }, 'up', { timeoutMs: 100 }, edges), { ok: false, error: '`prometheus:9090` is not an http:// or https:// URL' });
  assert.equal(await queryPrometheus({ url: 'not a url' }, 'up', { timeoutMs: 100 }, edges), { ok: false, error: '`not a url` is not a URL; expected one such as http://prometheus:9090' });
});

test('range query: start, end and step are sent in seconds and every sample comes back, oldest first', async () => {
  const r = await queryPrometheusRange(server(), 'rate(x[1m])', { start: 1_700_000_000_000, end: 1_700_000_060_000, stepMs: 15_000, timeoutMs: 5_000 }, edges);
  if (!r.ok) throw new Error(r.error);
  const seen = prom.requests.at(-1)!;
  assert.is(seen.path, '/api/v1/query_range');
  assert.equal([seen.params.get('start'), seen.params.get('end'), seen.params.get('step')], ['1700000000', '1700000060', '15']);
  assert.equal(r.series, [{ labels: { job: 'api' }, samples: [0, 15, 30, 45, 60].map((s) => ({ at: 1_700_000_000_000 + s * 1000, value: s })) }]);
});

test('range query: a non-matrix answer is malformed; a bad range or step is refused before asking', async () => {
  const before = prom.requests.length;
  assert.equal(await queryPrometheusRange(server(), 'up', { start: 0, end: 60_000, stepMs: 15_000, timeoutMs: 5_000 }, edges),
    { ok: false, error: 'malformed answer from Prometheus: `data.resultType` is "vector"; a range query answers "matrix"' });
  assert.is(prom.requests.length, before + 1);
  assert.equal(await queryPrometheusRange(server(), 'up', { start: 10, end: 0, stepMs: 1, timeoutMs: 100 }, edges),
    { ok: false, error: 'the range 10..0 is not a time range; expected start <= end (ms since the epoch)' });
  assert.equal(await queryPrometheusRange(server(), 'up', { start: 0, end: 10, stepMs: 0, timeoutMs: 100 }, edges), { ok: false, error: 'the step 0ms is not positive' });
  assert.is(prom.requests.length, before + 1);
});

test.run();
