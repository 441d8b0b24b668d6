// Resolved notifications are owed to exactly the channels that got firing ones, also across a
// save and load of the state as JSON.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escalate, type EscalationPolicy } from '../../src/monitor/incidents/escalation.ts';
import { acknowledge, onAlertFiring, onAlertResolved, resolve, tick, type Incident } from '../../src/monitor/incidents/incident.ts';
import type { NotifyEffect } from '../../src/monitor/incidents/effects.ts';
import { alert, min, ok, opened } from './helpers.ts';

const notifies = (effects: readonly { kind: string }[]): NotifyEffect[] => effects.filter((e): e is NotifyEffect => e.kind === 'notify');
const policy: EscalationPolicy = { id: 'p', steps: [{ afterMs: 5 * min, channels: ['email', 'slack'] }, { afterMs: 15 * min, channels: ['slack', 'pagerduty'] }] };

test('a manual resolve notifies every channel that got a firing notification, once each', () => {
  let i = escalate(opened(), policy, 5 * min).incident;
  i = escalate(i, policy, 15 * min).incident;
  const r = ok(resolve(i, 'ana', 'rolled back', 20 * min));
  const sent = notifies(r.effects);
  assert.equal(sent.map((n) => [n.status, n.channels, n.notification.status, n.notification.text]),
    [['resolved', ['email', 'slack', 'pagerduty'], 'resolved', 'Resolved by ana: rolled back']]);
});

test('an auto-resolve notifies only the channels reached so far', () => {
  const i = escalate(opened(), policy, 6 * min).incident;
  const stopped = onAlertResolved(i, 7 * min).incident;
  const sent = notifies(tick(stopped, 67 * min).effects);
  assert.equal(sent.map((n) => n.channels), [['email', 'slack']]);
});

test('an incident never notified as firing resolves without a notification', () => {
  const r = ok(resolve(opened(), 'ana', 'false alarm', min));
  assert.equal(notifies(r.effects), []);
  assert.equal(r.effects.map((e) => e.kind), ['timeline']);
});

test('acknowledging tells the channels that were notified', () => {
  const i = escalate(opened(), policy, 5 * min).incident;
  const sent = notifies(ok(acknowledge(i, 'bo', 6 * min)).effects);
  assert.equal(sent.map((n) => [n.status, n.channels]), [['acknowledged', ['email', 'slack']]]);
});

test('the state survives a JSON round trip and still owes its resolved notification', () => {
  const fired = onAlertFiring([], alert('critical'), 0);
  const notified = escalate(fired.incident, { id: 'c', steps: [{ afterMs: 5 * min, channels: ['pagerduty'] }] }, 5 * min).incident;
  const stopped = onAlertResolved(notified, 10 * min).incident;
  const loaded = JSON.parse(JSON.stringify([stopped])) as Incident[];
  assert.equal(loaded, [stopped]);
  const [again] = loaded;
  if (!again) throw new Error('nothing loaded');
  const r = tick(again, 70 * min);
  assert.is(r.incident.status, 'resolved');
  assert.equal(notifies(r.effects).map((n) => [n.status, n.channels]), [['resolved', ['pagerduty']]]);
});

test('every state along a full lifecycle is plain data: JSON leaves it unchanged', () => {
  const states: Incident[] = [];
  let incidents = onAlertFiring([], alert('warning'), 0).incidents;
  const keep = (i: Incident): Incident => (states.push(i), i);
  let i = keep(incidents[0] as Incident);
  i = keep(onAlertResolved(i, min).incident);
  incidents = onAlertFiring([i], alert('critical'), 2 * min).incidents;
  i = keep(incidents[0] as Incident);
  i = keep(escalate(i, policy, 5 * min).incident);
  i = keep(ok(acknowledge(i, 'bo', 6 * min, 10 * min)).incident);
  i = keep(onAlertResolved(i, 7 * min).incident);
  i = keep(tick(i, 16 * min).incident);
  i = keep(tick(i, 67 * min).incident);
  assert.is(i.status, 'resolved');
  for (const s of states) assert.equal(JSON.parse(JSON.stringify(s)), s);
});

test.run();
