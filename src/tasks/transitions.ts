// How a task or a worker changes, as pure functions: each takes what is there and the time, and
// answers the change to make (a patch, the state and the line of history it adds) or a TaskError.
// The board (in memory) and the PostgreSQL queue both apply them, so a task moves the same way
// whichever keeps it; they differ only in how they find, lock and write it.
import { randomBytes } from 'node:crypto';
import { TaskError } from './errors.ts';
import { capable, finalTaskStates, heldTaskStates, retryDelay, type Task, type TaskResult, type TaskState, type Worker, type WorkerView } from './model.ts';
import type { NewTask, Outcome, Registration } from './queue.ts';

export const iso = (ms: number): string => new Date(ms).toISOString();
const historyKept = 50;

let sequence = 0;
/** Sortable in creation order, also within one millisecond (the counter), and unique (the random part). */
export const newTaskId = (): string => `tk-${Date.now().toString(36)}${(sequence++ % 36 ** 4).toString(36).padStart(4, '0')}${randomBytes(3).toString('hex')}`;
export const newClaim = (): string => randomBytes(12).toString('hex');
export const newWorkerId = (): string => `wk-${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;

/** A change of a task: the fields it sets (undefined removes one), and the history line it adds when `state` or `message` is given. */
export interface Change { patch: Partial<Task>; state?: TaskState; message?: string }

export type EndState = 'succeeded' | 'failed' | 'dead-lettered' | 'cancelled';

/** Applies a change in place: a new version, `updatedAt`, and its line of history (the last 50 kept). */
export function applyChange(t: Task, c: Change, now: number): Task {
  const at = iso(now);
  Object.assign(t, c.patch);
  for (const k of Object.keys(c.patch) as Array<keyof Task>) if (c.patch[k] === undefined) delete t[k];
  t.updatedAt = at;
  t.version++;
  if (c.state || c.message) {
    t.history.push({ at, state: c.state ?? t.state, ...(t.worker && heldTaskStates.has(t.state) ? { worker: t.workerName } : {}), ...(c.message ? { message: c.message } : {}) });
    if (t.history.length > historyKept) t.history.splice(0, t.history.length - historyKept);
  }
  return t;
}

export function newTask(input: NewTask, now: number): Task {
  return {
    id: input.id ?? newTaskId(), type: input.type, priority: input.priority ?? 'normal', data: input.data ?? {},
    capabilities: [...new Set(input.capabilities ?? [])].sort(), work: input.work, state: 'pending',
    attempts: 0, maxAttempts: Math.max(1, input.maxAttempts ?? 3), backoffMs: Math.max(0, input.backoffMs ?? 10_000),
    runAt: iso(now), ...(input.deadline ? { deadline: input.deadline } : {}),
    createdAt: iso(now), updatedAt: iso(now), ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
    ...(input.execution ? { execution: input.execution } : {}),
    history: [{ at: iso(now), state: 'pending', ...(input.requestedBy ? { message: `submitted by ${input.requestedBy}` } : {}) }],
    version: 1,
  };
}

/** A task ends: its result, the time, and no claim or lease any more. */
export const ending = (state: EndState, result: TaskResult, message: string, now: number): Change =>
  ({ patch: { state, result, endedAt: iso(now), claim: undefined, leaseUntil: undefined }, state, message });

/** A claim starts an attempt for the worker, with a new claim token and a lease from now. */
export const claiming = (t: Task, w: Worker, claim: string, now: number, leaseMs: number): Change => ({
  patch: { state: 'claimed', attempts: t.attempts + 1, worker: w.id, workerName: w.name, claim, leaseUntil: iso(now + leaseMs), cancelRequested: undefined },
  state: 'claimed', message: `attempt ${t.attempts + 1} of ${t.maxAttempts} claimed by ${w.name}`,
});

/** The first report on a claimed task: it runs. Undefined when it runs already. */
export const starting = (t: Task, now: number): Change | undefined =>
  (t.state === 'claimed' ? { patch: { state: 'running', startedAt: t.startedAt ?? iso(now) }, state: 'running', message: `running on ${t.workerName}` } : undefined);

/** Refuses a report that does not carry the current claim of the worker holding the task. */
export function checkHeld(t: Task, workerId: string, claim: string): void {
  if (t.claim !== claim || t.worker !== workerId || !heldTaskStates.has(t.state)) {
    throw new TaskError('E_STALE_CLAIM', `task ${t.id} is not held by this claim any more (it is ${t.state}${t.workerName ? `, with ${t.workerName}` : ''})`, { state: t.state });
  }
}

/**
 * How a worker's end of its attempt changes the task: success ends it; a cancel (asked or
 * answered) ends it cancelled; a failure goes back pending after the backoff while attempts are
 * left, the deadline has not passed and it is no step (a step's own `retry` decides), else fails it.
 */
export function completing(t: Task, outcome: Outcome, now: number): Change {
  const { status, ...result } = outcome;
  if (status === 'succeeded') return ending('succeeded', result, `succeeded on ${t.workerName}`, now);
  if (status === 'cancelled' || t.cancelRequested) return ending('cancelled', result, `cancelled on ${t.workerName}`, now);
  if (t.attempts < t.maxAttempts && (!t.deadline || Date.parse(t.deadline) > now) && t.work.kind !== 'step') {
    const delay = retryDelay(t.backoffMs, t.attempts);
    return {
      patch: { state: 'pending', runAt: iso(now + delay), result, claim: undefined, leaseUntil: undefined, worker: undefined, workerName: undefined },
      state: 'pending', message: `attempt ${t.attempts} failed on ${t.workerName}${result.error ? `: ${result.error}` : ''}; again in ${Math.round(delay / 1000)}s`,
    };
  }
  return ending('failed', result, `failed on ${t.workerName}${result.error ? `: ${result.error}` : ''}`, now);
}

/** A held task back to the queue; with `spent` its attempt counts, and with none left it is dead-lettered. One being cancelled ends cancelled. */
export function requeuing(t: Task, now: number, spent: boolean, why: string): Change {
  if (t.cancelRequested) return ending('cancelled', { error: why }, `${why}; it was being cancelled`, now);
  if (spent && t.attempts >= t.maxAttempts) return ending('dead-lettered', { error: `${why}, and its ${t.maxAttempts} attempts are spent` }, why, now);
  return {
    patch: { state: 'pending', runAt: iso(now), claim: undefined, leaseUntil: undefined, worker: undefined, workerName: undefined, attempts: spent ? t.attempts : t.attempts - 1 },
    state: 'pending', message: `${why}; back in the queue`,
  };
}

/** Why a held task's lease ran out. */
export const leaseLost = (t: Task, leaseMs: number): string =>
  `the lease of ${t.workerName ?? 'its worker'} ran out (no heartbeat for ${Math.round(leaseMs / 1000)}s)`;

/** A pending task whose deadline passed. */
export const deadlinePassed = (t: Task, routable: boolean, now: number): Change =>
  ending('dead-lettered', { error: `its deadline ${t.deadline} passed before it ran${routable ? '' : ' (no worker has its capabilities)'}` }, 'deadline passed', now);

/** Cancel: a pending task ends at once, a held one is asked to stop; undefined when it was asked already. */
export function cancelling(t: Task, by: string, now: number): Change | undefined {
  if (finalTaskStates.has(t.state)) throw new TaskError('E_TASK_STATE', `task ${t.id} is ${t.state} already`, { state: t.state });
  if (t.state === 'pending') return ending('cancelled', { error: `cancelled by ${by}` }, `cancelled by ${by}`, now);
  return t.cancelRequested ? undefined : { patch: { cancelRequested: true }, message: `cancel asked by ${by}` };
}

/** Retry: a failed, dead-lettered or cancelled workflow task pending again, attempts renewed, a passed deadline dropped. */
export function retrying(t: Task, by: string, now: number): Change {
  if (!(t.state === 'failed' || t.state === 'dead-lettered' || t.state === 'cancelled')) {
    throw new TaskError('E_TASK_STATE', `task ${t.id} is ${t.state}; only failed, dead-lettered or cancelled tasks are retried`, { state: t.state });
  }
  if (t.work.kind === 'step') {
    throw new TaskError('E_TASK_STATE', `task ${t.id} is a step of execution ${t.work.execution}; retry the execution instead`, { state: t.state, execution: t.work.execution });
  }
  return {
    patch: {
      state: 'pending', attempts: 0, runAt: iso(now), result: undefined, endedAt: undefined, worker: undefined, workerName: undefined, claim: undefined,
      leaseUntil: undefined, cancelRequested: undefined, ...(t.deadline && Date.parse(t.deadline) <= now ? { deadline: undefined } : {}),
    },
    state: 'pending', message: `retried by ${by}`,
  };
}

// ——— workers ———

export const unknownTask = (id: string): TaskError => new TaskError('E_UNKNOWN_TASK', `there is no task ${id}`, { id });
export const unknownWorker = (id: string): TaskError => new TaskError('E_UNKNOWN_WORKER', `there is no worker ${id}; register again`, { id });
export const offlineWorker = (w: Pick<Worker, 'id' | 'name'>): TaskError => new TaskError('E_UNKNOWN_WORKER', `worker ${w.name} (${w.id}) was offline; register again`, { id: w.id });
export const nameTaken = (name: string, clash: Pick<Worker, 'id' | 'lastSeen'>): TaskError =>
  new TaskError('E_WORKER_NAME_TAKEN', `a worker named ${name} is online already (${clash.id}, last seen ${clash.lastSeen}); give this one another --name`, { worker: clash.id });
export const workerOnline = (w: Pick<Worker, 'id' | 'name'>): TaskError =>
  new TaskError('E_WORKER_ONLINE', `worker ${w.id} (${w.name}) is online; a worker registers again under its id only after the server lost it`, { worker: w.id });

/** A worker as registered, keeping the first registration's time and the counters of one taken up again under its id. */
export function registering(r: Registration, before: Worker | undefined, now: number): Worker {
  return {
    id: r.id ?? newWorkerId(), name: r.name, ...(r.type ? { type: r.type } : {}),
    capabilities: [...new Set(r.capabilities)].sort(), concurrency: Math.max(1, r.concurrency ?? 1),
    ...(r.host ? { host: r.host } : {}), ...(r.pid !== undefined ? { pid: r.pid } : {}), ...(r.version ? { version: r.version } : {}),
    registeredAt: before?.registeredAt ?? iso(now), lastSeen: iso(now), draining: false,
    completed: before?.completed ?? 0, failed: before?.failed ?? 0,
  };
}

/** A worker as shown: offline, draining, busy (it holds tasks) or idle. */
export function workerView(w: Worker, held: string[]): WorkerView {
  const state = w.offlineAt ? 'offline' : w.draining ? 'draining' : held.length ? 'busy' : 'idle';
  return { ...w, capabilities: [...w.capabilities], state, tasks: held };
}

/** Whether a worker may take new tasks needing `needs`: online, not draining, and capable. */
export const serves = (w: Worker, needs: readonly string[]): boolean => !w.offlineAt && !w.draining && capable(w.capabilities, needs);

/** Succeeded of those that ended succeeded, failed or dead-lettered; 1 when none did. */
export const successRate = (completed: number, failed: number): number => (completed + failed === 0 ? 1 : completed / (completed + failed));

/** A worker's counters after it ended an attempt. */
export function tallied(w: Worker, status: Outcome['status']): Pick<Worker, 'completed' | 'failed'> {
  return { completed: w.completed + (status === 'succeeded' ? 1 : 0), failed: w.failed + (status === 'failed' ? 1 : 0) };
}
