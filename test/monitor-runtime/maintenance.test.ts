// Maintenance windows silence escalation, not evaluation: during a window the alert fires and the
// incident opens, but nobody is told; when the window ends escalation catches up. Resolved
// notifications still go to every channel that heard of the incident. The clock starts at
// 2026-03-02T09:00:00Z, a Monday (18:00 in Seoul).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apiDown, min, sec, world } from './helpers.ts';

type Json = Record<string, any>;

const windows = [
  { name: 'a one-off window', line: 'maintenance: [{ id: upgrade, start: "2026-03-02T09:00:00Z", end: "2026-03-02T09:10:00Z" }]' },
  // Monday 17:55 in Seoul is 08:55Z: ignoring the zone would put the window nine hours later.
  { name: 'a recurring window (cron in Asia/Seoul)', line: 'maintenance: [{ id: weekly, cron: "55 17 * * 1", duration: 15m, timeZone: Asia/Seoul }]' },
];

for (const c of windows) {
  test(`${c.name}: the outage is evaluated but not notified until the window ends, then escalation catches up`, async () => {
    const w = await world({ documents: apiDown(), monitoring: [c.line, 'autoResolve: { critical: 1m }'] });
    try {
      const windowEnd = Date.parse('2026-03-02T09:10:00Z');
      w.monitor.start();
      w.service.mode = 'down';
      await w.run(9 * min + 50 * sec);
      assert.ok(w.clock.now() < windowEnd);
      const [incident] = w.monitor.incidents();
      assert.ok(incident, 'the incident opened during the window');
      assert.is(incident!.status, 'open');
      assert.is(w.monitor.alerts().find((a) => a.ruleId === 'api-down')?.state, 'firing', 'the alert fires during the window');
      assert.equal(incident!.notifiedFiring, [], 'no channel was told');
      assert.equal(w.receiver.requests, [], 'nothing was sent during the window');
      assert.is(w.smtp.messages.length, 0);

      await w.run(30 * sec);
      const hook = w.got('/hook') as Json[];
      assert.is(hook.length, 1, 'the webhook hears of it once the window ends');
      assert.is(hook[0]!.status, 'firing');
      const firstAt = w.receiver.requests[0]!.at;
      assert.ok(firstAt >= windowEnd && firstAt <= windowEnd + 15 * sec, 'right after the window');
      assert.is(w.got('/slack').length >= 1, true, 'slack too');
      const pages = w.got('/pd/v2/enqueue') as Json[];
      assert.is(pages.length, 1, 'the 5-minute step, overdue, pages at once');
      assert.is(pages[0]!.event_action, 'trigger');
      assert.is(w.smtp.messages.length, 1);

      w.service.mode = 'up';
      await w.run(2 * min);
      assert.is(w.monitor.incidents()[0]!.status, 'resolved');
      assert.is((w.got('/hook') as Json[]).at(-1)!.status, 'resolved');
      assert.is((w.got('/pd/v2/enqueue') as Json[]).at(-1)!.event_action, 'resolve');
    } finally {
      await w.close();
    }
  });
}

test('a window that starts after the incident was notified silences escalation but not the resolved notifications', async () => {
  const w = await world({
    documents: apiDown(),
    monitoring: ['maintenance: [{ id: later, start: "2026-03-02T09:02:00Z", end: "2026-03-02T09:30:00Z" }]', 'autoResolve: { critical: 1m }'],
  });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    assert.is(w.got('/slack').length, 1, 'told before the window');
    assert.is(w.got('/hook').length, 1);

    // Still down at the 5-minute step, which falls in the window.
    await w.run(7 * min);
    assert.is(w.monitor.incidents()[0]!.status, 'open');
    assert.equal(w.got('/pd/v2/enqueue'), [], 'no page during the window');
    assert.is(w.smtp.messages.length, 0, 'no escalation e-mail during the window');

    w.service.mode = 'up';
    await w.run(2 * min);
    const incident = w.monitor.incidents()[0]!;
    assert.is(incident.status, 'resolved', 'resolved during the window');
    assert.ok(incident.resolvedAt! < Date.parse('2026-03-02T09:30:00Z'));
    assert.equal((w.got('/hook') as Json[]).map((p) => p.status), ['firing', 'resolved'], 'the webhook got its resolved notification');
    const slack = w.got('/slack');
    assert.is(slack.length, 2);
    assert.match(JSON.stringify(slack[1]), /Resolved/);
    assert.equal(w.got('/pd/v2/enqueue'), [], 'PagerDuty, never paged, gets no resolve');
    assert.is(w.smtp.messages.length, 0);
  } finally {
    await w.close();
  }
});

test.run();
