// Late timers: the clock moved past a slot without firing its timer (a busy process, a machine
// that slept). The job runs once, for the latest due slot, with the lag recorded and the earlier
// due slots counted as missed, then resumes on its grid.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep } from '../../src/engine/clock.ts';
import { Scheduler } from '../../src/monitor/schedule/scheduler.ts';
import { JumpClock, line, recorder } from './helpers.ts';

const idle = async (): Promise<void> => {};

test('a timer late by less than a slot: the run records the lag and misses nothing', async () => {
  const clock = new JumpClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'eval', cadence: { every: 1_000 }, run: idle });
  s.start();
  await clock.advance(0);

  clock.jump(1_300);
  await clock.advance(0);

  assert.equal(rec.reports.map(line), ['eval s=0 t=0 lag=0 missed=0', 'eval s=1000 t=1300 lag=300 missed=0']);
  assert.equal(s.stats()[0], { id: 'eval', runs: 2, failures: 0, missed: 0, lastLagMs: 300, maxLagMs: 300, running: false, nextAt: 2_000, lastStartedAt: 1_300, lastDurationMs: 0 });
});

test('a timer late by several slots runs the job once, counts the skipped slots, and rejoins the grid', async () => {
  const clock = new JumpClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'eval', cadence: { every: 1_000 }, run: idle });
  s.start();
  await clock.advance(0);

  clock.jump(3_500); // the slots at 1000, 2000 and 3000 are all due
  await clock.advance(0);
  assert.is(s.stats()[0]?.nextAt, 4_000, 'the next slot is the first strictly after now');
  await clock.advance(500);

  assert.equal(rec.reports.map(line), [
    'eval s=0 t=0 lag=0 missed=0',
    'eval s=3000 t=3500 lag=500 missed=2',
    'eval s=4000 t=4000 lag=0 missed=0',
  ]);
  const [stats] = s.stats();
  assert.is(stats?.missed, 2);
  assert.is(stats?.maxLagMs, 500);
  assert.is(stats?.lastLagMs, 0);
  assert.ok(rec.logs.some((l) => l.level === 'warn' && /eval: timer fired 2500 ms late, skipped 2 slot/.test(l.line)));
});

test('a late timer landing exactly on a slot runs that slot with no lag', async () => {
  const clock = new JumpClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'eval', cadence: { every: 1_000 }, run: idle });
  s.start();
  await clock.advance(0);

  clock.jump(5_000);
  await clock.advance(0);

  assert.equal(rec.reports.map(line).slice(1), ['eval s=5000 t=5000 lag=0 missed=4']);
  assert.is(s.stats()[0]?.nextAt, 6_000);
});

test('a late timer while a run is in flight counts every due slot as missed; one catch-up follows', async () => {
  const clock = new JumpClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  let n = 0;
  s.add({ id: 'slow', cadence: { every: 1_000 }, run: (r) => sleep(clock, n++ === 0 ? 3_800 : 0, r.signal) });
  s.start();
  await clock.advance(0);

  clock.jump(3_500); // the run is still in flight; 1000, 2000 and 3000 are due
  await clock.advance(0);
  assert.is(s.stats()[0]?.missed, 3);
  await clock.advance(300); // the first run ends at 3800

  assert.equal(rec.reports.map(line), ['slow s=0 t=0 lag=0 missed=0', 'slow s=3000 t=3800 lag=800 missed=3']);
  assert.is(s.stats()[0]?.nextAt, 4_000);
});

test.run();
