// Starting an execution: the record in the store, the runner, the recorder and renderers on
// the same event stream, and cancel requests from other processes (`executions cancel`).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../engine/clock.ts';
import type { Emit } from '../engine/events.ts';
import { resolveParameters } from '../engine/parameters.ts';
import { runGraph, type RunOptions, type RunResult } from '../engine/runner.ts';
import type { ExecutionRecord, ExecutionStore } from '../store/types.ts';
import { maskEvent, type Mask } from '../engine/mask.ts';
import { recordTo } from './recorder.ts';

/**
 * What the runner is given (less the execution id and the event sink, which are made here),
 * plus the store, the listeners and the masking around it. Time, for cancel polling too, is
 * `edges.clock`.
 */
export interface ExecuteOptions extends Omit<RunOptions, 'executionId' | 'emit'> {
  plugin?: string;
  store: ExecutionStore;
  /** Renderers and other listeners of the event stream. */
  listeners?: Emit[];
  /** How often to look for a cancel request from another process. */
  cancelPollMs?: number;
  /** Applied to every event before the store and the listeners see it. */
  mask?: Mask;
}

export interface Execution {
  id: string;
  result: RunResult;
}

/** Sortable by time, unique enough, and safe as a file name. */
export const newExecutionId = (now = Date.now()): string => `${now.toString(36)}-${randomBytes(4).toString('hex')}`;

/** Creates the execution record (status pending); the caller may show the id before running. */
export async function createExecution(o: Pick<ExecuteOptions, 'graph' | 'params' | 'plugin' | 'store'> & {
  clock: Clock;
  extra?: Partial<ExecutionRecord>;
  /** What the record keeps to rebuild the parameters that hold secrets (secret-params.ts). */
  seal?: (params: Record<string, unknown>) => ExecutionRecord['secretParameters'];
}): Promise<{ id: string; params: Record<string, unknown> }> {
  const params = resolveParameters(o.graph.parameters, o.params);
  const now = o.clock.now();
  const id = newExecutionId(now);
  const sealed = o.seal?.(params);
  const record: ExecutionRecord = {
    ...o.extra,
    ...(sealed ? { secretParameters: sealed } : {}),
    id, workflow: o.graph.id, kind: o.graph.kind, ...(o.graph.category ? { category: o.graph.category } : {}), ...(o.plugin ? { plugin: o.plugin } : {}), parameters: params, status: 'pending',
    createdAt: new Date(now).toISOString(), artifacts: [],
    steps: Object.fromEntries(o.graph.steps.map((s) => [s.id, { id: s.id, status: 'pending', attempts: 0, outputs: {} }])),
    ...planEdges(o.graph.steps),
  };
  await o.store.create(record);
  return { id, params };
}

/** The plan's `needs` edges as the record keeps them (only steps that wait for others). */
function planEdges(steps: ReadonlyArray<{ id: string; needs: readonly string[] }>): Pick<ExecutionRecord, 'needs'> {
  const waiting = steps.filter((s) => s.needs.length > 0);
  return waiting.length ? { needs: Object.fromEntries(waiting.map((s) => [s.id, [...s.needs]])) } : {};
}

export async function runExecution(id: string, params: Record<string, unknown>, o: ExecuteOptions): Promise<RunResult> {
  const recorder = recordTo(o.store);
  const cancel = new AbortController();
  const onAbort = () => cancel.abort('cancelled');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();
  const stopPolling = every(o.edges.clock, o.cancelPollMs ?? 250, () => {
    o.store.cancelRequested(id).then((yes) => { if (yes) cancel.abort('cancelled'); }, () => undefined);
  });
  const listeners = o.listeners ?? [];
  const mask = o.mask;
  try {
    const result = await runGraph({
      ...o, executionId: id, params, signal: cancel.signal,
      emit: (raw) => {
        const e = mask ? maskEvent(raw, mask) : raw;
        recorder.emit(e);
        for (const l of listeners) l(e);
      },
    });
    await recorder.flush();
    return result;
  } finally {
    stopPolling();
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/** Calls `fn` every `ms` on `clock` until the returned function is called. */
function every(clock: Clock, ms: number, fn: () => void): () => void {
  let stopped = false;
  let cancel = () => {};
  const arm = () => { cancel = clock.setTimer(ms, () => { if (stopped) return; fn(); arm(); }); };
  arm();
  return () => { stopped = true; cancel(); };
}

export async function execute(o: ExecuteOptions): Promise<Execution> {
  const { id, params } = await createExecution({ ...o, clock: o.edges.clock });
  return { id, result: await runExecution(id, params, o) };
}
