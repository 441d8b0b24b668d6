// A `prometheus` metric against a loopback server that speaks Prometheus's documented
// /api/v1/query_range JSON: the plugin's series picked by label, NaN and ±Inf dropped, a long
// range asked for in chunks of at most 11,000 points, several series refused in words, and a
// server that is down.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chunks, fetchPrometheus, maxPointsPerQuery } from '../../../src/optimize/sources/prometheus.ts';
import { closedPort, fakePrometheus, success, type Fake } from '../../monitor-sources/fakes.ts';

let prom: Fake;
const edges = { fetch: (url: string, init: RequestInit) => fetch(url, init) };
const server = () => ({ url: prom.url });

/** One value per step of the request's grid; by default the value is the time in seconds. */
function grid(p: URLSearchParams, value: (t: number) => string = (t) => String(t)): Array<[number, string]> {
  const start = Number(p.get('start')), end = Number(p.get('end')), step = Number(p.get('step'));
  const values: Array<[number, string]> = [];
  for (let i = 0; start + i * step <= end; i++) values.push([start + i * step, value(start + i * step)]);
  return values;
}
const matrix = (...result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>) => success({ resultType: 'matrix', result });

test.before(async () => {
  prom = await fakePrometheus({
    'latency{plugin="resizer"}': (p) => matrix({ metric: { plugin: 'resizer' }, values: grid(p, (t) => (t === 20 ? 'NaN' : t === 30 ? '+Inf' : String(t / 10))) }),
    'by_plugin': (p) => matrix(
      { metric: { plugin: 'other' }, values: grid(p, () => '9') },
      { metric: { plugin: 'resizer' }, values: grid(p, () => '1') },
    ),
    'two_series': (p) => matrix({ metric: { instance: 'a' }, values: grid(p) }, { metric: { instance: 'b' }, values: grid(p) }),
    'unlabelled': (p) => matrix({ metric: { job: 'x' }, values: grid(p, () => '4') }),
    'nothing': () => matrix(),
    'fine': (p) => {
      const steps = (Number(p.get('end')) - Number(p.get('start'))) / Number(p.get('step'));
      // Prometheus's own refusal, so a chunk that is too long fails the test loudly.
      if (steps > 11_000) return { status: 400, json: { status: 'error', errorType: 'bad_data', error: 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)' } };
      return matrix({ metric: {}, values: grid(p) });
    },
  });
});
test.after(async () => { await prom.close(); });

test('the plugin\'s series: `${{ plugin }}` filled in, times in ms, NaN and +Inf dropped', async () => {
  const r = await fetchPrometheus(server(), 'latency{plugin="${{ plugin }}"}', 'resizer', { start: 0, end: 40_000, stepMs: 10_000, timeoutMs: 5_000 }, edges);
  assert.equal(r, { ok: true, samples: [{ t: 0, v: 0 }, { t: 10_000, v: 1 }, { t: 40_000, v: 4 }] });
  assert.is(prom.requests.at(-1)?.params.get('query'), 'latency{plugin="resizer"}');
});

test('several series: the one labelled plugin=<id>; one unlabelled series is taken as it is; none is no samples', async () => {
  const o = { start: 0, end: 20_000, stepMs: 10_000, timeoutMs: 5_000 };
  assert.equal(await fetchPrometheus(server(), 'by_plugin', 'resizer', o, edges), { ok: true, samples: [0, 10_000, 20_000].map((t) => ({ t, v: 1 })) });
  assert.equal(await fetchPrometheus(server(), 'unlabelled', 'resizer', o, edges), { ok: true, samples: [0, 10_000, 20_000].map((t) => ({ t, v: 4 })) });
  assert.equal(await fetchPrometheus(server(), 'nothing', 'resizer', o, edges), { ok: true, samples: [] });
});

test('several series, none labelled with the plugin: an error that says how to write the query', async () => {
  const r = await fetchPrometheus(server(), 'two_series', 'resizer', { start: 0, end: 20_000, stepMs: 10_000, timeoutMs: 5_000 }, edges);
  assert.equal(r, { ok: false, error: 'the query answered 2 series; expected one per plugin (add a `plugin` label matcher or aggregate with `sum by (plugin) (…)`)' });
});

test('a range of more than 11,000 points: chunks on the same grid, joined without gaps or repeats', async () => {
  const before = prom.requests.length;
  const r = await fetchPrometheus(server(), 'fine', 'resizer', { start: 1_000_000, end: 1_000_000 + 30_000_000, stepMs: 1_000, timeoutMs: 5_000 }, edges);
  if (!r.ok) throw new Error(r.error);
  const asked = prom.requests.slice(before);
  assert.is(asked.length, 3);
  for (const q of asked) assert.ok((Number(q.params.get('end')) - Number(q.params.get('start'))) / Number(q.params.get('step')) <= maxPointsPerQuery);
  assert.is(r.samples.length, 30_001);
  assert.ok(r.samples.every((s, i) => s.t === 1_000_000 + i * 1_000 && s.v === s.t / 1000));
});

test('chunks: one range when short enough; the last chunk ends at the window\'s end', () => {
  assert.equal(chunks(0, 11_000_000, 1_000), [{ start: 0, end: 11_000_000 }]);
  assert.equal(chunks(0, 11_001_000, 1_000), [{ start: 0, end: 10_999_000 }, { start: 11_000_000, end: 11_001_000 }]);
});

test('a step so fine the window needs more than `maxChunks` requests is refused before asking', async () => {
  const before = prom.requests.length;
  const r = await fetchPrometheus(server(), 'fine', 'resizer', { start: 0, end: 90 * 86_400_000, stepMs: 1_000, timeoutMs: 5_000 }, edges);
  assert.equal(r, { ok: false, error: 'the window at a step of 1000ms is 707 requests of 11000 points, more than 100; use a larger `step`' });
  assert.is(prom.requests.length, before);
});

test('an unknown placeholder is refused before asking', async () => {
  const before = prom.requests.length;
  const r = await fetchPrometheus(server(), 'up{job="${{ plugn }}"}', 'resizer', { start: 0, end: 1_000, stepMs: 1_000, timeoutMs: 5_000 }, edges);
  assert.equal(r, { ok: false, error: '`${{ plugn }}` is not a known placeholder; expected `${{ plugin }}` (the plugin\'s id)' });
  assert.is(prom.requests.length, before);
});

test('a server that is down: ok false, in words naming the request', async () => {
  const port = await closedPort();
  const r = await fetchPrometheus({ url: `http://127.0.0.1:${port}` }, 'up', 'resizer', { start: 0, end: 60_000, stepMs: 15_000, timeoutMs: 2_000 }, edges);
  assert.is(r.ok, false);
  if (!r.ok) assert.match(r.error, `request to http://127.0.0.1:${port}/api/v1/query_range failed`);
  if (!r.ok) assert.match(r.error, /ECONNREFUSED/);
});

test.run();
