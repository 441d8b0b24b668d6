// Starting an execution: the record in the store, the runner, the recorder and renderers on
// the same event stream, and cancel requests from other processes (`executions cancel`).
import { randomBytes } from 'node:crypto';
import type { Emit } from '../engine/events.ts';
import { resolveParameters } from '../engine/parameters.ts';
import type { StepGraph } from '../engine/plan.ts';
import { runGraph, type RunResult, type StepResult } from '../engine/runner.ts';
import type { RunScope, StepEdges } from '../engine/step.ts';
import type { ExecutionRecord, ExecutionStore } from '../store/types.ts';
import { maskEvent, type Mask } from '../engine/mask.ts';
import { recordTo } from './recorder.ts';

export interface ExecuteOptions {
  graph: StepGraph;
  params: Record<string, unknown>;
  plugin?: string;
  store: ExecutionStore;
  edges: StepEdges;
  workspace: string;
  baseEnv: Record<string, string>;
  /** Aborting it cancels the execution. */
  signal?: AbortSignal;
  /** Renderers and other listeners of the event stream. */
  listeners?: Emit[];
  maxParallel?: number;
  /** How often to look for a cancel request from another process. */
  cancelPollMs?: number;
  contexts?: Record<string, unknown>;
  scope?: RunScope;
  /** Applied to every event before the store and the listeners see it. */
  mask?: Mask;
  /** Steps that succeeded in an earlier run of this execution (resume, retry). */
  prior?: ReadonlyMap<string, StepResult>;
}

export interface Execution {
  id: string;
  result: RunResult;
}

/** Sortable by time, unique enough, and safe as a file name. */
export const newExecutionId = (now = Date.now()): string => `${now.toString(36)}-${randomBytes(4).toString('hex')}`;

/** Creates the execution record (status pending); the caller may show the id before running. */
export async function createExecution(o: Pick<ExecuteOptions, 'graph' | 'params' | 'plugin' | 'store'> & {
  extra?: Partial<ExecutionRecord>;
  /** What the record keeps to rebuild the parameters that hold secrets (secret-params.ts). */
  seal?: (params: Record<string, unknown>) => ExecutionRecord['secretParameters'];
}): Promise<{ id: string; params: Record<string, unknown> }> {
  const params = resolveParameters(o.graph.parameters, o.params);
  const id = newExecutionId();
  const sealed = o.seal?.(params);
  const record: ExecutionRecord = {
    ...o.extra,
    ...(sealed ? { secretParameters: sealed } : {}),
    id, workflow: o.graph.id, kind: o.graph.kind, ...(o.graph.category ? { category: o.graph.category } : {}), ...(o.plugin ? { plugin: o.plugin } : {}), parameters: params, status: 'pending',
    createdAt: new Date().toISOString(), artifacts: [],
    steps: Object.fromEntries(o.graph.steps.map((s) => [s.id, { id: s.id, status: 'pending', attempts: 0, outputs: {} }])),
  };
  await o.store.create(record);
  return { id, params };
}

export async function runExecution(id: string, params: Record<string, unknown>, o: ExecuteOptions): Promise<RunResult> {
  const recorder = recordTo(o.store);
  const cancel = new AbortController();
  const onAbort = () => cancel.abort('cancelled');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();
  const poll = setInterval(() => {
    o.store.cancelRequested(id).then((yes) => { if (yes) cancel.abort('cancelled'); }, () => undefined);
  }, o.cancelPollMs ?? 250);
  poll.unref();
  const listeners = o.listeners ?? [];
  const mask = o.mask;
  try {
    const result = await runGraph({
      graph: o.graph, executionId: id, params, baseEnv: o.baseEnv, workspace: o.workspace, edges: o.edges,
      signal: cancel.signal, maxParallel: o.maxParallel, contexts: o.contexts, scope: o.scope, prior: o.prior,
      emit: (raw) => {
        const e = mask ? maskEvent(raw, mask) : raw;
        recorder.emit(e);
        for (const l of listeners) l(e);
      },
    });
    await recorder.flush();
    return result;
  } finally {
    clearInterval(poll);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

export async function execute(o: ExecuteOptions): Promise<Execution> {
  const { id, params } = await createExecution(o);
  return { id, result: await runExecution(id, params, o) };
}
