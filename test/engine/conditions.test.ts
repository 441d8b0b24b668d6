// `if:`, the status functions and continueOnError. Each case runs a small graph on virtual time
// and checks both the step statuses and which steps actually reached the spawner.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { StepStatus } from '../../src/store/types.ts';
import { endOf, eventsOf, executionEnd, planWorkflow, removeTempDirs, runVirtual, statuses, type Outcome } from './helpers.ts';

test.after(removeTempDirs);

interface Case {
  name: string;
  spec: string;
  params?: Record<string, unknown>;
  /** Virtual time at which the run is cancelled. */
  cancelAt?: number;
  /** Per step: what its fake process does (default: exits 0 at once). */
  outcomes?: Record<string, Outcome>;
  expect: Record<string, StepStatus>;
  execution: string;
}

const failing = { exitCode: 1 };

const cases: Case[] = [
  {
    name: 'no condition after a failed need: skipped',
    spec: `
      steps:
        - { id: bad, run: "exit 1" }
        - { id: next, run: deploy, needs: [bad] }
    `,
    outcomes: { bad: failing },
    expect: { bad: 'failed', next: 'skipped' },
    execution: 'failed',
  },
  {
    name: 'no condition after a skipped need: skipped too (skips propagate)',
    spec: `
      steps:
        - { id: bad, run: "exit 1" }
        - { id: mid, run: x, needs: [bad] }
        - { id: last, run: x, needs: [mid] }
    `,
    outcomes: { bad: failing },
    expect: { bad: 'failed', mid: 'skipped', last: 'skipped' },
    execution: 'failed',
  },
  {
    name: 'no condition downstream of an always() step that followed a failure: skipped (success() sees every ancestor)',
    spec: `
      steps:
        - { id: bad, run: "exit 1" }
        - { id: cleanup, run: x, needs: [bad], if: "always()" }
        - { id: next, run: x, needs: [cleanup] }
    `,
    outcomes: { bad: failing },
    expect: { bad: 'failed', cleanup: 'success', next: 'skipped' },
    execution: 'failed',
  },
  {
    name: 'failure() runs after an upstream failure',
    spec: `
      steps:
        - { id: bad, run: "exit 1" }
        - { id: notify, run: x, needs: [bad], if: "failure()" }
    `,
    outcomes: { bad: failing },
    expect: { bad: 'failed', notify: 'success' },
    execution: 'failed',
  },
  {
    name: 'failure() sees a failure two steps up (through a skipped step)',
    spec: `
      steps:
        - { id: bad, run: "exit 1" }
        - { id: mid, run: x, needs: [bad] }
        - { id: notify, run: x, needs: [mid], if: "\${{ failure() }}" }
    `,
    outcomes: { bad: failing },
    expect: { bad: 'failed', mid: 'skipped', notify: 'success' },
    execution: 'failed',
  },
  {
    name: 'failure() is skipped when everything succeeded',
    spec: `
      steps:
        - { id: good, run: x }
        - { id: notify, run: x, needs: [good], if: "failure()" }
    `,
    expect: { good: 'success', notify: 'skipped' },
    execution: 'success',
  },
  {
    name: 'always() runs after a failure',
    spec: `
      steps:
        - { id: bad, run: "exit 1" }
        - { id: cleanup, run: x, needs: [bad], if: "always()" }
    `,
    outcomes: { bad: failing },
    expect: { bad: 'failed', cleanup: 'success' },
    execution: 'failed',
  },
  {
    name: 'always() runs after a success',
    spec: `
      steps:
        - { id: good, run: x }
        - { id: cleanup, run: x, needs: [good], if: "always()" }
    `,
    expect: { good: 'success', cleanup: 'success' },
    execution: 'success',
  },
  {
    name: 'cancelled() runs after a cancellation; an unconditioned dependent is cancelled',
    spec: `
      steps:
        - { id: long, run: "sleep 600" }
        - { id: onCancel, run: x, needs: [long], if: "cancelled()" }
        - { id: next, run: x, needs: [long] }
    `,
    cancelAt: 1000,
    outcomes: { long: { ms: Infinity } },
    expect: { long: 'cancelled', onCancel: 'success', next: 'cancelled' },
    execution: 'cancelled',
  },
  {
    name: 'cancelled() is skipped when nothing was cancelled, even after a failure',
    spec: `
      steps:
        - { id: bad, run: "exit 1" }
        - { id: onCancel, run: x, needs: [bad], if: "cancelled()" }
    `,
    outcomes: { bad: failing },
    expect: { bad: 'failed', onCancel: 'skipped' },
    execution: 'failed',
  },
  {
    name: "params.env == 'prod' is true with env=prod",
    spec: `
      parameters: { env: { type: string } }
      steps:
        - { id: deploy, run: x, if: "\${{ params.env == 'prod' }}" }
    `,
    params: { env: 'prod' },
    expect: { deploy: 'success' },
    execution: 'success',
  },
  {
    name: "params.env == 'prod' is false with env=staging",
    spec: `
      parameters: { env: { type: string } }
      steps:
        - { id: deploy, run: x, if: "\${{ params.env == 'prod' }}" }
    `,
    params: { env: 'staging' },
    expect: { deploy: 'skipped' },
    execution: 'success',
  },
  {
    name: 'a true expression without a status function still needs its needs to succeed',
    spec: `
      parameters: { env: { type: string } }
      steps:
        - { id: bad, run: "exit 1" }
        - { id: deploy, run: x, needs: [bad], if: "params.env == 'prod'" }
    `,
    params: { env: 'prod' },
    outcomes: { bad: failing },
    expect: { bad: 'failed', deploy: 'skipped' },
    execution: 'failed',
  },
  {
    name: 'a condition reading steps.X.outputs.Y (true)',
    spec: `
      steps:
        - { id: probe, run: x }
        - { id: migrate, run: x, needs: [probe], if: "steps.probe.outputs.pending == 'yes'" }
    `,
    outcomes: { probe: { outputs: 'pending=yes\n' } },
    expect: { probe: 'success', migrate: 'success' },
    execution: 'success',
  },
  {
    name: 'a condition reading steps.X.outputs.Y (false)',
    spec: `
      steps:
        - { id: probe, run: x }
        - { id: migrate, run: x, needs: [probe], if: "steps.probe.outputs.pending == 'yes'" }
    `,
    outcomes: { probe: { outputs: 'pending=no\n' } },
    expect: { probe: 'success', migrate: 'skipped' },
    execution: 'success',
  },
];

for (const c of cases) {
  test(`if: ${c.name}`, async () => {
    const graph = planWorkflow(c.spec);
    const controller = new AbortController();

    const { result, events, spawner } = await runVirtual(graph, {
      params: c.params,
      signal: controller.signal,
      before: (clock) => { if (c.cancelAt !== undefined) clock.setTimer(c.cancelAt, () => controller.abort()); },
      behaviour: (call) => c.outcomes?.[call.step] ?? {},
    });

    assert.equal(statuses(events), c.expect);
    assert.is(result.status, c.execution);
    assert.is(executionEnd(events)?.status, c.execution);
    for (const [step, status] of Object.entries(c.expect)) {
      const spawned = spawner.callsOf(step).length;
      if (status === 'skipped') assert.is(spawned, 0, `${step} was skipped but its process started`);
      if (status === 'success' || status === 'failed') assert.is(spawned, 1, `${step} should have run once`);
    }
  });
}

test('the skip reason says why: a condition that was false vs. a need that did not succeed', async () => {
  const graph = planWorkflow(`
    parameters: { env: { type: string } }
    steps:
      - { id: bad, run: "exit 1" }
      - { id: afterBad, run: x, needs: [bad] }
      - { id: notProd, run: x, if: "params.env == 'prod'" }
  `);

  const { events } = await runVirtual(graph, { params: { env: 'dev' }, behaviour: (c) => (c.step === 'bad' ? failing : {}) });

  const afterBad = endOf(events, 'afterBad');
  const notProd = endOf(events, 'notProd');
  assert.is(afterBad?.type, 'step.skipped');
  assert.is(afterBad?.type === 'step.skipped' ? afterBad.reason : '', 'a step it needs did not succeed');
  assert.is(notProd?.type === 'step.skipped' ? notProd.reason : '', 'its condition was false');
});

test('an `if:` that cannot be evaluated fails the step without running it', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: broken, run: x, if: "fromJSON('not json')" }
  `);

  const { result, events, spawner } = await runVirtual(graph);

  const end = endOf(events, 'broken');
  assert.is(result.status, 'failed');
  assert.is(end?.status, 'failed');
  assert.match(end?.type === 'step.finished' ? end.error ?? '' : '', /`if` could not be evaluated/);
  assert.is(spawner.calls.length, 0);
});

// continueOnError: the step's status stays `failed` (its outcome), its conclusion is `success`,
// so dependents run and the execution succeeds.
test('a failing step with continueOnError: status failed, conclusion success, dependents run, execution success', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: lint, run: "exit 3", continueOnError: true }
      - { id: build, run: make, needs: [lint] }
      - id: report
        run: report
        needs: [lint]
        if: "steps.lint.outcome == 'failure' && steps.lint.conclusion == 'success'"
  `);

  const { result, events, spawner } = await runVirtual(graph, { behaviour: (c) => (c.step === 'lint' ? { exitCode: 3, ms: 100 } : {}) });

  const lint = eventsOf(events, 'step.finished', 'lint')[0];
  assert.is(lint?.status, 'failed');
  assert.is(lint?.conclusion, 'success');
  assert.is(lint?.error, 'the script exited with code 3');
  assert.equal(result.steps.get('lint'), { status: 'failed', conclusion: 'success', outputs: {}, attempts: 1 });
  assert.equal(statuses(events), { lint: 'failed', build: 'success', report: 'success' });
  assert.equal(spawner.timeline(), [['lint', 0], ['build', 100], ['report', 100]]);
  assert.is(result.status, 'success');
  assert.is(executionEnd(events)?.status, 'success');
});

test('continueOnError also covers a step timeout; failure() downstream does not fire', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: probe, uses: wait, with: { duration: 1m }, timeout: 2s, continueOnError: true }
      - { id: next, run: x, needs: [probe] }
      - { id: onFailure, run: x, needs: [probe], if: "failure()" }
  `);

  const { result, events, clock } = await runVirtual(graph);

  const probe = eventsOf(events, 'step.finished', 'probe')[0];
  assert.is(probe?.status, 'timed_out');
  assert.is(probe?.conclusion, 'success');
  assert.equal(statuses(events), { probe: 'timed_out', next: 'success', onFailure: 'skipped' });
  assert.is(result.status, 'success');
  assert.is(clock.now(), 2000);
});

test('without continueOnError the same failure fails the execution and skips dependents', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: lint, run: "exit 3" }
      - { id: build, run: make, needs: [lint] }
  `);

  const { result, events, spawner } = await runVirtual(graph, { behaviour: (c) => ({ exitCode: c.step === 'lint' ? 3 : 0 }) });

  assert.is(eventsOf(events, 'step.finished', 'lint')[0]?.conclusion, 'failed');
  assert.equal(statuses(events), { lint: 'failed', build: 'skipped' });
  assert.equal(spawner.calls.map((c) => c.step), ['lint']);
  assert.is(result.status, 'failed');
});

test.run();
