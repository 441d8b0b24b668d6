// Failures, reload with replace(), remove(), and stop() with a grace period on the clock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep, VirtualClock } from '../../src/engine/clock.ts';
import { Scheduler } from '../../src/monitor/schedule/scheduler.ts';
import { line, recorder } from './helpers.ts';

const idle = async (): Promise<void> => {};

test('a run that throws or rejects is counted and logged; the schedule goes on', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => void unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const s = new Scheduler(clock, rec.options);
  let n = 0;
  s.add({
    id: 'flaky',
    cadence: { every: 1_000 },
    run: (() => {
      n++;
      if (n === 1) throw new Error('sync boom');
      if (n === 2) return Promise.reject(new Error('async boom'));
      return Promise.resolve();
    }) as () => Promise<void>,
  });

  s.start();
  await clock.advance(3_000);
  process.off('unhandledRejection', onUnhandled);

  assert.equal(rec.reports.map((r) => r.error), ['sync boom', 'async boom', undefined, undefined]);
  const [stats] = s.stats();
  assert.is(stats?.runs, 4);
  assert.is(stats?.failures, 2);
  assert.equal(rec.logs.filter((l) => l.level === 'error').map((l) => l.line), ['job flaky: run failed: sync boom', 'job flaky: run failed: async boom']);
  assert.equal(unhandled, []);
});

test('a throwing onRun or log callback does not stop the schedule', async () => {
  const clock = new VirtualClock(0);
  let runs = 0;
  const s = new Scheduler(clock, {
    onRun: () => {
      throw new Error('reporter down');
    },
    log: () => {
      throw new Error('logger down');
    },
  });
  s.add({ id: 'j', cadence: { every: 1_000 }, run: async () => void runs++ });
  s.start();
  await clock.advance(2_000);
  assert.is(runs, 3);
});

test('replace() keeps unchanged jobs with their grid and stats, restarts changed ones, adds and removes', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  const body = (tag: string) => async () => void rec.logs.push({ line: tag, level: 'info' });
  s.add({ id: 'same', cadence: { every: 1_000 }, run: body('same v1') });
  s.add({ id: 'changed', cadence: { every: 1_000 }, run: body('changed v1') });
  s.add({ id: 'gone', cadence: { every: 1_000 }, run: body('gone') });
  s.start();
  await clock.advance(2_500);
  const before = s.stats().find((j) => j.id === 'same');

  s.replace([
    { id: 'same', cadence: { every: 1_000 }, run: body('same v2') },
    { id: 'changed', cadence: { every: 400 }, run: body('changed v2') },
    { id: 'fresh', cadence: { every: 1_000 }, run: body('fresh') },
  ]);

  const after = s.stats();
  assert.equal(after.map((j) => j.id), ['same', 'changed', 'fresh']);
  assert.equal(after[0], before, 'unchanged: same counters and the same next slot');
  assert.equal([after[1]?.runs, after[1]?.nextAt], [0, 2_500], 'changed: fresh counters, grid from now');
  assert.equal([after[2]?.runs, after[2]?.nextAt], [0, 2_500]);

  rec.logs.length = 0;
  await clock.advance(500);
  assert.equal(rec.logs.map((l) => l.line).sort(), ['changed v2', 'changed v2', 'fresh', 'same v2'], 'new bodies run; gone does not');
  assert.is(s.stats()[0]?.runs, 4, 'the kept job counts on from 3');
});

test('replace() validates the whole list before changing anything', () => {
  const s = new Scheduler(new VirtualClock(0));
  s.add({ id: 'a', cadence: { every: 1_000 }, run: idle });

  assert.throws(() => s.replace([{ id: 'b', cadence: { every: 1_000 }, run: idle }, { id: 'c', cadence: { cron: 'nope' }, run: idle }]), /job "c": cron "nope"/);
  assert.throws(() => s.replace([{ id: 'b', cadence: { every: 1_000 }, run: idle }, { id: 'b', cadence: { every: 2_000 }, run: idle }]), /job "b": the id appears twice/);
  assert.equal(s.stats().map((j) => j.id), ['a']);
});

test('remove() stops future runs and cancels the timer; the run in flight finishes', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'r', cadence: { every: 1_000 }, run: (r) => sleep(clock, 1_500, r.signal) });
  s.add({ id: 'other', cadence: { every: 1_000 }, run: idle });
  s.start();
  await clock.advance(1_200); // r: run from 0 in flight, slot 1000 missed

  s.remove('r');
  assert.equal(s.stats().map((j) => j.id), ['other']);
  assert.is(clock.pending, 2, 'left: the slot timer of other and the sleep of the run in flight');
  await clock.advance(3_000);

  const runs = rec.reports.filter((r) => r.id === 'r');
  assert.equal(runs.map((r) => [r.startedAt, r.durationMs, r.error]), [[0, 1_500, undefined]], 'finished, not aborted, and no catch-up');
  assert.throws(() => s.remove('r'), /job "r": no such job/);
  await s.stop();
  assert.is(clock.pending, 0);
});

test('stop() with a grace waits for a slow run, then aborts its signal and resolves', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  let signal: AbortSignal | undefined;
  s.add({ id: 'slow', cadence: { every: 60_000 }, run: (r) => ((signal = r.signal), sleep(clock, 10_000, r.signal)) });
  s.start();
  await clock.advance(0);

  let stopped = false;
  const stopping = s.stop({ graceMs: 2_000 }).then(() => (stopped = true));
  await clock.advance(1_999);
  assert.is(stopped, false, 'still inside the grace');
  assert.is(signal?.aborted, false);

  await clock.advance(1);
  await stopping;
  assert.is(stopped, true);
  assert.is(signal?.aborted, true);
  assert.is(clock.pending, 0, 'no timer left: schedule, grace and the aborted sleep are all gone');
  assert.equal(rec.reports.map((r) => [r.durationMs, r.error]), [[2_000, 'aborted']]);
  assert.ok(rec.logs.some((l) => l.level === 'warn' && l.line.includes('after stop() aborted it')));
});

test('stop() resolves as soon as the run ends inside the grace, without aborting it', async () => {
  const clock = new VirtualClock(0);
  const s = new Scheduler(clock);
  let signal: AbortSignal | undefined;
  s.add({ id: 'quick', cadence: { every: 60_000 }, run: (r) => ((signal = r.signal), sleep(clock, 1_000, r.signal)) });
  s.start();
  await clock.advance(0);

  let stoppedAt: number | undefined;
  const stopping = s.stop({ graceMs: 30_000 }).then(() => (stoppedAt = clock.now()));
  await clock.advance(1_000);
  await stopping;

  assert.is(stoppedAt, 1_000);
  assert.is(signal?.aborted, false);
  assert.is(clock.pending, 0, 'the grace timer was cancelled');
  assert.equal(s.stats()[0]?.failures, 0);
});

test('after stop() nothing runs again, no timers are left, and start() refuses', async () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const clock = new VirtualClock(t0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'every', cadence: { every: 1_000 }, run: (r) => sleep(clock, 2_500, r.signal) });
  s.add({ id: 'cron', cadence: { cron: '* * * * *', timeZone: 'Asia/Seoul' }, run: idle });
  s.add({ id: 'staggered', cadence: { every: 5_000 }, staggerMs: 5_000, run: idle });
  s.start();
  await clock.advance(1_500); // 'every' is in flight with a missed slot pending

  const stopping = s.stop(); // no grace: waits for the run in flight, however long
  await clock.advance(1_000);
  await stopping;
  const runs = rec.reports.length;
  await clock.advance(600_000);

  assert.is(clock.pending, 0);
  assert.is(rec.reports.length, runs);
  assert.equal(rec.reports.find((r) => r.id === 'every' && r.startedAt > t0), undefined, 'no catch-up after stop');
  assert.ok(s.stats().every((j) => j.nextAt === undefined && !j.running));
  assert.throws(() => s.start(), /start\(\) after stop\(\)/);
  try {
    await s.runNow('cron');
    assert.unreachable('runNow after stop resolved');
  } catch (e) {
    assert.match((e as Error).message, /runNow\(\) after stop\(\)/);
  }
});

test.run();
