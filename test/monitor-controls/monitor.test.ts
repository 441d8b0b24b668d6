// Run-time controls steering a monitor on a virtual clock: a paused check lets its slots pass
// (its run count stays, the scheduler and the check view say who paused it and why) and runs at
// its next slot once resumed; a paused rule is not evaluated, so its alert stays as it was; a
// maintenance window started now silences notifications like a configured one and ends at its
// deadline, when escalation catches up.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Controls } from '../../src/monitor/controls/controls.ts';
import { memoryControlsFile } from '../../src/monitor/controls/file.ts';
import type { VirtualClock } from '../../src/engine/clock.ts';
import { apiDown, min, sec, world, type World } from '../monitor-runtime/helpers.ts';

const who = (reason: string) => ({ by: 'ops-admin', reason });

async function controlled(o: { monitoring?: string[] } = {}): Promise<{ w: World; controls: () => Controls }> {
  let controls: Controls | undefined;
  const w = await world({
    documents: apiDown(), monitoring: o.monitoring ?? [],
    controls: (clock: VirtualClock) => {
      const known = () => ({ checks: w.monitor.config.checks, rules: w.monitor.config.rules });
      // Opened synchronously enough: the memory file loads at once.
      const made = { checkPaused: (id: string) => controls?.checkPaused(id), rulePaused: (id: string) => controls?.rulePaused(id), windows: () => controls?.windows() ?? [] };
      void Controls.open({ now: () => clock.now(), file: memoryControlsFile(), known }).then((c) => { controls = c; });
      return made;
    },
  });
  await new Promise((r) => setTimeout(r, 1));
  return { w, controls: () => controls! };
}

const checkRuns = (w: World) => w.monitor.checks().find((c) => c.id === 'api')!.history.length;
const job = (w: World, id: string) => w.monitor.schedule().find((j) => j.id === id)!;

test('a paused check does not run; the scheduler and the check show the pause; resumed, it runs at its next slot', async () => {
  const { w, controls } = await controlled();
  try {
    w.monitor.start();
    await w.run(30 * sec);
    const before = checkRuns(w);
    assert.ok(before >= 2, `it ran before the pause (${before})`);

    await controls().pause({ check: 'api' }, undefined, who('deploying the api'));
    await w.run(60 * sec);
    assert.is(checkRuns(w), before, 'no run in six intervals');
    const paused = job(w, 'check:api');
    assert.equal([paused.paused?.by, paused.paused?.reason], ['ops-admin', 'deploying the api']);
    assert.ok((paused.pausedSlots ?? 0) >= 5, `slots passed while paused: ${paused.pausedSlots}`);
    assert.is(w.monitor.checks().find((c) => c.id === 'api')!.paused?.reason, 'deploying the api');

    await controls().resume({ check: 'api' }, who('deployed'));
    await w.run(10 * sec);
    assert.is(checkRuns(w), before + 1, 'the next slot runs');
    assert.is(job(w, 'check:api').paused, undefined);
    assert.is(w.monitor.checks()[0]!.paused, undefined);
  } finally {
    await w.close();
  }
});

test('a pause with `for` ends by itself; pausing everything stops every check but not the incident tick', async () => {
  const { w, controls } = await controlled();
  try {
    w.monitor.start();
    await controls().pause({ all: true }, 30 * sec, who('network change'));
    await w.run(25 * sec);
    assert.is(checkRuns(w), 0);
    assert.is(job(w, 'incidents').paused, undefined, 'the incident tick is never paused');
    assert.ok(job(w, 'incidents').runs > 0);
    await w.run(20 * sec);
    assert.ok(checkRuns(w) >= 1, 'runs again after the pause ended');
    assert.equal(controls().state.pauses, [], 'the expired pause is gone');
  } finally {
    await w.close();
  }
});

test('a paused rule is not evaluated: its firing alert stays firing and nothing resolves it until resumed', async () => {
  const { w, controls } = await controlled({ monitoring: ['autoResolve: { critical: 1m }'] });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(40 * sec);
    const alert = () => w.monitor.alerts().find((a) => a.ruleId === 'api-down');
    assert.is(alert()?.state, 'firing');
    await controls().pause({ rule: 'api-down' }, undefined, who('noisy during the migration'));
    w.service.mode = 'up';
    await w.run(2 * min);
    assert.ok(w.monitor.checks()[0]!.healthy, 'the check still runs');
    assert.is(alert()?.state, 'firing', 'the paused rule did not see the recovery');
    assert.is(w.monitor.incidents()[0]!.status, 'open');
    await controls().resume({ rule: 'api-down' }, who('migration over'));
    await w.run(20 * sec);
    assert.ok(['ok', 'resolved'].includes(alert()!.state), `the rule sees the recovery once resumed (${alert()!.state})`);
  } finally {
    await w.close();
  }
});

test('maintenance now silences an alert that fires during it, like a configured window, and ends at its deadline', async () => {
  const { w, controls } = await controlled({ monitoring: ['autoResolve: { critical: 1m }'] });
  try {
    w.monitor.start();
    const { change } = await controls().startMaintenance({ durationMs: 5 * min, rules: ['api-down'] }, who('database upgrade'));
    assert.is(change.until, w.clock.now() + 5 * min);
    w.service.mode = 'down';
    await w.run(4 * min + 50 * sec);
    assert.is(w.monitor.alerts().find((a) => a.ruleId === 'api-down')?.state, 'firing', 'evaluation goes on');
    assert.equal(w.monitor.incidents()[0]!.notifiedFiring, [], 'nobody was told during the window');
    assert.equal(w.got('/hook'), []);

    await w.run(30 * sec);
    assert.is(controls().view().maintenance.length, 0, 'the window ended at its deadline');
    const hook = w.got('/hook') as Array<{ status: string }>;
    assert.is(hook.length, 1, 'escalation catches up once it ends');
    assert.is(hook[0]!.status, 'firing');
  } finally {
    await w.close();
  }
});

test('a window ended early stops silencing at once', async () => {
  const { w, controls } = await controlled();
  try {
    w.monitor.start();
    const { change } = await controls().startMaintenance({ durationMs: 60 * min }, who('rack move'));
    w.service.mode = 'down';
    await w.run(40 * sec);
    assert.equal(w.got('/hook'), []);
    await controls().endMaintenance(change.target.slice('maintenance:'.length), who('done early'));
    await w.run(15 * sec);
    assert.is(w.got('/hook').length, 1);
  } finally {
    await w.close();
  }
});

test.run();
