// The store as an adapter over run events: each event becomes the store update it implies.
// Updates are queued in order; the store group-commits them.
import { dispatch, ignore, type EventHandlers, type RunEvent } from '../engine/events.ts';
import type { ExecutionStore, StepRecord } from '../store/types.ts';

export interface Recorder {
  emit(event: RunEvent): void;
  /** Resolves when every update so far is durable; rejects with the first failed write. */
  flush(): Promise<void>;
}

export function recordTo(store: ExecutionStore): Recorder {
  const pending: Array<Promise<void>> = [];
  let failure: unknown;
  const iso = (ms: number) => new Date(ms).toISOString();
  const steps = new Map<string, StepRecord>();
  const track = (p: Promise<void>) => { pending.push(p.catch((e) => { failure ??= e; })); };
  const stepUpdate = (id: string, step: StepRecord) => { steps.set(step.id, step); track(store.update(id, { type: 'step', step })); };

  const handlers = {
    'execution.started': (e) => {
      track(store.update(e.executionId, { type: 'status', status: 'running', at: iso(e.at) }));
    },
    'step.started': (e) => {
      const before = steps.get(e.step);
      stepUpdate(e.executionId, { id: e.step, status: 'running', attempts: e.attempt, startedAt: before?.startedAt ?? iso(e.at), outputs: {} });
    },
    'step.log': (e) => {
      store.log(e.executionId, { timestamp: iso(e.at), level: e.level, step: e.step, message: e.message });
    },
    'step.artifact': (e) => {
      track(store.update(e.executionId, { type: 'artifact', artifact: { name: e.name, path: e.path, ...(e.size !== undefined ? { size: e.size } : {}), ...(e.sha256 ? { sha256: e.sha256 } : {}) } }));
    },
    'step.retrying': (e) => {
      store.log(e.executionId, { timestamp: iso(e.at), level: 'warn', step: e.step, message: `attempt ${e.attempt} failed (${e.reason}); retrying in ${e.delayMs}ms` });
    },
    'step.finished': (e) => {
      const id = e.executionId;
      const before = steps.get(e.step);
      stepUpdate(id, {
        id: e.step, status: e.status, conclusion: e.conclusion, attempts: e.attempts, startedAt: before?.startedAt,
        endedAt: iso(e.at), durationMs: e.durationMs, outputs: e.outputs, ...(e.error ? { error: e.error } : {}),
      });
      if (e.error) store.log(id, { timestamp: iso(e.at), level: 'error', step: e.step, message: e.error });
    },
    // The step's record from the earlier run stays as it is.
    'step.kept': ignore,
    'step.waiting': (e) => {
      const id = e.executionId;
      const before = steps.get(e.step);
      track(store.update(id, { type: 'approval', approval: e.approval }));
      stepUpdate(id, { id: e.step, status: 'waiting', attempts: 1, startedAt: before?.startedAt ?? iso(e.at), outputs: {} });
      store.log(id, { timestamp: iso(e.at), level: 'info', step: e.step, message: `waiting for approval${e.approval.deadline ? ` until ${e.approval.deadline}` : ''}` });
    },
    'step.skipped': (e) => {
      stepUpdate(e.executionId, { id: e.step, status: e.status, attempts: 0, endedAt: iso(e.at), outputs: {}, error: e.reason });
    },
    'execution.finished': (e) => {
      track(store.update(e.executionId, { type: 'status', status: e.status, at: iso(e.at), ...(e.error ? { error: e.error } : {}) }));
    },
  } satisfies EventHandlers<void>;

  return {
    emit(e) { dispatch(handlers, e); },
    async flush() {
      await Promise.all(pending.splice(0));
      await store.flush();
      if (failure) throw failure;
    },
  };
}
