// The end-to-end scenario on a virtual clock: a loopback service goes down → three failed
// checks → the alert fires → an incident opens → Slack and webhook get the firing payload → five
// minutes later escalation reaches PagerDuty and email → the service comes back → two good checks
// → the incident auto-resolves after its delay → every receiver that got a firing notification
// gets a resolved one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apiDown, min, sec, world } from './helpers.ts';

type Json = Record<string, any>;

test('outage → fire → incident → slack+webhook → 5 min → pagerduty+email → recovery → auto-resolve → resolved everywhere', async () => {
  const w = await world({ documents: apiDown(), monitoring: ['autoResolve: { critical: 2m }'] });
  try {
    w.monitor.start();
    await w.run(40 * sec);
    assert.ok(w.service.hits >= 3, `the check ran on its schedule (${w.service.hits} requests)`);
    assert.equal(w.receiver.requests, [], 'nothing is notified while the service is healthy');
    assert.equal(w.monitor.incidents(), []);

    // The service goes down: the third failure (10 s apart) makes the check unhealthy.
    w.service.mode = 'down';
    const downAt = w.clock.now();
    await w.run(20 * sec);
    assert.equal(w.monitor.incidents(), [], 'two failures are not enough');
    await w.run(12 * sec);
    const [incident] = w.monitor.incidents();
    assert.ok(incident, 'the third failure opened an incident');
    assert.is(incident!.status, 'open');
    assert.is(incident!.severity, 'critical');
    assert.ok(incident!.openedAt - downAt <= 32 * sec && incident!.openedAt - downAt > 20 * sec, 'opened on the third failure');
    const slack = w.got('/slack') as Json[];
    const hook = w.got('/hook') as Json[];
    assert.is(slack.length, 1, 'slack got the firing message');
    assert.is(hook.length, 1, 'the webhook got the firing payload');
    assert.is(hook[0]!.version, '4');
    assert.is(hook[0]!.status, 'firing');
    assert.is(hook[0]!.alerts[0].labels.alertname, 'api-down');
    assert.is(hook[0]!.alerts[0].labels.check, 'api');
    assert.is(hook[0]!.alerts[0].fingerprint, incident!.dedupKey);
    assert.is(hook[0]!.alerts[0].endsAt, '0001-01-01T00:00:00Z');
    assert.match(JSON.stringify(slack[0]), /API down/);
    assert.equal(w.got('/pd/v2/enqueue'), [], 'no page before the escalation step');
    assert.is(w.smtp.messages.length, 0, 'no email before the escalation step');

    // Escalation: the critical policy pages after 5 minutes.
    await w.run(4 * min);
    assert.equal(w.got('/pd/v2/enqueue'), [], 'nothing at 4 minutes');
    await w.run(1 * min + 20 * sec);
    const pd = w.got('/pd/v2/enqueue') as Json[];
    assert.is(pd.length, 1, 'PagerDuty was paged once');
    assert.is(pd[0]!.event_action, 'trigger');
    assert.is(pd[0]!.dedup_key, incident!.dedupKey);
    assert.is(pd[0]!.routing_key, w.env.PD_KEY);
    assert.is(w.smtp.messages.length, 1, 'the escalation e-mail went out');
    assert.equal(w.smtp.messages[0]!.to, ['oncall@example.test']);
    assert.is((w.got('/slack') as Json[]).length, 2, 'slack heard the escalation too');
    const escalatedAt = w.receiver.requests.find((r) => r.path === '/pd/v2/enqueue')!.at;
    assert.ok(escalatedAt - incident!.openedAt >= 5 * min && escalatedAt - incident!.openedAt <= 5 * min + 15 * sec, 'five minutes after opening');

    // Recovery: two good checks make it healthy; the incident waits its delay, then resolves.
    w.service.mode = 'up';
    await w.run(25 * sec);
    assert.is(w.monitor.incidents()[0]!.status, 'open', 'not resolved before the auto-resolve delay');
    assert.is(w.monitor.incidents()[0]!.alertsFiring, false);
    const stoppedAt = w.monitor.incidents()[0]!.timeline.find((e) => e.kind === 'alerts-stopped')!.at;
    await w.run(2 * min + 15 * sec);
    const done = w.monitor.incidents()[0]!;
    assert.is(done.status, 'resolved');
    assert.is(done.resolvedBy, 'auto');
    assert.ok(done.resolvedAt! - stoppedAt >= 2 * min && done.resolvedAt! - stoppedAt <= 2 * min + 10 * sec, 'two minutes (the critical delay) after the alert stopped');
    await w.run(10 * sec);
    const hooks = w.got('/hook') as Json[];
    assert.is(hooks.at(-1)!.status, 'resolved', 'the webhook got the resolved payload');
    assert.is(hooks.at(-1)!.alerts[0].fingerprint, incident!.dedupKey);
    assert.is((w.got('/pd/v2/enqueue') as Json[]).at(-1)!.event_action, 'resolve');
    assert.is(w.smtp.messages.length, 2, 'email got the resolved message');
    assert.match(w.smtp.messages[1]!.data, /Resolved/);
    assert.match(JSON.stringify((w.got('/slack') as Json[]).at(-1)), /Resolved/);
    assert.is(w.monitor.pendingNotifications, 0, 'nothing is left owed');
    assert.equal(done.timeline.map((e) => e.kind), ['opened', 'escalated', 'escalated', 'alerts-stopped', 'resolved']);

    // The state is on disk.
    const file = join(w.dir, '.pluginops', 'monitor', 'state.json');
    assert.ok(existsSync(file));
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Json;
    assert.is(saved.incidents[0].status, 'resolved');
  } finally {
    await w.close();
  }
});

test.run();
