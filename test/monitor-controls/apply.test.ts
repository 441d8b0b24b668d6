// The pure control changes: what each does to the state, the change it records (who, when, why),
// and what it refuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  checkPause, ControlsError, endMaintenance, healingOff, maintenanceWindows, pause, prune, resume, rulePause, setSelfHealing, startMaintenance,
} from '../../src/monitor/controls/apply.ts';
import { emptyControls, keptChanges } from '../../src/monitor/controls/model.ts';
import { activeWindow } from '../../src/monitor/alerts/maintenance.ts';

const t0 = Date.parse('2026-03-02T09:00:00Z');
const stamp = (reason: string, at = t0) => ({ by: 'ops-admin', at, reason });

const throwsCode = (fn: () => unknown, code: string, pattern: RegExp) => {
  try { fn(); } catch (e) {
    assert.instance(e, ControlsError);
    assert.is((e as ControlsError).code, code);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable('expected a ControlsError');
};

test('pause records who, when, why; a second pause of the same target replaces it; all covers checks and rules', () => {
  const a = pause(emptyControls(), { check: 'api' }, t0 + 60_000, stamp('deploy'));
  assert.equal(a.change, { seq: 1, action: 'pause', target: 'check:api', by: 'ops-admin', at: t0, reason: 'deploy', until: t0 + 60_000 });
  assert.is(checkPause(a.state, 'api', t0)?.reason, 'deploy');
  assert.is(checkPause(a.state, 'api', t0 + 60_000), undefined, 'over at `until`');
  assert.is(checkPause(a.state, 'db', t0), undefined);
  const b = pause(a.state, { check: 'api' }, undefined, stamp('longer'));
  assert.is(b.state.pauses.length, 1);
  assert.is(b.state.pauses[0]!.until, undefined);
  const c = pause(b.state, { all: true }, undefined, stamp('network'));
  assert.is(checkPause(c.state, 'db', t0)?.reason, 'network');
  assert.is(rulePause(c.state, 'any-rule', t0)?.reason, 'network');
  assert.is(c.state.seq, 3);
});

test('a pause that would end at once is refused, so it cannot lift a pause unaudited', () => {
  const open = pause(emptyControls(), { check: 'api' }, undefined, stamp('deploy')).state;
  throwsCode(() => pause(open, { check: 'api' }, t0, stamp('zero')), 'E_CONTROL_INVALID', /longer than 0 ms/);
  throwsCode(() => pause(open, { check: 'api' }, t0 - 1, stamp('past')), 'E_CONTROL_INVALID', /longer than 0 ms/);
});

test('resume ends the pause of its target only; resuming what is not paused is a conflict', () => {
  const s = pause(pause(emptyControls(), { all: true }, undefined, stamp('a')).state, { rule: 'r1' }, undefined, stamp('b')).state;
  const r = resume(s, { all: true }, stamp('done'));
  assert.equal(r.state.pauses.map((p) => p.target), [{ rule: 'r1' }]);
  assert.is(r.change.action, 'resume');
  throwsCode(() => resume(r.state, { check: 'api' }, stamp('x')), 'E_CONTROL_CONFLICT', /health check api is not paused; paused now: rule:r1/);
});

test('self-healing: off everywhere or per rule, on again; turning on what is on is a conflict', () => {
  const off = setSelfHealing(emptyControls(), false, 'r1', stamp('restarts loop'));
  assert.is(healingOff(off.state, 'r1')?.reason, 'restarts loop');
  assert.is(healingOff(off.state, 'r2'), undefined);
  const all = setSelfHealing(off.state, false, undefined, stamp('incident review'));
  assert.is(healingOff(all.state, 'r2')?.reason, 'incident review');
  assert.equal([all.change.action, all.change.target], ['self-healing-off', 'self-healing']);
  const on = setSelfHealing(all.state, true, undefined, stamp('review over'));
  assert.is(healingOff(on.state, 'r2'), undefined);
  assert.is(healingOff(on.state, 'r1')?.reason, 'restarts loop', 'the rule stays off');
  throwsCode(() => setSelfHealing(on.state, true, undefined, stamp('x')), 'E_CONTROL_CONFLICT', /self-healing is not turned off/);
});

test('maintenance now: a window from now for its duration, matching rules and checks, ended early or at its deadline', () => {
  const m = startMaintenance(emptyControls(), { durationMs: 30 * 60_000, checks: ['api'], rules: ['r1'] }, stamp('upgrade'));
  assert.equal([m.change.action, m.change.target, m.change.until], ['maintenance-start', 'maintenance:maint-1', t0 + 30 * 60_000]);
  const windows = maintenanceWindows(m.state);
  assert.ok(activeWindow(windows, t0 + 1, { ruleId: 'r1', labels: {} }));
  assert.ok(activeWindow(windows, t0 + 1, { ruleId: 'other', labels: { check: 'api' } }));
  assert.is(activeWindow(windows, t0 + 1, { ruleId: 'other', labels: { check: 'db' } }), undefined);
  assert.is(activeWindow(windows, t0 + 30 * 60_000, { ruleId: 'r1', labels: {} }), undefined, 'over at its end');
  assert.equal(prune(m.state, t0 + 30 * 60_000).maintenance, []);
  const all = startMaintenance(m.state, { durationMs: 1000 }, stamp('everything'));
  assert.ok(activeWindow(maintenanceWindows(all.state), t0, { ruleId: 'x', labels: {} }));
  const ended = endMaintenance(all.state, 'maint-1', stamp('done early', t0 + 500));
  assert.equal(ended.state.maintenance.map((w) => w.id), ['maint-2']);
  throwsCode(() => endMaintenance(ended.state, 'maint-1', stamp('again')), 'E_CONTROL_UNKNOWN', /no active maintenance window `maint-1`; active: maint-2/);
  throwsCode(() => startMaintenance(emptyControls(), { durationMs: 0 }, stamp('x')), 'E_CONTROL_INVALID', /longer than 0 ms/);
});

test('only the newest changes are kept, while the count goes on', () => {
  let s = emptyControls();
  for (let i = 0; i < keptChanges + 5; i++) s = pause(s, { check: 'api' }, undefined, stamp(`r${i}`, t0 + i)).state;
  assert.is(s.changes.length, keptChanges);
  assert.is(s.seq, keptChanges + 5);
  assert.is(s.changes.at(-1)!.reason, `r${keptChanges + 4}`);
});

test.run();
