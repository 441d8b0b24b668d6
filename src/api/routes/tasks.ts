// Tasks and workers. People and scripts submit, list, cancel and retry tasks; workers register,
// heartbeat, claim (a long poll), report progress and end what they hold. A task's `claim` is
// shown only in the claim answer, to the worker that holds it; its reports must carry it.
import { Type } from '@sinclair/typebox';
import { hostname } from 'node:os';
import type { TaskHub } from '../../tasks/hub.ts';
import type { Task as TaskModel } from '../../tasks/model.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import { ClaimBody, CompleteBody, HeartbeatAnswer, ProgressBody, RegisterBody, Registered, SubmitBody, Task, TaskStats, TasksQuery, Worker } from '../schemas/tasks.ts';

export const hubOf = (deps: ApiDeps): TaskHub => {
  const h = deps.tasks?.();
  if (!h) throw new ApiError('unavailable', 'tasks and workers are not served by this process');
  return h;
};

type Routable = (t: Pick<TaskModel, 'capabilities'>) => boolean;

/** As shown to anyone but the worker holding it: without the claim, and said `unroutable` while no online worker can take it. */
const shownWith = (routable: Routable) => (t: TaskModel) => {
  const { claim: _claim, ...rest } = t;
  return { ...rest, ...(t.state === 'pending' && !routable(t) ? { unroutable: true } : {}) };
};
const shown = async (hub: TaskHub, t: TaskModel) => shownWith(await hub.queue.router())(t);

const worker = async (hub: TaskHub, id: string) => {
  const w = await hub.queue.findWorker(id);
  if (!w) throw new ApiError('notFound', `there is no worker ${id}`);
  return w;
};

export const taskRoutes = [
  defineRoute({
    method: 'POST', path: '/api/tasks', access: 'write', tag: 'tasks', operationId: 'submitTask',
    summary: 'Submit a task: a workflow or action plan for a worker with the capabilities it needs',
    description: 'The workflow (`workflow`, else `type`) must be one the server knows, and `data` must fit its parameters (422 otherwise). Without `capabilities`, the workflow\'s `runsOn` are needed. A task no online worker can take waits, shown `unroutable`.',
    body: { kind: 'json', schema: SubmitBody, description: 'The task.' },
    answer: { status: 201, description: 'The task, pending.', data: Task, location: '/api/tasks/{id}' },
    errors: ['notFound', 'invalid', 'unavailable'],
    async handle({ deps, body, caller }) {
      const hub = hubOf(deps);
      const t = await hub.submit(body, caller.name ?? 'api');
      deps.log(`task ${t.id} (${t.type}, ${t.priority}) submitted by ${caller.name ?? 'api'}`, 'info', { task: t.id });
      return { status: 201, data: await shown(hub, t), message: `task ${t.id} is pending` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/tasks', access: 'read', tag: 'tasks', operationId: 'listTasks',
    summary: 'Tasks, newest first, by state, type, priority, worker or execution',
    query: TasksQuery,
    answer: { status: 200, description: 'Matching tasks.', data: Type.Array(Task), headers: { 'X-Total-Count': 'How many match before `limit`.' } },
    errors: ['unavailable'],
    async handle({ deps, query }) {
      const { queue } = hubOf(deps);
      const [page, total, routable] = await Promise.all([queue.list({ ...query, limit: query.limit ?? 100 }), queue.count({ ...query, limit: undefined }), queue.router()]);
      return { data: page.map(shownWith(routable)), message: `${total} task${total === 1 ? '' : 's'}`, headers: { 'x-total-count': String(total) } };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/tasks/stats', access: 'read', tag: 'tasks', operationId: 'taskStats',
    summary: 'Workers and tasks in figures: the seed\'s workers, activeTasks, completedTasks, successRate, and the queue depth',
    answer: { status: 200, description: 'The figures.', data: TaskStats },
    errors: ['unavailable'],
    async handle({ deps }) { return { data: await hubOf(deps).queue.stats() }; },
  }),
  defineRoute({
    method: 'GET', path: '/api/tasks/{id}', access: 'read', tag: 'tasks', operationId: 'getTask',
    summary: 'One task with its history',
    answer: { status: 200, description: 'The task.', data: Task },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, params }) {
      const hub = hubOf(deps);
      const t = await hub.queue.get(params.id);
      if (!t) throw new ApiError('notFound', `there is no task ${params.id}`);
      return { data: await shown(hub, t) };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/tasks/{id}/cancel', access: 'write', tag: 'tasks', operationId: 'cancelTask',
    summary: 'Cancel a task: a pending one at once, a running one at its worker\'s next heartbeat',
    body: { kind: 'json', schema: Type.Object({}, { additionalProperties: false }), description: 'Nothing.' },
    answer: { status: 200, description: 'The task.', data: Task },
    errors: ['notFound', 'conflict', 'unavailable'],
    async handle({ deps, params, caller }) {
      const hub = hubOf(deps);
      const t = await hub.queue.cancel(params.id, caller.name ?? 'api');
      return { data: await shown(hub, t), message: t.state === 'cancelled' ? `task ${t.id} cancelled` : `task ${t.id}: its worker is asked to stop` };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/tasks/{id}/retry', access: 'write', tag: 'tasks', operationId: 'retryTask',
    summary: 'Queue a failed, dead-lettered or cancelled task again, with its attempts renewed',
    body: { kind: 'json', schema: Type.Object({}, { additionalProperties: false }), description: 'Nothing.' },
    answer: { status: 200, description: 'The task, pending.', data: Task },
    errors: ['notFound', 'conflict', 'unavailable'],
    async handle({ deps, params, caller }) {
      const hub = hubOf(deps);
      return { data: await shown(hub, await hub.queue.retry(params.id, caller.name ?? 'api')), message: `task ${params.id} is pending again` };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/tasks/{id}/progress', access: 'write', tag: 'tasks', operationId: 'taskProgress',
    summary: 'From the worker holding a task: it runs, and the log lines, outputs and run events since its last report',
    description: '409 (E_STALE_CLAIM) when the claim is not the task\'s current one: the task went to another worker, or ended.',
    body: { kind: 'json', schema: ProgressBody, description: 'The claim and the events.' },
    answer: { status: 200, description: 'Whether to stop it.', data: Type.Object({ cancel: Type.Boolean() }, { additionalProperties: false }) },
    errors: ['notFound', 'conflict', 'unavailable'],
    async handle({ deps, params, body }) {
      return { data: await hubOf(deps).progress(params.id, body.worker, body.claim, body.events ?? []) };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/tasks/{id}/complete', access: 'write', tag: 'tasks', operationId: 'completeTask',
    summary: 'From the worker holding a task: how the attempt ended',
    description: 'A failure is tried again after the backoff while attempts are left (steps of an execution are retried by their own `retry`). 409 (E_STALE_CLAIM) for a claim that is not current.',
    body: { kind: 'json', schema: CompleteBody, description: 'The claim and the outcome.' },
    answer: { status: 200, description: 'The task afterwards.', data: Task },
    errors: ['notFound', 'conflict', 'unavailable'],
    async handle({ deps, params, body }) {
      const hub = hubOf(deps);
      const { claim, worker: w, ...outcome } = body;
      const t = await hub.complete(params.id, w, claim, outcome);
      deps.log(`task ${t.id} ${t.state} (attempt ${t.attempts} on ${t.workerName ?? w})`, t.state === 'failed' || t.state === 'dead-lettered' ? 'warn' : 'info', { task: t.id });
      return { data: await shown(hub, t) };
    },
  }),
  // ——— workers ———
  defineRoute({
    method: 'GET', path: '/api/workers', access: 'read', tag: 'workers', operationId: 'listWorkers',
    summary: 'Workers with their state (idle, busy, draining, offline) and the tasks they hold',
    answer: { status: 200, description: 'The workers.', data: Type.Array(Worker) },
    errors: ['unavailable'],
    async handle({ deps }) {
      const ws = await hubOf(deps).queue.workers();
      return { data: ws, message: `${ws.length} worker${ws.length === 1 ? '' : 's'}` };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/workers', access: 'write', tag: 'workers', operationId: 'registerWorker',
    summary: 'Register a worker (the seed\'s `{id, name, type, capabilities}`), or take one up again by its id',
    description: '409 (E_WORKER_NAME_TAKEN) when another online worker has the name. The answer says how often to heartbeat; a worker silent for `leaseMs` is offline and its tasks go back to the queue.',
    body: { kind: 'json', schema: RegisterBody, description: 'The worker.' },
    answer: { status: 200, description: 'The worker as registered.', data: Registered },
    errors: ['conflict', 'unavailable'],
    async handle({ deps, body, req }) {
      const hub = hubOf(deps);
      const w = await hub.queue.register({ ...body, host: body.host ?? req.socket.remoteAddress ?? hostname() });
      deps.log(`worker ${w.name} (${w.id}) registered with ${w.capabilities.join(', ') || 'no capabilities'}`, 'info', { worker: w.id });
      return { data: { worker: w, leaseMs: hub.queue.leaseMs, heartbeatMs: Math.max(500, Math.floor(hub.queue.leaseMs / 4)) } };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/workers/{id}', access: 'read', tag: 'workers', operationId: 'getWorker',
    summary: 'One worker (by id or name) with the tasks it holds',
    answer: { status: 200, description: 'The worker.', data: Worker },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, params }) { return { data: await worker(hubOf(deps), params.id) }; },
  }),
  defineRoute({
    method: 'POST', path: '/api/workers/{id}/heartbeat', access: 'write', tag: 'workers', operationId: 'workerHeartbeat',
    summary: 'A worker is alive: its lease and its tasks\' leases run from now',
    description: '404 (E_UNKNOWN_WORKER) when the server does not know it, or it was offline: register again with the same id.',
    body: { kind: 'json', schema: Type.Object({}, { additionalProperties: false }), description: 'Nothing.' },
    answer: { status: 200, description: 'Whether it drains, and tasks to stop.', data: HeartbeatAnswer },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, params }) { return { data: await hubOf(deps).queue.heartbeat(params.id) }; },
  }),
  defineRoute({
    method: 'POST', path: '/api/workers/{id}/claim', access: 'write', tag: 'workers', operationId: 'claimTask',
    summary: 'A long poll: the best task the worker may take, claimed for it, or null after `waitMs`',
    description: 'The task is sent with its real values (a secret in its data or environment is not masked): the worker needs them to run it. Everywhere else they are masked.',
    unmasked: true,
    body: { kind: 'json', schema: ClaimBody, description: 'How long to wait.' },
    answer: { status: 200, description: 'The claimed task with its `claim`, or null.', data: Type.Union([Task, Type.Null()]) },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, params, body, signal }) {
      const t = await hubOf(deps).claim(params.id, body.waitMs ?? 20_000, signal);
      return { data: t ?? null, ...(t ? { message: `task ${t.id} claimed` } : {}) };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/workers/{id}/drain', access: 'write', tag: 'workers', operationId: 'drainWorker',
    summary: 'A worker takes no new tasks; those it holds run to their end',
    body: { kind: 'json', schema: Type.Object({}, { additionalProperties: false }), description: 'Nothing.' },
    answer: { status: 200, description: 'The worker, draining.', data: Worker },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, params, caller }) {
      const hub = hubOf(deps);
      const w = await hub.queue.drain((await worker(hub, params.id)).id);
      deps.log(`worker ${w.name} drains (asked by ${caller.name ?? 'api'})`, 'info', { worker: w.id });
      return { data: w, message: `worker ${w.name} takes no new tasks` };
    },
  }),
  defineRoute({
    method: 'DELETE', path: '/api/workers/{id}', access: 'write', tag: 'workers', operationId: 'deregisterWorker',
    summary: 'A worker stops: tasks it still holds go back to the queue without spending an attempt',
    answer: { status: 200, description: 'The worker, offline.', data: Worker },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, params }) {
      const hub = hubOf(deps);
      const w = await hub.queue.deregister((await worker(hub, params.id)).id);
      deps.log(`worker ${w.name} stopped`, 'info', { worker: w.id });
      return { data: w };
    },
  }),
];
