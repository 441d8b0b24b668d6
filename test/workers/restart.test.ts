// A worker outlives its server: `serve` restarts (same store, same port) while a worker is
// connected; the worker keeps its registration (the board gives it one lease from the restart),
// claims again, and a task submitted after the restart runs on it. A worker started while no
// server answers waits and registers once one does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventually, world } from './world.ts';

test('a worker carries on across a serve restart, and one started before its server waits for it', async () => {
  const w = await world();
  try {
    const worker = w.worker('steady', ['deploy']);
    await eventually(async () => (await w.api('GET', '/api/workers')).body.data?.length === 1, 'the worker registered');
    const before = (await w.api('POST', '/api/tasks', { type: 'job', data: { n: 1 }, capabilities: ['deploy'] })).body.data.id;
    await eventually(async () => (await w.api('GET', `/api/tasks/${before}`)).body.data.state === 'succeeded', 'the first task done');

    await w.restartServe();
    const after = (await w.api('POST', '/api/tasks', { type: 'job', data: { n: 2 }, capabilities: ['deploy'] })).body.data.id;
    const done = await eventually(async () => {
      const t = (await w.api('GET', `/api/tasks/${after}`)).body.data;
      return t.state === 'succeeded' ? t : undefined;
    }, 'the task submitted after the restart done by the same worker', 30_000);
    assert.is(done.workerName, 'steady');
    const first = (await w.api('GET', `/api/tasks/${before}`)).body.data;
    assert.is(first.state, 'succeeded', 'the task done before the restart is still there');
    const workers = (await w.api('GET', '/api/workers')).body.data;
    assert.equal(workers.map((x: { name: string; state: string }) => [x.name, x.state]), [['steady', 'idle']]);
    assert.is(worker.child.exitCode, null, 'the worker never stopped');

    // SIGTERM: it says goodbye and exits 0.
    worker.child.kill('SIGTERM');
    assert.is(await worker.exited, 0);
    assert.match(worker.out(), /stopped/);
    const gone = (await w.api('GET', '/api/workers')).body.data;
    assert.is(gone[0].state, 'offline');

    // A worker started while no server answers waits for one.
    w.serve.child.kill('SIGTERM');
    await w.serve.exited;
    const early = w.worker('early', ['deploy']);
    await eventually(() => /registering: no pluginops serve answered/.test(early.out()), 'the worker says it waits');
    await w.restartServe();
    await eventually(async () => (await w.api('GET', '/api/workers')).body.data?.some((x: { name: string; state: string }) => x.name === 'early' && x.state === 'idle'), 'the early worker registered', 30_000);
  } finally {
    await w.close();
  }
});

test.run();
