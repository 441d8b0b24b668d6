// The PagerDuty channel against a fake Events API v2 endpoint on loopback: trigger, resolve and
// acknowledge with one dedup_key, the five levels mapped to PagerDuty's four, 202 accepted,
// 429 and 5xx retried, 400 not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChannelDoc } from '../../src/documents/schema/project.ts';
import { pagerDutyEvent } from '../../src/notify/channels/pagerduty.ts';
import { catalogs } from '../../src/notify/catalog/index.ts';
import { deliver } from '../../src/notify/deliver.ts';
import { executionNotification, type Incident, type Severity } from '../../src/notify/message.ts';
import { drive, failedRecord, parse, startReceiver, successRecord, testDeps } from './helpers.ts';

const channel = (url: string): ChannelDoc => ({ type: 'pagerduty', routingKey: { env: 'PD_KEY' }, url: `${url}/v2/enqueue` });

const incident = (over: Partial<Incident> = {}): Incident => ({
  kind: 'incident', status: 'firing', severity: 'critical', category: 'performance', title: 'Memory usage 91%', text: 'above 85% for 5m',
  dedupKey: 'memory/host-1', labels: { host: 'host-1' }, source: 'host-1', at: '2025-01-01T00:00:00.000Z', ...over,
});

test('a firing incident is a trigger with summary, source, severity and details; 202 is delivered', async () => {
  const deps = testDeps({ PD_KEY: 'R0UTING' });
  const receiver = await startReceiver(deps.clock, () => ({ status: 202, body: '{"status":"success","dedup_key":"memory/host-1"}' }));

  const result = await drive(deps.clock, deliver('pager', channel(receiver.url), incident(), deps));
  await receiver.close();

  assert.equal(result, { channel: 'pager', kind: 'pagerduty', ok: true, attempts: 1, status: 202 });
  assert.is(receiver.requests[0]?.path, '/v2/enqueue');
  assert.equal(parse(receiver.requests[0]), {
    routing_key: 'R0UTING', event_action: 'trigger', dedup_key: 'memory/host-1',
    payload: {
      summary: '[critical/Performance] Firing: Memory usage 91%: above 85% for 5m', source: 'host-1', severity: 'critical',
      timestamp: '2025-01-01T00:00:00.000Z', class: 'performance',
      custom_details: { Status: 'Firing', Category: 'Performance', Source: 'host-1', Labels: 'host=host-1', Severity: 'critical', Time: '2025-01-01T00:00:00.000Z' },
    },
    client: 'pluginops',
  });
});

test('resolved and acknowledged incidents carry only the action and the dedup key', async () => {
  const deps = testDeps({ PD_KEY: 'k' });
  const receiver = await startReceiver(deps.clock, () => ({ status: 202 }));

  await drive(deps.clock, deliver('pager', channel(receiver.url), incident({ status: 'acknowledged' }), deps));
  await drive(deps.clock, deliver('pager', channel(receiver.url), incident({ status: 'resolved' }), deps));
  await receiver.close();

  assert.equal(receiver.requests.map(parse), [
    { routing_key: 'k', event_action: 'acknowledge', dedup_key: 'memory/host-1', client: 'pluginops' },
    { routing_key: 'k', event_action: 'resolve', dedup_key: 'memory/host-1', client: 'pluginops' },
  ]);
});

const levels: Array<[Severity, string]> = [['critical', 'critical'], ['danger', 'error'], ['warning', 'warning'], ['info', 'info'], ['success', 'info']];
for (const [severity, expected] of levels) {
  test(`level ${severity} is PagerDuty severity ${expected}`, () => {
    assert.is(pagerDutyEvent(incident({ severity }), 'k', catalogs.en).payload?.severity, expected);
  });
}

test('a failed execution triggers and a later success resolves the same dedup key', () => {
  const failed = pagerDutyEvent(executionNotification(failedRecord()), 'k', catalogs.en);
  const fixed = pagerDutyEvent(executionNotification(successRecord()), 'k', catalogs.en);

  assert.is(failed.event_action, 'trigger');
  assert.is(failed.payload?.severity, 'error');
  assert.is(failed.payload?.component, 'acme');
  assert.is(failed.payload?.group, 'deploy');
  assert.is(failed.dedup_key, 'pluginops/deploy/acme');
  assert.equal(fixed, { routing_key: 'k', event_action: 'resolve', dedup_key: 'pluginops/deploy/acme', client: 'pluginops' });
});

test('Korean: the summary and detail labels are Korean', () => {
  const event = pagerDutyEvent(incident(), 'k', catalogs.ko);
  assert.is(event.payload?.summary, '[긴급/성능] 발생: Memory usage 91%: above 85% for 5m');
  assert.is(event.payload?.custom_details['카테고리'], '성능');
});

test('429 and 5xx are retried; 400 is not', async () => {
  const deps = testDeps({ PD_KEY: 'k' });
  const answers = [{ status: 429 }, { status: 503 }, { status: 202 }];
  const receiver = await startReceiver(deps.clock, (_r, n) => answers[n] ?? { status: 202 });

  const retried = await drive(deps.clock, deliver('pager', channel(receiver.url), incident(), deps));
  receiver.reply = () => ({ status: 400, body: '{"status":"invalid event"}' });
  const rejected = await drive(deps.clock, deliver('pager', channel(receiver.url), incident(), deps));
  await receiver.close();

  assert.equal(retried, { channel: 'pager', kind: 'pagerduty', ok: true, attempts: 3, status: 202 });
  assert.equal(rejected, { channel: 'pager', kind: 'pagerduty', ok: false, attempts: 1, status: 400, error: 'HTTP 400: {"status":"invalid event"}' });
});

test('the routing key variable unset: nothing is sent', async () => {
  const deps = testDeps();

  const result = await deliver('pager', { type: 'pagerduty', routingKey: { env: 'PD_KEY' } }, incident(), deps);

  assert.equal(result, { channel: 'pager', kind: 'pagerduty', ok: false, attempts: 0, error: 'the PagerDuty routing key comes from the environment variable PD_KEY, which is not set' });
});

test.run();
