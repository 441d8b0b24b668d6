// The Slack channel against a real receiver standing in for an incoming webhook: blocks,
// fallback text and colour for a success and a failure, the URL read from the environment, the
// optional channel override, and at most one message a second per channel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChannelDoc } from '../../src/documents/schema/project.ts';
import { deliver } from '../../src/notify/deliver.ts';
import { executionNotification, type StepMessage } from '../../src/notify/message.ts';
import { drive, failedRecord, parse, startReceiver, successRecord, testDeps } from './helpers.ts';

const slack: ChannelDoc = { type: 'slack', webhookUrl: { env: 'SLACK_URL' } };

test('a failed execution: header, fields, failed step and error, execution id, red bar and fallback text', async () => {
  const deps = testDeps();
  const receiver = await startReceiver(deps.clock);
  deps.env = { SLACK_URL: `${receiver.url}/services/T000/B000/XXXX` };

  const result = await drive(deps.clock, deliver('alerts', slack, executionNotification(failedRecord()), deps));
  await receiver.close();

  assert.equal(result, { channel: 'alerts', kind: 'slack', ok: true, attempts: 1, status: 200 });
  const [req] = receiver.requests;
  assert.is(req?.path, '/services/T000/B000/XXXX');
  assert.is(req?.headers['content-type'], 'application/json');
  assert.equal(parse(req), {
    text: 'deploy failed for acme: Step build failed in 12.3s: exit code 2',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'deploy failed for acme', emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Step build failed in 12.3s: exit code 2' },
        fields: [
          { type: 'mrkdwn', text: '*Workflow*\ndeploy' },
          { type: 'mrkdwn', text: '*Plugin*\nacme' },
          { type: 'mrkdwn', text: '*Status*\n:x: failed' },
          { type: 'mrkdwn', text: '*Duration*\n12.3s' },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: '*Failed step:* `build`\n```exit code 2```' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Execution `m5x1-abcd1234` · 2025-01-01T00:00:12.300Z' }] },
    ],
    attachments: [{
      color: '#e01e5a',
      fallback: 'deploy failed for acme: Step build failed in 12.3s: exit code 2',
      blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: ':white_check_mark: `lint` 1.20s   :x: `build` 9.00s   :fast_forward: `publish`' }] }],
    }],
  });
});

test('a successful execution: green bar, no failed-step section, the configured channel', async () => {
  const deps = testDeps();
  const receiver = await startReceiver(deps.clock);
  deps.env = { SLACK_URL: receiver.url };

  const result = await drive(deps.clock, deliver('alerts', { ...slack, channel: '#releases' }, executionNotification(successRecord()), deps));
  await receiver.close();

  assert.ok(result.ok);
  const body = parse(receiver.requests[0]);
  assert.is(body.channel, '#releases');
  assert.is(body.text, 'deploy succeeded for acme: 2 steps ran in 12.3s.');
  assert.equal((body.attachments as Array<{ color: string }>).map((a) => a.color), ['#2eb67d']);
  const blocks = body.blocks as Array<{ type: string; text?: { text: string } }>;
  assert.equal(blocks.map((b) => b.type), ['header', 'section', 'context']);
  assert.not.ok(JSON.stringify(blocks).includes('Failed step'));
});

test('a cancelled execution has the warning colour', async () => {
  const deps = testDeps();
  const receiver = await startReceiver(deps.clock);
  deps.env = { SLACK_URL: receiver.url };

  await drive(deps.clock, deliver('alerts', slack, executionNotification(failedRecord({ status: 'cancelled' })), deps));
  await receiver.close();

  assert.equal((parse(receiver.requests[0]).attachments as Array<{ color: string }>)[0]?.color, '#ecb22e');
});

test('the webhook URL variable unset: a failed result naming it, and no request', async () => {
  const deps = testDeps({});

  const result = await drive(deps.clock, deliver('alerts', slack, executionNotification(failedRecord()), deps));

  assert.equal(result, {
    channel: 'alerts', kind: 'slack', ok: false, attempts: 0,
    error: 'the Slack webhook URL comes from the environment variable SLACK_URL, which is not set',
  });
});

test('two messages to one Slack channel go out at least a second apart; another channel is not held back', async () => {
  const deps = testDeps();
  const receiver = await startReceiver(deps.clock);
  deps.env = { SLACK_URL: `${receiver.url}/a`, OTHER_URL: `${receiver.url}/b` };
  const message = (title: string): StepMessage => ({ kind: 'step.message', title, text: '', severity: 'info', executionId: 'e1', step: 's', at: '2025-01-01T00:00:00.000Z' });
  const start = deps.clock.now();
  const sent: Array<[string, number]> = [];
  deps.fetch = (input, init) => { sent.push([new URL(String(input)).pathname, deps.clock.now() - start]); return globalThis.fetch(input, init); };

  const results = await drive(deps.clock, Promise.all([
    deliver('alerts', slack, message('one'), deps),
    deliver('alerts', slack, message('two'), deps),
    deliver('other', { type: 'slack', webhookUrl: { env: 'OTHER_URL' } }, message('three'), deps),
  ]));
  await receiver.close();

  assert.ok(results.every((r) => r.ok), JSON.stringify(results));
  const at = (path: string) => sent.filter(([p]) => p === path).map(([, t]) => t);
  assert.equal(at('/a'), [0, 1_000]);
  assert.equal(at('/b'), [0]);
  assert.equal(receiver.requests.map((r) => parse(r).text).sort(), ['one', 'three', 'two']);
});

test.run();
