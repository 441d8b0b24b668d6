// Flap detection over the last 21 evaluations with hysteresis, and what gets notified while an
// alert flaps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { flapRatio, flapTracker, notifications, type FlapResult, type Notification } from '../../src/monitor/alerts/flap.ts';
import { conditionChanged, step, type AlertCondition, type AlertState, type Transition } from '../../src/monitor/alerts/state.ts';

const T = true, F = false;

test('start above 30%, stay through 30% and 25%, stop below 25%, and no restart at exactly 30%', () => {
  // push  changed  changes in window (of 20)  ratio  flapping
  //  1-6   T        1..6                        .05-.30 no (.30 is not above .30)
  //  7     T        7                           .35    starts
  //  8-20  F        7                           .35    yes
  //  21    F        6 (push 1 slides out)       .30    yes
  //  22    F        5                           .25    yes (.25 is not below .25)
  //  23    F        4                           .20    stops
  //  24-27 F        3,2,1,0                     .15-0  no
  //  28-33 T        1..6                        .05-.30 no
  //  34    T        7                           .35    starts again
  const pushes = [...Array(7).fill(T), ...Array(20).fill(F), ...Array(7).fill(T)] as boolean[];
  const tracker = flapTracker();

  const results = pushes.map((changed) => tracker.push(changed));

  const ratios = results.map((r) => r.ratio);
  assert.equal(ratios.slice(0, 7), [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  assert.equal(ratios.slice(19, 27), [0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0]);
  assert.equal(ratios.slice(27), [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  assert.equal(results.map((r) => (r.started ? 'start' : r.stopped ? 'stop' : r.flapping ? 'F' : '.')).join(''),
    '......start' + 'F'.repeat(15) + 'stop' + '.'.repeat(10) + 'start');
});

test('the window holds the last 20 changes, so old flapping is forgotten', () => {
  const tracker = flapTracker();
  for (let i = 0; i < 10; i++) tracker.push(T);

  for (let i = 0; i < 20; i++) tracker.push(F);

  assert.equal(tracker.state.changes.length, 20);
  assert.equal(tracker.state, { changes: Array(20).fill(F), flapping: false });
});

const ratioCases: Array<[string, boolean[], number, number]> = [
  // name, changes (oldest first), plain, weighted
  ['no changes', Array(20).fill(F), 0, 0],
  ['every evaluation changes', Array(20).fill(T), 1, 1],
  ['six recent changes: plain 30% (not flapping), weighted above it', [...Array(14).fill(F), ...Array(6).fill(T)], 0.3, 0.3442],
  ['six old changes weigh less', [...Array(6).fill(T), ...Array(14).fill(F)], 0.3, 0.2558],
  ['a short history divides by 20 all the same', [F, T], 0.05, 0.06],
];
for (const [name, changes, plain, weighted] of ratioCases) {
  test(`ratio: ${name}`, () => {
    assert.equal([flapRatio(changes, 'plain'), flapRatio(changes, 'weighted')], [plain, weighted]);
  });
}

test('weighted detection starts earlier on recent changes', () => {
  const plain = flapTracker('plain');
  const weighted = flapTracker('weighted');
  const seq = [...Array(14).fill(F), ...Array(6).fill(T)] as boolean[];

  const last = seq.map((c) => [plain.push(c), weighted.push(c)] as const).at(-1);

  assert.equal([last?.[0].flapping, last?.[1].flapping], [false, true]);
});

const quiet: FlapResult = { flapping: false, ratio: 0 };
const notifyCases: Array<[string, Transition[], FlapResult, AlertState['state'], Notification[]]> = [
  ['firing is notified', [{ kind: 'firing' }], quiet, 'firing', [{ kind: 'firing' }]],
  ['resolved into nodata notifies resolved only', [{ kind: 'resolved' }, { kind: 'nodata' }], quiet, 'nodata', [{ kind: 'resolved' }]],
  ['pending, error and severity changes are not notified', [{ kind: 'pending' }, { kind: 'error', message: 'x' }, { kind: 'severity-changed', from: 'a', to: 'b' }], quiet, 'pending', []],
  ['flapping starts: once, instead of the transition', [{ kind: 'firing' }], { flapping: true, ratio: 0.35, started: true }, 'firing', [{ kind: 'flapping-started', ratio: 0.35 }]],
  ['while flapping, firing is held back', [{ kind: 'firing' }], { flapping: true, ratio: 0.3 }, 'firing', []],
  ['while flapping, resolved is held back', [{ kind: 'resolved' }], { flapping: true, ratio: 0.3 }, 'resolved', []],
  ['flapping stops while firing: firing is notified once', [], { flapping: false, ratio: 0.2, stopped: true }, 'firing', [{ kind: 'flapping-stopped', ratio: 0.2 }, { kind: 'firing' }]],
  ['flapping stops while ok: resolved is notified once', [], { flapping: false, ratio: 0.2, stopped: true }, 'ok', [{ kind: 'flapping-stopped', ratio: 0.2 }, { kind: 'resolved' }]],
];
for (const [name, transitions, flap, current, expected] of notifyCases) {
  test(`notifications: ${name}`, () => {
    assert.equal(notifications(transitions, flap, current), expected);
  });
}

test('an alert that flips every evaluation notifies until it flaps, then once more when it settles', () => {
  const rule = { forMs: 0, keepFiringForMs: 0 };
  // Evaluations 1-12 alternate firing/ok (11 changes), then ok for good.
  const conditions: AlertCondition[] = Array.from({ length: 30 }, (_, i) => (i < 12 && i % 2 === 0 ? 'firing' : 'ok'));
  const tracker = flapTracker();
  let state: AlertState | undefined;
  const sent: string[] = [];

  conditions.forEach((condition, i) => {
    const { next, transitions } = step(state, { at: i * 60_000, condition }, rule);
    const flap = tracker.push(conditionChanged(state, next));
    for (const n of notifications(transitions, flap, next.state)) sent.push(`${i + 1}:${n.kind}`);
    state = next;
  });

  assert.equal(sent, ['1:firing', '2:resolved', '3:firing', '4:resolved', '5:firing', '6:resolved', '7:firing', '8:flapping-started', '28:flapping-stopped', '28:resolved']);
});

test.run();
