// Folding the records of an execution file into the ExecutionRecord they describe.
import type { StoredRecord } from './records.ts';
import { finishedStatuses, type ExecutionPatch, type ExecutionRecord, type ExecutionStatus } from './types.ts';

export function isFinished(status: ExecutionStatus): boolean {
  return finishedStatuses.includes(status);
}

export function isActive(status: ExecutionStatus): boolean {
  return status === 'pending' || status === 'running';
}

/** Applies one patch to `state` in place (the caller owns `state`). */
export function applyPatch(state: ExecutionRecord, patch: ExecutionPatch): void {
  switch (patch.type) {
    case 'status': {
      state.status = patch.status;
      if (patch.error !== undefined) state.error = patch.error;
      if (patch.currentStep !== undefined) state.currentStep = patch.currentStep;
      if (patch.status === 'running' && state.startedAt === undefined) state.startedAt = patch.at;
      if (isFinished(patch.status)) {
        state.endedAt = patch.at;
        const start = Date.parse(state.startedAt ?? state.createdAt);
        const end = Date.parse(patch.at);
        if (Number.isFinite(start) && Number.isFinite(end)) state.durationMs = Math.max(0, end - start);
      }
      return;
    }
    case 'step':
      state.steps[patch.step.id] = patch.step;
      if (patch.step.status === 'running') state.currentStep = patch.step.id;
      return;
    case 'artifact': {
      const others = state.artifacts.filter((a) => a.name !== patch.artifact.name);
      state.artifacts = [...others, patch.artifact];
      return;
    }
    case 'approval':
      state.approvals = { ...state.approvals, [patch.approval.step]: patch.approval };
      return;
    case 'parameters':
      state.parameters = patch.parameters;
      return;
    case 'resumed':
      state.status = 'running';
      state.owner = patch.owner;
      delete state.endedAt;
      delete state.durationMs;
      delete state.error;
      state.resumes = [...(state.resumes ?? []), { at: patch.at, reason: patch.reason, ...(patch.by ? { by: patch.by } : {}) }];
      return;
  }
}

/**
 * The execution described by `records`: the last `created` or `snapshot` record with the patches
 * after it applied. Undefined when there is no such record (an empty or torn file).
 */
export function foldRecords(records: readonly StoredRecord[]): ExecutionRecord | undefined {
  let state: ExecutionRecord | undefined;
  for (const record of records) {
    if (record.type === 'created' || record.type === 'snapshot') state = structuredClone(record.record);
    else if (state) applyPatch(state, record);
  }
  return state;
}
