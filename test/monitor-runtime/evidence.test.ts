// Incidents carry what showed the problem: a Loki check's matched lines (masked with the
// project's secrets, capped, marked truncated when a flood was cut), a Prometheus rule's query and
// each series' labels and value, a failed HTTP check's status. Against loopback fakes that speak
// Loki's and Prometheus's documented HTTP APIs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { masker } from '../../src/engine/mask.ts';
import { evidenceCaps } from '../../src/monitor/incidents/evidence.ts';
import { fakeLoki, fakePrometheus, ns, vector } from '../monitor-sources/fakes.ts';
import { lokiCheckDocuments, world } from './helpers.ts';

const secret = 'tok-9f8e7d6c5b4a';
const start = Date.parse('2026-03-02T09:00:00Z');
const lokiQuery = '{app="api"} |= "error"';

const lokiCheck = (url: string) => lokiCheckDocuments(url, lokiQuery, ['notify: { channels: [ops-hook], escalate: false }']);

test('a Loki check that fires: the incident holds the newest matched lines, masked, capped and marked truncated', async () => {
  // 10,000 lines, one a second before the check; the newest holds a secret and Slack/HTML markup.
  const lines: Array<[bigint, string]> = Array.from({ length: 10_000 }, (_, i) => [ns(start - 1_000 - i * 10), `level=error msg="boom ${i}"`]);
  lines[0] = [ns(start - 1_000), `level=error msg="auth failed" token=${secret} <!channel> *bold*`];
  const loki = await fakeLoki({ logs: { [lokiQuery]: [{ labels: { app: 'api', pod: 'api-1' }, lines }] } });
  const w = await world({ documents: lokiCheck(loki.url), mask: () => masker([secret]) });
  try {
    const result = await w.monitor.runCheck('api-errors');
    // More lines than the client pages through: the count is a lower bound.
    assert.ok(Number(result.fields.count) > 9_000 && result.fields.truncated === true, `count ${result.fields.count}`);
    const [incident] = w.monitor.incidents();
    assert.ok(incident, 'the rule on the count fired');
    const [e] = incident!.evidence ?? [];
    assert.is(e?.source, 'loki');
    assert.is(e?.query, lokiQuery);
    assert.is(e?.truncated, true);
    assert.is(e?.lines?.length, evidenceCaps.lines);
    const newest = e!.lines!.at(-1)!;
    assert.is(newest.text, 'level=error msg="auth failed" token=*** <!channel> *bold*');
    assert.is(newest.at, start - 1_000);
    assert.equal(newest.labels, { app: 'api', pod: 'api-1' });
    assert.is(e!.lines![0]!.text, `level=error msg="boom ${evidenceCaps.lines - 1}"`);
    // Nothing unmasked anywhere the monitor keeps state.
    assert.not.ok(JSON.stringify(w.monitor.snapshot()).includes(secret));
  } finally {
    await w.close();
    await loki.close();
  }
});

test('a huge log line is cut to the line cap', async () => {
  const loki = await fakeLoki({ logs: { [lokiQuery]: [{ labels: { app: 'api' }, lines: [[ns(start - 1_000), `error ${'x'.repeat(100_000)}`]] }] } });
  const w = await world({ documents: lokiCheck(loki.url) });
  try {
    await w.monitor.runCheck('api-errors');
    const [e] = w.monitor.incidents()[0]?.evidence ?? [];
    assert.is(e?.truncated, true);
    assert.ok(e!.lines![0]!.text.length <= evidenceCaps.lineChars + 1, `cut to ${e!.lines![0]!.text.length}`);
  } finally {
    await w.close();
    await loki.close();
  }
});

test('a secret that straddles the cut is masked whole, before any cut: no part of it is kept', async () => {
  // The secret starts just before both cuts (1,000 characters for the check's lines field, 2,000 for evidence).
  const straddles = (at: number) => `E${'z'.repeat(at - 1 - secret.length / 2)}${secret} tail`;
  const loki = await fakeLoki({ logs: { [lokiQuery]: [{ labels: { app: 'api' }, lines: [[ns(start - 2_000), straddles(evidenceCaps.lineChars)], [ns(start - 1_000), straddles(1_000)]] }] } });
  const w = await world({ documents: lokiCheck(loki.url), mask: () => masker([secret]) });
  try {
    const result = await w.monitor.runCheck('api-errors');
    const kept = JSON.stringify({ result, incidents: w.monitor.incidents(), snapshot: w.monitor.snapshot() });
    for (const part of [secret, secret.slice(0, 8), secret.slice(-8)]) assert.not.ok(kept.includes(part), `no part of the secret (${part}) is kept`);
    assert.ok(kept.includes('***'));
  } finally {
    await w.close();
    await loki.close();
  }
});

test('a Loki rule (no check) that fires: the incident holds the query and the lines it counted', async () => {
  const loki = await fakeLoki({ logs: { [lokiQuery]: [{ labels: { app: 'api' }, lines: [[ns(start - 3_000), 'error one'], [ns(start - 2_000), 'error two']] }] } });
  const w = await world({
    documents: `apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-errors, name: API errors }
spec:
  source: { loki: '${lokiQuery}', window: 5m }
  every: 1h
  levels: { warning: 2 }
  notify: { channels: [ops-hook], escalate: false }
`,
    monitoring: [`loki: { url: "${loki.url}" }`],
  });
  try {
    await w.monitor.evaluateRule('api-errors');
    const [e] = w.monitor.incidents()[0]?.evidence ?? [];
    assert.equal({ source: e?.source, query: e?.query, lines: e?.lines?.map((l) => l.text), truncated: e?.truncated },
      { source: 'loki', query: lokiQuery, lines: ['error one', 'error two'], truncated: undefined });
  } finally {
    await w.close();
    await loki.close();
  }
});

const promRule = `apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: cpu-high, name: CPU high }
spec:
  source: { prometheus: "avg by (instance) (cpu_usage)" }
  every: 1h
  levels: { warning: 0.8 }
  notify: { channels: [ops-hook], escalate: false }
`;

test('a Prometheus rule that fires: the incident holds the query and each series\' labels and value, its own first', async () => {
  const prom = await fakePrometheus({
    'avg by (instance) (cpu_usage)': () => vector(
      { metric: { instance: 'a:9100' }, value: [start / 1000, '0.2'] },
      { metric: { instance: 'b:9100' }, value: [start / 1000, '0.93'] },
      { metric: { instance: 'c:9100' }, value: [start / 1000, 'NaN'] },
    ),
  });
  const w = await world({ documents: promRule, monitoring: [`prometheus: { url: "${prom.url}" }`] });
  try {
    await w.monitor.evaluateRule('cpu-high');
    const incidents = w.monitor.incidents();
    assert.is(incidents.length, 1);
    const [e] = incidents[0]!.evidence ?? [];
    assert.is(e?.source, 'prometheus');
    assert.is(e?.query, 'avg by (instance) (cpu_usage)');
    // The alert's own series first; a NaN (which JSON cannot carry) is left out.
    assert.equal(e?.samples?.map((s) => [s.labels.instance, s.value]), [['b:9100', 0.93], ['a:9100', 0.2]]);
  } finally {
    await w.close();
    await prom.close();
  }
});

test('an HTTP check that fails: the incident says what the check saw', async () => {
  const w = await world({
    documents: `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec:
  type: http
  url: "{service}/health"
  interval: 1h
  failureThreshold: 1
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down, name: API down }
spec:
  source: { healthCheck: api }
  notify: { channels: [ops-hook], escalate: false }
`,
  });
  try {
    w.service.mode = 'down';
    await w.monitor.runCheck('api');
    const [e] = w.monitor.incidents()[0]?.evidence ?? [];
    assert.is(e?.source, 'check');
    const text = e!.lines!.map((l) => l.text).join('\n');
    assert.match(text, /failed: status >= 200 && status < 400/);
    assert.match(text, /status: 503/);
  } finally {
    await w.close();
  }
});

test.run();
