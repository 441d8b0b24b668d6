// Scale: ten thousand jobs cost one timer each, and one slot of every one of them runs quickly.
// The clock is JumpClock (a heap, settling once per instant), so the time measured is the
// scheduler's own. The wall-clock bound is loose so a loaded machine does not fail it; the
// timer counts are exact.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Scheduler } from '../../src/monitor/schedule/scheduler.ts';
import { JumpClock } from './helpers.ts';

test('10,000 staggered jobs: one timer each, one slot of each runs, fast', async () => {
  const clock = new JumpClock(0, { settleEach: false });
  const scheduler = new Scheduler(clock);
  let ran = 0;
  const began = performance.now();

  for (let i = 0; i < 10_000; i++) scheduler.add({ id: `plugin-${i}`, cadence: { every: 60_000 }, staggerMs: 1_000, run: async () => void ran++ });
  scheduler.start();
  assert.is(clock.pending, 10_000, 'one timer per job');
  await clock.advance(999);
  const ms = performance.now() - began;

  assert.is(ran, 10_000);
  assert.is(clock.timersSet, 20_000, 'one first timer per job, then one next-slot timer per run');
  assert.is(clock.pending, 10_000);
  assert.ok(scheduler.stats().every((j) => j.runs === 1 && j.nextAt! >= 60_000));
  assert.ok(ms < 4_000, `took ${Math.round(ms)} ms`);

  await scheduler.stop();
  assert.is(clock.pending, 0);
});

test.run();
