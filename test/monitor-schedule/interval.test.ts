// Interval jobs: fixed-rate slots anchored at start(), stagger offsets, and spec validation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep, VirtualClock } from '../../src/engine/clock.ts';
import { Scheduler, type JobSpec } from '../../src/monitor/schedule/scheduler.ts';
import { staggerOffset } from '../../src/monitor/schedule/stagger.ts';
import { line, recorder } from './helpers.ts';

const idle = async (): Promise<void> => {};

test('interval slots are firstAt + k·every from start(), each run on time', async () => {
  const clock = new VirtualClock(10_000);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'probe', cadence: { every: 1_000 }, run: idle });

  s.start();
  await clock.advance(3_500);

  assert.equal(rec.reports.map(line), [
    'probe s=10000 t=10000 lag=0 missed=0',
    'probe s=11000 t=11000 lag=0 missed=0',
    'probe s=12000 t=12000 lag=0 missed=0',
    'probe s=13000 t=13000 lag=0 missed=0',
  ]);
  assert.is(s.stats()[0]?.nextAt, 14_000);
  assert.is(s.stats()[0]?.runs, 4);
});

test('fixed rate: a run that takes most of the interval does not push later slots', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'slow', cadence: { every: 1_000 }, run: (r) => sleep(clock, 700, r.signal) });

  s.start();
  await clock.advance(4_000);

  assert.equal(rec.reports.map((r) => r.startedAt), [0, 1_000, 2_000, 3_000]);
  assert.equal(rec.reports.map((r) => r.durationMs), [700, 700, 700, 700]);
  assert.is(s.stats()[0]?.lastDurationMs, 700);
  assert.is(s.stats()[0]?.running, true, 'the 4000 slot has just started');
});

test('nothing runs before start(); start() anchors the grid at its own time', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.add({ id: 'later', cadence: { every: 1_000 }, run: idle });

  await clock.advance(5_000);
  assert.is(rec.reports.length, 0);
  assert.is(clock.pending, 0);

  s.start();
  await clock.advance(1_500);
  assert.equal(rec.reports.map((r) => r.scheduledAt), [5_000, 6_000]);
});

test('a job added after start() anchors its grid at the time it was added', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  s.start();
  await clock.advance(2_500);

  s.add({ id: 'new', cadence: { every: 1_000 }, run: idle });
  await clock.advance(1_000);

  assert.equal(rec.reports.map((r) => r.scheduledAt), [2_500, 3_500]);
});

test('stagger spreads the first runs of 100 jobs over the window, the same way every time', async () => {
  const firstRuns = async (): Promise<Map<string, number[]>> => {
    const clock = new VirtualClock(0);
    const starts = new Map<string, number[]>();
    const s = new Scheduler(clock);
    for (let i = 0; i < 100; i++) {
      const id = `check-${i}`;
      s.add({ id, cadence: { every: 60_000 }, staggerMs: 10_000, run: async (r) => void starts.set(id, [...(starts.get(id) ?? []), r.startedAt]) });
    }
    s.start();
    await clock.advance(70_000);
    await s.stop();
    return starts;
  };

  const a = await firstRuns();
  const b = await firstRuns();

  assert.is(a.size, 100);
  const firsts = [...a.values()].map((runs) => runs[0]!);
  assert.ok(firsts.every((t) => t >= 0 && t < 10_000), 'every first run inside [0, 10000)');
  const buckets = new Set(firsts.map((t) => Math.floor(t / 1_000)));
  assert.is(buckets.size, 10, 'every tenth of the window gets at least one job');
  assert.ok(new Set(firsts).size >= 90, 'almost no two jobs share an offset');
  for (const [id, runs] of a) {
    assert.equal(runs, b.get(id), `${id} runs at the same times on a second scheduler`);
    assert.equal(runs, [staggerOffset(id, 10_000), staggerOffset(id, 10_000) + 60_000], `${id} keeps its offset on the grid`);
  }
});

test('without staggerMs every job starts at start()', async () => {
  const clock = new VirtualClock(0);
  const rec = recorder();
  const s = new Scheduler(clock, rec.options);
  for (let i = 0; i < 5; i++) s.add({ id: `j${i}`, cadence: { every: 60_000 }, run: idle });
  s.start();
  await clock.advance(0);
  assert.equal(rec.reports.map((r) => r.startedAt), [0, 0, 0, 0, 0]);
});

const invalid: Array<[string, JobSpec, RegExp]> = [
  ['both every and cron', { id: 'both', cadence: { every: 1_000, cron: '* * * * *' }, run: idle }, /job "both": give a cadence of exactly one of every or cron, found both/],
  // From an untyped caller: the type allows no job without a cadence.
  ['neither every nor cron', { id: 'none', cadence: {} as JobSpec['cadence'], run: idle }, /job "none": give a cadence of exactly one of every or cron, found neither/],
  ['no cadence at all', { id: 'missing', run: idle } as unknown as JobSpec, /job "missing": cadence must be \{ every \} or \{ cron \}, found undefined/],
  ['every below 1', { id: 'zero', cadence: { every: 0 }, run: idle }, /job "zero": every must be a number ≥ 1, found 0/],
  ['every not a number', { id: 'nan', cadence: { every: Number.NaN }, run: idle }, /job "nan": every must be a number ≥ 1, found NaN/],
  ['cron out of range', { id: 'minute', cadence: { cron: '61 * * * *' }, run: idle }, /job "minute": cron "61 \* \* \* \*" in UTC: the minute value 61 is out of range 0-59/],
  ['cron with 3 fields', { id: 'short', cadence: { cron: '* * *' }, run: idle }, /job "short": cron "\* \* \*" in UTC: it has 3 fields/],
  ['cron that never matches', { id: 'feb31', cadence: { cron: '0 0 31 2 *' }, run: idle }, /job "feb31": cron "0 0 31 2 \*" in UTC: .*No execution date/],
  ['unknown time zone', { id: 'mars', cadence: { cron: '0 9 * * *', timeZone: 'Mars/Olympus' }, run: idle }, /job "mars": cron "0 9 \* \* \*" in Mars\/Olympus: Invalid timezone/],
  ['timeZone with an interval', { id: 'tz', cadence: { every: 1_000, timeZone: 'Europe/Berlin' }, run: idle }, /job "tz": timeZone "Europe\/Berlin" only applies to a cron schedule/],
  ['negative stagger', { id: 'neg', cadence: { every: 1_000 }, staggerMs: -1, run: idle }, /job "neg": staggerMs must be a number ≥ 0, found -1/],
];
for (const [name, spec, message] of invalid) {
  test(`add() rejects ${name}`, () => {
    const s = new Scheduler(new VirtualClock(0));
    assert.throws(() => s.add(spec), (e: unknown) => e instanceof Error && message.test(e.message));
    assert.equal(s.stats(), []);
  });
}

test('add() rejects a duplicate id and keeps the first job', () => {
  const s = new Scheduler(new VirtualClock(0));
  s.add({ id: 'dup', cadence: { every: 1_000 }, run: idle });
  assert.throws(() => s.add({ id: 'dup', cadence: { every: 5_000 }, run: idle }), /job "dup": a job with this id is already scheduled/);
  assert.equal(s.stats().map((j) => j.id), ['dup']);
});

test.run();
