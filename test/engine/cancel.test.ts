// Cancellation: with real process trees (system clock + spawnProcess: SIGTERM to the tree, SIGKILL
// after the grace period), and on virtual time for the engine's own bookkeeping.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  eventsOf, executionEnd, isGone, planWorkflow, realSleep, removeTempDirs, runReal, runVirtual, statuses, tempDir, waitFor,
} from './helpers.ts';

test.after(removeTempDirs);

const readPids = (file: string): number[] => {
  try { return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number); } catch { return []; }
};

test('cancel kills the whole process tree: SIGTERM first, SIGKILL for what ignores it', async () => {
  const dir = tempDir();
  const pidFile = join(dir, 'pids');
  const terminable = join(dir, 'terminable');
  const stubborn = join(dir, 'stubborn');
  // The step's shell, two children that die on SIGTERM, and a subshell ignoring SIGTERM with a
  // grandchild that inherits the ignored signal: only SIGKILL ends those two.
  const graph = planWorkflow(`
    steps:
      - id: tree
        env: { PIDS: "${pidFile}", TERMINABLE: "${terminable}", STUBBORN: "${stubborn}" }
        run: |
          echo $$ >> "$TERMINABLE"
          sleep 300 & echo $! >> "$TERMINABLE"
          sleep 300 & echo $! >> "$TERMINABLE"
          ( trap '' TERM; sleep 300 & echo $! >> "$STUBBORN"; echo $BASHPID >> "$STUBBORN"; echo ready > "$PIDS"; wait ) &
          wait
      - { id: after, run: "touch after-ran", needs: [tree] }
  `);
  const controller = new AbortController();
  const graceMs = 600;
  const started = performance.now();

  const running = runReal(graph, { signal: controller.signal, killGraceMs: graceMs, workspace: dir });
  const ready = await waitFor(() => readPids(pidFile).length > 0, 3000);
  const terminablePids = readPids(terminable);
  const stubbornPids = readPids(stubborn);
  controller.abort();
  const abortedAt = performance.now();
  await realSleep(150);
  const checkedAt = performance.now() - abortedAt;
  const stubbornAfterTerm = stubbornPids.filter((p) => !isGone(p));
  const terminableAfterTerm = terminablePids.filter((p) => !isGone(p));
  const { result, events } = await running;
  const allGone = await waitFor(() => [...terminablePids, ...stubbornPids].every(isGone), abortedAt + graceMs + 1000 - performance.now());
  const survivors = [...terminablePids, ...stubbornPids].filter((p) => !isGone(p));
  for (const p of survivors) process.kill(p, 'SIGKILL'); // this test's own processes, should the engine have missed them

  assert.ok(ready, 'the script wrote its pids');
  assert.is(terminablePids.length, 3);
  assert.is(stubbornPids.length, 2);
  assert.is(result.status, 'cancelled');
  assert.is(executionEnd(events)?.status, 'cancelled');
  assert.equal(statuses(events), { tree: 'cancelled', after: 'cancelled' });
  assert.equal(terminableAfterTerm, [], 'SIGTERM ended the shell and its sleeps');
  if (checkedAt < graceMs - 100) { // the SIGKILL cannot have been sent yet
    assert.equal(stubbornAfterTerm, stubbornPids, 'the TERM-ignoring processes outlived SIGTERM until the grace period');
  }
  assert.ok(allGone, `still alive ${graceMs + 1000} ms after the abort: ${survivors.join(', ')}`);
  assert.not.ok(existsSync(join(dir, 'after-ran')), 'the dependent never ran');
  assert.ok(performance.now() - started < 5000);
});

test('cancel during a retry delay: no further attempt, the step is cancelled', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: flaky, run: x, retry: { limit: 5, delay: 10s, jitter: 0 } }
      - { id: onCancel, run: report, needs: [flaky], if: "cancelled()" }
  `);
  const controller = new AbortController();

  const { result, events, spawner, clock } = await runVirtual(graph, {
    signal: controller.signal,
    before: (c) => { c.setTimer(4000, () => controller.abort()); },
    behaviour: (c) => ({ exitCode: c.step === 'flaky' ? 1 : 0 }),
  });

  assert.is(result.status, 'cancelled');
  assert.equal(statuses(events), { flaky: 'cancelled', onCancel: 'success' });
  assert.equal(spawner.timeline(), [['flaky', 0], ['onCancel', 4000]]);
  assert.is(eventsOf(events, 'step.finished', 'flaky')[0]?.attempts, 1);
  assert.is(clock.now(), 4000);
});

test('a signal aborted before the run starts runs nothing', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: a, run: x }
      - { id: b, uses: wait, with: { duration: 1s }, needs: [a] }
  `);

  const { result, events, spawner } = await runVirtual(graph, { signal: AbortSignal.abort() });

  assert.is(result.status, 'cancelled');
  assert.equal(statuses(events), { a: 'cancelled', b: 'cancelled' });
  assert.is(eventsOf(events, 'step.started', 'a').length, 0);
  assert.is(spawner.calls.length, 0);
  assert.is(executionEnd(events)?.error, 'cancelled');
});

test.run();
