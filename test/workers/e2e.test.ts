// Workers as users run them: a real `serve`, real `pluginops worker` processes with different
// capabilities, tasks of three priorities, a `runsOn` step inside an execution the server runs,
// cancel reaching a remote step, and a worker SIGKILLed mid-task whose task is delivered again
// after its lease and completes once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, secret, world } from './world.ts';

test('tasks are claimed in priority order, only by capable workers; an unroutable task waits until a capable worker comes', async () => {
  const w = await world();
  try {
    const submit = async (priority: string, n: number, capabilities = ['deploy']) => {
      const r = await w.api('POST', '/api/tasks', { type: 'job', priority, data: { n }, capabilities });
      assert.is(r.status, 201, JSON.stringify(r.body));
      return r.body.data.id as string;
    };
    // Submitted before any worker is there, in an order that is not the priority order.
    const low = await submit('low', 1);
    const normal = await submit('normal', 2);
    const critical = await submit('critical', 3);
    const high = await submit('high', 4);
    const py = await submit('normal', 5, ['python3.11']);
    const listed = await w.api('GET', '/api/tasks?state=pending');
    assert.is(listed.body.data.length, 5);
    assert.ok(listed.body.data.every((t: any) => t.unroutable === true), 'no worker yet: every task is unroutable');

    const deploy = w.worker('deploy-worker', ['deploy']);
    const done = await eventually(async () => {
      const r = await w.api('GET', '/api/tasks?state=succeeded');
      return r.body.data.length === 4 ? r.body.data : undefined;
    }, 'the four deploy tasks done');
    const order = [...done].sort((a: any, b: any) => Date.parse(a.startedAt) - Date.parse(b.startedAt)).map((t: any) => t.id);
    assert.equal(order, [critical, high, normal, low], 'claimed highest priority first');
    assert.ok(done.every((t: any) => t.workerName === 'deploy-worker' && t.result.outputs['work.worker'] === 'deploy-worker'));

    const waiting = (await w.api('GET', `/api/tasks/${py}`)).body.data;
    assert.is(waiting.state, 'pending', 'the deploy worker never takes the python task');
    assert.is(waiting.unroutable, true);
    const status = (await w.api('GET', '/api/status')).body.data;
    assert.is(status.tasks.unroutableTasks, 1);
    assert.is(status.tasks.workers, 1);

    w.worker('py-worker', ['python3.11', 'deploy']);
    const ran = await eventually(async () => {
      const t = (await w.api('GET', `/api/tasks/${py}`)).body.data;
      return t.state === 'succeeded' ? t : undefined;
    }, 'the python task done by the capable worker');
    assert.is(ran.workerName, 'py-worker');
    // Its execution is recorded on the server with the worker's log.
    const logs = (await w.api('GET', `/api/executions/${ran.execution}/logs`)).body.data.map((l: any) => l.message);
    assert.ok(logs.some((m: string) => m.includes('job 5 on py-worker')), logs.join('\n'));
    const exec = (await w.api('GET', `/api/executions/${ran.execution}`)).body.data;
    assert.is(exec.status, 'success');
    assert.is(exec.trigger.task, py);

    const stats = (await w.api('GET', '/api/tasks/stats')).body.data;
    assert.is(stats.completedTasks, 5);
    assert.is(stats.successRate, 1);
    const metrics = await fetch(`${w.url}/metrics`).then((r) => r.text());
    assert.match(metrics, /pluginops_tasks_completed_total 5/);
    assert.match(metrics, /pluginops_workers\{state="idle"\} 2/);
    const workers = (await w.api('GET', '/api/workers')).body.data;
    assert.equal(workers.map((x: any) => x.name).sort(), ['deploy-worker', 'py-worker']);
    // A second worker with a name that is online is refused, and exits non-zero.
    const dup = w.worker('deploy-worker', ['deploy']);
    assert.is(await dup.exited, 1);
    assert.match(dup.out(), /named deploy-worker is online already/);
  } finally {
    await w.close();
  }
});

test('a runsOn step runs on the capable worker; its log and outputs land in the execution; cancel reaches it', async () => {
  const w = await world();
  try {
    w.worker('deploy-worker', ['deploy']);
    w.worker('py-worker', ['python3.11']);
    await eventually(async () => (await w.api('GET', '/api/workers')).body.data.length === 2, 'two workers');
    const started = await w.api('POST', '/api/executions', { workflow: 'mixed' });
    assert.is(started.status, 202, JSON.stringify(started.body));
    const id = started.body.data.id;
    const exec = await eventually(async () => {
      const r = (await w.api('GET', `/api/executions/${id}`)).body.data;
      return r.status === 'success' || r.status === 'failed' ? r : undefined;
    }, 'the mixed run ends');
    assert.is(exec.status, 'success', JSON.stringify(exec.steps));
    assert.is(exec.steps.remote.outputs.where, 'deploy-worker');
    const logs = (await w.api('GET', `/api/executions/${id}/logs`)).body.data.map((l: any) => `${l.step}: ${l.message}`);
    assert.ok(logs.some((m: string) => m === 'remote: remote step on deploy-worker with success'), logs.join('\n'));
    assert.ok(logs.some((m: string) => m.includes('after: after, remote ran on deploy-worker')), logs.join('\n'));
    assert.ok(!logs.some((m: string) => m.includes('py-worker')));

    // A document submits a task (`uses: task`) and waits for it.
    const fan = (await w.api('POST', '/api/executions', { workflow: 'fanout' })).body.data.id;
    const fanned = await eventually(async () => {
      const r = (await w.api('GET', `/api/executions/${fan}`)).body.data;
      return r.status === 'success' || r.status === 'failed' ? r : undefined;
    }, 'the fanout run ends');
    assert.is(fanned.status, 'success', JSON.stringify(fanned.steps));
    const sub = fanned.steps.submit.outputs;
    assert.equal([sub.state, sub.worker, sub['work.worker']], ['succeeded', 'deploy-worker', 'deploy-worker']);
    const child = (await w.api('GET', `/api/tasks/${sub.task}`)).body.data;
    assert.equal([child.priority, child.requestedBy, child.execution], ['critical', `execution ${fan}`, sub.execution]);
    const fanLogs = (await w.api('GET', `/api/executions/${fan}/logs`)).body.data.map((l: any) => l.message);
    assert.ok(fanLogs.includes(`task ${sub.task} succeeded on deploy-worker`), fanLogs.join('\n'));

    // A secret reaches the worker as it is, and is masked everywhere it is kept or shown.
    const sec = (await w.api('POST', '/api/executions', { workflow: 'secretive', parameters: { tok: secret } })).body.data.id;
    const secRun = await eventually(async () => {
      const r = (await w.api('GET', `/api/executions/${sec}`)).body.data;
      return r.status === 'success' || r.status === 'failed' ? r : undefined;
    }, 'the secretive run ends');
    assert.is(secRun.status, 'success');
    const secLogs = (await w.api('GET', `/api/executions/${sec}/logs`)).body.data.map((l: any) => l.message);
    assert.ok(secLogs.includes(`length ${secret.length}`), `the worker had the real value: ${secLogs.join('\n')}`);
    assert.ok(secLogs.includes('token ***'), secLogs.join('\n'));
    const secTask = (await w.api('GET', `/api/tasks?execution=${sec}`)).body.data[0];
    assert.is(secTask.work.step.env.TOKEN, '***');
    await new Promise((r) => setTimeout(r, 200));
    assert.not.match(readFileSync(join(w.dir, '.pluginops', 'tasks.jsonl'), 'utf8'), secret, 'the journal keeps no secret');

    // Cancel reaches a step running on a worker.
    const long = (await w.api('POST', '/api/executions', { workflow: 'waits' })).body.data.id;
    const task = await eventually(async () => {
      const r = (await w.api('GET', `/api/tasks?execution=${long}&state=running`)).body.data;
      return r[0];
    }, 'the long step running on the worker');
    assert.is(task.workerName, 'deploy-worker');
    assert.is((await w.api('POST', `/api/executions/${long}/cancel`, {})).status < 300, true);
    const cancelled = await eventually(async () => {
      const r = (await w.api('GET', `/api/executions/${long}`)).body.data;
      return r.status === 'cancelled' ? r : undefined;
    }, 'the run cancelled', 15_000);
    assert.is(cancelled.steps.long.status, 'cancelled');
    const t = await eventually(async () => {
      const r = (await w.api('GET', `/api/tasks/${task.id}`)).body.data;
      return r.state === 'cancelled' ? r : undefined;
    }, 'the task cancelled on the worker', 15_000);
    assert.is(t.workerName, 'deploy-worker');
  } finally {
    await w.close();
  }
});

test('a worker SIGKILLed mid-task: after its lease the task goes to another worker and completes once', async () => {
  const w = await world();
  try {
    const first = w.worker('py-1', ['python3.11']);
    await eventually(async () => (await w.api('GET', '/api/workers')).body.data.length === 1, 'the first worker');
    const id = (await w.api('POST', '/api/tasks', { type: 'slow', priority: 'high' })).body.data.id;
    await eventually(async () => (await w.api('GET', `/api/tasks/${id}`)).body.data.state === 'running', 'the task running on py-1');
    await eventually(() => first.out().includes('started'), 'py-1 says it started the task');
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    w.worker('py-2', ['python3.11']);
    const done = await eventually(async () => {
      const t = (await w.api('GET', `/api/tasks/${id}`)).body.data;
      return t.state === 'succeeded' ? t : undefined;
    }, 'the task done by py-2', 30_000);
    assert.is(done.workerName, 'py-2');
    assert.is(done.attempts, 2);
    assert.ok(done.history.some((h: any) => /lease of py-1 ran out/.test(h.message ?? '')), JSON.stringify(done.history));
    assert.ok(Date.now() - killedAt >= 3_000, 'not before the lease');
    const workers = (await w.api('GET', '/api/workers')).body.data;
    assert.is(workers.find((x: any) => x.name === 'py-1').state, 'offline');
    // One execution per attempt: the lost one interrupted, the second a success.
    const executions = (await w.api('GET', '/api/executions?workflow=slow')).body.data;
    assert.equal(executions.map((e: any) => e.status).sort(), ['interrupted', 'success']);
    const stats = (await w.api('GET', '/api/tasks/stats')).body.data;
    assert.is(stats.completedTasks, 1);
  } finally {
    await w.close();
  }
});

test.run();
