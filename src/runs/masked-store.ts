// The store as every output path sees it: what is written (a new execution, each update, each log
// line) and what is read back (get, list, logs) has its free texts masked — parameters, errors,
// step outputs, approvals and log messages. Ids, names and times are left as they are.
import type { ExecutionPatch, ExecutionRecord, ExecutionStore, StepRecord } from '../store/types.ts';
import { maskApproval, maskDeep, type Mask } from '../engine/mask.ts';

function maskStep(s: StepRecord, mask: Mask): StepRecord {
  return { ...s, outputs: maskDeep(s.outputs, mask), ...(s.error !== undefined ? { error: mask(s.error) } : {}) };
}

export function maskRecord(r: ExecutionRecord, mask: Mask): ExecutionRecord {
  return {
    ...r,
    parameters: maskDeep(r.parameters, mask),
    steps: Object.fromEntries(Object.entries(r.steps).map(([k, s]) => [k, maskStep(s, mask)])),
    ...(r.error !== undefined ? { error: mask(r.error) } : {}),
    ...(r.approvals ? { approvals: Object.fromEntries(Object.entries(r.approvals).map(([k, a]) => [k, maskApproval(a, mask)])) } : {}),
  };
}

export function maskPatch(p: ExecutionPatch, mask: Mask): ExecutionPatch {
  switch (p.type) {
    case 'status': return p.error !== undefined ? { ...p, error: mask(p.error) } : p;
    case 'step': return { ...p, step: maskStep(p.step, mask) };
    case 'approval': return { ...p, approval: maskApproval(p.approval, mask) };
    case 'parameters': return { ...p, parameters: maskDeep(p.parameters, mask) };
    case 'artifact': case 'resumed': return p;
  }
}

/** `store` with every write and read masked by the mask of the moment (`mask` may change on reload). */
export function maskedStore(store: ExecutionStore, mask: () => Mask): ExecutionStore {
  return {
    create: (record) => store.create(maskRecord(record, mask())),
    update: (id, patch) => store.update(id, maskPatch(patch, mask())),
    log: (id, record) => store.log(id, { ...record, message: mask()(record.message) }),
    get: async (id) => { const r = await store.get(id); return r && maskRecord(r, mask()); },
    list: async (filter) => (await store.list(filter)).map((r) => maskRecord(r, mask())),
    logs: async (id, from) => (await store.logs(id, from)).map((l) => ({ ...l, message: mask()(l.message) })),
    stats: (query, now) => store.stats(query, now),
    cleanup: (days, now) => store.cleanup(days, now),
    requestCancel: (id, by) => store.requestCancel(id, by),
    cancelRequested: (id) => store.cancelRequested(id),
    exclusive: (id, fn) => store.exclusive(id, fn),
    recover: () => store.recover(),
    flush: () => store.flush(),
    close: () => store.close(),
  };
}
