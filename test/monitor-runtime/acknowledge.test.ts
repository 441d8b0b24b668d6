// Acknowledging and resolving by hand: an acknowledgement stops escalation (until its timeout,
// if it has one, while the alerts still fire), tells the channels that were told, and PagerDuty
// gets an `acknowledge` event; a manual resolution notifies with its text; mistakes come back
// as typed results.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apiDown, mailText, min, sec, world, type WorldOptions } from './helpers.ts';

type Json = Record<string, any>;

/** An open incident: the service went down 40 s ago. */
async function outage(o: Partial<WorldOptions> = {}) {
  const w = await world({ documents: apiDown(), ...o });
  w.monitor.start();
  w.service.mode = 'down';
  await w.run(40 * sec);
  const incident = w.monitor.incidents()[0];
  if (!incident) { await w.close(); throw new Error('the outage opened no incident'); }
  return { w, incident };
}

test('an acknowledgement stops escalation: no page at 5 minutes; the channels told hear of it', async () => {
  const { w, incident } = await outage();
  try {
    await w.run(20 * sec);
    const r = await w.monitor.acknowledge(incident.id, 'alice');
    assert.ok(r?.ok, 'acknowledged');
    await w.run(10 * sec);
    assert.is(w.monitor.incident(incident.id)!.status, 'acknowledged');
    assert.is(w.monitor.incident(incident.id)!.acknowledgedBy, 'alice');

    const hook = w.got('/hook') as Json[];
    assert.equal(hook.map((p) => p.status), ['firing', 'firing'], 'firing, then the acknowledgement (Alertmanager has no acknowledged status)');
    assert.is(hook[1]!.alerts[0].annotations.acknowledged, 'true');
    assert.match(hook[1]!.alerts[0].annotations.description, /Acknowledged by alice/);
    assert.match(JSON.stringify(w.got('/slack')[1]), /Acknowledged by alice/);

    await w.run(7 * min);
    assert.equal(w.got('/pd/v2/enqueue'), [], 'no page');
    assert.is(w.smtp.messages.length, 0, 'no escalation e-mail');
    assert.is(w.monitor.incident(incident.id)!.status, 'acknowledged', 'still acknowledged while it fires');
  } finally {
    await w.close();
  }
});

const timeouts = [
  { name: 'monitoring.acknowledgeTimeout', monitoring: ['acknowledgeTimeout: 2m'], arg: undefined },
  { name: 'the timeout given with the acknowledgement', monitoring: [], arg: 2 * min },
];

for (const c of timeouts) {
  test(`an acknowledgement that times out (${c.name}) while the alert fires restarts escalation`, async () => {
    const { w, incident } = await outage({ monitoring: c.monitoring });
    try {
      const ackAt = w.clock.now();
      assert.ok((await w.monitor.acknowledge(incident.id, 'bob', c.arg))?.ok);
      assert.is(w.monitor.incident(incident.id)!.ackTimeoutAt, ackAt + 2 * min);
      await w.run(1 * min + 50 * sec);
      assert.is(w.monitor.incident(incident.id)!.status, 'acknowledged');
      const hookBefore = w.got('/hook').length;

      await w.run(20 * sec);
      const reopened = w.monitor.incident(incident.id)!;
      assert.is(reopened.status, 'open', 'open again');
      assert.ok(reopened.timeline.some((e) => e.kind === 'reopened'));
      assert.ok(reopened.escalationStartedAt >= ackAt + 2 * min, 'escalation counts from the expiry');
      const hook = w.got('/hook') as Json[];
      assert.is(hook.length, hookBefore + 1, 'the first step notifies again');
      assert.is(hook.at(-1)!.status, 'firing');
      assert.is(hook.at(-1)!.alerts[0].annotations.acknowledged, undefined);

      await w.run(4 * min);
      assert.equal(w.got('/pd/v2/enqueue'), [], 'not yet: five minutes from the expiry');
      await w.run(1 * min + 20 * sec);
      const pages = w.got('/pd/v2/enqueue') as Json[];
      assert.is(pages.length, 1, 'paged five minutes after the acknowledgement expired');
      assert.is(pages[0]!.event_action, 'trigger');
    } finally {
      await w.close();
    }
  });
}

test('an acknowledgement that expires after the alert stopped does not restart escalation', async () => {
  const { w, incident } = await outage({ monitoring: ['acknowledgeTimeout: 2m'] });
  try {
    assert.ok((await w.monitor.acknowledge(incident.id, 'bob'))?.ok);
    w.service.mode = 'up';
    await w.run(8 * min);
    const now = w.monitor.incident(incident.id)!;
    assert.not.ok(now.alertsFiring);
    assert.ok(now.timeline.some((e) => e.kind === 'ack-expired'));
    assert.not.ok(now.timeline.some((e) => e.kind === 'reopened'));
    assert.equal(w.got('/pd/v2/enqueue'), []);
  } finally {
    await w.close();
  }
});

test('acknowledging after the page sends PagerDuty an acknowledge event with the same dedup key', async () => {
  const { w, incident } = await outage();
  try {
    await w.run(5 * min);
    assert.is(w.got('/pd/v2/enqueue').length, 1, 'paged');
    assert.ok((await w.monitor.acknowledge(incident.id, 'carol'))?.ok);
    await w.run(10 * sec);
    const pages = w.got('/pd/v2/enqueue') as Json[];
    assert.equal(pages.map((p) => p.event_action), ['trigger', 'acknowledge']);
    assert.is(pages[1]!.dedup_key, incident.dedupKey);
    assert.is(pages[1]!.routing_key, w.env.PD_KEY);
    assert.is(w.smtp.messages.length, 2, 'the escalation e-mail, then the acknowledgement');
    assert.match(mailText(w.smtp.messages[1]!.data), /Acknowledged by carol/);
  } finally {
    await w.close();
  }
});

test('resolving by hand with a resolution resolves and tells every channel that was told, with the text', async () => {
  const { w, incident } = await outage();
  try {
    await w.run(5 * min);
    const r = await w.monitor.resolve(incident.id, 'dave', '  restarted the API pod  ');
    assert.ok(r?.ok);
    await w.run(10 * sec);
    const done = w.monitor.incident(incident.id)!;
    assert.is(done.status, 'resolved');
    assert.is(done.resolvedBy, 'dave');
    assert.is(done.resolution, 'restarted the API pod');
    const hook = w.got('/hook') as Json[];
    assert.is(hook.at(-1)!.status, 'resolved');
    assert.match(hook.at(-1)!.alerts[0].annotations.description, /Resolved by dave: restarted the API pod/);
    assert.is((w.got('/pd/v2/enqueue') as Json[]).at(-1)!.event_action, 'resolve');
    assert.match(JSON.stringify(w.got('/slack').at(-1)), /restarted the API pod/);
    assert.match(mailText(w.smtp.messages.at(-1)!.data), /restarted the API pod/);
    assert.is(w.monitor.pendingNotifications, 0);
  } finally {
    await w.close();
  }
});

test('mistakes are results with a code, not throws, and change nothing', async () => {
  const { w, incident } = await outage();
  try {
    const empty = await w.monitor.resolve(incident.id, 'erin', '   ');
    assert.equal(empty && !empty.ok ? empty.error.code : empty, 'resolution-required');
    const badTimeout = await w.monitor.acknowledge(incident.id, 'erin', -5);
    assert.equal(badTimeout && !badTimeout.ok ? badTimeout.error.code : badTimeout, 'invalid-timeout');
    assert.is(w.monitor.incident(incident.id)!.status, 'open', 'unchanged');

    assert.ok((await w.monitor.resolve(incident.id, 'erin', 'fixed'))?.ok);
    const twice = await w.monitor.resolve(incident.id, 'erin', 'fixed again');
    assert.equal(twice && !twice.ok ? twice.error.code : twice, 'already-resolved');
    const late = await w.monitor.acknowledge(incident.id, 'erin');
    assert.equal(late && !late.ok ? late.error.code : late, 'already-resolved');
    assert.is(w.monitor.incident(incident.id)!.resolution, 'fixed', 'the first resolution stands');

    assert.is(await w.monitor.resolve('no-such-incident', 'erin', 'x'), undefined, 'an unknown id is undefined');
    assert.is(await w.monitor.acknowledge('no-such-incident', 'erin'), undefined);
    await w.run(10 * sec);
    assert.equal((w.got('/hook') as Json[]).map((p) => p.status), ['firing', 'resolved'], 'one resolved notification');
  } finally {
    await w.close();
  }
});

test.run();
