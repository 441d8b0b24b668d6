// Approval requests and decisions as channels receive them: Slack gets the interactive message,
// other channels a plain one naming the command, and secrets never reach either.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { notifyApproval, notifyDecision } from '../../src/runs/approvals/notify.ts';
import { systemClock } from '../../src/engine/clock.ts';
import type { ProjectDoc } from '../../src/documents/schema/project.ts';
import type { ApprovalRecord } from '../../src/store/types.ts';

const secret = 's3cr3t-database-password';
const config: ProjectDoc = {
  apiVersion: 'pluginops/v1', kind: 'Project', secrets: ['DB_PASSWORD'],
  channels: { chat: { type: 'slack', webhookUrl: { env: 'SLACK_URL' } }, hook: { type: 'webhook', url: 'http://127.0.0.1:1/hook' } },
};
const approval: ApprovalRecord = {
  step: 'approval', status: 'waiting', requestedAt: '2026-11-22T10:00:00.000Z', deadline: '2026-11-22T10:30:00.000Z', onTimeout: 'reject',
  approvers: ['alice'], quorum: 1, fourEyes: false, title: 'Approve migrate', message: `uses ${secret}`,
  parameters: { password: { type: 'string', default: secret }, batch: { type: 'number', default: 100 } }, decisions: [],
};

function capture() {
  const sent: Array<{ url: string; body: string }> = [];
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    sent.push({ url: String(url), body: String(init?.body) });
    return new Response('ok', { status: 200 });
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}

test('the Slack request has the buttons and inputs; the webhook a plain text with the command; the secret is in neither', async () => {
  const { sent, fetch } = capture();
  const env = { SLACK_URL: 'http://127.0.0.1:1/slack', DB_PASSWORD: secret };
  await notifyApproval(['chat', 'hook'], approval, { executionId: 'run-1', plan: 'migrate', requestedBy: 'bob' }, { fetch, clock: systemClock, env, config, log: () => undefined });
  const slack = sent.find((s) => s.url.endsWith('/slack'))!;
  const hook = sent.find((s) => s.url.endsWith('/hook'))!;
  assert.ok(slack && hook, JSON.stringify(sent));
  for (const s of sent) assert.not.ok(s.body.includes(secret), s.body);
  const message = JSON.parse(slack.body);
  const actions = message.blocks.find((b: { type: string }) => b.type === 'actions');
  assert.equal(actions.elements.map((e: { action_id: string; value: string }) => [e.action_id, e.value]),
    [['pluginops.approve', 'run-1'], ['pluginops.reject', 'run-1'], ['pluginops.modify', 'run-1']]);
  assert.ok(message.blocks.some((b: { block_id?: string }) => b.block_id === 'pluginops.param.batch'));
  assert.match(hook.body, /pluginops approve run-1/);
  assert.match(hook.body, /\*\*\*/);

  sent.length = 0;
  await notifyDecision(['chat'], { ...approval, status: 'rejected' }, { by: 'alice', at: '2026-11-22T10:05:00.000Z', decision: 'reject', via: 'cli', comment: `not with ${secret}` },
    { executionId: 'run-1', plan: 'migrate' }, { fetch, clock: systemClock, env, config, log: () => undefined });
  assert.is(sent.length, 1);
  assert.not.ok(sent[0]!.body.includes(secret));
  assert.match(sent[0]!.body, /alice/);
});

test('an unreachable or misconfigured channel is logged, never thrown', async () => {
  const logs: string[] = [];
  const fetch = (async () => { throw new Error('connection refused'); }) as typeof globalThis.fetch;
  await notifyApproval(['chat', 'nope'], approval, { executionId: 'run-1', plan: 'migrate' }, { fetch, clock: systemClock, env: {}, config, log: (m) => logs.push(m) });
  assert.ok(logs.some((l) => /could not ask chat for approval/.test(l)), logs.join('\n'));
  assert.ok(logs.some((l) => /nope/.test(l)), logs.join('\n'));
});

test.run();
