// The remediation guard as scenarios on a virtual clock: each step decides, records an outcome or
// resets the breaker, and the state passes through JSON.stringify/parse between steps, as it would
// through the monitor's state file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decide, emptyGuardState, guardPolicy, recordOutcome, resetBreaker,
  type BreakerChange, type DecideOptions, type GuardKey, type GuardPolicy, type GuardState, type Outcome, type SkipReason,
} from '../../src/remediation/guard.ts';
import { keyId } from '../../src/remediation/state.ts';

const min = 60_000;
const hour = 60 * min;
const day = 24 * hour;
const t0 = Date.UTC(2025, 0, 6, 9, 0, 0);

const restart: GuardKey = { plan: 'restart', target: 'api-1' };
const other: GuardKey = { plan: 'restart', target: 'api-2' };
const flush: GuardKey = { plan: 'flush-cache', target: 'api-1' };

type Expect = 'run' | 'dry-run' | SkipReason | { reason: SkipReason; until?: number };
type Step =
  | { at: number; decide: Expect; key?: GuardKey; o?: DecideOptions }
  | { at: number; outcome: Outcome; key?: GuardKey; breaker?: BreakerChange }
  | { at: number; reset: string; key?: GuardKey };

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Plays the steps from an empty state, checking every answer; returns the final state. */
function play(policy: GuardPolicy, steps: Step[], start: GuardState = emptyGuardState()): GuardState {
  let state = start;
  steps.forEach((step, i) => {
    const where = `step ${i} at +${(step.at - t0) / min} min`;
    const key = step.key ?? restart;
    if ('decide' in step) {
      const result = decide(state, key, policy, step.at, step.o);
      const expected = typeof step.decide === 'string' ? { reason: step.decide } : step.decide;
      const got = result.decision;
      const kind = got.kind === 'skip' ? got.reason : got.kind;
      assert.is(kind, expected.reason, `${where}: ${got.kind === 'skip' ? got.message : got.kind}`);
      if ('until' in expected) assert.is(got.kind === 'skip' ? got.until : undefined, expected.until, `${where}: until`);
      state = result.state;
    } else if ('outcome' in step) {
      const result = recordOutcome(state, key, step.outcome, step.at, policy);
      assert.is(result.breaker, step.breaker, `${where}: breaker change`);
      state = result.state;
    } else {
      state = resetBreaker(state, key, step.reset, step.at);
    }
    assert.equal(json(state), state, `${where}: the state is JSON-safe`);
    state = json(state);
  });
  return state;
}

const at = (minutes: number) => t0 + minutes * min;

const scenarios: { name: string; policy?: Partial<GuardPolicy>; steps: Step[] }[] = [
  {
    name: 'a run starts the cooldown; the next run is allowed when it ends',
    steps: [
      { at: at(0), decide: 'run' },
      { at: at(59), decide: { reason: 'cooldown', until: at(60) } },
      { at: at(60), decide: 'run' },
    ],
  },
  {
    name: 'the cooldown is per plan and target: another target or another plan is independent',
    steps: [
      { at: at(0), decide: 'run' },
      { at: at(1), decide: 'run', key: other },
      { at: at(2), decide: 'run', key: flush },
      { at: at(3), decide: 'cooldown' },
      { at: at(4), decide: 'cooldown', key: other },
    ],
  },
  {
    name: 'a run with no outcome yet (hung) still counts for the cooldown',
    steps: [
      { at: at(0), decide: 'run' },
      { at: at(30), decide: { reason: 'cooldown', until: at(60) } },
    ],
  },
  {
    name: 'at most maxPerWindow runs in any sliding window',
    policy: { cooldownMs: 10 * min },
    steps: [
      { at: at(0), decide: 'run' },
      { at: at(10), decide: 'run' },
      { at: at(20), decide: 'run' },
      { at: at(30), decide: { reason: 'rate-limit', until: at(60) } },
      { at: at(60), decide: 'run' },
      { at: at(70), decide: 'run' },
      { at: at(80), decide: 'run' },
      { at: at(90), decide: { reason: 'rate-limit', until: at(120) } },
    ],
  },
  {
    name: 'N bad outcomes in a row open the breaker, which stays open until a person resets it',
    policy: { cooldownMs: 0 },
    steps: [
      { at: at(0), decide: 'run' },
      { at: at(1), outcome: 'not-fixed' },
      { at: at(2), decide: 'run' },
      { at: at(3), outcome: 'failed' },
      { at: at(4), decide: 'run' },
      { at: at(5), outcome: 'timed-out', breaker: 'opened' },
      { at: at(6), decide: { reason: 'circuit-open', until: undefined } },
      { at: at(30 * 24 * 60), decide: 'circuit-open' },
      { at: at(30 * 24 * 60), decide: 'run', key: other },
      { at: at(30 * 24 * 60 + 1), reset: 'alice' },
      { at: at(30 * 24 * 60 + 2), decide: 'run' },
    ],
  },
  {
    name: "'fixed' resets the count of bad outcomes",
    policy: { cooldownMs: 0, maxPerWindow: 100 },
    steps: [
      { at: at(1), outcome: 'failed' },
      { at: at(2), outcome: 'failed' },
      { at: at(3), outcome: 'fixed' },
      { at: at(4), outcome: 'failed' },
      { at: at(5), outcome: 'failed' },
      { at: at(6), decide: 'run' },
      { at: at(7), outcome: 'not-fixed', breaker: 'opened' },
    ],
  },
  {
    name: "an outcome arriving while the breaker is open never closes it, even 'fixed'",
    policy: { cooldownMs: 0, breakerThreshold: 1 },
    steps: [
      { at: at(0), outcome: 'failed', breaker: 'opened' },
      { at: at(1), outcome: 'fixed' },
      { at: at(2), decide: 'circuit-open' },
    ],
  },
  {
    name: "with breakerResetMs, one half-open trial whose 'fixed' closes the breaker",
    policy: { cooldownMs: 0, breakerThreshold: 1, breakerResetMs: 2 * hour },
    steps: [
      { at: at(0), decide: 'run' },
      { at: at(1), outcome: 'failed', breaker: 'opened' },
      { at: at(60), decide: { reason: 'circuit-open', until: at(121) } },
      { at: at(121), decide: 'run' },
      { at: at(122), decide: { reason: 'circuit-open', until: undefined } },
      { at: at(130), outcome: 'fixed', breaker: 'closed' },
      { at: at(131), decide: 'run' },
    ],
  },
  {
    name: 'a failed half-open trial re-opens the breaker from that moment',
    policy: { cooldownMs: 0, breakerThreshold: 1, breakerResetMs: 2 * hour },
    steps: [
      { at: at(0), outcome: 'failed', breaker: 'opened' },
      { at: at(120), decide: 'run' },
      { at: at(125), outcome: 'not-fixed', breaker: 'opened' },
      { at: at(200), decide: { reason: 'circuit-open', until: at(245) } },
      { at: at(245), decide: 'run' },
    ],
  },
  {
    name: 'the trial still waits for the cooldown of the last attempt',
    policy: { cooldownMs: 3 * hour, breakerThreshold: 1, breakerResetMs: hour },
    steps: [
      { at: at(0), decide: 'run' },
      { at: at(5), outcome: 'failed', breaker: 'opened' },
      { at: at(65), decide: { reason: 'cooldown', until: at(180) } },
      { at: at(180), decide: 'run' },
      { at: at(181), decide: 'circuit-open' },
    ],
  },
  {
    name: 'maintenance comes before everything else and records nothing',
    policy: { breakerThreshold: 1 },
    steps: [
      { at: at(0), decide: 'maintenance', o: { inMaintenance: true, approvalRequired: true } },
      { at: at(1), decide: 'run' },
      { at: at(2), decide: 'maintenance', o: { inMaintenance: true } },
      { at: at(3), outcome: 'failed', breaker: 'opened' },
      { at: at(4), decide: 'maintenance', o: { inMaintenance: true } },
    ],
  },
  {
    name: 'approval is asked only for a run the limits allow, and asking records nothing',
    steps: [
      { at: at(0), decide: 'approval-required', o: { approvalRequired: true } },
      { at: at(5), decide: 'run' },
      { at: at(10), decide: 'cooldown', o: { approvalRequired: true } },
    ],
  },
  {
    name: 'dry-run records the would-be attempt, so cooldown and rate limit apply the same',
    policy: { dryRun: true, cooldownMs: 10 * min },
    steps: [
      { at: at(0), decide: 'dry-run' },
      { at: at(5), decide: { reason: 'cooldown', until: at(10) } },
      { at: at(10), decide: 'dry-run' },
      { at: at(20), decide: 'dry-run' },
      { at: at(30), decide: { reason: 'rate-limit', until: at(60) } },
      { at: at(31), decide: 'maintenance', o: { inMaintenance: true } },
    ],
  },
  {
    name: 'a person reset closes the breaker but keeps the cooldown of the last attempt',
    policy: { breakerThreshold: 1 },
    steps: [
      { at: at(0), decide: 'run' },
      { at: at(1), outcome: 'failed', breaker: 'opened' },
      { at: at(2), reset: 'bob' },
      { at: at(3), decide: { reason: 'cooldown', until: at(60) } },
      { at: at(60), decide: 'run' },
    ],
  },
];

for (const s of scenarios) {
  test(s.name, () => {
    play(guardPolicy(s.policy), s.steps);
  });
}

test('dry-run and real mode skip the same alerts', () => {
  const times = [0, 5, 20, 45, 61, 62, 90, 130, 200, 201, 260].map(at);
  const answers = (policy: GuardPolicy) => {
    let state = emptyGuardState();
    return times.map((t) => {
      const r = decide(state, restart, policy, t);
      state = json(r.state);
      return r.decision.kind === 'skip' ? r.decision.reason : 'allowed';
    });
  };
  const real = answers(guardPolicy({ cooldownMs: 15 * min, maxPerWindow: 2 }));
  const dry = answers(guardPolicy({ cooldownMs: 15 * min, maxPerWindow: 2, dryRun: true }));
  assert.equal(dry, real);
  assert.ok(real.includes('cooldown') && real.includes('rate-limit'), 'the sequence exercises both limits');
});

test('a dry run does not consume the trial of an open breaker', () => {
  const policy = guardPolicy({ dryRun: true, cooldownMs: 0, breakerThreshold: 1, breakerResetMs: hour });
  const opened = recordOutcome(emptyGuardState(), restart, 'failed', at(0), policy).state;
  const { decision, state } = decide(opened, restart, policy, at(60));
  assert.equal(decision, { kind: 'dry-run', wouldRun: true });
  assert.equal(state.keys[keyId(restart)]?.breaker, { status: 'open', since: at(0) });
  assert.equal(state.keys[keyId(restart)]?.attempts, [at(60)]);
});

test('the circuit-open message says a person is needed', () => {
  const policy = guardPolicy({ breakerThreshold: 1 });
  const opened = recordOutcome(emptyGuardState(), restart, 'timed-out', at(0), policy).state;
  const { decision } = decide(opened, restart, policy, at(90));
  assert.is(decision.kind, 'skip');
  if (decision.kind === 'skip') {
    assert.match(decision.message, /restart on api-1/);
    assert.match(decision.message, /needs a person/);
    assert.not.ok('until' in decision, 'no time is given when only a person can close it');
  }
});

test('attempts that left the window are dropped from the key', () => {
  const policy = guardPolicy({ cooldownMs: 0, maxPerWindow: 10 });
  const state = play(policy, [0, 10, 20, 70, 100].map((m) => ({ at: at(m), decide: 'run' as const })));
  assert.equal(state.keys[keyId(restart)]?.attempts, [at(70), at(100)]);
});

test('keys untouched for more than 7 days are dropped, except open breakers and running cooldowns', () => {
  const policy = guardPolicy({ breakerThreshold: 1 });
  const long = guardPolicy({ cooldownMs: 10 * day });
  let state = decide(emptyGuardState(), restart, policy, at(0)).state;
  state = recordOutcome(state, other, 'failed', at(0), policy).state;
  state = decide(state, flush, long, at(0)).state;

  const week = decide(state, { plan: 'p', target: 't' }, policy, t0 + 7 * day - 1).state;
  assert.is(Object.keys(week.keys).length, 4, 'all kept just before 7 days');
  const later = decide(week, { plan: 'p', target: 't' }, policy, t0 + 7 * day + 1).state;
  assert.equal(Object.keys(later.keys).sort(), [keyId(other), keyId(flush), keyId({ plan: 'p', target: 't' })].sort());
  const afterCooldown = decide(later, { plan: 'p', target: 't' }, policy, t0 + 10 * day).state;
  assert.not.ok(keyId(flush) in afterCooldown.keys, 'dropped once its cooldown has ended');
  assert.ok(keyId(other) in afterCooldown.keys, 'an open breaker is never dropped');
});

test('state stays bounded over a long run of alerts on many targets', () => {
  const policy = guardPolicy({ cooldownMs: 5 * min, maxPerWindow: 3, windowMs: hour });
  let state = emptyGuardState();
  for (let i = 0; i < 30 * 24 * 12; i++) {
    const t = t0 + i * 5 * min;
    const key = { plan: 'restart', target: `pod-${Math.floor(i / 500)}` };
    state = decide(state, key, policy, t).state;
    if (i % 7 === 0) state = recordOutcome(state, key, 'fixed', t, policy).state;
  }
  const keys = Object.values(state.keys);
  assert.ok(keys.length <= 5, `${keys.length} keys kept`);
  assert.ok(keys.every((k) => k.attempts.length <= 3));
});

test('time going backwards, or a time that is not a number, is a RangeError', () => {
  const policy = guardPolicy();
  const state = decide(emptyGuardState(), restart, policy, at(10)).state;
  assert.throws(() => decide(state, other, policy, at(9)), (e: unknown) => e instanceof RangeError && /backwards/.test(e.message));
  assert.throws(() => recordOutcome(state, restart, 'fixed', at(9), policy), RangeError);
  assert.throws(() => resetBreaker(state, restart, 'alice', at(9)), RangeError);
  assert.throws(() => decide(state, restart, policy, Number.NaN), RangeError);
  assert.is(decide(state, other, policy, at(10)).decision.kind, 'run', 'the same time is allowed');
});

test('operations never change the state they are given', () => {
  const policy = guardPolicy({ breakerThreshold: 1, cooldownMs: 0 });
  const state = decide(emptyGuardState(), restart, policy, at(0)).state;
  const before = JSON.stringify(state);
  decide(state, restart, policy, at(1));
  const opened = recordOutcome(state, restart, 'failed', at(2), policy).state;
  resetBreaker(opened, restart, 'alice', at(3));
  assert.is(JSON.stringify(state), before);
  assert.is(opened.keys[keyId(restart)]?.breaker.status, 'open');
});

test('resetBreaker names the person and ignores a key it does not hold', () => {
  const policy = guardPolicy({ breakerThreshold: 1 });
  const opened = recordOutcome(emptyGuardState(), restart, 'failed', at(0), policy).state;
  const reset = resetBreaker(opened, restart, 'alice', at(5));
  assert.equal(reset.keys[keyId(restart)]?.lastReset, { by: 'alice', at: at(5) });
  assert.is(reset.keys[keyId(restart)]?.consecutiveBad, 0);
  assert.equal(resetBreaker(opened, other, 'alice', at(5)).keys, opened.keys);
  assert.throws(() => resetBreaker(opened, restart, ' ', at(5)), RangeError);
});

test('policy defaults, and invalid values are a RangeError', () => {
  assert.equal(guardPolicy(), { cooldownMs: hour, maxPerWindow: 3, windowMs: hour, breakerThreshold: 3, dryRun: false });
  assert.is(guardPolicy({ cooldownMs: 0 }).cooldownMs, 0);
  const invalid: Partial<GuardPolicy>[] = [
    { maxPerWindow: 0 }, { maxPerWindow: 1.5 }, { windowMs: 0 }, { cooldownMs: -1 },
    { breakerThreshold: 0 }, { breakerResetMs: 0 }, { cooldownMs: Number.POSITIVE_INFINITY },
  ];
  for (const given of invalid) assert.throws(() => guardPolicy(given), RangeError, JSON.stringify(given));
  const broken = { ...guardPolicy(), maxPerWindow: 0 };
  assert.throws(() => decide(emptyGuardState(), restart, broken, at(0)), RangeError);
});

test('plans and targets with separators in them do not collide', () => {
  const policy = guardPolicy();
  const a = decide(emptyGuardState(), { plan: 'a:b', target: 'c' }, policy, at(0)).state;
  assert.is(decide(a, { plan: 'a', target: 'b:c' }, policy, at(1)).decision.kind, 'run');
});

test.run();
