// continueOnError: the step's status stays `failed` (its outcome), its conclusion is `success`,
// so dependents run and the execution succeeds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventsOf, executionEnd, planWorkflow, removeTempDirs, runVirtual, statuses } from './helpers.ts';

test.after(removeTempDirs);

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

  const { result, events, spawner } = await runVirtual(graph, { behaviour: (c) => ({ exitCode: c.step === 'lint' ? 3 : 0 }) });

  const lint = eventsOf(events, 'step.finished', 'lint')[0];
  assert.is(lint?.status, 'failed');
  assert.is(lint?.conclusion, 'success');
  assert.is(lint?.error, 'the script exited with code 3');
  assert.equal(result.steps.get('lint'), { status: 'failed', conclusion: 'success', outputs: {}, attempts: 1 });
  assert.equal(statuses(events), { lint: 'failed', build: 'success', report: 'success' });
  assert.equal(spawner.calls.map((c) => c.step), ['lint', 'build', 'report']);
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
