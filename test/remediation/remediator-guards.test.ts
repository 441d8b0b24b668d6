// Each guardrail of automatic remediation, driven through real outages of a loopback service:
// cooldown, the rate limit per window, the circuit breaker (with immediate escalation), a run
// that hangs until the time limit, and runs that wait for a person's approval.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendReset } from '../../src/remediation/log.ts';
import { apiWith, healing, min, plan, planDocs, sec, type Healing } from './remediator-world.ts';

const restartDocs = (remediate = 'remediate: { plan: restart }') => apiWith([remediate]) + planDocs('restart');

/** The service goes down for `ms`, then (unless `stayDown`) comes back. */
async function outage(h: Healing, ms = 60 * sec): Promise<void> {
  h.w.service.mode = 'down';
  await h.run(ms);
}

/** The service is up again and the last incident has resolved (by remediation or auto-resolve). */
async function recover(h: Healing): Promise<void> {
  h.w.service.mode = 'up';
  for (let i = 0; i < 10 && h.incident().status !== 'resolved'; i++) await h.run(30 * sec);
  assert.is(h.incident().status, 'resolved', 'recovered');
}

test('cooldown: a second outage within the cooldown of (plan, target) is not remediated', async () => {
  const h = await healing({ documents: restartDocs('remediate: { plan: restart, cooldown: 10m }'), plans: [plan('restart', 'heal')] });
  try {
    h.w.monitor.start();
    await outage(h);
    assert.is(h.incident().resolvedBy, 'remediation');
    await outage(h);
    assert.is(h.w.monitor.incidents().length, 2);
    assert.is(h.port.started.length, 1, 'the second outage ran nothing');
    const [note] = h.timeline('remediation');
    assert.match(note!, /^not run: remediation restart on api: cooling down after the attempt at 2026-03-02T09:00:\d\d\.\d+Z, until 2026-03-02T09:10:/);
    assert.is(h.incident().status, 'open');
  } finally {
    await h.close();
  }
});

test('max per window: the third outage in the window is rate-limited', async () => {
  const h = await healing({ documents: restartDocs('remediate: { plan: restart, cooldown: 0s, maxPerWindow: 2, window: 1h }'), plans: [plan('restart', 'heal')] });
  try {
    h.w.monitor.start();
    await outage(h);
    await outage(h);
    assert.equal(h.w.monitor.incidents().map((i) => i.resolvedBy), ['remediation', 'remediation']);
    await outage(h);
    assert.is(h.port.started.length, 2);
    assert.match(h.timeline('remediation')[0]!, /^not run: remediation restart on api: 2 attempts in the last 3600000 ms reach the limit of 2; the next is allowed at /);
  } finally {
    await h.close();
  }
});

test('circuit breaker: two ineffective runs stop remediation of the target, say so on the timeline, and page at once', async () => {
  const h = await healing({
    documents: restartDocs(), project: ['remediation: { breakerThreshold: 2, cooldown: 0s }'], monitoring: ['autoResolve: { critical: 1m }'],
    plans: [plan('restart', 'noop')],
  });
  try {
    h.w.monitor.start();
    await outage(h);
    assert.is(h.rem.records()[0]!.outcome, 'not-fixed');
    await recover(h);
    assert.equal(h.w.got('/pd/v2/enqueue'), [], 'nobody was paged for the first, short incident');

    await outage(h);
    const opened = h.incident();
    assert.is(h.port.started.length, 2);
    const [, breaker] = h.timeline('remediation');
    assert.is(breaker, 'automatic remediation of api with restart stopped after 2 failed or ineffective runs in a row; people are paged, and a person resets the breaker (pluginops remediation reset)');
    assert.ok(h.w.clock.now() - opened.openedAt < 5 * min, 'well before the 5-minute step');
    assert.equal(h.timeline('escalated'), ['step 1 (round 1): ops-slack, ops-hook', 'step 2 (round 1): email, slack, pagerduty']);
    assert.is(h.w.got('/pd/v2/enqueue').length, 1, 'paged at once');
    assert.equal(h.rem.breakers().map((k) => [k.plan, k.target, k.breaker.status]), [['restart', 'api', 'open']]);

    await recover(h);
    await outage(h);
    assert.is(h.port.started.length, 2, 'the third outage ran nothing');
    assert.match(h.timeline('remediation')[0]!, /circuit breaker open since .* it needs a person to look at it and reset the breaker/);

    // The CLI appends the reset to the log while serve runs; serve picks it up on its tick.
    await appendReset(h.logPath, 'restart', 'api', 'alice', h.w.clock.now());
    assert.is(h.rem.breakers().length, 1, 'not before the tick');
    await h.rem.tick();
    assert.equal(h.rem.breakers(), []);
    await recover(h);
    await outage(h);
    assert.is(h.port.started.length, 3, 'runs again after the reset');
  } finally {
    await h.close();
  }
});

test('a run that hangs is cancelled at the time limit, counts as timed out, and the breaker counts it', async () => {
  const h = await healing({ documents: restartDocs(), project: ['remediation: { timeout: 2m, breakerThreshold: 1 }'], plans: [plan('restart', 'hang')] });
  try {
    h.w.monitor.start();
    await outage(h, 60 * sec);
    assert.is(h.rem.records({ pending: true }).length, 1);
    await h.run(60 * sec);
    assert.equal(h.port.cancelled, [], 'not before the limit');
    await h.run(40 * sec);
    assert.equal(h.port.cancelled, ['run-1']);
    const [record] = h.rem.records();
    assert.is(record!.outcome, 'timed-out');
    assert.is(record!.detail, 'still running after 2m; cancelled');
    assert.ok(h.timeline('remediation').includes('restart (run run-1) on api timed out: still running after 2m; cancelled'));
    assert.match(h.timeline('remediation').at(-1)!, /^automatic remediation of api with restart stopped after 1 failed or ineffective run in a row/);
    assert.is(h.rem.breakers().length, 1);
    assert.is(h.incident().status, 'open');
    const reset = await h.rem.resetBreaker('restart', 'api', 'bob');
    assert.equal([reset!.breaker.status, reset!.consecutiveBad, reset!.lastReset!.by], ['closed', 0, 'bob']);
  } finally {
    await h.close();
  }
});

const approvals = [
  { name: 'the incident severity is listed in remediation.requireApproval', project: ['remediation: { requireApproval: { severities: [critical] } }'], remediate: 'remediate: { plan: restart }', own: false },
  { name: 'remediate.requireApproval', project: [], remediate: 'remediate: { plan: restart, requireApproval: true }', own: false },
  { name: 'the plan requires approval itself', project: [], remediate: 'remediate: { plan: restart }', own: true },
];

for (const c of approvals) {
  test(`approval (${c.name}): the run waits, the time limit does not count the wait, and it runs once approved`, async () => {
    const h = await healing({ documents: restartDocs(c.remediate), project: [...c.project, ...(c.project.length ? [] : ['remediation: { timeout: 5m }'])], plans: [plan('restart', 'heal', { approvalRequired: c.own })] });
    try {
      h.w.monitor.start();
      await outage(h);
      assert.is(h.port.started[0]!.requireApproval, true);
      assert.equal(h.timeline('remediation'), ['running restart (run run-1) on api; it waits for a person to approve it', 'restart (run run-1) waits for approval']);
      await h.run(20 * min);
      assert.equal(h.port.cancelled, [], 'waiting is not running');
      assert.is(h.incident().status, 'open');

      h.port.approve('run-1');
      await h.run(30 * sec);
      assert.is(h.incident().status, 'resolved');
      assert.is(h.incident().resolvedBy, 'remediation');
      assert.ok(h.rem.records()[0]!.approvedAt! > h.rem.records()[0]!.startedAt);
      assert.ok(h.timeline('remediation').includes('restart on api approved by erin; run run-1 goes on'), h.timeline('remediation').join('\n'));
    } finally {
      await h.close();
    }
  });
}

test('a rejected run is recorded as rejected, said on the timeline, and is not a bad outcome', async () => {
  const h = await healing({ documents: restartDocs('remediate: { plan: restart, requireApproval: true }'), project: ['remediation: { breakerThreshold: 1 }'], plans: [plan('restart', 'heal')] });
  try {
    h.w.monitor.start();
    await outage(h);
    h.port.reject('run-1', 'alice');
    await h.run(5 * sec);
    const [record] = h.rem.records();
    assert.is(record!.outcome, 'rejected');
    assert.is(record!.by, 'alice');
    const rejected = h.incident().timeline.find((e) => e.text === 'remediation rejected by alice');
    assert.ok(rejected);
    assert.is(rejected!.by, 'alice');
    assert.equal(h.rem.breakers(), [], 'no breaker opened');
    assert.equal(Object.values(h.rem.state.guard.keys).map((k) => k.consecutiveBad), [0]);
    assert.equal(h.rem.patterns(), [], 'nothing learned from a rejection');
    assert.is(h.incident().status, 'open');
  } finally {
    await h.close();
  }
});

test.run();
