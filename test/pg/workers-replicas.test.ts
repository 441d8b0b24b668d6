// Two `serve` replicas on one PostgreSQL database and `pluginops worker` processes talking to one
// replica each: tasks of three priorities submitted through one replica are claimed in priority
// order and only by capable workers, whichever replica the worker asks; a `runsOn` step of a run
// started on one replica runs on a worker attached to the other, and its log lands in the
// execution both replicas show; a worker SIGKILLed mid-task loses its lease and the task is
// delivered again to a worker on the other replica and completes once.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventually } from '../serve/helpers.ts';
import { replicaWorld, writeToken, type Replica, type ReplicaWorld } from './replicas.ts';
import { documents, secret } from '../workers/world.ts';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');


interface WorkerProc { child: ChildProcess; out(): string; exited: Promise<number | null> }
const started: WorkerProc[] = [];

function worker(w: ReplicaWorld, r: Replica, name: string, capabilities: string[]): WorkerProc {
  const child = spawn(process.execPath, [bundle, 'worker', '--name', name, ...capabilities.flatMap((c) => ['--capability', c]), '--log', 'text'], {
    cwd: w.dir, env: { ...w.env, PLUGINOPS_URL: r.url, PLUGINOPS_TOKEN: writeToken, WORKER_TAG: name, PLUGINOPS_WORKER_CLAIM_WAIT_MS: '2000' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const p: WorkerProc = { child, out: () => out, exited: new Promise((ok) => child.once('close', (code) => ok(code))) };
  started.push(p);
  return p;
}

async function twoReplicas(): Promise<{ w: ReplicaWorld; a: Replica; b: Replica }> {
  const w = await replicaWorld({ documents, project: ['workers: { lease: 3s, aging: 10m }', 'secrets: [DEPLOY_TOKEN]'] });
  w.env.DEPLOY_TOKEN = secret;
  const [a, b] = [await w.start(['--port', '0', '--log', 'json']), await w.start(['--port', '0', '--log', 'json'])];
  return { w, a, b };
}

async function close(w: ReplicaWorld): Promise<void> {
  for (const p of started.splice(0)) if (p.child.exitCode === null) { p.child.kill('SIGKILL'); await p.exited; }
  await w.close();
}

test('tasks submitted on one replica are claimed by priority, only by capable workers, through either replica', async () => {
  const { w, a, b } = await twoReplicas();
  try {
    const submit = async (priority: string, n: number, capabilities = ['deploy']) => {
      const r = await w.api(a, 'POST', '/api/tasks', { type: 'job', priority, data: { n }, capabilities });
      assert.is(r.status, 201, JSON.stringify(r.body));
      return r.body.data.id as string;
    };
    const low = await submit('low', 1);
    const normal = await submit('normal', 2);
    const critical = await submit('critical', 3);
    const high = await submit('high', 4);
    const py = await submit('normal', 5, ['python3.11']);
    // Both replicas see the same queue.
    assert.is((await w.api(b, 'GET', '/api/tasks?state=pending')).body.data.length, 5);

    // The deploy worker asks replica B, the python one replica A.
    worker(w, b, 'deploy-worker', ['deploy']);
    const done = await eventually(async () => {
      const r = await w.api(a, 'GET', '/api/tasks?state=succeeded');
      return r.body.data.length === 4 ? r.body.data : undefined;
    }, { what: 'the four deploy tasks done', timeoutMs: 30_000 });
    const order = [...done].sort((x: any, y: any) => Date.parse(x.startedAt) - Date.parse(y.startedAt)).map((t: any) => t.id);
    assert.equal(order, [critical, high, normal, low], 'claimed highest priority first');
    assert.ok(done.every((t: any) => t.workerName === 'deploy-worker' && t.result.outputs['work.worker'] === 'deploy-worker'));
    assert.is((await w.api(b, 'GET', `/api/tasks/${py}`)).body.data.state, 'pending', 'the deploy worker never takes the python task');

    worker(w, a, 'py-worker', ['python3.11']);
    const ran = await eventually(async () => {
      const t = (await w.api(b, 'GET', `/api/tasks/${py}`)).body.data;
      return t.state === 'succeeded' ? t : undefined;
    }, { what: 'the python task done by the capable worker', timeoutMs: 30_000 });
    assert.is(ran.workerName, 'py-worker');
    // Its execution, recorded through replica A, reads the same through replica B.
    const logs = (await w.api(b, 'GET', `/api/executions/${ran.execution}/logs`)).body.data.map((l: any) => l.message);
    assert.ok(logs.some((m: string) => m.includes('job 5 on py-worker')), logs.join('\n'));
    const workers = (await w.api(a, 'GET', '/api/workers')).body.data;
    assert.equal(workers.map((x: any) => x.name).sort(), ['deploy-worker', 'py-worker']);
    const stats = (await w.api(b, 'GET', '/api/status')).body.data;
    assert.is(stats.tasks.completedTasks, 5);
    // A second worker under an online name is refused, whichever replica it asks.
    const dup = worker(w, a, 'deploy-worker', ['deploy']);
    assert.is(await dup.exited, 1);
    assert.match(dup.out(), /named deploy-worker is online already/);
  } finally {
    await close(w);
  }
});

test('a runsOn step of a run on one replica runs on a worker attached to the other; its log is in the execution', async () => {
  const { w, a, b } = await twoReplicas();
  try {
    worker(w, b, 'deploy-worker', ['deploy']);
    await eventually(async () => (await w.api(a, 'GET', '/api/workers')).body.data.length === 1, { what: 'the worker' });
    const run = await w.api(a, 'POST', '/api/executions', { workflow: 'mixed' });
    assert.is(run.status, 202, JSON.stringify(run.body));
    const id = run.body.data.id;
    const exec = await eventually(async () => {
      const r = (await w.api(b, 'GET', `/api/executions/${id}`)).body.data;
      return r.status === 'success' || r.status === 'failed' ? r : undefined;
    }, { what: 'the mixed run ends', timeoutMs: 30_000 });
    assert.is(exec.status, 'success', JSON.stringify(exec.steps));
    assert.is(exec.steps.remote.outputs.where, 'deploy-worker');
    const logs = (await w.api(b, 'GET', `/api/executions/${id}/logs`)).body.data.map((l: any) => `${l.step}: ${l.message}`);
    assert.ok(logs.includes('remote: remote step on deploy-worker with success'), logs.join('\n'));
    assert.ok(logs.some((m: string) => m.includes('after: after, remote ran on deploy-worker')), logs.join('\n'));

    // A secret reaches the worker as it is (rebuilt from the replica's environment), and the
    // database keeps it masked.
    const sec = (await w.api(b, 'POST', '/api/executions', { workflow: 'secretive', parameters: { tok: secret } })).body.data.id;
    const secRun = await eventually(async () => {
      const r = (await w.api(a, 'GET', `/api/executions/${sec}`)).body.data;
      return r.status === 'success' || r.status === 'failed' ? r : undefined;
    }, { what: 'the secretive run ends', timeoutMs: 30_000 });
    assert.is(secRun.status, 'success');
    const secLogs = (await w.api(a, 'GET', `/api/executions/${sec}/logs`)).body.data.map((l: any) => l.message);
    assert.ok(secLogs.includes(`length ${secret.length}`), `the worker had the real value: ${secLogs.join('\n')}`);
    assert.ok(secLogs.includes('token ***'), secLogs.join('\n'));
    const db = new pg.Client({ connectionString: w.databaseUrl });
    await db.connect();
    try {
      for (const table of ['tasks', 'task_events', 'executions', 'execution_logs']) {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE position($1 in ${table}::text) > 0`, [secret]);
        assert.is(rows[0].n, 0, `no secret in ${table}`);
      }
    } finally { await db.end(); }
  } finally {
    await close(w);
  }
});

test('a worker SIGKILLed mid-task: after its lease the task goes to a worker on the other replica and completes once', async () => {
  const { w, a, b } = await twoReplicas();
  try {
    const first = worker(w, a, 'py-1', ['python3.11']);
    await eventually(async () => (await w.api(b, 'GET', '/api/workers')).body.data.length === 1, { what: 'the first worker' });
    const id = (await w.api(b, 'POST', '/api/tasks', { type: 'slow', priority: 'high' })).body.data.id;
    await eventually(async () => (await w.api(a, 'GET', `/api/tasks/${id}`)).body.data.state === 'running', { what: 'the task running on py-1' });
    await eventually(() => first.out().includes('started'), { what: 'py-1 says it started the task' });
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    worker(w, b, 'py-2', ['python3.11']);
    const done = await eventually(async () => {
      const t = (await w.api(a, 'GET', `/api/tasks/${id}`)).body.data;
      return t.state === 'succeeded' ? t : undefined;
    }, { what: 'the task done by py-2', timeoutMs: 30_000 });
    assert.is(done.workerName, 'py-2');
    assert.is(done.attempts, 2);
    assert.ok(Date.now() - killedAt >= 3_000, 'not before the lease');
    const executions = (await w.api(b, 'GET', '/api/executions?workflow=slow')).body.data;
    assert.equal(executions.map((e: any) => e.status).sort(), ['interrupted', 'success']);
    assert.is((await w.api(a, 'GET', '/api/tasks/stats')).body.data.completedTasks, 1);
  } finally {
    await close(w);
  }
});

test.run();
