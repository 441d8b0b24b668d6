// The run supervisor: it throws run errors (never HTTP ones) that the API maps to its answers,
// and it waits for its runs on its clock when it stops. Steps are real processes; the grace
// period is virtual time.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../src/engine/clock.ts';
import { loadProject } from '../../src/project/load.ts';
import { RunError, type RunErrorCode } from '../../src/runs/run-error.ts';
import { RunSupervisor } from '../../src/runs/supervisor.ts';
import { fromThrown, problemKinds } from '../../src/api/errors.ts';
import { findRunnable } from '../../src/api/workflows/catalog.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionStore } from '../../src/store/types.ts';
import { project } from '../cli/helpers.ts';

const workflow = (id: string, run: string) => `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: ${id} }
spec:
  steps:
    - id: s1
      run: ${JSON.stringify(run)}
`;

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function world() {
  const dir = project({
    'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n',
    'pipelines/quick.yml': workflow('quick', 'echo hi'),
    'pipelines/slow.yml': workflow('slow', 'sleep 20'),
  });
  mkdirSync(join(dir, 'plugins', 'hello'), { recursive: true });
  writeFileSync(join(dir, 'plugins', 'not-a-dir'), 'x');
  const clock = new VirtualClock(Date.parse('2026-12-01T08:00:00.000Z'));
  const store: ExecutionStore = await openFileStore(join(dir, '.pluginops'));
  const loaded = await loadProject(dir);
  const logs: string[] = [];
  const runs = new RunSupervisor({
    store, project: () => loaded, registry, cwd: dir, env: { PATH: process.env.PATH }, clock,
    find: (plan) => findRunnable(loaded, plan, registry), log: (line) => logs.push(line),
  });
  return { dir, clock, store, runs, logs };
}

const refusal = async (p: Promise<unknown>): Promise<RunError> => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.instance(e, RunError);
  return e as RunError;
};

test('a plugin directory that does not exist is a run error (E_NO_PLUGIN_DIRECTORY); the API answers 422 naming /plugin; nothing is recorded', async () => {
  const w = await world();
  try {
    for (const plugin of ['plugins/missing', 'plugins/not-a-dir']) {
      const e = await refusal(w.runs.start({ plan: 'quick', plugin }));
      assert.is(e.code, 'E_NO_PLUGIN_DIRECTORY');
      const api = fromThrown(e)!;
      assert.is(api.status, 422);
      assert.is(api.code, 'E_VALIDATION');
      assert.equal(api.details, [{ path: '/plugin', message: 'not a directory', code: 'E_NO_PLUGIN_DIRECTORY' }]);
    }
    assert.equal(await w.store.list(), []);
    const { id } = await w.runs.start({ plan: 'quick', plugin: 'plugins/hello' });
    await w.runs.idle();
    assert.is((await w.store.get(id))!.status, 'success');
  } finally {
    await w.store.close();
  }
});

test('stop waits out its grace period on the clock, then cancels; meanwhile new runs are refused (E_STOPPING → 503)', async () => {
  const w = await world();
  try {
    const { id } = await w.runs.start({ plan: 'slow' });
    await until(async () => (await w.store.get(id))?.status === 'running', 'the run to start');
    assert.is(w.runs.running(), 1);
    let stopped = false;
    const stopping = w.runs.stop(60_000).then(() => { stopped = true; });

    const e = await refusal(w.runs.start({ plan: 'quick' }));
    assert.is(e.code, 'E_STOPPING');
    const api = fromThrown(e)!;
    assert.is(api.status, 503);
    assert.is(api.code, 'E_UNAVAILABLE');
    assert.equal(api.details, { reason: 'E_STOPPING' });
    assert.is((await refusal(w.runs.retry(id, 'someone'))).code, 'E_STOPPING');

    await new Promise((r) => setTimeout(r, 300));
    assert.not.ok(stopped, 'the grace period is virtual: real time does not end it');
    assert.is((await w.store.get(id))!.status, 'running');
    await w.clock.advance(60_000);
    await stopping;
    assert.ok(stopped);
    assert.is(w.runs.running(), 0);
    assert.is((await w.store.get(id))!.status, 'cancelled');
  } finally {
    await w.store.close();
  }
});

test('every run error code has an HTTP answer', () => {
  const expected: Record<RunErrorCode, [number, string]> = {
    E_NOT_FOUND: [404, 'E_NOT_FOUND'], E_CONCURRENCY: [409, 'E_CONFLICT'], E_NOT_RETRYABLE: [409, 'E_CONFLICT'],
    E_STOPPING: [503, 'E_UNAVAILABLE'], E_NO_PLUGIN_DIRECTORY: [422, 'E_VALIDATION'],
  };
  for (const [code, [status, apiCode]] of Object.entries(expected) as Array<[RunErrorCode, [number, string]]>) {
    const api = fromThrown(new RunError(code, `refused: ${code}`))!;
    assert.is(api.status, status, code);
    assert.is(api.code, apiCode, code);
    assert.is(api.message, `refused: ${code}`);
    assert.ok(Object.values(problemKinds).some((k) => k.code === api.code));
  }
});

test('an unknown plan and invalid documents are refused by the finder before anything is recorded', async () => {
  const w = await world();
  try {
    const unknown = await w.runs.start({ plan: 'nope' }).then(() => undefined, (x: unknown) => x);
    assert.is(fromThrown(unknown)?.status, 404);
    assert.match((unknown as Error).message, /^no workflow or action plan `nope`; expected one of: .*\bquick\b.*\bslow\b/);
    writeFileSync(join(w.dir, 'pipelines', 'broken.yml'), 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: broken }\nspec: { steps: [ }\n');
    const invalid = await w.runs.start({ plan: 'quick' }).then(() => undefined, (x: unknown) => x);
    assert.is(fromThrown(invalid)?.status, 422);
    assert.equal(await w.store.list(), []);
  } finally {
    await w.store.close();
  }
});

test.run();
