// The serve side of tasks (ServeTaskHub) on a real file store: a workflow task is recorded as an
// execution when claimed, a worker's run events land there (and malformed or forged ones do not),
// also when the worker sends them to another hub on the same queue (another replica), an attempt
// lost with its lease leaves the execution interrupted, a task that ends without saying how its
// run ended still ends the execution, and a run left interrupted by a restart is taken up again.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findRunnable } from '../../src/api/workflows/catalog.ts';
import { VirtualClock } from '../../src/engine/clock.ts';
import { loadProject } from '../../src/project/load.ts';
import { ServeTaskHub } from '../../src/serve/workers.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionStore } from '../../src/store/types.ts';
import { TaskBoard } from '../../src/tasks/board.ts';
import { BoardQueue } from '../../src/tasks/board-queue.ts';
import type { ProgressEvent } from '../../src/tasks/hub.ts';
import { registry } from '../../src/wiring/registry.ts';

const workflow = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: job }
spec:
  parameters: { n: { type: number, default: 1 } }
  steps:
    - { id: work, run: echo work }
---
apiVersion: pluginops/v1
kind: Workflow
metadata: { id: gated }
spec:
  steps:
    - { id: gate, uses: approval, with: { title: Go? } }
    - { id: after, needs: [gate], run: echo after }
`;

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-hub-'));
  writeFileSync(join(dir, 'pluginops.yml'), 'apiVersion: pluginops/v1\nkind: Project\n');
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines', 'job.yml'), workflow);
  const project = await loadProject(dir);
  const store: ExecutionStore = await openFileStore(join(dir, '.pluginops'));
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 9));
  const board = new TaskBoard({ clock, leaseMs: 10_000 }, { putTask: () => {}, putWorker: () => {} });
  const logs: string[] = [];
  const hub = new ServeTaskHub({ board, store, registry, find: (plan) => findRunnable(project, plan, registry), log: (line) => logs.push(line) });
  const worker = board.register({ name: 'w', capabilities: ['deploy'] });
  return { dir, store, clock, board, hub, worker, logs, project };
}

const at = Date.UTC(2026, 0, 5, 9);

test('a claimed workflow task is an execution; valid run events are recorded, malformed ones are dropped', async () => {
  const { store, board, hub, worker } = await setup();
  const task = await hub.submit({ type: 'job', data: { n: 2 }, capabilities: ['deploy'] }, 'alice');
  const claimed = (await hub.claim(worker.id, 0))!;
  assert.is(claimed.id, task.id);
  const execution = board.get(task.id)!.execution!;
  const pending = (await store.get(execution))!;
  assert.equal([pending.status, pending.workflow, pending.requestedBy, pending.trigger?.task, pending.parameters.n], ['pending', 'job', 'alice', task.id, 2]);
  const events: ProgressEvent[] = [
    { kind: 'event', event: { type: 'execution.started', at, executionId: 'forged', workflow: 'job', steps: [] } },
    { kind: 'event', event: { type: 'step.started', at, step: 'work', attempt: 1 } },
    { kind: 'event', event: { type: 'step.log', at, step: 'work', level: 'info', message: 'work' } },
    // Dropped: no such kind, a level that is not one, outputs that are no strings, an approval.
    { kind: 'event', event: { type: 'step.nonsense', at, step: 'work' } },
    { kind: 'event', event: { type: 'step.log', at, step: 'work', level: 'loud', message: 'x' } },
    { kind: 'event', event: { type: 'step.finished', at, step: 'work', status: 'success', conclusion: 'success', attempts: 1, durationMs: 5, outputs: { bad: { no: 1 } } } },
    { kind: 'event', event: { type: 'step.waiting', at, step: 'work', approval: {} } },
    { kind: 'event', event: { type: 'step.finished', at, step: 'work', status: 'success', conclusion: 'success', attempts: 1, durationMs: 5, outputs: { v: '1' } } },
    { kind: 'event', event: { type: 'execution.finished', at, status: 'success', durationMs: 7 } },
  ];
  await hub.progress(task.id, worker.id, claimed.claim!, events);
  await hub.complete(task.id, worker.id, claimed.claim!, { status: 'succeeded' });
  await store.flush();
  await new Promise((r) => setTimeout(r, 20));
  const record = (await store.get(execution))!;
  assert.is(record.status, 'success');
  assert.equal(record.steps.work!.outputs, { v: '1' });
  assert.equal((await store.logs(execution)).map((l) => l.message), ['work']);
  assert.is(await store.get('forged'), undefined, 'the execution id is the task\'s, whatever the event says');
  await store.close();
});

test('an attempt lost with its lease leaves its execution interrupted; the next claim records another', async () => {
  const { store, clock, board, hub, worker } = await setup();
  const task = await hub.submit({ type: 'job' }, 'bob');
  await hub.claim(worker.id, 0);
  const first = board.get(task.id)!.execution!;
  await clock.advance(11_000);
  board.tick();
  assert.is(board.get(task.id)!.state, 'pending');
  await new Promise((r) => setTimeout(r, 20));
  const lost = (await store.get(first))!;
  assert.is(lost.status, 'interrupted');
  assert.match(lost.error ?? '', /lease of w ran out/);
  const again = board.register({ name: 'w2', capabilities: [] });
  await hub.claim(again.id, 0);
  const second = board.get(task.id)!.execution!;
  assert.is.not(second, first);
  assert.is((await store.get(second))!.status, 'pending');
  await store.close();
});

test('a task that ends without its run saying so ends the execution by the outcome', async () => {
  const { store, board, hub, worker } = await setup();
  const task = await hub.submit({ type: 'job', maxAttempts: 1 }, 'carol');
  const claimed = (await hub.claim(worker.id, 0))!;
  await hub.complete(task.id, worker.id, claimed.claim!, { status: 'failed', error: 'this worker has no checkout' });
  await new Promise((r) => setTimeout(r, 20));
  const record = (await store.get(board.get(task.id)!.execution!))!;
  assert.is(record.status, 'failed');
  assert.is(record.error, 'this worker has no checkout');
  await store.close();
});

test('a task for an unknown workflow, with data its parameters refuse, or waiting for an approval, is not submitted', async () => {
  const { board, hub, store } = await setup();
  try { await hub.submit({ type: 'nope' }, 'x'); assert.unreachable(); } catch (e) { assert.match((e as Error).message, /no workflow or action plan `nope`/); }
  try { await hub.submit({ type: 'job', data: { n: 'many' } }, 'x'); assert.unreachable(); } catch (e) { assert.match((e as Error).message, /n/); }
  try { await hub.submit({ type: 'gated' }, 'x'); assert.unreachable(); } catch (e) {
    assert.is((e as { code?: string }).code, 'E_NOT_FOR_WORKERS');
    assert.match((e as Error).message, /approvals wait on the server/);
  }
  assert.is(board.list().length, 0);
  await store.close();
});

test('run events a worker sends to another hub on the same queue are recorded by the hub that claimed the task', async () => {
  const { store, board, hub, worker, project } = await setup();
  const other = new ServeTaskHub({ queue: new BoardQueue(board), store, registry, find: (plan) => findRunnable(project, plan, registry), log: () => {} });
  const task = await hub.submit({ type: 'job', capabilities: ['deploy'] }, 'dave');
  const claimed = (await hub.claim(worker.id, 0))!;
  const execution = claimed.execution!;
  assert.is(board.get(task.id)!.execution, execution, 'the claim answer names the execution');
  await other.progress(task.id, worker.id, claimed.claim!, [
    { kind: 'event', event: { type: 'execution.started', at, workflow: 'job', steps: [] } },
    { kind: 'event', event: { type: 'step.started', at, step: 'work', attempt: 1 } },
    { kind: 'event', event: { type: 'step.log', at, step: 'work', level: 'info', message: 'through the other' } },
    { kind: 'event', event: { type: 'step.finished', at, step: 'work', status: 'success', conclusion: 'success', attempts: 1, durationMs: 3, outputs: {} } },
    { kind: 'event', event: { type: 'execution.finished', at, status: 'success', durationMs: 4 } },
  ]);
  await other.complete(task.id, worker.id, claimed.claim!, { status: 'succeeded' });
  await new Promise((r) => setTimeout(r, 20));
  await store.flush();
  const record = (await store.get(execution))!;
  assert.is(record.status, 'success');
  assert.equal((await store.logs(execution)).map((l) => l.message), ['through the other'], 'recorded once, by the claiming hub');
  await store.close();
});

test('after a restart, a run its worker still reports is taken up: the interrupted execution runs again and is recorded to its end', async () => {
  const { store, clock, board, hub, worker, project } = await setup();
  const task = await hub.submit({ type: 'job', capabilities: ['deploy'] }, 'erin');
  const claimed = (await hub.claim(worker.id, 0))!;
  const execution = claimed.execution!;
  await hub.progress(task.id, worker.id, claimed.claim!, [
    { kind: 'event', event: { type: 'execution.started', at, workflow: 'job', steps: [] } },
    { kind: 'event', event: { type: 'step.started', at, step: 'work', attempt: 1 } },
  ]);
  await store.flush();
  // The restart: the store leaves the execution interrupted, a new board is read back, a new hub steers it.
  await store.update(execution, { type: 'status', status: 'interrupted', at: new Date(at).toISOString(), error: 'the process running it stopped' });
  const restored = new TaskBoard({ clock, leaseMs: 10_000 }, { putTask: () => {}, putWorker: () => {} }, {
    tasks: board.list().map((t) => structuredClone(t)), workers: board.workers().map(({ state: _s, tasks: _t, ...w }) => structuredClone(w)),
  });
  const again = new ServeTaskHub({ board: restored, store, registry, find: (plan) => findRunnable(project, plan, registry), log: () => {} });
  await again.progress(task.id, worker.id, claimed.claim!, [
    { kind: 'event', event: { type: 'step.log', at, step: 'work', level: 'info', message: 'after the restart' } },
  ]);
  await again.progress(task.id, worker.id, claimed.claim!, [
    { kind: 'event', event: { type: 'step.finished', at, step: 'work', status: 'success', conclusion: 'success', attempts: 1, durationMs: 3, outputs: { v: '2' } } },
    { kind: 'event', event: { type: 'execution.finished', at, status: 'success', durationMs: 4 } },
  ]);
  await again.complete(task.id, worker.id, claimed.claim!, { status: 'succeeded' });
  await new Promise((r) => setTimeout(r, 20));
  await store.flush();
  const record = (await store.get(execution))!;
  assert.is(record.status, 'success');
  assert.equal(record.steps.work!.outputs, { v: '2' });
  const lines = (await store.logs(execution)).map((l) => l.message);
  assert.ok(lines.includes('the server restarted; worker w still runs it'), lines.join('\n'));
  assert.is(lines.filter((l) => l === 'after the restart').length, 1);
  await store.close();
});

test.run();
