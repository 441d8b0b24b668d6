// Incident lifecycle: open/join by dedup key, severity, auto-resolve, acknowledge, resolve, errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dedupKey } from '../../src/monitor/alerts/key.ts';
import { acknowledge, defaultAutoResolveMs, onAlertFiring, onAlertResolved, resolve, tick } from '../../src/monitor/incidents/incident.ts';
import type { Severity } from '../../src/notify/message.ts';
import { alert, min, ok, opened } from './helpers.ts';

test('a firing alert opens an incident keyed by rule and labels', () => {
  const r = onAlertFiring([], alert('warning'), 1000);
  assert.is(r.incidents.length, 1);
  assert.equal({ status: r.incident.status, openedAt: r.incident.openedAt, key: r.incident.dedupKey, firing: r.incident.alertsFiring },
    { status: 'open', openedAt: 1000, key: dedupKey('plugin-down', { plugin: 'payments' }), firing: true });
  assert.equal(r.effects.map((e) => e.kind), ['timeline']);
  assert.is(r.incident.timeline[0]?.kind, 'opened');
});

test('the same dedup key joins the open incident; another key opens a second one', () => {
  const first = onAlertFiring([], alert('warning'), 0);
  const joined = onAlertFiring(first.incidents, alert('warning'), 5 * min);
  assert.is(joined.incidents.length, 1);
  assert.is(joined.incident.id, first.incident.id);
  assert.equal(joined.incident.timeline.map((t) => t.kind), ['opened', 'joined']);
  const other = onAlertFiring(joined.incidents, alert('warning', { plugin: 'search' }), 6 * min);
  assert.is(other.incidents.length, 2);
  assert.is.not(other.incident.id, first.incident.id);
});

test('joining raises the severity when higher and never lowers it', () => {
  const w = onAlertFiring([], alert('warning'), 0);
  const raised = onAlertFiring(w.incidents, alert('critical'), min);
  assert.is(raised.incident.severity, 'critical');
  assert.ok(raised.incident.timeline.some((t) => t.kind === 'severity-raised' && t.text === 'warning → critical'));
  const lower = onAlertFiring(raised.incidents, alert('info'), 2 * min);
  assert.is(lower.incident.severity, 'critical');
  assert.not.ok(lower.incident.timeline.slice(-1).some((t) => t.kind === 'severity-raised'));
});

test('an alert for a key whose incident is resolved opens a new incident', () => {
  const first = onAlertFiring([], alert(), 0);
  const done = ok(resolve(first.incident, 'ana', 'restarted the service', min)).incident;
  const again = onAlertFiring([done], alert(), 2 * min);
  assert.is(again.incidents.length, 2);
  assert.is(again.incident.status, 'open');
  assert.is.not(again.incident.id, done.id);
});

const delays: Array<[Severity, number]> = [['info', 3], ['success', 3], ['warning', 15], ['danger', 30], ['critical', 60]];
for (const [severity, minutes] of delays) {
  test(`${severity}: auto-resolves ${minutes} min after the alerts stop, not before`, () => {
    const stopped = onAlertResolved(opened(severity), 10 * min, {}).incident;
    assert.is(stopped.autoResolveAt, (10 + minutes) * min);
    assert.is(tick(stopped, (10 + minutes) * min - 1).incident.status, 'open');
    const done = tick(stopped, (10 + minutes) * min).incident;
    assert.equal({ status: done.status, by: done.resolvedBy, at: done.resolvedAt }, { status: 'resolved', by: 'auto', at: (10 + minutes) * min });
    assert.is(done.autoResolveAt, undefined);
  });
}

test('auto-resolve delays are configurable per severity', () => {
  const stopped = onAlertResolved(opened('critical'), 0, { critical: 2 * min }).incident;
  assert.is(stopped.autoResolveAt, 2 * min);
  assert.is(defaultAutoResolveMs.critical, 60 * min);
});

test('an alert firing again before auto-resolve cancels it', () => {
  const first = onAlertFiring([], alert('warning'), 0);
  const stopped = onAlertResolved(first.incident, min);
  const back = onAlertFiring([stopped.incident], alert('warning'), 5 * min);
  assert.is(back.incident.autoResolveAt, undefined);
  assert.is(back.incident.alertsFiring, true);
  assert.ok(back.incident.timeline.some((t) => t.kind === 'auto-resolve-cancelled'));
  assert.is(tick(back.incident, 60 * min).incident.status, 'open');
});

test('a manual resolve keeps the resolution text and who resolved', () => {
  const r = ok(resolve(opened(), 'ana', '  restarted the service  ', 7 * min));
  assert.equal({ status: r.incident.status, by: r.incident.resolvedBy, text: r.incident.resolution, at: r.incident.resolvedAt },
    { status: 'resolved', by: 'ana', text: 'restarted the service', at: 7 * min });
  assert.equal(r.incident.timeline.slice(-1), [{ at: 7 * min, kind: 'resolved', text: 'restarted the service', by: 'ana' }]);
});

test('errors are typed results: empty resolution, resolving twice, acknowledging a resolved incident, bad timeout', () => {
  const empty = resolve(opened(), 'ana', '   ', min);
  assert.equal(empty.ok ? null : empty.error.code, 'resolution-required');
  const done = ok(resolve(opened(), 'ana', 'fixed', min)).incident;
  const twice = resolve(done, 'bo', 'again', 2 * min);
  assert.equal(twice.ok ? null : twice.error.code, 'already-resolved');
  const ack = acknowledge(done, 'bo', 2 * min);
  assert.equal(ack.ok ? null : ack.error.code, 'already-resolved');
  const bad = acknowledge(opened(), 'bo', 0, -5);
  assert.equal(bad.ok ? null : bad.error.code, 'invalid-timeout');
});

test('acknowledging records who and when; without a timeout it never re-opens', () => {
  const a = ok(acknowledge(opened(), 'bo', 3 * min)).incident;
  assert.equal({ status: a.status, by: a.acknowledgedBy, at: a.acknowledgedAt, timeout: a.ackTimeoutAt }, { status: 'acknowledged', by: 'bo', at: 3 * min, timeout: undefined });
  assert.is(tick(a, 1000 * min).incident.status, 'acknowledged');
});

test('an expired acknowledgement re-opens the incident while alerts still fire', () => {
  const a = ok(acknowledge(opened(), 'bo', 3 * min, 30 * min)).incident;
  assert.is(a.ackTimeoutAt, 33 * min);
  assert.is(tick(a, 33 * min - 1).incident.status, 'acknowledged');
  const r = tick(a, 33 * min).incident;
  assert.equal({ status: r.status, start: r.escalationStartedAt, by: r.acknowledgedBy, timeout: r.ackTimeoutAt }, { status: 'open', start: 33 * min, by: undefined, timeout: undefined });
  assert.is(r.timeline.slice(-1)[0]?.kind, 'reopened');
});

test('an expired acknowledgement does not re-open an incident whose alerts stopped', () => {
  const a = ok(acknowledge(opened('critical'), 'bo', 0, 10 * min)).incident;
  const stopped = onAlertResolved(a, 5 * min).incident;
  const r = tick(stopped, 10 * min).incident;
  assert.is(r.status, 'acknowledged');
  assert.is(r.ackTimeoutAt, undefined);
  assert.is(tick(r, 65 * min).incident.resolvedBy, 'auto');
});

test.run();
