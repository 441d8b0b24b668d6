// A target that never answers: the probe's own timeout (real time, 300 ms) ends each check as a
// failure that says so; slots that pass while a check hangs are counted as missed and followed by
// one catch-up run; the engine goes on, and the check recovers with the service.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sec, world } from './helpers.ts';
import { settled } from './settle.ts';

const documents = `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec:
  type: http
  url: "{service}/health"
  interval: 2s
  timeout: 300ms
  stagger: 100ms
  failureThreshold: 2
  successThreshold: 1
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down, name: API down }
spec:
  source: { healthCheck: api }
  severity: warning
  notify: { channels: [ops-hook] }
`;

test('a hanging target: checks fail with a timeout, overlapping slots are missed, the engine goes on', async () => {
  const w = await world({ documents });
  try {
    w.service.mode = 'hang';
    w.monitor.start();

    // The first slot starts a check that hangs; while it is in flight, three more slots pass.
    await w.clock.advance(2 * sec);
    const job = () => w.monitor.schedule().find((s) => s.id === 'check:api')!;
    assert.ok(job().running, 'the check is in flight');
    const startedAt = Date.now();
    await w.clock.advance(6 * sec);
    assert.is(job().missed, 3, 'the slots that arrived during the run are counted as missed');
    await settled(w.monitor);
    assert.ok(Date.now() - startedAt >= 250, 'the run ended by its own (real) timeout');

    const stats = job();
    assert.is(stats.runs, 2, 'one catch-up run for the missed slots, not three');
    assert.ok(stats.lastLagMs! > 0, 'the catch-up run started late');
    assert.is(stats.failures, 0, 'a failed check is not a failed job');
    assert.ok(stats.nextAt! > w.clock.now(), 'the next slot is armed');

    const check = w.monitor.checks().find((c) => c.id === 'api')!;
    assert.is(check.last?.ok, false);
    assert.match(check.last?.error ?? '', /timed out after 300ms/);
    assert.is(check.consecutiveFailures, 2);
    assert.is(check.healthy, false, 'two failures make it unhealthy');
    assert.is(w.monitor.alerts().find((a) => a.ruleId === 'api-down')?.state, 'firing');
    assert.is(w.monitor.incidents().length, 1);
    assert.match(w.monitor.incidents()[0]!.title, /timed out after 300ms/, 'the title says why');
    assert.ok(w.logs.some((l) => /check api is unhealthy: timed out after 300ms/.test(l.line)));
    assert.is(w.logs.filter((l) => l.level === 'warn' && /job check:api: skipped 1 slot\(s\), the previous run is still in flight/.test(l.line)).length, 3, 'each skipped slot is logged');
    assert.is(w.monitor.counters.checksFailed, 2);

    // The service answers again: the engine was not harmed.
    w.service.mode = 'up';
    await w.run(6 * sec);
    const back = w.monitor.checks().find((c) => c.id === 'api')!;
    assert.is(back.last?.ok, true);
    assert.is(back.healthy, true);
    assert.ok(job().runs >= 4);
    assert.ok(['resolved', 'ok'].includes(w.monitor.alerts().find((a) => a.ruleId === 'api-down')!.state), 'the alert stopped firing');
    assert.is(w.monitor.incidents()[0]!.alertsFiring, false);
  } finally {
    await w.close();
  }
});

test('stopping while a check hangs aborts it within the grace and writes the state', async () => {
  const w = await world({ documents });
  try {
    w.service.mode = 'hang';
    w.monitor.start();
    await w.clock.advance(2 * sec);
    assert.ok(w.monitor.schedule().find((s) => s.id === 'check:api')!.running);
    const stopping = w.monitor.stop(1 * sec);
    await w.clock.advance(1 * sec);
    await stopping;
    const check = w.monitor.checks().find((c) => c.id === 'api')!;
    assert.is(check.last?.ok, false, 'the aborted run is a failed check');
    assert.match(check.last?.error ?? '', /cancelled/);
  } finally {
    await w.close();
  }
});

test.run();
