// The Remediator end to end: a loopback service goes down, the monitor opens an incident, the
// plan runs through the port, the check is re-run, and the incident is resolved only when that
// verification passes. Dry runs and maintenance windows run nothing.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseEvent } from '../../src/remediation/events.ts';
import { apiWith, healing, min, plan, planDocs, sec } from './remediator-world.ts';

const events = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => parseEvent(l)!);

test('a healing plan runs, the check is re-run twice, and the incident is resolved as fixed', async () => {
  const h = await healing({ documents: apiWith(['remediate: { plan: restart }']) + planDocs('restart'), plans: [plan('restart', 'heal')] });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);

    assert.is(h.port.started.length, 1);
    const started = h.port.started[0]!;
    assert.is(started.plan, 'restart');
    assert.is(started.requestedBy, 'remediation');
    const { brief, ...trigger } = started.trigger;
    assert.equal(trigger, { incident: h.incident().id, rule: 'api-down', check: 'api' });
    // The run keeps the incident as it stood, for its approvers.
    assert.equal([brief?.id, brief?.title, brief?.severity], [h.incident().id, h.incident().title, 'critical']);
    assert.is(brief?.evidence?.[0]?.source, 'check');
    assert.is(started.requireApproval, undefined);

    const incident = h.incident();
    assert.is(incident.status, 'resolved');
    assert.is(incident.resolvedBy, 'remediation');
    assert.is(incident.resolution, 'fixed by restart (run run-1), verified by check api');
    assert.match(h.timeline('remediation')[0]!, /^running restart \(run run-1\) on api$/);
    assert.match(h.timeline('verification')[0]!, /^verified: fixed, check api passed 2 of 2 re-runs after restart \(run run-1\)$/);

    const logged = events(h.logPath);
    assert.equal(logged.map((e) => e.type), ['attempt', 'outcome']);
    const [record] = h.rem.records();
    assert.is(record!.outcome, 'fixed');
    assert.is(record!.verification!.results.length, 2);
    assert.ok(record!.verification!.results.every((r) => r.ok));
    const [pattern] = h.rem.patterns({ scope: 'api-down' });
    assert.is(pattern!.successes, 1);
    assert.is(h.rem.patterns({ scope: 'category:system' })[0]!.successes, 1, 'learned for the category too');
  } finally {
    await h.close();
  }
});

test('a plan that succeeds without helping is not-fixed: the incident stays open and escalation goes on', async () => {
  const h = await healing({ documents: apiWith(['remediate: { plan: restart }']) + planDocs('restart'), plans: [plan('restart', 'noop')] });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    assert.is(h.port.started.length, 1);
    assert.is(h.incident().status, 'open');
    assert.match(h.timeline('verification')[0]!, /^verified: not fixed, check api failed re-run 1 of 2 after restart \(run run-1\) \(failed: status >= 200 && status < 400\); the incident stays open$/);
    assert.is(h.rem.records()[0]!.outcome, 'not-fixed');
    assert.is(h.rem.patterns({ scope: 'api-down' })[0]!.failures, 1);

    await h.run(5 * min);
    assert.ok(h.timeline('escalated').length >= 1, 'the critical policy paged at 5 minutes as usual');
  } finally {
    await h.close();
  }
});

test('without `with`, the plan\'s parameters come from the alert labels, and the plugin label is the target', async () => {
  const h = await healing({
    documents: apiWith(['remediate: { plan: restart }'], ['labels: { plugin: billing, team: payments }']) + planDocs('restart'),
    plans: [plan('restart', 'heal')],
  });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    assert.equal(h.port.started[0]!.data, { plugin: 'billing' });
    assert.is(h.rem.records()[0]!.target, 'billing');
    assert.is(h.incident().status, 'resolved');
  } finally {
    await h.close();
  }
});

test('`with` fills expressions over the alert and the incident', async () => {
  const h = await healing({
    documents: apiWith([
      'remediate:',
      '  plan: restart',
      '  with: { plugin: "${{ alert.labels.plugin }}", reason: "${{ alert.rule }} at ${{ incident.severity }}", incident: "${{ incident.id }}", force: true }',
    ], ['labels: { plugin: billing }']) + planDocs('restart'),
    plans: [plan('restart', 'heal')],
  });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(40 * sec);
    const data = h.port.started[0]!.data;
    assert.equal(data, { plugin: 'billing', reason: 'api-down at critical', incident: h.incident().id, force: true });
  } finally {
    await h.close();
  }
});

const dryRuns = [
  { name: 'the project\'s global dry run', project: ['remediation: { dryRun: true }'], remediate: ['remediate: { plan: restart }'] },
  { name: 'a rule\'s dry run', project: [], remediate: ['remediate: { plan: restart, dryRun: true }'] },
];

for (const c of dryRuns) {
  test(`${c.name} records on the timeline and in the log what would run, and runs nothing`, async () => {
    const h = await healing({ documents: apiWith(c.remediate) + planDocs('restart'), project: c.project, plans: [plan('restart', 'heal')] });
    try {
      h.w.monitor.start();
      h.w.service.mode = 'down';
      await h.run(60 * sec);
      assert.equal(h.port.started, [], 'nothing ran');
      assert.is(h.w.service.mode, 'down');
      assert.equal(h.timeline('remediation'), ['dry run: would run restart on api with {}; nothing was run']);
      assert.is(h.incident().status, 'open');
      const [attempt] = events(h.logPath);
      assert.is(attempt!.type, 'attempt');
      assert.is(attempt!.type === 'attempt' && attempt!.decision, 'dry-run');
      assert.is(h.rem.records({ pending: true }).length, 0);
    } finally {
      await h.close();
    }
  });
}

test('a maintenance window that matches the incident blocks remediation', async () => {
  const h = await healing({
    documents: apiWith(['remediate: { plan: restart }']) + planDocs('restart'),
    monitoring: ['maintenance: [{ id: upgrade, start: "2026-03-02T09:00:00Z", end: "2026-03-02T10:00:00Z", match: { rules: [api-down] } }]'],
    plans: [plan('restart', 'heal')],
  });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    assert.equal(h.port.started, []);
    const [note] = h.timeline('remediation');
    assert.match(note!, /^not run: remediation restart on api: skipped, the target is in a maintenance window \(upgrade\)$/);
    assert.is(h.rem.records().length, 0, 'nothing recorded in the log');
  } finally {
    await h.close();
  }
});

test('remediation disabled in the project file starts nothing', async () => {
  const h = await healing({
    documents: apiWith(['remediate: { plan: restart }']) + planDocs('restart'), project: ['remediation: { enabled: false }'], plans: [plan('restart', 'heal')],
  });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    assert.equal(h.port.started, []);
    assert.is(h.incident().status, 'open');
    assert.equal(h.timeline('remediation'), []);
  } finally {
    await h.close();
  }
});

test.run();
