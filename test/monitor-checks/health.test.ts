// The threshold tracker as a table of ok/fail sequences, and the bounded history ring.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { healthStep, History, type HealthState, type Thresholds } from '../../src/monitor/checks/health.ts';

/** Runs a sequence like 'ffs' (f = failure, s = success) and returns each step's healthy flag and change. */
function run(sequence: string, thresholds?: Thresholds): { healthy: string; changes: string[]; last: HealthState } {
  let state: HealthState | undefined;
  let healthy = '';
  const changes: string[] = [];
  for (const [i, ch] of [...sequence].entries()) {
    state = healthStep(state, { ok: ch === 's' }, thresholds).next;
    healthy += state.healthy ? 'H' : 'U';
    if (state.changed) changes.push(`${i}:${state.changed}`);
  }
  return { healthy, changes, last: state! };
}

const cases: Array<{ name: string; seq: string; thresholds?: Thresholds; healthy: string; changes: string[] }> = [
  { name: 'starts healthy and stays so on success', seq: 'ss', healthy: 'HH', changes: [] },
  { name: 'two failures are not enough', seq: 'ff', healthy: 'HH', changes: [] },
  { name: '3 failures in a row → unhealthy', seq: 'fff', healthy: 'HHU', changes: ['2:unhealthy'] },
  { name: 'further failures do not report again', seq: 'fffff', healthy: 'HHUUU', changes: ['2:unhealthy'] },
  { name: '2 successes in a row → healthy again', seq: 'fffss', healthy: 'HHUUH', changes: ['2:unhealthy', '4:healthy'] },
  { name: 'interleaved failures never reach the threshold', seq: 'ffsffsff', healthy: 'HHHHHHHH', changes: [] },
  { name: 'interleaved success resets the recovery', seq: 'fffsfsfss', healthy: 'HHUUUUUUH', changes: ['2:unhealthy', '8:healthy'] },
  { name: 'custom thresholds', seq: 'fs', thresholds: { failureThreshold: 1, successThreshold: 1 }, healthy: 'UH', changes: ['0:unhealthy', '1:healthy'] },
];
for (const c of cases) {
  test(c.name, () => {
    const r = run(c.seq, c.thresholds);
    assert.is(r.healthy, c.healthy);
    assert.equal(r.changes, c.changes);
  });
}

test('counters track the current streak', () => {
  assert.equal(run('fffs').last, { healthy: false, consecutiveFailures: 0, consecutiveSuccesses: 1 });
  assert.equal(run('sff').last, { healthy: true, consecutiveFailures: 2, consecutiveSuccesses: 0 });
});

test('history keeps the newest `capacity` items, oldest first', () => {
  const h = new History<number>(3);
  assert.is(h.latest, undefined);
  assert.equal(h.list(), []);
  for (let i = 1; i <= 7; i++) h.push(i);
  assert.equal(h.list(), [5, 6, 7]);
  assert.is(h.latest, 7);
  assert.is(h.size, 3);
});

test('history defaults to 100 and rejects a capacity below 1', () => {
  const h = new History<number>();
  for (let i = 0; i < 250; i++) h.push(i);
  assert.is(h.list().length, 100);
  assert.is(h.list()[0], 150);
  assert.is(h.latest, 249);
  assert.throws(() => new History(0), /capacity 0/);
});

test.run();
