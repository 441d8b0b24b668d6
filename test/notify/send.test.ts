// Notifications for a finished execution, sent to the channels a workflow names: each channel
// gets its own result; unknown names and unfinished records are failed results, never throws.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProjectDoc } from '../../src/documents/schema/project.ts';
import { sendExecutionNotifications } from '../../src/notify/send.ts';
import { drive, failedRecord, parse, startReceiver, testDeps } from './helpers.ts';

test('a finished execution goes to a webhook and a Slack channel; an unknown name is a failed result', async () => {
  const deps = testDeps();
  const receiver = await startReceiver(deps.clock);
  deps.env = { SLACK_URL: `${receiver.url}/slack` };
  const channels: ProjectDoc['channels'] = {
    hook: { type: 'webhook', url: `${receiver.url}/hook` },
    team: { type: 'slack', webhookUrl: { env: 'SLACK_URL' } },
  };
  const record = failedRecord();
  const before = structuredClone(record);

  const results = await drive(deps.clock, sendExecutionNotifications(record, ['hook', 'nope', 'team'], channels, deps));
  await receiver.close();

  assert.equal(results, [
    { channel: 'hook', kind: 'webhook', ok: true, attempts: 1, status: 200 },
    { channel: 'nope', ok: false, attempts: 0, error: 'there is no channel "nope" under channels: in the project file (known: hook, team)' },
    { channel: 'team', kind: 'slack', ok: true, attempts: 1, status: 200 },
  ]);
  assert.equal(receiver.requests.map((r) => r.path).sort(), ['/hook', '/slack']);
  const hook = receiver.requests.find((r) => r.path === '/hook');
  assert.is((parse(hook).notification as { executionId: string }).executionId, record.id);
  assert.equal(record, before, 'the record is not changed');
  assert.ok(deps.logs.some((l) => l.level === 'warn' && l.message.startsWith('could not notify nope: there is no channel "nope"')));
});

test('a project without channels: every name is reported unknown', async () => {
  const deps = testDeps();

  const results = await sendExecutionNotifications(failedRecord(), ['ops'], undefined, deps);

  assert.equal(results, [{ channel: 'ops', ok: false, attempts: 0, error: 'there is no channel "ops" under channels: in the project file (it defines none)' }]);
});

test('names that are Object.prototype keys are not channels', async () => {
  const deps = testDeps();

  const results = await sendExecutionNotifications(failedRecord(), ['toString'], {}, deps);

  assert.is(results[0]?.ok, false);
  assert.match(results[0]?.error ?? '', /no channel "toString"/);
});

test('a record that has not finished: failed results, nothing sent', async () => {
  const deps = testDeps();
  const receiver = await startReceiver(deps.clock);

  const results = await sendExecutionNotifications(failedRecord({ status: 'running' }), ['hook'], { hook: { type: 'webhook', url: receiver.url } }, deps);
  await receiver.close();

  assert.equal(results, [{ channel: 'hook', ok: false, attempts: 0, error: 'execution m5x1-abcd1234 has not finished (status running)' }]);
  assert.is(receiver.requests.length, 0);
});

test('no channel names: nothing to do', async () => {
  const deps = testDeps();
  assert.equal(await sendExecutionNotifications(failedRecord(), [], {}, deps), []);
  assert.equal(deps.logs, []);
});

test.run();
