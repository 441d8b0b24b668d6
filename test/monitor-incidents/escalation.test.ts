// Escalation: the seed's table, once per step, repeat bounded, stopped by acknowledgement,
// restarted by an expired one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultPolicies, escalate, escalationDue, maxRepeat, policyFor, type EscalationPolicy } from '../../src/monitor/incidents/escalation.ts';
import { acknowledge, onAlertResolved, tick, type Incident } from '../../src/monitor/incidents/incident.ts';
import type { NotifyEffect } from '../../src/monitor/incidents/effects.ts';
import type { Severity } from '../../src/notify/message.ts';
import { min, ok, opened } from './helpers.ts';

const notifies = (effects: readonly { kind: string }[]): NotifyEffect[] => effects.filter((e): e is NotifyEffect => e.kind === 'notify');

/** Escalates once per minute from 0 to `until` minutes; returns the minute and channels of each notification. */
function run(incident: Incident, policy: EscalationPolicy | undefined, until: number): { sent: Array<[number, string[]]>; incident: Incident } {
  const sent: Array<[number, string[]]> = [];
  let current = incident;
  for (let m = 0; m <= until; m++) {
    const r = escalate(current, policy, m * min);
    current = r.incident;
    for (const n of notifies(r.effects)) sent.push([m, n.channels]);
  }
  return { sent, incident: current };
}

const table: Array<[Severity, number, string[]]> = [
  ['critical', 5, ['email', 'slack', 'pagerduty']],
  ['danger', 15, ['email', 'slack']],
  ['warning', 30, ['email']],
];
for (const [severity, minutes, channels] of table) {
  test(`${severity}: notifies ${channels.join(', ')} at ${minutes} min, once, and nothing before`, () => {
    const { sent } = run(opened(severity), policyFor(severity), 120);
    assert.equal(sent, [[minutes, channels]]);
  });
}

test('info and success have no policy and never escalate', () => {
  assert.is(policyFor('info'), undefined);
  assert.equal(run(opened('info'), policyFor('info'), 120).sent, []);
});

test('the notify effect carries the step, the round, the recipients and an incident notification', () => {
  const r = escalate(opened('critical'), defaultPolicies.critical, 5 * min);
  const [n] = notifies(r.effects);
  assert.equal({ step: n?.escalationStep, round: n?.round, recipients: n?.recipients, status: n?.status },
    { step: 0, round: 0, recipients: ['admin', 'manager', 'oncall'], status: 'firing' });
  assert.equal({ kind: n?.notification.kind, status: n?.notification.status, severity: n?.notification.severity, key: n?.notification.dedupKey, at: n?.notification.at },
    { kind: 'incident', status: 'firing', severity: 'critical', key: r.incident.dedupKey, at: new Date(5 * min).toISOString() });
  assert.equal(r.incident.notifiedFiring, ['email', 'slack', 'pagerduty']);
});

const twoSteps: EscalationPolicy = { id: 'two', steps: [{ afterMs: 5 * min, channels: ['slack'] }, { afterMs: 15 * min, channels: ['pagerduty'] }], repeat: 2 };

test('multi-step policies repeat from the first step, timed from the last step, `repeat` times', () => {
  const { sent } = run(opened(), twoSteps, 200);
  assert.equal(sent, [[5, ['slack']], [15, ['pagerduty']], [20, ['slack']], [30, ['pagerduty']], [35, ['slack']], [45, ['pagerduty']]]);
});

test('a late tick gets every missed step once, in order', () => {
  const r = escalationDue(opened(), twoSteps, { notifiedSteps: [], round: 0 }, 22 * min);
  assert.equal(r.due.map((d) => [d.round, d.index, d.dueAt / min]), [[0, 0, 5], [0, 1, 15], [1, 0, 20]]);
  assert.equal(r.state, { notifiedSteps: [0], round: 1 });
  assert.equal(escalationDue(opened(), twoSteps, r.state, 22 * min).due, []);
});

test('repeat is bounded by maxRepeat and a policy at 0 ms does not repeat', () => {
  const huge: EscalationPolicy = { id: 'h', steps: [{ afterMs: min, channels: ['email'] }], repeat: 1000 };
  assert.is(run(opened(), huge, 500).sent.length, maxRepeat + 1);
  const zero: EscalationPolicy = { id: 'z', steps: [{ afterMs: 0, channels: ['email'] }], repeat: 5 };
  assert.equal(run(opened(), zero, 60).sent, [[0, ['email']]]);
});

test('acknowledging stops escalation', () => {
  const acked = ok(acknowledge(opened('danger'), 'bo', 10 * min)).incident;
  assert.equal(run(acked, policyFor('danger'), 120).sent, []);
});

test('escalation pauses while the alerts do not fire and stops once resolved', () => {
  const stopped = onAlertResolved(opened('critical'), 2 * min).incident;
  assert.equal(escalate(stopped, defaultPolicies.critical, 10 * min).effects, []);
  const done = tick(stopped, 62 * min).incident;
  assert.equal(escalate(done, defaultPolicies.critical, 70 * min).effects, []);
});

test('an expired acknowledgement restarts escalation from the first step', () => {
  const first = escalate(opened('critical'), defaultPolicies.critical, 5 * min).incident;
  const acked = ok(acknowledge(first, 'bo', 6 * min, 30 * min)).incident;
  assert.equal(escalate(acked, defaultPolicies.critical, 20 * min).effects, []);
  const reopened = tick(acked, 36 * min).incident;
  assert.equal(notifies(escalate(reopened, defaultPolicies.critical, 40 * min).effects), []);
  const again = notifies(escalate(reopened, defaultPolicies.critical, 41 * min).effects);
  assert.equal(again.map((n) => [n.escalationStep, n.channels]), [[0, ['email', 'slack', 'pagerduty']]]);
});

test.run();
