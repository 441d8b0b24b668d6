// Cron jobs: slots are the cron package's occurrences in the job's time zone (UTC by default),
// shifted by the stagger offset; a late timer runs once for the latest occurrence.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock, type Clock } from '../../src/engine/clock.ts';
import { cadenceOf } from '../../src/monitor/schedule/cadence.ts';
import { cronCountCap, gridFor } from '../../src/monitor/schedule/grid.ts';
import { maxTimerMs, Scheduler } from '../../src/monitor/schedule/scheduler.ts';
import { staggerOffset } from '../../src/monitor/schedule/stagger.ts';
import { JumpClock, recorder } from './helpers.ts';

const ms = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();
const idle = async (): Promise<void> => {};
const hours = (n: number): number => n * 3_600_000;

test('cron slots in UTC: the occurrences strictly after start()', async () => {
  const clock = new VirtualClock(ms('2026-03-01T00:00:30Z'));
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'hourly', cadence: { cron: '0 * * * *' }, run: idle });

  s.start();
  await clock.advance(hours(3));

  assert.equal(rec.reports.map((r) => iso(r.scheduledAt)), ['2026-03-01T01:00:00.000Z', '2026-03-01T02:00:00.000Z', '2026-03-01T03:00:00.000Z']);
  assert.ok(rec.reports.every((r) => r.lagMs === 0 && r.startedAt === r.scheduledAt));
  assert.is(iso(s.stats()[0]!.nextAt!), '2026-03-01T04:00:00.000Z');
});

test('cron in Europe/Berlin follows local time across the spring DST change', async () => {
  const clock = new VirtualClock(ms('2026-03-27T12:00:00Z'));
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'morning', cadence: { cron: '0 9 * * *', timeZone: 'Europe/Berlin' }, run: idle });

  s.start();
  await clock.advance(hours(72));

  // 09:00 CET is 08:00Z; from Sunday 29 March 09:00 CEST is 07:00Z.
  assert.equal(rec.reports.map((r) => iso(r.scheduledAt)), ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
});

test('a six-field cron schedules by the second', async () => {
  const clock = new VirtualClock(ms('2026-01-01T00:00:00Z'));
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'fast', cadence: { cron: '*/20 * * * * *' }, run: idle });

  s.start();
  await clock.advance(60_000);

  assert.equal(rec.reports.map((r) => iso(r.scheduledAt)), ['2026-01-01T00:00:20.000Z', '2026-01-01T00:00:40.000Z', '2026-01-01T00:01:00.000Z']);
});

test('stagger shifts every cron occurrence by the job’s offset', async () => {
  const clock = new VirtualClock(ms('2026-01-01T00:30:00Z'));
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  const offset = staggerOffset('backup', 600_000);
  assert.ok(offset > 0, 'this id has a non-zero offset');
  s.add({ id: 'backup', cadence: { cron: '0 * * * *' }, staggerMs: 600_000, run: idle });

  s.start();
  await clock.advance(hours(2));

  assert.equal(rec.reports.map((r) => r.scheduledAt), [ms('2026-01-01T01:00:00Z') + offset, ms('2026-01-01T02:00:00Z') + offset]);
});

test('a late cron timer runs once for the latest occurrence and counts the rest as missed', async () => {
  const clock = new JumpClock(ms('2026-03-01T00:30:00Z'));
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'hourly', cadence: { cron: '0 * * * *' }, run: idle });
  s.start();

  clock.jump(hours(4) + 40 * 60_000); // 05:10, the 01:00 timer has not fired
  await clock.advance(0);

  assert.equal(rec.reports.map((r) => [iso(r.scheduledAt), iso(r.startedAt), r.lagMs, r.missed]), [
    ['2026-03-01T05:00:00.000Z', '2026-03-01T05:10:00.000Z', 600_000, 4],
  ]);
  assert.is(s.stats()[0]?.missed, 4);
  assert.is(iso(s.stats()[0]!.nextAt!), '2026-03-01T06:00:00.000Z');
});

test('a very long gap on a per-second cron stops counting at the cap and still finds the latest slot', () => {
  const start = ms('2026-01-01T00:00:00Z');
  const grid = gridFor(cadenceOf({ id: 'tick', cadence: { cron: '* * * * * *' }, run: idle }, start), start, 0);
  const now = start + hours(2) + 1_234;

  const due = grid.due(grid.first, now);

  assert.equal(due, { count: cronCountCap, latest: start + hours(2) + 1_000, next: start + hours(2) + 2_000, capped: true });
});

test('a short gap on a cron grid is counted exactly', () => {
  const start = ms('2026-01-01T00:00:00Z');
  const grid = gridFor(cadenceOf({ id: 'm', cadence: { cron: '*/5 * * * *' }, run: idle }, start), start, 0);

  assert.equal(grid.due(grid.first, start + 29 * 60_000), { count: 5, latest: start + 25 * 60_000, next: start + 30 * 60_000, capped: false });
});

test('a yearly cron is reached through timers no longer than setTimeout allows', async () => {
  const clock = new VirtualClock(ms('2026-01-02T00:00:00Z'));
  const asked: number[] = [];
  const spy: Clock = { now: () => clock.now(), setTimer: (wait, fn) => (asked.push(wait), clock.setTimer(wait, fn)) };
  const rec = recorder();
  const s = new Scheduler(spy, rec.options);
  s.add({ id: 'yearly', cadence: { cron: '0 0 1 1 *' }, run: idle });

  s.start();
  await clock.advance(hours(24 * 363));
  assert.is(rec.reports.length, 0, 'nothing fires early');
  await clock.advance(hours(48));

  assert.equal(rec.reports.map((r) => [iso(r.startedAt), r.lagMs]), [['2027-01-01T00:00:00.000Z', 0]]);
  assert.ok(asked.every((wait) => wait <= maxTimerMs), `longest wait asked: ${Math.max(...asked)} ms`);
  assert.is(clock.pending, 1, 'still one timer for the job');
});

test.run();
