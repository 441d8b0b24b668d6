// Retries and backoff on the virtual clock: which failures retry, how long the runner waits
// between attempts, and that the waiting is virtual.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { retryPolicy } from '../../src/engine/plan.ts';
import { backoffDelay } from '../../src/retry/policy.ts';
import { eventsOf, planWorkflow, removeTempDirs, runVirtual, type Behaviour } from './helpers.ts';

test.after(removeTempDirs);

/** A step `flaky` with the given retry policy (YAML flow mapping). */
const flaky = (retry: string, extra = '') => planWorkflow(`
  steps:
    - id: flaky
      run: ./flaky.sh
      retry: ${retry}${extra}
`);

/** Exits with `codes[n-1]` on the n-th attempt, 0 after the list runs out. */
const exitCodes = (...codes: number[]): Behaviour => (c) => ({ exitCode: codes[c.attempt - 1] ?? 0 });

test('fails twice, then succeeds: exponential delays of 1 s and 2 s, three attempts, virtual time only', async () => {
  const graph = flaky('{ limit: 3, delay: 1s, backoff: exponential, jitter: 0 }');

  const { result, events, clock, spawner, realMs } = await runVirtual(graph, { behaviour: exitCodes(1, 1) });

  const retrying = eventsOf(events, 'step.retrying', 'flaky');
  const finished = eventsOf(events, 'step.finished', 'flaky')[0];
  assert.is(result.status, 'success');
  assert.equal(retrying.map((e) => [e.attempt, e.delayMs, e.at]), [[1, 1000, 0], [2, 2000, 1000]]);
  assert.is(retrying[0]?.reason, 'the script exited with code 1');
  assert.equal(eventsOf(events, 'step.started', 'flaky').map((e) => [e.attempt, e.at]), [[1, 0], [2, 1000], [3, 3000]]);
  assert.is(finished?.attempts, 3);
  assert.is(finished?.status, 'success');
  assert.is(result.steps.get('flaky')?.attempts, 3);
  assert.equal(spawner.calls.map((c) => c.at), [0, 1000, 3000]);
  assert.is(clock.now(), 3000, 'virtual time moved by exactly the two delays');
  assert.ok(realMs < 1000, `no real waiting (took ${Math.round(realMs)} ms)`);
});

test('the attempts run out: limit 2 means three attempts, then the step fails with the last error', async () => {
  const graph = flaky('{ limit: 2, delay: 500ms, jitter: 0 }');

  const { result, events, clock } = await runVirtual(graph, { behaviour: exitCodes(3, 4, 5) });

  const finished = eventsOf(events, 'step.finished', 'flaky')[0];
  assert.is(result.status, 'failed');
  assert.equal(eventsOf(events, 'step.retrying', 'flaky').map((e) => e.delayMs), [500, 500], 'fixed backoff by default');
  assert.is(finished?.attempts, 3);
  assert.is(finished?.error, 'the script exited with code 5');
  assert.is(clock.now(), 1000);
});

interface FilterCase { name: string; retry: string; codes: number[]; attempts: number; status: string }

const filters: FilterCase[] = [
  { name: 'on: [timeout] does not retry a plain failure', retry: '{ limit: 3, delay: 1s, on: [timeout] }', codes: [1], attempts: 1, status: 'failed' },
  { name: 'on: [failure] retries a plain failure', retry: '{ limit: 3, delay: 1s, jitter: 0, on: [failure] }', codes: [1], attempts: 2, status: 'success' },
  { name: 'exitCodes: [75] retries exit 75', retry: '{ limit: 3, delay: 1s, jitter: 0, exitCodes: [75] }', codes: [75, 75], attempts: 3, status: 'success' },
  { name: 'exitCodes: [75] does not retry exit 1', retry: '{ limit: 3, delay: 1s, exitCodes: [75] }', codes: [1], attempts: 1, status: 'failed' },
  { name: 'exitCodes: [75] stops retrying at the first other code', retry: '{ limit: 3, delay: 1s, jitter: 0, exitCodes: [75] }', codes: [75, 2], attempts: 2, status: 'failed' },
];

for (const c of filters) {
  test(`retry filter: ${c.name}`, async () => {
    const graph = flaky(c.retry);

    const { result, events, spawner } = await runVirtual(graph, { behaviour: exitCodes(...c.codes) });

    assert.is(result.status, c.status);
    assert.is(spawner.callsOf('flaky').length, c.attempts);
    assert.is(eventsOf(events, 'step.retrying', 'flaky').length, c.attempts - 1);
    assert.is(result.steps.get('flaky')?.attempts, c.attempts);
  });
}

test('a step timeout retries under the default `on` (failure and timeout)', async () => {
  const graph = flaky('{ limit: 1, delay: 2s, jitter: 0 }', '\n      timeout: 1s');

  const { result, events, clock } = await runVirtual(graph, {
    behaviour: (c) => (c.attempt === 1 ? { ms: Infinity } : { ms: 100 }),
  });

  assert.is(result.status, 'success');
  assert.equal(eventsOf(events, 'step.retrying', 'flaky').map((e) => [e.at, e.delayMs, e.reason]), [[1000, 2000, 'timed out after 1000ms']]);
  assert.is(clock.now(), 3100);
});

test('jitter lowers the delay by jitter × random(): 0.5 × 0.5 of 1 s gives 750 ms', async () => {
  const graph = flaky('{ limit: 1, delay: 1s, jitter: 0.5 }');

  const { result, events, clock } = await runVirtual(graph, { behaviour: exitCodes(1), random: () => 0.5 });

  assert.is(result.status, 'success');
  assert.equal(eventsOf(events, 'step.retrying', 'flaky').map((e) => e.delayMs), [750]);
  assert.is(clock.now(), 750);
});

test('the default jitter (0.2) applies when none is written', async () => {
  const graph = flaky('{ limit: 1, delay: 1s }');

  const { events, clock } = await runVirtual(graph, { behaviour: exitCodes(1), random: () => 1 });

  assert.equal(eventsOf(events, 'step.retrying', 'flaky').map((e) => e.delayMs), [800]);
  assert.is(clock.now(), 800);
});

test('maxDelay caps exponential growth: 1 s, 2 s, then 3 s, 3 s', async () => {
  const graph = flaky('{ limit: 4, delay: 1s, backoff: exponential, maxDelay: 3s, jitter: 0 }');

  const { result, events, clock } = await runVirtual(graph, { behaviour: exitCodes(1, 1, 1, 1, 1) });

  assert.is(result.status, 'failed');
  assert.equal(eventsOf(events, 'step.retrying', 'flaky').map((e) => e.delayMs), [1000, 2000, 3000, 3000]);
  assert.is(eventsOf(events, 'step.finished', 'flaky')[0]?.attempts, 5);
  assert.is(clock.now(), 9000);
});

// A failed attempt's outputs must not outlive it: downstream steps would read a value that the
// successful attempt never wrote (e.g. the id of a deployment that was rolled back).
test('the outputs of a retried step are those of its last attempt only', async () => {
  const graph = flaky('{ limit: 1, delay: 1s, jitter: 0 }');

  const { result, events } = await runVirtual(graph, {
    behaviour: (c) => (c.attempt === 1 ? { exitCode: 1, outputs: 'deployment=d-1\n' } : { outputs: 'healthy=yes\n' }),
  });

  assert.is(result.status, 'success');
  assert.equal(eventsOf(events, 'step.finished', 'flaky')[0]?.outputs, { healthy: 'yes' });
  assert.equal(result.steps.get('flaky')?.outputs, { healthy: 'yes' });
});

test('backoffDelay, table-driven over policy, attempt and random', () => {
  const rows: Array<[string, Parameters<typeof retryPolicy>[0], number, number, number]> = [
    ['fixed keeps the delay', { limit: 5, delay: '2s', jitter: 0 }, 4, 0, 2000],
    ['exponential doubles', { limit: 5, delay: '100ms', backoff: 'exponential', jitter: 0 }, 4, 0, 800],
    ['default maxDelay is 5 minutes', { limit: 30, delay: '1m', backoff: 'exponential', jitter: 0 }, 10, 0, 300_000],
    ['jitter 1 with random 1 gives 0', { limit: 1, delay: '1s', jitter: 1 }, 1, 1, 0],
    ['jitter with random 0 keeps the delay', { limit: 1, delay: '1s', jitter: 0.9 }, 1, 0, 1000],
    ['a missing delay means 1 s', { limit: 1, jitter: 0 }, 1, 0, 1000],
  ];
  for (const [name, doc, attempt, random, expected] of rows) {
    assert.is(backoffDelay(retryPolicy(doc), attempt, () => random), expected, name);
  }
});

test.run();
