// A restart: the monitor is stopped and a new one opens the same store. What was notified is not
// notified again, escalation goes on from where it stood, notifications owed to a receiver that
// was failing survive in the outbox and go out after the restart in their order, and a snapshot
// that cannot be read is a clear StateFileError.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StateFileError, type Snapshot } from '../../src/monitor/runtime/state.ts';
import { apiDown, min, sec, world } from './helpers.ts';

type Json = Record<string, any>;

const stateFile = (dir: string) => join(dir, '.pluginops', 'monitor', 'state.json');

test('a firing incident notified before the restart is not notified again after it', async () => {
  const w = await world({ documents: apiDown() });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    const [before] = w.monitor.incidents();
    assert.ok(before, 'the outage opened an incident');
    assert.is(w.got('/slack').length, 1);
    assert.is(w.got('/hook').length, 1);

    await w.monitor.stop();
    const hits = w.service.hits;
    await w.reopen();
    w.monitor.start();
    await w.run(2 * min);

    assert.ok(w.service.hits >= hits + 10, 'the reopened monitor runs the check again');
    assert.equal(w.monitor.incidents().map((i) => i.id), [before!.id], 'the same incident, none opened again');
    assert.is(w.monitor.alerts().find((a) => a.ruleId === 'api-down')?.state, 'firing', 'the alert is still firing');
    assert.is(w.got('/slack').length, 1, 'slack is not told twice');
    assert.is(w.got('/hook').length, 1, 'the webhook is not told twice');
    assert.is(w.monitor.pendingNotifications, 0);
  } finally {
    await w.close();
  }
});

test('escalation stopped before its 5-minute step goes on after the restart and pages once', async () => {
  const w = await world({ documents: apiDown() });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    const incident = w.monitor.incidents()[0]!;
    await w.run(2 * min);
    assert.equal(w.got('/pd/v2/enqueue'), [], 'no page before the restart');

    await w.monitor.stop();
    await w.reopen();
    w.monitor.start();
    await w.run(2 * min);
    assert.equal(w.got('/pd/v2/enqueue'), [], 'no page before five minutes');
    await w.run(2 * min);

    const pages = w.got('/pd/v2/enqueue') as Json[];
    assert.is(pages.length, 1, 'paged once');
    assert.is(pages[0]!.event_action, 'trigger');
    assert.is(pages[0]!.dedup_key, incident.dedupKey);
    const pagedAt = w.receiver.requests.find((r) => r.path === '/pd/v2/enqueue')!.at;
    assert.ok(pagedAt - incident.openedAt >= 5 * min && pagedAt - incident.openedAt <= 5 * min + 15 * sec, 'at the five-minute step');
    assert.is(w.smtp.messages.length, 1, 'one escalation e-mail');

    // Another restart after the step: it is not repeated.
    await w.monitor.stop();
    await w.reopen();
    w.monitor.start();
    await w.run(3 * min);
    assert.is(w.got('/pd/v2/enqueue').length, 1, 'still paged once');
    assert.is(w.smtp.messages.length, 1, 'still one e-mail');
    assert.equal(w.monitor.incidents()[0]!.timeline.filter((e) => e.kind === 'escalated').length, 2, 'the immediate step and the 5-minute step, once each');
  } finally {
    await w.close();
  }
});

test('notifications owed to a failing receiver survive the restart and go out after it, firing before resolved', async () => {
  let hookFails = true;
  const w = await world({
    documents: apiDown(),
    monitoring: ['autoResolve: { critical: 1m }'],
    reply: (req) => {
      if (req.path === '/hook' && hookFails) return { status: 500, body: 'down for maintenance' };
      return { status: req.path.startsWith('/pd') ? 202 : 200, body: 'ok' };
    },
  });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    assert.is(w.monitor.incidents().length, 1);
    w.service.mode = 'up';
    await w.run(100 * sec);
    assert.is(w.monitor.incidents()[0]!.status, 'resolved', 'auto-resolved one minute after the alert stopped');
    const slack = w.got('/slack') as Json[];
    assert.is(slack.length, 2, 'slack, which answers, got firing and resolved');
    assert.ok(w.got('/hook').length >= 2, 'the webhook was tried');
    assert.is(w.monitor.pendingNotifications, 2, 'the webhook is owed the firing and the resolved notification');

    await w.monitor.stop();
    const saved = JSON.parse(readFileSync(stateFile(w.dir), 'utf8')) as Snapshot;
    assert.equal(saved.outbox.map((i) => [i.channel, i.notification.kind === 'incident' ? i.notification.status : '?']), [['ops-hook', 'firing'], ['ops-hook', 'resolved']], 'both are in the snapshot, in order');
    assert.ok(saved.outbox[0]!.attempts >= 1 && saved.outbox[0]!.lastError, 'with the failed attempts');

    hookFails = false;
    const triedBefore = w.receiver.requests.length;
    await w.reopen();
    assert.is(w.monitor.pendingNotifications, 2, 'the reopened monitor holds what was owed');
    w.monitor.start();
    await w.run(4 * min);

    const after = w.receiver.requests.slice(triedBefore).filter((r) => r.path === '/hook').map((r) => JSON.parse(r.body) as Json);
    assert.equal(after.map((p) => p.status), ['firing', 'resolved'], 'delivered after the restart, the firing one first');
    assert.is(after[0]!.alerts[0].fingerprint, after[1]!.alerts[0].fingerprint);
    assert.is(w.monitor.pendingNotifications, 0);
    assert.is(w.got('/slack').length, 2, 'slack is not told again');
  } finally {
    await w.close();
  }
});

const corrupt: Array<{ name: string; text: string; message: RegExp }> = [
  { name: 'not JSON', text: '{"version":1,"checks":{', message: /state\.json is not valid JSON .*move it away/ },
  { name: 'JSON of another shape', text: '{"version":2,"incidents":"none"}', message: /state\.json is not a monitor snapshot of version 1/ },
];

for (const c of corrupt) {
  test(`a state.json that is ${c.name} is a StateFileError that names the file`, async () => {
    const w = await world({ documents: apiDown() });
    try {
      await w.monitor.stop();
      mkdirSync(join(w.dir, '.pluginops', 'monitor'), { recursive: true });
      writeFileSync(stateFile(w.dir), c.text);
      let thrown: unknown;
      try { await w.reopen(); } catch (e) { thrown = e; }
      assert.instance(thrown, StateFileError, `expected a StateFileError, got ${String(thrown)}`);
      assert.is((thrown as Error).name, 'StateFileError');
      assert.match((thrown as Error).message, c.message);
      assert.ok((thrown as Error).message.includes(stateFile(w.dir)), 'the message names the file');
    } finally {
      await w.close();
    }
  });
}

test.run();
