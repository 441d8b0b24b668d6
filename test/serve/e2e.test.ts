// `pluginops serve --cron` as a real child process: an outage becomes an incident visible through
// the API and notifications at the receivers; SIGKILL mid-escalation and a restart continue the
// escalation exactly once; an acknowledged incident stops escalating; requests without or with a
// wrong token are refused and change nothing; SIGTERM stops gracefully with exit 0.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apiDownDocuments, eventually, readToken, serveWorld, writeToken } from './helpers.ts';

const documents = apiDownDocuments({ failureThreshold: 2, channels: ['ops-hook'] });

test('outage → incident in the API → receivers; SIGKILL mid-escalation → restart continues once; ack stops; tokens enforced; SIGTERM exits 0', async () => {
  const w = await serveWorld({
    documents,
    monitoring: ['escalation:', '  critical: { steps: [{ after: 4s, channels: [ops-pd] }, { after: 12s, channels: [ops-slack] }] }', 'autoResolve: { critical: 1s }'],
  });
  try {
    let p = await w.start();
    assert.is((await w.api('GET', '/healthz')).status, 200);
    await eventually(async () => (await w.api('GET', '/readyz')).status === 200, { what: 'ready' });

    w.service.mode = 'down';
    const incident = await eventually(async () => {
      const r = await w.api('GET', '/api/incidents?status=open', { token: readToken });
      return r.status === 200 && r.body.data.length === 1 ? r.body.data[0] : undefined;
    }, { what: 'an open incident in the API' });
    assert.is(incident.severity, 'critical');
    await eventually(() => w.got('/hook').length === 1, { what: 'the webhook firing payload' });
    assert.is(w.got('/hook')[0].status, 'firing');
    assert.equal(w.got('/pd/v2/enqueue'), [], 'no page before its step');

    // Refused requests change nothing.
    const before = (await w.api('GET', `/api/incidents/${encodeURIComponent(incident.id)}`, { token: readToken })).body.data;
    const noToken = await w.api('POST', `/api/incidents/${encodeURIComponent(incident.id)}/acknowledge`, { body: {} });
    assert.is(noToken.status, 401);
    assert.is(noToken.body.success, false);
    assert.is(noToken.body.code, 'E_UNAUTHORIZED');
    const wrong = await w.api('POST', `/api/incidents/${encodeURIComponent(incident.id)}/acknowledge`, { token: `${writeToken}x`, body: {} });
    assert.is(wrong.status, 401);
    const readOnly = await w.api('POST', `/api/incidents/${encodeURIComponent(incident.id)}/acknowledge`, { token: readToken, body: {} });
    assert.is(readOnly.status, 403);
    assert.is(readOnly.body.code, 'E_FORBIDDEN');
    const after = (await w.api('GET', `/api/incidents/${encodeURIComponent(incident.id)}`, { token: readToken })).body.data;
    assert.is(after.status, 'open');
    assert.equal(after.timeline, before.timeline, 'the refused calls left no trace');

    // SIGKILL before the 4 s step; the restarted process pages exactly once. Delivery is at least
    // once (a kill between a send and the save that records it resends), so the kill waits until
    // the saved state no longer owes the webhook.
    await eventually(() => {
      const saved = JSON.parse(readFileSync(join(w.dir, '.pluginops', 'monitor', 'state.json'), 'utf8')) as { outbox: Array<{ channel: string }> };
      return !saved.outbox.some((item) => item.channel === 'ops-hook');
    }, { what: 'the delivered webhook recorded in the saved state' });
    p.child.kill('SIGKILL');
    await p.exited;
    const killedAt = Date.now();
    assert.ok(killedAt - incident.openedAt < 4_000, 'killed before the page was due');
    p = await w.start();
    await eventually(() => w.got('/pd/v2/enqueue').length >= 1, { timeoutMs: 15_000, what: 'the page after the restart' });
    await new Promise((r) => setTimeout(r, 1_500));
    assert.is(w.got('/pd/v2/enqueue').length, 1, 'paged once, not again after the restart');
    assert.is(w.got('/pd/v2/enqueue')[0].event_action, 'trigger');
    assert.is(w.got('/hook').length, 1, 'the firing webhook was not sent twice');

    // Acknowledge: the 12 s step never comes.
    const ack = await w.api('POST', `/api/incidents/${encodeURIComponent(incident.id)}/acknowledge`, { token: writeToken, body: {} });
    assert.is(ack.status, 200, JSON.stringify(ack.body));
    assert.is(ack.body.data.status, 'acknowledged');
    assert.is(ack.body.data.acknowledgedBy, 'ci');
    await eventually(() => w.got('/pd/v2/enqueue').some((e: any) => e.event_action === 'acknowledge'), { what: 'PagerDuty acknowledge' });
    await new Promise((r) => setTimeout(r, Math.max(0, incident.openedAt + 13_000 - Date.now())));
    assert.equal(w.got('/slack'), [], 'no escalation after the acknowledgement');

    // Metrics of the process itself.
    const metrics = await fetch(`${p.url}/metrics`).then((r) => r.text());
    assert.match(metrics, /# TYPE pluginops_checks_run_total counter/);
    assert.match(metrics, /pluginops_alerts\{state="firing"\} 1/);

    // SIGTERM: graceful, exit 0, state on disk.
    p.child.kill('SIGTERM');
    const exit = await p.exited;
    assert.is(exit.code, 0);
    assert.ok(p.lines.some((l) => l.msg === 'stopped'));
    assert.ok(existsSync(join(w.dir, '.pluginops', 'monitor', 'state.json')));
  } finally {
    await w.close();
  }
});

test.run();
