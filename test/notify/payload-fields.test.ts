// Fields receivers read to link back and to name things: Alertmanager's receiver, externalURL and
// generatorURL, PagerDuty's source; and the project's `server.publicUrl` they come from.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChannelDoc } from '../../src/documents/schema/project.ts';
import { catalogs } from '../../src/notify/catalog/index.ts';
import { pagerDutyEvent } from '../../src/notify/channels/pagerduty.ts';
import { deliver, withLink } from '../../src/notify/deliver.ts';
import { executionNotification, type Incident } from '../../src/notify/message.ts';
import { incidentNotification } from '../../src/monitor/incidents/effects.ts';
import type { Incident as IncidentRecord } from '../../src/monitor/incidents/incident.ts';
import { cli, project } from '../cli/helpers.ts';
import { drive, failedRecord, parse, startReceiver, testDeps } from './helpers.ts';

const incident = (over: Partial<Incident> = {}): Incident => ({
  kind: 'incident', incidentId: 'payments-down:1700000000000', status: 'firing', severity: 'critical', category: 'system', title: 'Payments down', text: 'unhealthy',
  dedupKey: 'payments-down', labels: { check: 'payments-http' }, alertname: 'payments-down', at: '2025-01-01T00:00:00.000Z', ...over,
});

test('webhook: the Alertmanager payload names the channel\'s key as receiver and links to the server and the incident', async () => {
  const deps = { ...testDeps(), publicUrl: 'https://ops.example.com/' };
  const receiver = await startReceiver(deps.clock, () => ({ status: 200 }));
  const channel: ChannelDoc = { type: 'webhook', url: `${receiver.url}/am` };
  const result = await drive(deps.clock, deliver('ops-alerts', channel, incident(), deps));
  await receiver.close();
  assert.ok(result.ok, result.error);
  const body = parse(receiver.requests[0]) as { receiver: string; externalURL: string; alerts: Array<{ generatorURL: string }> };
  assert.is(body.receiver, 'ops-alerts');
  assert.is(body.externalURL, 'https://ops.example.com');
  assert.is(body.alerts[0]!.generatorURL, 'https://ops.example.com/api/incidents/payments-down%3A1700000000000');
});

test('webhook: a channel\'s `name` still wins as receiver; without a public URL the links stay empty', async () => {
  const deps = testDeps();
  const receiver = await startReceiver(deps.clock, () => ({ status: 200 }));
  const result = await drive(deps.clock, deliver('ops-alerts', { type: 'webhook', url: receiver.url, name: 'team-a' }, incident(), deps));
  await receiver.close();
  assert.ok(result.ok);
  const body = parse(receiver.requests[0]) as { receiver: string; externalURL: string; alerts: Array<{ generatorURL: string }> };
  assert.equal([body.receiver, body.externalURL, body.alerts[0]!.generatorURL], ['team-a', '', '']);
});

test('links: an execution links to the execution; a link already there is kept', () => {
  const n = executionNotification(failedRecord({ id: 'ex-1' }));
  assert.is(withLink(n, 'https://ops.example.com').url, 'https://ops.example.com/api/executions/ex-1');
  assert.is(withLink({ ...n, url: 'https://ci.example.com/1' }, 'https://ops.example.com').url, 'https://ci.example.com/1');
  assert.is(withLink(n, undefined).url, undefined);
});

test('an incident notification carries the incident id', () => {
  const record = { id: 'svc-down:1', dedupKey: 'svc-down', ruleId: 'svc-down', labels: { check: 'svc' }, severity: 'critical', category: 'system', title: 't', openedAt: 0 } as Partial<IncidentRecord>;
  assert.is(incidentNotification(record as IncidentRecord, 'firing', 0).incidentId, 'svc-down:1');
});

test('PagerDuty source: the host label, else the check, for incidents; the target, else the plugin, else the workflow, for runs', () => {
  assert.is(pagerDutyEvent(incident(), 'k', catalogs.en).payload?.source, 'payments-http');
  assert.is(pagerDutyEvent(incident({ labels: { check: 'payments-http', host: 'web-1' } }), 'k', catalogs.en).payload?.source, 'web-1');
  assert.is(pagerDutyEvent(incident({ source: 'db-1' }), 'k', catalogs.en).payload?.source, 'db-1');
  const run = failedRecord({ workflow: 'restart_plugin', parameters: { target: 'app-3.internal' } });
  delete run.plugin;
  assert.is(pagerDutyEvent(executionNotification(run), 'k', catalogs.en).payload?.source, 'app-3.internal');
  assert.is(pagerDutyEvent(executionNotification({ ...run, parameters: {} }), 'k', catalogs.en).payload?.source, 'restart_plugin');
});

test('server.publicUrl: an http(s) URL, checked with the project file', async () => {
  const file = (url: string) => `apiVersion: pluginops/v1\nkind: Project\nserver:\n  publicUrl: ${url}\n`;
  const good = await cli(['validate', 'pipelines'], project({ 'pluginops.yml': file('https://ops.example.com'), 'pipelines/w.yml': 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: w }\nspec:\n  steps:\n    - id: a\n      run: echo hi\n' }));
  assert.is(good.code, 0, good.stderr);
  for (const bad of ['ops.example.com', 'ftp://ops.example.com', '"https://ops.example.com/?x=1"']) {
    const r = await cli(['validate'], project({ 'pluginops.yml': file(bad), 'pipelines/w.yml': 'x: 1\n' }));
    assert.is(r.code, 1, `${bad}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /pluginops\.yml:4:\d+: E_VALUE `server\.publicUrl`/);
  }
});

test.run();
