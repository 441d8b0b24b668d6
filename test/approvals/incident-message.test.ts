// The Slack approval message of a self-healing run shows the incident it answers above the plan:
// its title, severity, start time (Slack's date token, ISO as fallback) and an excerpt of its
// evidence, with Slack markup in a log line escaped inside a code block and a huge line cut.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { approvalMessage } from '../../src/runs/approvals/slack.ts';

const request = {
  runId: 'run-1', plan: 'restart_plugin', title: 'Approve Restart plugin', requester: 'remediation',
  parameters: { plugin: 'payments', graceful: true },
};
const incident = {
  id: 'inc-1', title: 'Payments <b>down</b>', severity: 'critical', openedAt: '2026-03-02T09:00:00.000Z',
  evidence: [{ source: 'loki' as const, at: 0, query: '{app="payments"}', lines: [{ text: 'ERROR <!channel> <script>x</script> *bold* ```' }, { text: `E ${'y'.repeat(5_000)}` }] }],
};

test('without an incident the message is as before: no incident section', () => {
  const m = approvalMessage(request);
  assert.not.ok(JSON.stringify(m).includes('Incident'));
});

test('the incident, its severity, start and evidence come before the plan and its parameters', () => {
  const m = approvalMessage({ ...request, incident });
  const kinds = m.blocks.map((b) => (b.type === 'section' ? b.text.text.slice(0, 60) : b.type));
  const at = (prefix: string) => kinds.findIndex((k) => k.includes(prefix));
  assert.ok(at('*Incident:*') > 0 && at('*Incident:*') < at('*Evidence*') && at('*Evidence*') < at('asks for approval'), kinds.join(' | '));
  const about = m.blocks.find((b) => b.type === 'section' && b.text.text.includes('*Incident:*'));
  assert.ok(about?.type === 'section' && about.text.text.includes('Payments &lt;b&gt;down&lt;/b&gt;'));
  assert.match(JSON.stringify(about), /\*Severity\*\\ncritical/);
  assert.match(JSON.stringify(about), /<!date\^1772442000\^\{date_short_pretty\} \{time\}\|2026-03-02T09:00:00.000Z>/);
  const evidence = m.blocks.find((b) => b.type === 'section' && b.text.text.startsWith('*Evidence*'));
  const text = evidence?.type === 'section' ? evidence.text.text : '';
  assert.ok(text.includes("ERROR &lt;!channel&gt; &lt;script&gt;x&lt;/script&gt; *bold* '''"), text);
  assert.ok(text.length < 3_000, 'a huge line is cut');
  assert.not.ok(JSON.stringify(m).includes('<!channel>'));
  assert.ok(m.blocks.some((b) => b.type === 'input' && b.label.text === 'plugin' && b.element.initial_value === 'payments'), 'the parameters stay inputs');
  assert.match(m.text, /Incident: Payments/);
});

test.run();
