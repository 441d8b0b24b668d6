// The run path on a virtual clock: the run service and runExecution ask the Clock they are given
// for the time and for their timers (a plan's retry delay, approval deadlines, cancel polling),
// so nothing here waits for real time to pass. The steps are real processes.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../src/engine/clock.ts';
import { plan } from '../../src/engine/plan.ts';
import { runLocal } from '../../src/runs/local.ts';
import { loadProject } from '../../src/project/load.ts';
import { findWorkflowIn } from '../../src/project/workflows.ts';
import { RunService } from '../../src/runs/service.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionStore } from '../../src/store/types.ts';
import { project } from '../cli/helpers.ts';
import { flakyPlan } from './plans.ts';

const t0 = Date.parse('2026-12-01T08:00:00.000Z');
const hour = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const realSleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await realSleep(20);
  }
}

async function world(files: Record<string, string>) {
  const dir = project({ 'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n', ...files });
  const clock = new VirtualClock(t0);
  const store: ExecutionStore = await openFileStore(join(dir, '.pluginops'));
  const loaded = await loadProject(dir);
  const service = new RunService({ store, project: () => loaded, registry, cwd: dir, env: { PATH: process.env.PATH }, clock });
  return { dir, clock, store, service, project: loaded };
}

test("a plan's retry delay is waited on the clock; the records carry the clock's time", async () => {
  const w = await world({ 'pipelines/flaky.yml': flakyPlan('  retry: { attempts: 2, delay: 1h }\n') });
  try {
    const handle = await w.service.start({ plan: 'flaky' });
    let settled = false;
    void handle.done.then(() => { settled = true; });
    await until(async () => (await w.store.logs(handle.id)).some((l) => /run 1 of 2 failed; its failed steps run again in 3600000ms/.test(l.message)), 'the first run to fail');
    writeFileSync(join(w.dir, 'fixed'), '');
    await realSleep(300);
    assert.not.ok(settled, 'the retry waits for the virtual hour, not for real time');
    assert.is((await w.store.get(handle.id))!.resumes, undefined);

    await w.clock.advance(hour);
    const result = await handle.done;
    assert.is(result.status, 'success');
    const record = (await w.store.get(handle.id))!;
    assert.is(record.createdAt, iso(t0));
    assert.equal(record.resumes?.map((r) => [r.reason, r.by, r.at]), [['retry', 'retry policy', iso(t0 + hour)]]);
  } finally {
    await w.store.close();
  }
});

test('an approval deadline is set and expired on the clock', async () => {
  const gate = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: gated }
spec:
  steps:
    - id: gate
      uses: approval
      with: { timeout: 2h, onTimeout: approve }
    - id: after
      needs: [gate]
      run: echo "approved by $WHO" > after.txt
      env: { WHO: "\${{ steps.gate.outputs.approvedBy }}" }
`;
  const w = await world({ 'pipelines/gated.yml': gate });
  try {
    const handle = await w.service.start({ plan: 'gated' });
    assert.is((await handle.done).status, 'waiting');
    const waiting = (await w.store.get(handle.id))!.approvals!.gate!;
    assert.is(waiting.requestedAt, iso(t0));
    assert.is(waiting.deadline, iso(t0 + 2 * hour));

    await w.clock.advance(2 * hour - 1);
    assert.equal(await w.service.expireDue(), [], 'one millisecond before the deadline nothing is due');
    await w.clock.advance(1);
    const [resumed] = await w.service.expireDue();
    assert.ok(resumed, 'taken up at the deadline');
    assert.is((await resumed!.done).status, 'success');
    const record = (await w.store.get(handle.id))!;
    assert.equal(record.approvals!.gate!.decisions.map((d) => [d.by, d.at]), [['timeout', iso(t0 + 2 * hour)]]);
  } finally {
    await w.store.close();
  }
});

test("runExecution looks for another process's cancel request on the clock", async () => {
  const slow = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: slow }
spec:
  steps:
    - id: nap
      run: sleep 20
`;
  const w = await world({ 'pipelines/slow.yml': slow });
  try {
    const { runnable, set } = await findWorkflowIn(w.project, w.dir, 'slow', registry);
    let id = '';
    const running = runLocal({ graph: plan(runnable.doc, registry.steps), params: {}, project: w.project, documents: set, store: w.store, cwd: w.dir, env: { PATH: process.env.PATH }, clock: w.clock, onCreated: (x) => { id = x; } });
    await until(async () => id !== '' && (await w.store.get(id))?.status === 'running', 'the run to start');
    await w.store.requestCancel(id, 'another process');
    await realSleep(600);
    assert.is((await w.store.get(id))!.status, 'running', 'no poll yet: the virtual clock has not moved');
    await w.clock.advance(250);
    const { result } = await running;
    assert.is(result.status, 'cancelled');
  } finally {
    await w.store.close();
  }
});

test.run();
