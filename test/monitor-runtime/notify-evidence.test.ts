// What an escalation sends about an incident with evidence: every channel shows the step's
// recipients and an excerpt of the evidence. The webhook carries both as data; Slack mentions
// people (<@U…>) and user groups (<!subteam^S…>) and shows the lines in code blocks with its
// markup escaped; e-mail adds the recipients' addresses to its To and shows the lines, HTML
// escaped; PagerDuty puts both in custom_details. A secret in a log line is *** everywhere.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { masker } from '../../src/engine/mask.ts';
import { fakeLoki, ns } from '../monitor-sources/fakes.ts';
import { lokiCheckDocuments, mailText, sec, world, type World } from './helpers.ts';

const secret = 'tok-5e4d3c2b1a09';
const start = Date.parse('2026-03-02T09:00:00Z');
const query = '{app="api"} |= "error"';
const hostile = `level=error token=${secret} <!channel> <script>alert(1)</script> *bold* \`\`\`x`;

const documents = (url: string) => lokiCheckDocuments(url, query);

async function fired(): Promise<{ w: World; close: () => Promise<void> }> {
  const loki = await fakeLoki({ logs: { [query]: [{ labels: { app: 'api' }, lines: [[ns(start - 2_000), 'level=error first'], [ns(start - 1_000), hostile]] }] } });
  const w = await world({
    documents: documents(loki.url),
    mask: () => masker([secret]),
    project: [
      'people:',
      '  alice: { email: alice@example.test, slack: U0ALICE01 }',
      '  bob: { email: bob@example.test, slack: U0BOB0001 }',
      'groups:',
      '  oncall: { members: [bob], email: oncall-list@example.test, slack: S0ONCALL1 }',
    ],
    monitoring: ['escalation:', '  warning: { steps: [{ after: 0s, channels: [ops-hook, ops-slack, ops-mail, ops-pd], recipients: [alice, oncall] }] }'],
  });
  await w.monitor.runCheck('api-errors');
  for (let i = 0; i < 50 && (w.got('/hook').length === 0 || w.got('/slack').length === 0 || w.got('/pd/v2/enqueue').length === 0 || w.smtp.messages.length === 0); i++) {
    await w.run(2 * sec);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { w, close: async () => { await w.close(); await loki.close(); } };
}

type Json = Record<string, any>;

test('every channel shows the recipients and the evidence excerpt, escaped and masked', async () => {
  const { w, close } = await fired();
  try {
    // Webhook: data.
    const [hook] = w.got('/hook') as Json[];
    assert.ok(hook, 'the webhook got the escalation');
    assert.equal(hook!.notification.recipients.map((r: Json) => r.name), ['alice', 'oncall']);
    assert.equal(hook!.notification.recipients[1], { name: 'oncall', emails: ['oncall-list@example.test', 'bob@example.test'], slackUsers: [], slackGroups: ['S0ONCALL1'] });
    assert.is(hook!.alerts[0].annotations.recipients, 'alice, oncall');
    const [e] = hook!.notification.evidence;
    assert.is(e.source, 'loki');
    assert.is(e.query, query);
    assert.equal(e.lines.map((l: Json) => l.text), ['level=error first', hostile.replace(secret, '***')]);

    // Slack: mentions, and the lines in a code block with every control character escaped.
    const [slack] = w.got('/slack') as Json[];
    const texts = JSON.stringify(slack);
    assert.match(texts, /\*Recipients:\* <@U0ALICE01>, <!subteam\^S0ONCALL1>/);
    assert.ok(texts.includes('&lt;!channel&gt; &lt;script&gt;alert(1)&lt;/script&gt; *bold*'), 'the line shows escaped');
    assert.not.ok(texts.includes('<!channel>'), 'no mention of everyone');
    assert.not.ok(texts.includes('<script>'));
    const section = (slack!.blocks as Json[]).find((b) => b.type === 'section' && String(b.text?.text).startsWith('*Evidence*'));
    assert.ok(section, 'an evidence section');
    assert.match(section!.text.text, /```[^`]*level=error first\n[^`]*'''x```/);

    // E-mail: the recipients' addresses join the channel's, the lines show, HTML escaped.
    const mail = w.smtp.messages[0]!;
    assert.equal([...mail.to].sort(), ['alice@example.test', 'bob@example.test', 'oncall-list@example.test', 'oncall@example.test']);
    const body = mailText(mail.data);
    assert.match(body, /Recipients: alice, oncall/);
    assert.match(body, /Evidence:\r?\nloki: \{app="api"\} \|= "error"\r?\n {2}level=error first\r?\n/);
    assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'HTML-escaped in the HTML part');
    assert.not.ok(/<script>alert/.test(body.split('Content-Type: text/html')[1] ?? 'missing html'), 'no raw script in the HTML part');

    // PagerDuty: custom details.
    const [pd] = w.got('/pd/v2/enqueue') as Json[];
    assert.is(pd!.payload.custom_details.Recipients, 'alice, oncall');
    assert.match(pd!.payload.custom_details.Evidence, /level=error first/);

    // The secret never left.
    for (const sent of [JSON.stringify(hook), texts, mail.data, JSON.stringify(pd)]) assert.not.ok(sent.includes(secret));
  } finally {
    await close();
  }
});

test.run();
