// Evidence end to end, through a real `pluginops serve --cron` process: a Loki check against a
// loopback fake speaking Loki's HTTP API matches a flood of error lines, one holding a project
// secret; the rule on its count fires; the incident in the API holds the newest lines, masked and
// capped, marked truncated. Remediation of warnings needs approval here, so the run of the plan
// waits, and the Slack approval message shows the incident (title, severity, start, the evidence
// excerpt) above the plan and its parameters.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evidenceCaps } from '../../src/monitor/incidents/evidence.ts';
import { fakeLoki, ns } from '../monitor-sources/fakes.ts';
import { eventually, readToken, serveWorld } from './helpers.ts';

const secret = 'tok-77aa88bb99cc';
const query = '{app="billing"} |= "error"';

const documents = (loki: string) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: billing-errors }
spec:
  type: loki
  server: "${loki}"
  query: '${query}'
  window: 5m
  interval: 500ms
  stagger: 0s
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: billing-error-lines, name: Billing logs errors }
spec:
  source: { healthCheck: billing-errors, field: count }
  levels: { warning: 1 }
  labels: { plugin: billing }
  notify: { channels: [ops-hook], escalate: false }
  remediate:
    plan: scale_billing
    with: { plugin: "\${{ alert.labels.plugin }}", replicas: 4 }
---
apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: scale_billing, name: Scale billing }
spec:
  parameters:
    plugin: { type: string }
    replicas: { type: number, default: 2 }
  steps:
    - id: scale
      run: echo scaled
`;

type Json = Record<string, any>;

test('a Loki check fires: the API shows the matched lines masked and capped; the approval message shows the incident and the plan', async () => {
  const now = Date.now();
  // 10,000 lines in the window, the newest naming a secret and carrying Slack markup.
  const lines: Array<[bigint, string]> = Array.from({ length: 10_000 }, (_, i) => [ns(now - 2_000 - i * 5), `level=error msg="charge failed ${i}"`]);
  lines[0] = [ns(now - 2_000), `level=error msg="charge failed" key=${secret} <!channel>`];
  const loki = await fakeLoki({ logs: { [query]: [{ labels: { app: 'billing' }, lines }] } });
  const w = await serveWorld({
    documents: documents(loki.url),
    monitoring: ['notify: [ops-slack]'],
    extraProject: ['secrets: [BILLING_KEY]', 'remediation: { requireApproval: { severities: [warning] } }'],
  });
  w.env.BILLING_KEY = secret;
  try {
    await w.start();
    const listed = await eventually(async () => ((await w.api('GET', '/api/incidents', { token: readToken })).body?.data as Json[] | undefined)?.[0], { what: 'an incident' });
    const incident = (await w.api('GET', `/api/incidents/${encodeURIComponent(listed.id)}`, { token: readToken })).body.data as Json;
    const [e] = incident.evidence as Json[];
    assert.is(e!.source, 'loki');
    assert.is(e!.query, query);
    assert.is(e!.truncated, true);
    assert.is(e!.lines.length, evidenceCaps.lines);
    assert.is(e!.lines.at(-1).text, 'level=error msg="charge failed" key=*** <!channel>');
    assert.equal(e!.lines.at(-1).labels, { app: 'billing' });

    // The remediation waits for approval; Slack is asked with the facts.
    const approval = await eventually(() => (w.got('/slack') as Json[]).find((m) => (m.blocks as Json[] | undefined)?.some((b) => b.type === 'actions')), { what: 'the approval message', timeoutMs: 20_000 });
    const text = JSON.stringify(approval);
    assert.not.ok(text.includes(secret), 'the secret is masked');
    const blocks = approval.blocks as Json[];
    const about = blocks.find((b) => b.type === 'section' && String(b.text?.text).includes('*Incident:*'));
    assert.ok(about, 'an incident section');
    assert.ok(about!.text.text.includes(incident.title), 'its title');
    assert.match(JSON.stringify(about!.fields), /\*Severity\*\\nwarning/);
    assert.ok(JSON.stringify(about!.fields).includes(`<!date^${Math.floor(incident.openedAt / 1000)}^`), 'its start time');
    const evidence = blocks.find((b) => b.type === 'section' && String(b.text?.text).startsWith('*Evidence*'));
    assert.ok(evidence, 'an evidence excerpt');
    assert.ok(evidence!.text.text.includes('key=*** &lt;!channel&gt;'), evidence!.text.text);
    assert.ok(evidence!.text.text.includes(query.replace(/"/g, '"')), 'the query');
    // The plan and its parameters, as the run has them.
    assert.match(text, /scale_billing/);
    const inputs = Object.fromEntries(blocks.filter((b) => b.type === 'input').map((b) => [b.label.text, b.element.initial_value]));
    assert.equal(inputs, { plugin: 'billing', replicas: '4' });

    // The run keeps the brief of its incident.
    const runId = blocks.find((b) => b.type === 'actions')!.elements[0].value as string;
    const run = (await w.api('GET', `/api/runs/${runId}`, { token: readToken })).body.data as Json;
    assert.is(run.status, 'waiting');
    assert.is(run.trigger.brief.title, incident.title);
    assert.is(run.trigger.brief.evidence[0].lines.length, 10);
  } finally {
    await w.close();
    await loki.close();
  }
});

test.run();
