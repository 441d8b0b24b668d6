// The alert state machine, table-driven: each case is a sequence of evaluations (time in ms,
// condition) and the state and transitions after each, written as `at condition -> state kinds`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conditionChanged, step, type AlertTiming } from '../../src/monitor/alerts/state.ts';
import { drive, type Row } from './helpers.ts';

const rule: AlertTiming = { forMs: 60_000, keepFiringForMs: 120_000 };

const cases: Array<{ name: string; rule?: AlertTiming; rows: Row[]; expect: string[] }> = [
  {
    name: 'pending, then firing once the condition held for `for`',
    rows: [[0, 'ok'], [30_000, 'firing'], [60_000, 'firing'], [90_000, 'firing'], [120_000, 'firing']],
    expect: ['0 ok -> ok', '30000 firing -> pending pending', '60000 firing -> pending', '90000 firing -> firing firing', '120000 firing -> firing'],
  },
  {
    name: 'a blip shorter than `for` never fires and returns to ok silently',
    rows: [[0, 'firing'], [30_000, 'firing'], [59_999, 'ok'], [90_000, 'firing'], [120_000, 'ok']],
    expect: ['0 firing -> pending pending', '30000 firing -> pending', '59999 ok -> ok', '90000 firing -> pending pending', '120000 ok -> ok'],
  },
  {
    name: 'for = 0 fires on the first firing evaluation, without pending',
    rule: { forMs: 0, keepFiringForMs: 0 },
    rows: [[0, 'firing'], [10_000, 'ok'], [20_000, 'ok']],
    expect: ['0 firing -> firing firing', '10000 ok -> resolved resolved', '20000 ok -> ok'],
  },
  {
    name: 'keepFiringFor holds firing through a short clear',
    rows: [[0, 'firing'], [60_000, 'firing'], [120_000, 'ok'], [180_000, 'ok'], [200_000, 'firing'], [260_000, 'ok']],
    expect: ['0 firing -> pending pending', '60000 firing -> firing firing', '120000 ok -> firing', '180000 ok -> firing', '200000 firing -> firing', '260000 ok -> firing'],
  },
  {
    name: 'keepFiringFor resolves once the condition stayed clear for it; resolved is reported exactly once',
    rows: [[0, 'firing'], [60_000, 'firing'], [120_000, 'ok'], [180_000, 'ok'], [240_000, 'ok'], [300_000, 'ok'], [360_000, 'ok']],
    expect: ['0 firing -> pending pending', '60000 firing -> firing firing', '120000 ok -> firing', '180000 ok -> firing', '240000 ok -> resolved resolved', '300000 ok -> ok', '360000 ok -> ok'],
  },
  {
    name: 'a resolved alert that fires again starts pending afresh',
    rule: { forMs: 60_000, keepFiringForMs: 0 },
    rows: [[0, 'firing'], [60_000, 'firing'], [70_000, 'ok'], [80_000, 'firing'], [140_000, 'firing']],
    expect: ['0 firing -> pending pending', '60000 firing -> firing firing', '70000 ok -> resolved resolved', '80000 firing -> pending pending', '140000 firing -> firing firing'],
  },
  {
    name: 'nodata is its own state, reported once, and recovers to ok silently',
    rows: [[0, 'ok'], [10_000, 'nodata'], [20_000, 'nodata'], [30_000, 'ok'], [40_000, 'nodata']],
    expect: ['0 ok -> ok', '10000 nodata -> nodata nodata', '20000 nodata -> nodata', '30000 ok -> ok', '40000 nodata -> nodata nodata'],
  },
  {
    name: 'a pending alert that goes nodata is dropped without resolving; its `for` restarts',
    rows: [[0, 'firing'], [30_000, 'nodata'], [40_000, 'firing'], [90_000, 'firing'], [100_000, 'firing']],
    expect: ['0 firing -> pending pending', '30000 nodata -> nodata nodata', '40000 firing -> pending pending', '90000 firing -> pending', '100000 firing -> firing firing'],
  },
  {
    name: 'a firing alert that goes nodata keeps firing for keepFiringFor, then resolves into nodata',
    rows: [[0, 'firing'], [60_000, 'firing'], [120_000, 'nodata'], [180_000, 'nodata'], [240_000, 'nodata'], [300_000, 'nodata'], [360_000, 'ok']],
    expect: ['0 firing -> pending pending', '60000 firing -> firing firing', '120000 nodata -> firing', '180000 nodata -> firing', '240000 nodata -> nodata resolved,nodata', '300000 nodata -> nodata', '360000 ok -> ok'],
  },
  {
    name: 'the keepFiringFor countdown starts at the first evaluation that did not fire, ok or nodata',
    rows: [[0, 'firing'], [60_000, 'firing'], [120_000, 'ok'], [180_000, 'nodata'], [240_000, 'ok']],
    expect: ['0 firing -> pending pending', '60000 firing -> firing firing', '120000 ok -> firing', '180000 nodata -> firing', '240000 ok -> resolved resolved'],
  },
  {
    name: 'an error is its own state, reported when it begins, and recovers to ok silently',
    rows: [[0, 'ok'], [10_000, 'error'], [20_000, 'error'], [30_000, 'ok']],
    expect: ['0 ok -> ok', '10000 error -> error error', '20000 error -> error', '30000 ok -> ok'],
  },
  {
    name: 'an error never resolves a firing alert: it stays firing and the error is reported once',
    rows: [[0, 'firing'], [60_000, 'firing'], [120_000, 'error'], [500_000, 'error'], [560_000, 'firing']],
    expect: ['0 firing -> pending pending', '60000 firing -> firing firing', '120000 error -> firing error', '500000 error -> firing', '560000 firing -> firing'],
  },
  {
    name: 'an error during the keepFiringFor hold cannot resolve; the next ok past the hold does',
    rows: [[0, 'firing'], [60_000, 'firing'], [120_000, 'ok'], [300_000, 'error'], [310_000, 'ok']],
    expect: ['0 firing -> pending pending', '60000 firing -> firing firing', '120000 ok -> firing', '300000 error -> firing error', '310000 ok -> resolved resolved'],
  },
  {
    name: 'an error never raises: a pending alert stops pending and its `for` restarts',
    rows: [[0, 'firing'], [50_000, 'error'], [60_000, 'firing'], [110_000, 'firing'], [120_000, 'firing']],
    expect: ['0 firing -> pending pending', '50000 error -> error error', '60000 firing -> pending pending', '110000 firing -> pending', '120000 firing -> firing firing'],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const { lines } = drive(c.rows, c.rule ?? rule);
    assert.equal(lines, c.expect);
  });
}

test('the state records when it became active, fired and resolved, and a bounded history', () => {
  const { final } = drive([[0, 'firing'], [60_000, 'firing'], [120_000, 'ok'], [240_000, 'ok']], rule);

  assert.equal(final, {
    state: 'resolved', since: 240_000, firedAt: 60_000, resolvedAt: 240_000,
    lastEvaluation: 240_000, lastCondition: 'ok',
    history: [{ at: 0, from: 'ok', to: 'pending' }, { at: 60_000, from: 'pending', to: 'firing' }, { at: 240_000, from: 'firing', to: 'resolved' }],
  });
});

test('while the condition is clear, keepFiringUntil says when the alert resolves', () => {
  const { final } = drive([[0, 'firing'], [60_000, 'firing'], [120_000, 'ok']], rule);

  assert.is(final.state, 'firing');
  assert.is(final.activeAt, 0);
  assert.is(final.keepFiringUntil, 240_000);
});

test('history keeps only the last historyLimit state changes', () => {
  const rows: Row[] = Array.from({ length: 10 }, (_, i): Row => [i * 1_000, i % 2 === 0 ? 'firing' : 'ok']);
  const { final } = drive(rows, { forMs: 0, keepFiringForMs: 0, historyLimit: 3 });

  assert.equal(final.history.map((h) => h.at), [7_000, 8_000, 9_000]);
});

test('a severity change while firing is a transition with from and to; during pending it is silent', () => {
  const { transitions, final } = drive(
    [[0, 'firing', 'warning'], [30_000, 'firing', 'critical'], [60_000, 'firing', 'critical'], [90_000, 'firing', 'critical'], [120_000, 'firing', 'warning'], [150_000, 'firing']],
    rule,
  );

  assert.equal(transitions, [[{ kind: 'pending' }], [], [{ kind: 'firing' }], [], [{ kind: 'severity-changed', from: 'critical', to: 'warning' }], []]);
  assert.is(final.severity, 'warning');
});

test('an error carries its message', () => {
  const { next, transitions } = step(undefined, { at: 0, condition: 'error', message: 'query timed out' }, rule);

  assert.equal(transitions, [{ kind: 'error', message: 'query timed out' }]);
  assert.is(next.message, 'query timed out');
});

test('an evaluation earlier than the previous one is refused', () => {
  const { next } = step(undefined, { at: 10_000, condition: 'ok' }, rule);

  assert.throws(() => step(next, { at: 5_000, condition: 'ok' }, rule), /earlier than the previous one/);
});

test('conditionChanged compares the conditions of consecutive evaluations', () => {
  const a = step(undefined, { at: 0, condition: 'ok' }, rule).next;
  const b = step(a, { at: 1, condition: 'firing' }, rule).next;
  const c = step(b, { at: 2, condition: 'firing' }, rule).next;

  assert.equal([conditionChanged(undefined, a), conditionChanged(a, b), conditionChanged(b, c)], [false, true, false]);
});

test.run();
