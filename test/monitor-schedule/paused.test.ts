// A job that answers `paused()` lets its slots pass without a run: they are counted as paused (not
// missed), the stats say who paused it and why, and the grid goes on, so the first slot after the
// pause runs on time. A catch-up owed from before the pause is dropped while paused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep, VirtualClock } from '../../src/engine/clock.ts';
import { Scheduler, type JobPause } from '../../src/monitor/schedule/scheduler.ts';
import { line, recorder } from './helpers.ts';

test('slots pass while paused; the next slot after the pause runs on the grid', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  let pause: JobPause | undefined;
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'check:api', cadence: { every: 1_000 }, run: async () => {}, paused: () => pause });
  s.start();
  await clock.advance(1_500);
  pause = { by: 'ops-admin', at: 1_500, reason: 'deploy' };
  await clock.advance(3_000);
  const stats = s.stats()[0]!;
  assert.equal([stats.runs, stats.missed, stats.pausedSlots, stats.paused], [2, 0, 3, pause]);
  pause = undefined;
  await clock.advance(1_000);
  assert.equal(rec.reports.map(line), [
    'check:api s=0 t=0 lag=0 missed=0',
    'check:api s=1000 t=1000 lag=0 missed=0',
    'check:api s=5000 t=5000 lag=0 missed=0',
  ]);
  assert.is(s.stats()[0]!.paused, undefined);
  await s.stop();
});

test('a catch-up owed when the job was paused mid-run is not run', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  let pause: JobPause | undefined;
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'slow', cadence: { every: 1_000 }, run: (r) => sleep(clock, 1_500, r.signal), paused: () => pause });
  s.start();
  await clock.advance(1_200);
  pause = { by: 'ops-admin', at: 1_200, reason: 'stop it' };
  await clock.advance(1_000);
  assert.equal(rec.reports.map(line), ['slow s=0 t=0 lag=0 missed=0']);
  await s.stop();
});

test.run();
