// Runs of one job never overlap: slots that arrive while a run is in flight are counted as
// missed and replaced by one catch-up run; runNow() joins a run in flight instead of starting one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep, VirtualClock } from '../../src/engine/clock.ts';
import { Scheduler, type JobRun } from '../../src/monitor/schedule/scheduler.ts';
import { concurrency, line, recorder } from './helpers.ts';

/** A body whose n-th run (from 0) takes durations[n] ms on the clock, or `rest` ms after those. */
function timed(clock: VirtualClock, durations: number[], rest = 0, seen = concurrency()): (r: JobRun) => Promise<void> {
  let n = 0;
  return async (r) => {
    const ms = durations[n++] ?? rest;
    seen.enter();
    try {
      await sleep(clock, ms, r.signal);
    } finally {
      seen.leave();
    }
  };
}

test('a slot during a run is missed, not overlapped; the end of the run brings one catch-up', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const seen = concurrency();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'scrape', cadence: { every: 1_000 }, run: timed(clock, [2_500], 100, seen) });

  s.start();
  await clock.advance(4_500);

  assert.is(seen.max, 1, 'never two runs at once');
  assert.equal(rec.reports.map(line), [
    'scrape s=0 t=0 lag=0 missed=0',
    'scrape s=2000 t=2500 lag=500 missed=2', // catch-up for the slots at 1000 and 2000
    'scrape s=3000 t=3000 lag=0 missed=0', // back on the grid
    'scrape s=4000 t=4000 lag=0 missed=0',
  ]);
  const [stats] = s.stats();
  assert.is(stats?.missed, 2);
  assert.is(stats?.runs, 4);
  assert.is(stats?.maxLagMs, 500);
  assert.is(stats?.lastLagMs, 0);
  assert.ok(rec.logs.some((l) => l.level === 'warn' && l.line.includes('scrape') && l.line.includes('still in flight')));
});

test('stats show the missed slots and the run in flight while it is still running', async () => {
  const clock = new VirtualClock(0);
  const s = new Scheduler(clock);
  s.add({ id: 'long', cadence: { every: 1_000 }, run: timed(clock, [10_000]) });

  s.start();
  await clock.advance(3_500);

  assert.equal(s.stats(), [{ id: 'long', runs: 1, failures: 0, missed: 3, lastLagMs: 0, maxLagMs: 0, running: true, nextAt: 4_000, lastStartedAt: 0 }]);
});

test('runNow() while a run is in flight waits for that run and starts no other', async () => {
  const clock = new VirtualClock(0);
  const seen = concurrency();
  const s = new Scheduler(clock);
  s.add({ id: 'sync', cadence: { every: 60_000 }, run: timed(clock, [1_000], 1_000, seen) });
  s.start();
  await clock.advance(200);

  let joined = false;
  const wait = s.runNow('sync').then(() => (joined = true));
  await clock.advance(700);
  assert.is(joined, false, 'still waiting at 900');
  assert.is(s.stats()[0]?.runs, 1);

  await clock.advance(100);
  await wait;
  assert.is(joined, true);
  assert.is(s.stats()[0]?.runs, 1, 'runNow started no second run');
  assert.is(seen.max, 1);
});

test('runNow() on an idle job runs it at once, off the grid, and resolves when it ends', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'sync', cadence: { every: 60_000 }, run: timed(clock, [], 300) });
  s.start();
  await clock.advance(5_000);

  let done = false;
  const run = s.runNow('sync').then(() => (done = true));
  assert.is(s.stats()[0]?.running, true);
  await clock.advance(300);
  await run;

  assert.is(done, true);
  assert.equal(rec.reports.map(line), ['sync s=0 t=0 lag=0 missed=0', 'sync s=5000 t=5000 lag=0 missed=0']);
  assert.is(s.stats()[0]?.nextAt, 60_000, 'the grid did not move');
});

test('runNow() works before start() and rejects for an unknown id', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'once', cadence: { every: 60_000 }, run: async () => {} });

  await s.runNow('once');
  assert.is(rec.reports.length, 1);

  try {
    await s.runNow('nope');
    assert.unreachable('runNow on an unknown id resolved');
  } catch (e) {
    assert.match((e as Error).message, /job "nope": no such job/);
  }
});

test('a slot during a runNow() run is missed and caught up like any other', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'j', cadence: { every: 1_000 }, run: timed(clock, [0, 1_500]) });
  s.start();
  await clock.advance(0);
  await clock.advance(400);

  const manual = s.runNow('j'); // 400 → 1900, over the 1000 slot
  await clock.advance(1_500);
  await manual;

  assert.equal(rec.reports.map(line), ['j s=0 t=0 lag=0 missed=0', 'j s=400 t=400 lag=0 missed=0', 'j s=1000 t=1900 lag=900 missed=1']);
});

test.run();
