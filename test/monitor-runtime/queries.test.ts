// Rules over queries, against loopback fakes that answer Prometheus's /api/v1/query and Loki's
// /loki/api/v1/query_range in their documented JSON. A Prometheus rule is one alert per series,
// labelled like the series; a series that vanishes resolves. An answer the rule cannot use (an
// error body, NaN, a malformed body) puts the rule's alert in `error`, logged, and the rule goes
// on being evaluated on its `every:`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startReceiver, type Receiver, type Reply } from '../notify/helpers.ts';
import { min, sec, world, type World } from './helpers.ts';

type Json = Record<string, any>;

const promRule = `apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: cpu-high, name: CPU high }
spec:
  source: { prometheus: "avg by (instance) (cpu_usage)" }
  every: 10s
  levels: { warning: 0.8, critical: 0.95 }
  notify: { channels: [ops-hook], escalate: false }
`;

const lokiRule = `apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-errors, name: API errors }
spec:
  source: { loki: '{app="api"} |= "error"', window: 5m }
  every: 10s
  levels: { warning: 3, critical: 10 }
  notify: { channels: [ops-hook], escalate: false }
`;

const vector = (series: Array<[Record<string, string>, string]>): Reply => ({
  status: 200, headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: series.map(([metric, v]) => ({ metric, value: [1772442000, v] })) } }),
});

const streams = (lines: number): Reply => ({
  status: 200, headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    status: 'success',
    data: { resultType: 'streams', result: [{ stream: { app: 'api' }, values: Array.from({ length: lines }, (_, i) => [`${1772442000000000000n - BigInt(i) * 1_000_000n}`, `level=error msg="boom ${i}"`]) }] },
  }),
});

/** A fake query server whose answer the test sets, and a world whose project points at it. */
async function setup(documents: string, answer: Reply): Promise<{ w: World; server: Receiver; answer: { current: Reply } }> {
  const state = { current: answer };
  const server = await startReceiver({ now: () => Date.now() }, () => state.current);
  const w = await world({
    documents,
    monitoring: [`prometheus: { url: "${server.url}" }`, `loki: { url: "${server.url}", tenant: team-a }`, 'autoResolve: { warning: 1m, critical: 1m }'],
  });
  const close = w.close;
  w.close = async () => { await close(); await server.close(); };
  return { w, server, answer: state };
}

const alertsOf = (w: World, rule: string) => w.monitor.alerts().filter((a) => a.ruleId === rule).sort((a, b) => (a.key < b.key ? -1 : 1));

test('prometheus: one alert per series with the series labels, at the level each reaches; a vanished series resolves', async () => {
  const { w, server, answer } = await setup(promRule, vector([[{ instance: 'a:9100', job: 'node' }, '0.9'], [{ instance: 'b:9100', job: 'node' }, '0.97'], [{ instance: 'c:9100', job: 'node' }, '0.2']]));
  try {
    w.monitor.start();
    await w.run(60 * sec);
    const queries = server.requests.filter((r) => r.path.startsWith('/api/v1/query?'));
    assert.ok(queries.length >= 5 && queries.length <= 6, `evaluated every 10 s (${queries.length} queries in 60 s)`);
    const q = new URL(queries[0]!.path, server.url).searchParams;
    assert.is(q.get('query'), 'avg by (instance) (cpu_usage)');
    assert.ok(Number(q.get('time')) * 1000 <= w.clock.now(), 'the query is at the evaluation time');

    const byInstance = Object.fromEntries(w.monitor.alerts().map((a) => [a.labels.instance, a]));
    assert.is(byInstance['a:9100']?.state, 'firing');
    assert.is(byInstance['a:9100']?.severity, 'warning');
    assert.is(byInstance['a:9100']?.value, 0.9);
    assert.is(byInstance['b:9100']?.state, 'firing');
    assert.is(byInstance['b:9100']?.severity, 'critical');
    assert.is(byInstance['c:9100']?.state, 'ok');
    assert.equal(byInstance['a:9100']?.labels, { instance: 'a:9100', job: 'node' });

    const incidents = w.monitor.incidents();
    assert.is(incidents.length, 2, 'an incident per firing series');
    const hook = w.got('/hook') as Json[];
    assert.equal(hook.map((p) => `${p.alerts[0].labels.instance} ${p.alerts[0].labels.severity}`).sort(), ['a:9100 warning', 'b:9100 critical']);
    assert.match(hook.find((p) => p.alerts[0].labels.instance === 'b:9100')!.alerts[0].annotations.summary, /cpu-high\{instance=b:9100,job=node\} is 0\.97, at or beyond the critical level 0\.95/);

    // b's series is gone from the answer: no data, so its alert resolves; a keeps firing.
    answer.current = vector([[{ instance: 'a:9100', job: 'node' }, '0.9'], [{ instance: 'c:9100', job: 'node' }, '0.2']]);
    await w.run(20 * sec);
    const b = w.monitor.alerts().find((a) => a.labels.instance === 'b:9100')!;
    assert.is(b.state, 'nodata', 'a vanished series has no data');
    const bIncident = w.monitor.incidents().find((i) => i.labels.instance === 'b:9100')!;
    assert.is(bIncident.alertsFiring, false, 'its incident waits to auto-resolve');
    assert.is(w.monitor.alerts().find((a) => a.labels.instance === 'a:9100')!.state, 'firing');
    await w.run(80 * sec);
    assert.is(w.monitor.incident(bIncident.id)!.status, 'resolved');
    const resolved = (w.got('/hook') as Json[]).filter((p) => p.status === 'resolved');
    assert.equal(resolved.map((p) => p.alerts[0].labels.instance), ['b:9100'], 'resolved is told for b only');
  } finally {
    await w.close();
  }
});

const unusable: Array<{ name: string; reply: Reply; message: RegExp }> = [
  {
    name: 'an error answer (400 bad_data)',
    reply: { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected identifier "by"' }) },
    message: /Prometheus answered 400: bad_data: 1:5: parse error/,
  },
  { name: 'a NaN value', reply: vector([[{ instance: 'a:9100' }, 'NaN']]), message: /the value is NaN, not a finite number/ },
  { name: 'a body that is not JSON', reply: { status: 200, body: '<html>gateway</html>' }, message: /malformed answer from Prometheus: the body is not JSON/ },
  {
    name: 'a body of the wrong shape',
    reply: { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: { instance: 'a' } } }) },
    message: /malformed answer from Prometheus: `data.result` is not a list/,
  },
];

for (const c of unusable) {
  test(`prometheus: ${c.name} puts the rule's alert in error, logged, and evaluation goes on`, async () => {
    const { w, server } = await setup(promRule, c.reply);
    try {
      w.monitor.start();
      await w.run(40 * sec);
      const [alert, ...more] = alertsOf(w, 'cpu-high');
      assert.equal(more, []);
      assert.is(alert?.state, 'error');
      assert.match(alert?.message ?? '', c.message);
      assert.ok(w.logs.some((l) => l.level === 'warn' && c.message.test(l.line)), 'the problem is logged');
      assert.ok(w.monitor.counters.evaluationErrors >= 3, 'every evaluation counts as an error');
      assert.equal(w.monitor.incidents(), [], 'an error is no incident');
      assert.equal(w.got('/hook'), [], 'and nothing is sent');
      const job = w.monitor.schedule().find((s) => s.id === 'rule:cpu-high')!;
      assert.is(job.failures, 0, 'the job itself did not fail');
      const before = server.requests.length;
      await w.run(20 * sec);
      assert.ok(server.requests.length >= before + 2, 'still queried every 10 s');
    } finally {
      await w.close();
    }
  });
}

test('prometheus: a firing alert whose query starts failing stays firing and is not resolved', async () => {
  const { w, answer } = await setup(promRule, vector([[{ instance: 'a:9100' }, '0.99']]));
  try {
    w.monitor.start();
    await w.run(30 * sec);
    assert.is(alertsOf(w, 'cpu-high')[0]?.state, 'firing');
    answer.current = { status: 503, body: 'upstream down' };
    await w.run(2 * min);
    assert.is(alertsOf(w, 'cpu-high')[0]?.state, 'firing', 'an error is no evidence either way');
    assert.is(w.monitor.incidents()[0]!.status, 'open');
    assert.equal((w.got('/hook') as Json[]).map((p) => p.status), ['firing']);
    assert.ok(w.logs.some((l) => /rule cpu-high: Prometheus answered 503: upstream down/.test(l.line)));
  } finally {
    await w.close();
  }
});

test('loki: the lines a query matches in the window are counted; above the level the rule fires', async () => {
  const { w, server, answer } = await setup(lokiRule, streams(1));
  try {
    w.monitor.start();
    await w.run(30 * sec);
    assert.is(alertsOf(w, 'api-errors')[0]?.state, 'ok', 'one line is below the level');
    assert.is(alertsOf(w, 'api-errors')[0]?.value, 1);
    const r = server.requests.find((x) => x.path.startsWith('/loki/api/v1/query_range?'))!;
    assert.ok(r, 'queried Loki');
    const q = new URL(r.path, server.url).searchParams;
    assert.is(q.get('query'), '{app="api"} |= "error"');
    assert.is(q.get('direction'), 'backward');
    assert.is(BigInt(q.get('end')!) - BigInt(q.get('start')!), 5n * 60n * 1_000_000_000n, 'the 5-minute window, in ns');
    assert.is(r.headers['x-scope-orgid'], 'team-a', 'the tenant is sent');

    answer.current = streams(5);
    await w.run(20 * sec);
    const [alert] = alertsOf(w, 'api-errors');
    assert.is(alert?.state, 'firing');
    assert.is(alert?.severity, 'warning');
    assert.is(alert?.value, 5);
    const hook = w.got('/hook') as Json[];
    assert.is(hook.length, 1);
    assert.match(hook[0]!.alerts[0].annotations.summary, /api-errors is 5, at or beyond the warning level 3/);
  } finally {
    await w.close();
  }
});

test.run();
