// The plan port of self-healing, as `serve` provides it: runs start through the run supervisor
// the API uses too (so they are recorded, followed, cancelled and stopped like any run of this
// server) and are read back from the store.
import type { PlanInfo, PlanPort, RunState } from '../remediation/ports.ts';
import type { ApplyPort } from '../optimize/ports.ts';
import type { RunSupervisor } from '../runs/supervisor.ts';
import type { ExecutionStore } from '../store/types.ts';

/** The same port for optimization: its runs carry the suggestion they apply or revert. */
export function applyPort(runs: RunSupervisor, store: ExecutionStore, plans: () => ReadonlyMap<string, PlanInfo>): ApplyPort {
  const { state, cancel } = planPort(runs, store, plans);
  return {
    plans, state, cancel,
    async start(req) {
      const { id } = await runs.start({
        plan: req.plan, data: req.data, requestedBy: req.requestedBy, trigger: { suggestion: req.trigger.suggestion },
        ...(req.requireApproval ? { requireApproval: true } : {}),
      });
      return { id };
    },
  };
}

export function planPort(runs: RunSupervisor, store: ExecutionStore, plans: () => ReadonlyMap<string, PlanInfo>): PlanPort {
  return {
    plans,
    async start(req) {
      const { id } = await runs.start(req);
      return { id };
    },
    async state(id): Promise<RunState | undefined> {
      const r = await store.get(id);
      if (!r) return undefined;
      const approvals = Object.values(r.approvals ?? {});
      const rejection = approvals.flatMap((a) => (a.status === 'rejected' ? a.decisions.filter((d) => d.decision !== 'approve') : []))[0];
      const approvers = approvals.filter((a) => a.status === 'approved').flatMap((a) => a.decisions.filter((d) => d.decision !== 'reject').map((d) => d.by));
      return {
        status: r.status, ...(r.error ? { error: r.error } : {}), ...(rejection ? { rejectedBy: rejection.by } : {}),
        ...(approvers.length ? { approvedBy: approvers.join(', ') } : {}),
        outputs: Object.fromEntries(Object.values(r.steps).map((s) => [s.id, s.outputs])),
      };
    },
    async cancel(id) {
      await store.requestCancel(id, 'the remediation timeout').catch(() => undefined);
      runs.cancel(id);
    },
  };
}
