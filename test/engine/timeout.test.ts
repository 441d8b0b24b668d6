// Step and workflow timeouts on the virtual clock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endOf, eventsOf, executionEnd, planWorkflow, removeTempDirs, runVirtual, statuses } from './helpers.ts';

test.after(removeTempDirs);

const stepTimeouts = [
  { name: 'a wait step longer than its timeout', step: '{ id: slow, uses: wait, with: { duration: 10s }, timeout: 1s }' },
  { name: 'a run step whose process runs until killed', step: '{ id: slow, run: "sleep 600", timeout: 1s }' },
];

for (const c of stepTimeouts) {
  test(`step timeout: ${c.name} ends timed_out at the timeout`, async () => {
    const graph = planWorkflow(`
      steps:
        - ${c.step}
        - { id: after, run: x, needs: [slow] }
    `);

    const { result, events, clock, spawner } = await runVirtual(graph, { behaviour: (call) => (call.step === 'slow' ? { ms: Infinity } : {}) });

    const slow = eventsOf(events, 'step.finished', 'slow')[0];
    assert.is(slow?.status, 'timed_out');
    assert.is(slow?.conclusion, 'timed_out');
    assert.is(slow?.at, 1000);
    assert.is(slow?.durationMs, 1000);
    assert.is(slow?.error, 'timed out after 1000ms');
    assert.is(endOf(events, 'after')?.status, 'skipped');
    assert.is(spawner.callsOf('after').length, 0);
    assert.is(result.status, 'failed');
    assert.is(clock.now(), 1000);
  });
}

test('a step that finishes inside its timeout succeeds and its timer does not fire later', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: quick, uses: wait, with: { duration: 900ms }, timeout: 1s }
  `);

  const { result, events, clock } = await runVirtual(graph);

  assert.is(result.status, 'success');
  assert.is(eventsOf(events, 'step.finished', 'quick')[0]?.at, 900);
  assert.is(clock.pending, 0, 'the step timer was cancelled');
  assert.is(clock.now(), 900);
});

test('workflow timeout: execution timed_out, the running step timed_out, the rest cancelled and never run', async () => {
  const graph = planWorkflow(`
    timeout: 5s
    maxParallel: 4
    steps:
      - { id: a, uses: wait, with: { duration: 3s } }
      - { id: b, uses: wait, with: { duration: 10s }, needs: [a] }
      - { id: c, run: deploy, needs: [b] }
      - { id: d, run: quick }
  `);

  const { result, events, clock, spawner } = await runVirtual(graph, { behaviour: () => ({ ms: 100 }) });

  const end = executionEnd(events);
  assert.is(result.status, 'timed_out');
  assert.equal(statuses(events), { d: 'success', a: 'success', b: 'timed_out', c: 'cancelled' });
  assert.is(eventsOf(events, 'step.finished', 'b')[0]?.error, 'the workflow timed out');
  assert.is(eventsOf(events, 'step.skipped', 'c')[0]?.reason, 'the run was timed out');
  assert.equal(spawner.calls.map((call) => call.step), ['d'], 'c never started');
  assert.is(end?.status, 'timed_out');
  assert.is(end?.error, 'the workflow timed out after 5000ms');
  assert.is(end?.durationMs, 5000);
  assert.is(clock.now(), 5000);
});

test('workflow timeout: a step queued behind maxParallel is cancelled, an always() step still runs', async () => {
  const graph = planWorkflow(`
    timeout: 2s
    maxParallel: 1
    steps:
      - { id: first, uses: wait, with: { duration: 10s } }
      - { id: queued, uses: wait, with: { duration: 1s } }
      - { id: cleanup, run: cleanup, needs: [first], if: "always()" }
  `);

  const { result, events, spawner } = await runVirtual(graph, { behaviour: () => ({ ms: 300 }) });

  assert.is(result.status, 'timed_out');
  assert.equal(statuses(events), { first: 'timed_out', queued: 'cancelled', cleanup: 'success' });
  assert.equal(spawner.timeline(), [['cleanup', 2000]]);
  assert.is(executionEnd(events)?.durationMs, 2300);
});

test('a workflow timeout during a retry delay ends the step without another attempt', async () => {
  const graph = planWorkflow(`
    timeout: 3s
    steps:
      - { id: flaky, run: x, retry: { limit: 5, delay: 10s, jitter: 0 } }
  `);

  const { result, events, spawner, clock } = await runVirtual(graph, { behaviour: () => ({ exitCode: 1 }) });

  assert.is(result.status, 'timed_out');
  assert.is(spawner.calls.length, 1);
  assert.is(eventsOf(events, 'step.retrying', 'flaky').length, 1);
  assert.is(eventsOf(events, 'step.finished', 'flaky')[0]?.status, 'timed_out');
  assert.is(clock.now(), 3000);
});

// An in-process handler (here: a spawner) that ignores its abort is abandoned after the grace
// period. The engine promises that timed behaviour runs on its Clock ("tests can drive a
// virtual clock and never wait for real time"), so the abandonment should happen at
// timeout + killGraceMs + 500 ms of *virtual* time, not whenever the handler finally returns.
test('a handler that ignores its abort is abandoned after the grace period on the engine clock', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: stuck, run: x, timeout: 1s }
  `);

  const { events } = await runVirtual(graph, { killGraceMs: 200, behaviour: () => ({ ms: 60_000, ignoreAbort: true }) });

  const stuck = eventsOf(events, 'step.finished', 'stuck')[0];
  assert.is(stuck?.status, 'timed_out');
  assert.is(stuck?.at, 1000 + 200 + 500, `abandoned at virtual ${stuck?.at} ms, expected at timeout + grace + 500 ms`);
});

test.run();
