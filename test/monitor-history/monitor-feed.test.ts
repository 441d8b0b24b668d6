// The monitor feeds the rollups: every scheduled result and every run by hand reaches `onResult`
// masked, and counted into a check's hourly bucket it gives its uptime, on the virtual clock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rollups } from '../../src/monitor/history/rollups.ts';
import { world } from '../monitor-runtime/helpers.ts';

test('scheduled and by-hand results reach onResult, masked, and count toward uptime', async () => {
  const history = new Rollups();
  const seen: string[] = [], told: string[] = [];
  const w = await world({
    documents: `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec: { type: http, url: "{service}/health", interval: 10s, stagger: 0s, timeout: 1s, failureThreshold: 1, successThreshold: 1 }
---
apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: cmd }
spec: { type: command, command: "echo key=hunter22", interval: 1h, stagger: 0s }
`,
    mask: () => (text) => text.replaceAll('hunter22', '***'),
    onResult: (id, r) => {
      if (id === 'cmd') { told.push(JSON.stringify(r.fields)); return; }
      seen.push(`${id}:${r.ok}`);
      history.record(id, r.at, r.ok, r.durationMs);
    },
  });
  try {
    w.monitor.start();
    await w.run(30_000);
    w.service.mode = 'down';
    await w.run(20_000);
    await w.monitor.runCheck('api');
    const okCount = seen.filter((s) => s.startsWith('api:true')).length;
    assert.ok(okCount >= 3, seen.join(' | '));
    assert.ok(seen.length > okCount, 'failures are told too');
    await w.monitor.runCheck('cmd');
    assert.match(told.join(' '), /key=\*\*\*/);
    assert.not.match(told.join(' '), /hunter22/);
    const up = history.uptime('api', w.clock.now());
    assert.is(up['24h'], okCount / seen.length);
    const bucket = history.series('api', '24h', w.clock.now()).filter((b) => b.count > 0);
    assert.is(bucket.reduce((s, b) => s + b.count, 0), seen.length);
  } finally { await w.close(); }
});

test.run();
