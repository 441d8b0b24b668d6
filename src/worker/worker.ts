// `pluginops worker`: a process that registers with a `serve` by name and capabilities, heartbeats,
// and runs up to `concurrency` tasks at once, each claimed with a long poll. What a task does is
// run-task.ts; its progress is sent in batches (every `flushMs`, and at its end), and the answer
// to a heartbeat or a report may ask to stop a task (cancelled). When the server does not answer,
// the worker keeps what runs and tries again with a growing wait; when the server has forgotten it
// (a restart, or its lease ran out), it registers again under the same id. On SIGTERM or SIGINT it
// drains: no new claims, what runs gets `graceMs` to end, then it is stopped and not ended here:
// the goodbye gives every task still held back to the queue without spending an attempt; exit 0.
import { hostname } from 'node:os';
import type { Clock } from '../engine/clock.ts';
import type { Registry } from '../engine/step.ts';
import type { Project } from '../project/load.ts';
import type { Outcome, ProgressEvent } from '../tasks/hub.ts';
import type { Task, WorkerView } from '../tasks/model.ts';
import { ServerUnreachable, WorkerHttpError, type WorkerClient } from './client.ts';
import { runTask } from './run-task.ts';

export interface WorkerOptions {
  id: string;
  name: string;
  type?: string;
  capabilities: string[];
  concurrency: number;
  version: string;
  /** How long a claim waits on the server for a task. */
  claimWaitMs?: number;
  /** How often progress is sent while a task runs. */
  flushMs?: number;
  /** What runs at a stop gets this long before it is cancelled. */
  graceMs?: number;
}

export interface WorkerEdges {
  client: WorkerClient;
  project: Project;
  registry: Registry;
  env: Record<string, string>;
  clock: Clock;
  fetch: typeof globalThis.fetch;
  signal: AbortSignal;
  log: (line: string, level: 'debug' | 'info' | 'warn' | 'error', fields?: Record<string, unknown>) => void;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((ok) => {
  const t = setTimeout(ok, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); ok(); }, { once: true });
});

export async function runWorker(o: WorkerOptions, e: WorkerEdges): Promise<number> {
  const { client, log } = e;
  const running = new Map<string, AbortController>();
  const stop = new AbortController();
  const onStop = () => stop.abort();
  if (e.signal.aborted) onStop(); else e.signal.addEventListener('abort', onStop, { once: true });
  let heartbeatMs = 5_000;
  let draining = false;

  const register = async (): Promise<WorkerView> => {
    for (let wait = 1_000; ; wait = Math.min(wait * 2, 30_000)) {
      try {
        const r = await client.request<{ worker: WorkerView; heartbeatMs: number }>('POST', '/api/workers', {
          id: o.id, name: o.name, ...(o.type ? { type: o.type } : {}), capabilities: o.capabilities, concurrency: o.concurrency,
          host: hostname(), pid: process.pid, version: o.version,
        }, stop.signal);
        heartbeatMs = r.heartbeatMs;
        return r.worker;
      } catch (err) {
        if (err instanceof WorkerHttpError && err.status !== 503) throw err;
        if (stop.signal.aborted) throw err;
        log(`registering: ${(err as Error).message}; again in ${wait / 1000}s`, 'warn');
        await sleep(wait, stop.signal);
      }
    }
  };

  let me: WorkerView;
  try {
    me = await register();
  } catch (err) {
    if (stop.signal.aborted) return 0;
    log((err as Error).message, 'error');
    return 1;
  }
  log(`worker ${me.name} (${me.id}) registered with ${me.capabilities.join(', ') || 'no capabilities'}; runs ${o.concurrency} task${o.concurrency === 1 ? '' : 's'} at once`, 'info', { worker: me.id });

  let reRegistering: Promise<unknown> | undefined;
  const reRegister = () => (reRegistering ??= register().then((w) => { me = w; log(`registered again as ${w.id}`, 'info'); }, (err: unknown) => log(`registering again: ${(err as Error).message}`, 'error')).finally(() => { reRegistering = undefined; }));

  // Aborted once every slot has ended, so the heartbeat loop does not hold the exit back.
  const slotsDone = new AbortController();
  const heartbeat = async () => {
    while (!stop.signal.aborted || running.size) {
      await sleep(heartbeatMs, running.size ? slotsDone.signal : AbortSignal.any([stop.signal, slotsDone.signal]));
      if (slotsDone.signal.aborted) break;
      try {
        const a = await client.request<{ draining: boolean; cancel: string[] }>('POST', `/api/workers/${me.id}/heartbeat`, {});
        if (a.draining && !draining) { draining = true; log('the server asks this worker to drain: no new tasks', 'info'); }
        if (!a.draining) draining = false;
        for (const id of a.cancel) running.get(id)?.abort('cancelled');
      } catch (err) {
        if (err instanceof WorkerHttpError && err.code === 'E_UNKNOWN_WORKER') await reRegister();
        else log(`heartbeat: ${(err as Error).message}`, 'warn');
      }
      if (stop.signal.aborted && !running.size) break;
    }
  };

  const execute = async (task: Task) => {
    const claim = task.claim!;
    const controller = new AbortController();
    running.set(task.id, controller);
    const pending: ProgressEvent[] = [];
    let stale = false;
    let sending = Promise.resolve();
    const send = () => {
      const events = pending.splice(0);
      sending = sending.then(async () => {
        if (stale) return;
        try {
          const a = await client.request<{ cancel: boolean }>('POST', `/api/tasks/${task.id}/progress`, { claim, worker: me.id, events });
          if (a.cancel) controller.abort('cancelled');
        } catch (err) {
          if (err instanceof WorkerHttpError && err.code === 'E_STALE_CLAIM') { stale = true; controller.abort('stale'); log(`task ${task.id} is no longer this worker's: ${err.message}`, 'warn'); }
          else { pending.unshift(...events); log(`progress of ${task.id}: ${(err as Error).message}`, 'warn'); }
        }
      });
      return sending;
    };
    await send();
    const flusher = setInterval(() => { if (pending.length) void send(); }, o.flushMs ?? 250);
    log(`task ${task.id} (${task.work.kind === 'step' ? `step ${task.work.step.id} of execution ${task.work.execution}` : `${task.type}: ${task.work.workflow}`}) started`, 'info', { task: task.id });
    let outcome: Outcome;
    const t0 = Date.now();
    try {
      outcome = await runTask(task, {
        project: e.project, registry: e.registry, env: e.env, clock: e.clock, fetch: e.fetch, signal: controller.signal,
        maxParallel: Math.max(1, e.project.maxParallel ?? 2), capabilities: o.capabilities, report: (ev) => pending.push(ev),
      });
    } finally {
      clearInterval(flusher);
    }
    await send();
    // Stopped by this worker's own stop: not ended here; the goodbye gives it back to the queue.
    if (controller.signal.reason === 'stopping' && outcome.status === 'cancelled') {
      running.delete(task.id);
      log(`task ${task.id} stopped after ${Math.round((Date.now() - t0) / 1000)}s: it goes back to the queue`, 'warn', { task: task.id });
      return;
    }
    // The end is sent until the server has it (or says the claim is no longer this worker's).
    for (let wait = 1_000; !stale; wait = Math.min(wait * 2, 15_000)) {
      try {
        await client.request('POST', `/api/tasks/${task.id}/complete`, { claim, worker: me.id, ...outcome });
        break;
      } catch (err) {
        if (err instanceof WorkerHttpError) { log(`ending task ${task.id}: ${err.message}`, 'warn'); break; }
        log(`ending task ${task.id}: ${(err as Error).message}; again in ${wait / 1000}s`, 'warn');
        await sleep(wait);
      }
    }
    running.delete(task.id);
    if (stale) log(`task ${task.id} ended ${outcome.status} here, but it was no longer this worker's: its end is not recorded`, 'warn', { task: task.id });
    else log(`task ${task.id} ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}`, outcome.status === 'succeeded' ? 'info' : 'warn', { task: task.id });
  };

  const slot = async () => {
    for (let wait = 1_000; !stop.signal.aborted;) {
      if (draining) { await sleep(heartbeatMs, stop.signal); continue; }
      try {
        const task = await client.request<Task | null>('POST', `/api/workers/${me.id}/claim`, { waitMs: o.claimWaitMs ?? 20_000 }, stop.signal, (o.claimWaitMs ?? 20_000) + 10_000);
        wait = 1_000;
        if (task) await execute(task);
      } catch (err) {
        if (stop.signal.aborted) break;
        if (err instanceof WorkerHttpError && err.code === 'E_UNKNOWN_WORKER') { await reRegister(); continue; }
        log(`claiming: ${(err as Error).message}; again in ${wait / 1000}s`, err instanceof ServerUnreachable ? 'warn' : 'error');
        await sleep(wait, stop.signal);
        wait = Math.min(wait * 2, 30_000);
      }
    }
  };

  const beating = heartbeat();
  const slots = Array.from({ length: o.concurrency }, () => slot());
  await new Promise<void>((ok) => { if (stop.signal.aborted) ok(); else stop.signal.addEventListener('abort', () => ok(), { once: true }); });
  log(`stopping: no new tasks${running.size ? `; ${running.size} running get ${Math.round((o.graceMs ?? 30_000) / 1000)}s` : ''}`, 'info');
  const grace = setTimeout(() => { for (const c of running.values()) c.abort('stopping'); }, o.graceMs ?? 30_000);
  await Promise.all(slots);
  clearTimeout(grace);
  slotsDone.abort();
  await beating.catch(() => undefined);
  try {
    await client.request('DELETE', `/api/workers/${me.id}`, undefined, undefined, 5_000);
  } catch (err) {
    log(`saying goodbye: ${(err as Error).message}`, 'warn');
  }
  log('stopped', 'info');
  return 0;
}
