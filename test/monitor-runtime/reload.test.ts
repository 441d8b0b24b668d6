// A reload that removes an alert rule: its alerts leave the monitor, and a firing one stops first,
// so its incident moves to auto-resolve instead of waiting forever for a rule that is gone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadMonitorConfig } from '../../src/monitor/runtime/load.ts';
import { loadProject } from '../../src/project/load.ts';
import { registry } from '../../src/wiring/registry.ts';
import { apiDown, sec, world } from './helpers.ts';

test('a reload without the firing rule drops its alert and lets its incident auto-resolve', async () => {
  const w = await world({ documents: apiDown() });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    assert.is(w.monitor.alerts().find((a) => a.ruleId === 'api-down')?.state, 'firing');
    const [incident] = w.monitor.incidents();
    assert.ok(incident, 'the outage opened an incident');

    const checkOnly = apiDown().split('\n---\n')[0]!.replaceAll('{service}', w.service.url);
    writeFileSync(join(w.dir, 'pipelines', 'monitor.yml'), checkOnly);
    w.monitor.reload(await loadMonitorConfig(await loadProject(w.dir), w.dir, w.env, registry));
    await w.run(4 * sec);

    assert.equal(w.monitor.alerts().filter((a) => a.ruleId === 'api-down'), [], 'the removed rule\'s alert is gone');
    const after = w.monitor.incident(incident!.id)!;
    assert.is(after.alertsFiring, false);
    assert.ok(after.autoResolveAt !== undefined, 'auto-resolve is scheduled');
    assert.ok(after.timeline.some((t) => t.kind === 'alerts-stopped'));
  } finally {
    await w.close();
  }
});

test.run();
