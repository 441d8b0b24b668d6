// The webhook channel against a real receiver: the envelope, content type and configured
// headers (one read from the environment), and a missing variable that stops the send.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChannelDoc } from '../../src/documents/schema/project.ts';
import { deliver } from '../../src/notify/deliver.ts';
import { executionNotification } from '../../src/notify/message.ts';
import { drive, failedRecord, parse, startReceiver, testDeps } from './helpers.ts';

test('POSTs the notification as JSON with the configured headers, one of them from the environment', async () => {
  const deps = testDeps({ HOOK_TOKEN: 's3cret' });
  const receiver = await startReceiver(deps.clock, () => ({ status: 204 }));
  const channel: ChannelDoc = { type: 'webhook', url: `${receiver.url}/hooks/pluginops`, headers: { 'X-Token': { env: 'HOOK_TOKEN' }, 'X-Team': 'plugins' } };
  const n = executionNotification(failedRecord());

  const result = await drive(deps.clock, deliver('ops', channel, n, deps));
  await receiver.close();

  assert.equal(result, { channel: 'ops', kind: 'webhook', ok: true, attempts: 1, status: 204 });
  assert.is(receiver.requests.length, 1);
  const [req] = receiver.requests;
  assert.is(req?.method, 'POST');
  assert.is(req?.path, '/hooks/pluginops');
  assert.is(req?.headers['content-type'], 'application/json');
  assert.is(req?.headers['x-token'], 's3cret');
  assert.is(req?.headers['x-team'], 'plugins');
  assert.equal(parse(req), { version: '1', type: 'execution.finished', text: `${n.title}: ${n.text}`, notification: JSON.parse(JSON.stringify(n)) });
  assert.equal(deps.logs, [{ level: 'info', message: 'notified ops (webhook)' }]);
});

test('a configured content-type does not replace application/json', async () => {
  const deps = testDeps();
  const receiver = await startReceiver(deps.clock);
  const channel: ChannelDoc = { type: 'webhook', url: receiver.url, headers: { 'Content-Type': 'text/plain' } };

  const result = await drive(deps.clock, deliver('ops', channel, executionNotification(failedRecord()), deps));
  await receiver.close();

  assert.ok(result.ok);
  assert.is(receiver.requests[0]?.headers['content-type'], 'application/json');
});

test('a header from an unset environment variable: a failed result, a log line, and no request', async () => {
  const deps = testDeps({});
  const receiver = await startReceiver(deps.clock);
  const channel: ChannelDoc = { type: 'webhook', url: receiver.url, headers: { 'X-Token': { env: 'HOOK_TOKEN' } } };

  const result = await drive(deps.clock, deliver('ops', channel, executionNotification(failedRecord()), deps));
  await receiver.close();

  assert.equal(result, {
    channel: 'ops', kind: 'webhook', ok: false, attempts: 0,
    error: 'the webhook header X-Token comes from the environment variable HOOK_TOKEN, which is not set',
  });
  assert.is(receiver.requests.length, 0);
  assert.equal(deps.logs.map((l) => l.level), ['warn']);
  assert.match(deps.logs[0]?.message ?? '', /^could not notify ops \(webhook\): .*HOOK_TOKEN/);
});

test('a URL that is not http(s) fails once, without a request', async () => {
  const deps = testDeps({ HOOK_URL: 'ftp://example.com/x' });

  const result = await drive(deps.clock, deliver('ops', { type: 'webhook', url: { env: 'HOOK_URL' } }, executionNotification(failedRecord()), deps));

  assert.equal(result, { channel: 'ops', kind: 'webhook', ok: false, attempts: 0, error: 'the webhook url must be an http:// or https:// URL, not ftp:' });
});

test.run();
