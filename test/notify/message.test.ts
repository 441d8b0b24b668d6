// The pure side: the notification built from an execution record, and the webhook and Slack
// payloads built from a notification.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { slackMessage, severityColor, type SlackBlock } from '../../src/notify/channels/slack.ts';
import { webhookPayload } from '../../src/notify/channels/webhook.ts';
import { executionNotification, type FinishedStatus, type Severity, type StepMessage } from '../../src/notify/message.ts';
import { failedRecord, successRecord } from './helpers.ts';

const severityCases: Array<[FinishedStatus, Severity]> = [
  ['success', 'success'], ['failed', 'danger'], ['timed_out', 'danger'], ['cancelled', 'warning'], ['interrupted', 'warning'],
];
for (const [status, severity] of severityCases) {
  test(`an execution that ended ${status} is a ${severity} notification`, () => {
    const n = executionNotification(failedRecord({ status }));
    assert.is(n.status, status);
    assert.is(n.severity, severity);
  });
}

test('a failed execution names the failed step, its error, every step and the time it ended', () => {
  const n = executionNotification(failedRecord(), { url: 'https://ops.example/executions/m5x1-abcd1234' });

  assert.equal(n, {
    kind: 'execution.finished',
    title: 'deploy failed for acme',
    text: 'Step build failed in 12.3s: exit code 2',
    status: 'failed', severity: 'danger', workflow: 'deploy', executionId: 'm5x1-abcd1234', plugin: 'acme',
    durationMs: 12_300, failedStep: 'build', error: 'exit code 2',
    steps: [{ id: 'lint', status: 'success', durationMs: 1_200 }, { id: 'build', status: 'failed', durationMs: 9_000 }, { id: 'publish', status: 'skipped' }],
    url: 'https://ops.example/executions/m5x1-abcd1234',
    at: '2025-01-01T00:00:12.300Z',
  });
});

test('a step that failed under continueOnError is not the failed step', () => {
  const record = successRecord();
  record.steps.lint = { id: 'lint', status: 'failed', conclusion: 'success', attempts: 1, outputs: {}, error: 'lint warnings' };

  const n = executionNotification(record);

  assert.is(n.failedStep, undefined);
  assert.is(n.error, undefined);
  assert.is(n.title, 'deploy succeeded for acme');
  assert.is(n.text, '2 steps ran in 12.3s.');
});

test('an execution still running has no finished notification', () => {
  assert.throws(() => executionNotification(failedRecord({ status: 'running' })), /has not finished \(status running\)/);
});

test('the webhook payload is the notification in a versioned envelope, with a one-line text', () => {
  const n = executionNotification(failedRecord());
  assert.equal(webhookPayload(n), { version: '1', type: 'execution.finished', text: 'deploy failed for acme: Step build failed in 12.3s: exit code 2', notification: n });
});

const texts = (blocks: SlackBlock[]): string[] => blocks.flatMap((b) =>
  b.type === 'header' ? [b.text.text] : b.type === 'section' ? [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)] : b.type === 'context' ? b.elements.map((e) => e.text) : []);

test('Slack: every severity has its colour', () => {
  const base: StepMessage = { kind: 'step.message', title: 't', text: '', severity: 'info', executionId: 'e', step: 's', at: '2025-01-01T00:00:00.000Z' };
  const colours = Object.fromEntries((['info', 'success', 'warning', 'danger', 'critical'] as const)
    .map((severity) => [severity, slackMessage({ ...base, severity }).attachments[0]?.color]));
  assert.equal(colours, { info: '#36c5f0', success: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a', critical: '#8b0000' });
  assert.equal(colours, { ...severityColor });
});

test('Slack: text that Slack would read as markup is escaped, and long titles are cut to the header limit', () => {
  const n = executionNotification(failedRecord({ workflow: 'a<b>&c', error: 'expected <html> & got ```oops```' }));
  const message = slackMessage({ ...n, title: 'x'.repeat(200) });

  const all = texts(message.blocks).join('\n');
  assert.ok(all.includes('a&lt;b&gt;&amp;c'), all);
  assert.ok(all.includes('expected &lt;html&gt; &amp; got'), all);
  assert.not.ok(/<html>/.test(all));
  const header = message.blocks[0];
  assert.is(header?.type === 'header' ? header.text.text.length : 0, 150);
});

test.run();
