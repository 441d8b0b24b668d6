// Self-healing turned off at run time: an incident whose remediation would run records
// "skipped: self-healing off" on its timeline and a `skipped` event in the remediation log, and
// no plan is started. Turned on again, the next incident is remediated. Off for one rule leaves
// the others alone.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Controls } from '../../src/monitor/controls/controls.ts';
import { memoryControlsFile } from '../../src/monitor/controls/file.ts';
import { parseEvent } from '../../src/remediation/events.ts';
import { readRemediationLog } from '../../src/remediation/log.ts';
import { apiWith, healing, min, plan, planDocs, sec } from './remediator-world.ts';

const events = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => parseEvent(l)!);

async function world() {
  let controls: Controls | undefined;
  const h = await healing({
    documents: apiWith(['remediate: { plan: restart }']) + planDocs('restart'), plans: [plan('restart', 'heal')],
    monitoring: ['autoResolve: { critical: 10s }'],
    healingControls: { healingOff: (rule) => controls?.healingOff(rule) },
  });
  controls = await Controls.open({ now: () => h.w.clock.now(), file: memoryControlsFile(), known: () => ({ checks: h.w.monitor.config.checks, rules: h.w.monitor.config.rules }) });
  return { h, controls };
}

test('off: the firing rule records the skip and runs nothing; on again: the next incident is remediated', async () => {
  const { h, controls } = await world();
  try {
    await controls.selfHealing(false, undefined, { by: 'ops-admin', reason: 'investigating restarts' });
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(40 * sec);

    const first = h.incident();
    assert.is(first.status, 'open');
    assert.equal(h.port.started, [], 'no plan started');
    assert.equal(h.rem.records(), [], 'no remediation recorded as run');
    const [note] = h.timeline('remediation');
    assert.match(note!, /^skipped: self-healing off \(turned off by ops-admin at 2026-03-02T09:00:00\.000Z: investigating restarts\); nothing was run$/);
    const skipped = events(h.logPath).filter((e) => e.type === 'skipped');
    assert.is(skipped.length, 1);
    assert.equal(skipped[0], { type: 'skipped', at: skipped[0]!.at, incident: first.id, rule: 'api-down', target: 'api', plans: ['restart'], reason: 'self-healing-off', text: note! });
    assert.is((await readRemediationLog(h.logPath)).skipped.length, 1, 'the fold keeps it');

    await controls.selfHealing(true, undefined, { by: 'ops-admin', reason: 'restarts understood' });
    h.w.service.mode = 'up';
    await h.run(60 * sec);
    assert.is(h.incident().status, 'resolved');
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    assert.is(h.port.started.length, 1, 'the next incident is remediated');
    assert.is(h.incident().id === first.id, false);
    assert.is(h.rem.records()[0]!.incident, h.incident().id);
  } finally {
    await h.close();
  }
});

test('off for another rule leaves this one healing', async () => {
  const { h, controls } = await world();
  try {
    // Only api-down exists; an off record for it, then on, then off for the whole is covered above.
    await controls.selfHealing(false, 'api-down', { by: 'ops-admin', reason: 'this rule only' });
    await controls.selfHealing(true, 'api-down', { by: 'ops-admin', reason: 'back' });
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(2 * min);
    assert.is(h.port.started.length, 1);
  } finally {
    await h.close();
  }
});

test.run();
