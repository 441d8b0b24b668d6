// Receivers that fail: a webhook that answers 500 for a while gets everything once it is back, in
// order; one that never answers holds only its own queue; the counters say what happened.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Reply } from '../notify/helpers.ts';
import { apiDown, min, sec, world } from './helpers.ts';
import { settled } from './settle.ts';

type Json = Record<string, any>;

const normal = (path: string): Reply => ({ status: path.startsWith('/pd') ? 202 : 200, body: 'ok' });

test('a webhook that answers 500 four times, then 200, gets the firing and then the resolved notification', async () => {
  const w = await world({
    documents: apiDown(),
    monitoring: ['autoResolve: { critical: 1m }'],
    reply: (req, n) => (req.path === '/hook' && n < 4 ? { status: 500, body: 'try later' } : normal(req.path)),
  });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    const incident = w.monitor.incidents()[0]!;
    assert.ok(incident, 'the outage opened an incident');
    assert.is(w.got('/hook').length, 2, 'one delivery: two attempts, both answered 500');
    assert.is(w.monitor.counters.notificationsFailed, 1);
    assert.is(w.monitor.pendingNotifications, 1, 'kept for a later try');
    assert.ok(w.logs.some((l) => l.level === 'warn' && /ops-hook: firing notification .* kept for a later try/.test(l.line)), 'the kept item is logged');

    w.service.mode = 'up';
    await w.run(2 * min);
    assert.is(w.monitor.incidents()[0]!.status, 'resolved');
    const tries = w.got('/hook') as Json[];
    assert.is(tries.length, 4, 'retried a minute later, failed again');
    assert.ok(tries.every((p) => p.status === 'firing'), 'the resolved notification does not overtake the firing one');
    assert.is(w.monitor.pendingNotifications, 2);

    await w.run(3 * min);
    const hook = w.got('/hook') as Json[];
    assert.equal(hook.slice(4).map((p) => p.status), ['firing', 'resolved'], 'once the webhook answers, firing then resolved');
    assert.ok(hook.slice(4).every((p) => p.alerts[0].fingerprint === incident.dedupKey));
    const delivered = w.receiver.requests.filter((r) => r.path === '/hook').slice(4);
    assert.ok(delivered[1]!.at >= delivered[0]!.at);
    assert.is(w.monitor.pendingNotifications, 0, 'nothing is owed any more');
    assert.is(w.monitor.counters.notificationsFailed, 2, 'two deliveries failed');
    assert.is(w.monitor.counters.notificationsSent, 4, 'slack firing and resolved, webhook firing and resolved');
    assert.equal((w.got('/slack') as Json[]).length, 2, 'slack was never held up');
  } finally {
    await w.close();
  }
});

test('a webhook that never answers does not hold up slack', async () => {
  const w = await world({
    documents: apiDown(),
    monitoring: ['autoResolve: { critical: 1m }'],
    deliveryPolicy: { attempts: 1, timeoutMs: 250 },
    reply: (req) => (req.path === '/hook' ? 'hang' : normal(req.path)),
  });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    const incident = w.monitor.incidents()[0]!;
    const slackAt = w.receiver.requests.filter((r) => r.path === '/slack').map((r) => r.at);
    assert.is(slackAt.length, 1, 'slack got the firing message');
    assert.ok(slackAt[0]! - incident.openedAt < 5 * sec, 'at once, not after the webhook');

    w.service.mode = 'up';
    await w.run(2 * min);
    assert.is(w.monitor.incidents()[0]!.status, 'resolved');
    const slack = w.got('/slack') as Json[];
    assert.is(slack.length, 2, 'slack got the resolved message while the webhook still hangs');
    assert.match(JSON.stringify(slack[1]), /Resolved/);

    // Let the hanging attempts reach their (real) timeout.
    await new Promise((r) => setTimeout(r, 400));
    await settled(w.monitor);
    const hook = w.got('/hook') as Json[];
    assert.ok(hook.length >= 1 && hook.every((p) => p.status === 'firing'), 'the webhook only ever saw the firing notification');
    assert.is(w.monitor.pendingNotifications, 2, 'the webhook is still owed firing and resolved');
    assert.ok(w.monitor.counters.notificationsFailed >= 1, 'the timeouts count as failures');
    assert.is(w.monitor.counters.notificationsSent, 2, 'the two slack messages');
    assert.ok(w.logs.some((l) => /could not notify ops-hook \(webhook\): no answer within/.test(l.line)), 'the timeout is logged');
  } finally {
    await w.close();
  }
});

test.run();
