// Verifying a remediation of a rule that judges a FIELD of a check (responseTime, exitCode against
// levels): the check re-runs, and the remediation is fixed only when its conditions pass AND the
// rule no longer fires on the new value. A check whose conditions pass while the value is still
// beyond the rule's level (its conditions only say "the probe answered") is not a fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { healing, plan, planDocs, sec } from './remediator-world.ts';

// The check is healthy for any exit code below 10; the rule fires at `critical` from 2 on.
const documents = `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: level }
spec:
  type: command
  command: exit "$(cat level)"
  interval: 10s
  stagger: 0s
  conditions: ["exitCode < 10"]
  successThreshold: 2
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: level-high }
spec:
  source: { healthCheck: level, field: exitCode }
  levels: { critical: 2 }
  remediate: { plan: lower }
` + planDocs('lower');

test('the check passes but the value is still beyond the level: not fixed, the incident stays open', async () => {
  const h = await healing({ documents, plans: [plan('lower', 'noop')] });
  try {
    writeFileSync(join(h.w.dir, 'level'), '3');
    h.w.monitor.start();
    await h.run(40 * sec);
    assert.is(h.port.started.length, 1);
    const [record] = h.rem.records();
    assert.is(record!.outcome, 'not-fixed', JSON.stringify(record!.verification));
    assert.match(record!.verification!.results[0]!.error ?? '', /still firing/);
    assert.is(h.incident().status, 'open');
  } finally {
    await h.close();
  }
});

test('the value back under the level after the plan: fixed and resolved', async () => {
  const h = await healing({ documents, plans: [plan('lower', 'noop')] });
  try {
    writeFileSync(join(h.w.dir, 'level'), '3');
    h.w.monitor.start();
    for (let t = 0; t < 12 && h.port.started.length === 0; t++) await h.run(sec);
    assert.is(h.port.started.length, 1, 'the plan runs');
    // The plan lowers the value while it runs (it takes 3 s); verification comes after.
    writeFileSync(join(h.w.dir, 'level'), '0');
    await h.run(30 * sec);
    const [record] = h.rem.records();
    assert.is(record!.outcome, 'fixed', JSON.stringify(record!.verification));
    assert.is(h.incident().status, 'resolved');
  } finally {
    await h.close();
  }
});

test.run();
