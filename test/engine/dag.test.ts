// The runner's scheduling: a step starts only once everything it needs has ended, independent
// steps overlap, and no more than maxParallel run at once. All on virtual time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  endOf, eventsOf, executionEnd, maxConcurrent, needsViolations, planWorkflow, removeTempDirs, runVirtual, statuses,
} from './helpers.ts';

test.after(removeTempDirs);

const startOf = (events: Parameters<typeof eventsOf>[0], step: string) => eventsOf(events, 'step.started', step)[0]?.at;

test('diamond: b and c start together after a; d starts only after the slower of b and c', async () => {
  const graph = planWorkflow(`
    maxParallel: 4
    steps:
      - { id: a, run: build }
      - { id: b, run: test-unit, needs: [a] }
      - { id: c, run: test-e2e, needs: [a] }
      - { id: d, run: publish, needs: [b, c] }
  `);
  const ms: Record<string, number> = { a: 1000, b: 3000, c: 1000, d: 500 };

  const { result, events, clock, spawner } = await runVirtual(graph, { behaviour: (c) => ({ ms: ms[c.step] }) });

  assert.is(result.status, 'success');
  assert.equal(events[0], {
    type: 'execution.started', executionId: 'exec-1', at: 0, workflow: 'wf',
    steps: [{ id: 'a', name: 'a', needs: [] }, { id: 'b', name: 'b', needs: ['a'] }, { id: 'c', name: 'c', needs: ['a'] }, { id: 'd', name: 'd', needs: ['b', 'c'] }],
  });
  assert.equal(needsViolations(events, graph), []);
  assert.equal(spawner.timeline(), [['a', 0], ['b', 1000], ['c', 1000], ['d', 4000]]);
  assert.is(startOf(events, 'd'), 4000);
  assert.is(endOf(events, 'c')?.at, 2000, 'c ended while b was still running');
  assert.is(spawner.maxRunning, 2);
  assert.is(clock.now(), 4500);
  assert.is(executionEnd(events)?.durationMs, 4500);
});

test('layered graph: every step starts after all its needs; each layer runs in parallel', async () => {
  const graph = planWorkflow(`
    maxParallel: 8
    steps:
      - { id: a1, run: x }
      - { id: a2, run: x }
      - { id: a3, run: x }
      - { id: b1, run: x, needs: [a1, a2] }
      - { id: b2, run: x, needs: [a2, a3] }
      - { id: b3, run: x, needs: [a1] }
      - { id: c1, run: x, needs: [b1, b2, b3] }
  `);
  // a2 is the slow one; b3 only needs a1, so it must not wait for a2.
  const ms: Record<string, number> = { a1: 100, a2: 1000, a3: 300 };

  const { result, events, spawner } = await runVirtual(graph, { behaviour: (c) => ({ ms: ms[c.step] ?? 200 }) });

  assert.is(result.status, 'success');
  assert.equal(needsViolations(events, graph), []);
  assert.equal(Object.fromEntries(spawner.calls.map((c) => [c.step, c.at])), {
    a1: 0, a2: 0, a3: 0, b3: 100, b1: 1000, b2: 1000, c1: 1200,
  });
  assert.is(spawner.maxRunning, 3);
  assert.equal(Object.values(statuses(events)), Array(7).fill('success'));
});

test('maxParallel from the document bounds six independent wait steps to two at a time', async () => {
  const graph = planWorkflow(`
    maxParallel: 2
    steps:
${[1, 2, 3, 4, 5, 6].map((i) => `      - { id: w${i}, uses: wait, with: { duration: 1s } }`).join('\n')}
  `);

  const { result, events, clock } = await runVirtual(graph);

  assert.is(result.status, 'success');
  assert.is(maxConcurrent(events), 2);
  assert.is(clock.now(), 3000, 'three waves of two one-second waits');
  assert.equal(
    ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'].map((s) => startOf(events, s)),
    [0, 0, 1000, 1000, 2000, 2000],
  );
});

test('the maxParallel option overrides the document and the bound is reached, not just respected', async () => {
  const graph = planWorkflow(`
    maxParallel: 1
    steps:
${[1, 2, 3, 4, 5, 6].map((i) => `      - { id: s${i}, run: work }`).join('\n')}
  `);

  const { result, spawner, clock } = await runVirtual(graph, { maxParallel: 3, behaviour: () => ({ ms: 500 }) });

  assert.is(result.status, 'success');
  assert.is(spawner.calls.length, 6);
  assert.is(spawner.maxRunning, 3);
  // The first wave fills up to 3; each later step enters as soon as one of the wave has left.
  assert.equal(spawner.calls.map((c) => c.concurrent), [1, 2, 3, 3, 3, 3]);
  assert.is(clock.now(), 1000, 'two waves of three');
});

test('steps left waiting behind maxParallel still start when an earlier one fails', async () => {
  const graph = planWorkflow(`
    maxParallel: 1
    steps:
      - { id: first, run: "exit 1" }
      - { id: second, run: ok }
      - { id: third, run: ok, needs: [second] }
  `);

  const { result, events, spawner } = await runVirtual(graph, {
    behaviour: (c) => ({ ms: 100, exitCode: c.step === 'first' ? 1 : 0 }),
  });

  assert.is(result.status, 'failed');
  assert.equal(statuses(events), { first: 'failed', second: 'success', third: 'success' });
  assert.equal(spawner.timeline(), [['first', 0], ['second', 100], ['third', 200]]);
});

test.run();
