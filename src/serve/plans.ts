// The plan port of self-healing, as `serve` provides it: runs start through the API's runner (so
// they are recorded, followed, cancelled and stopped like any run of this server) and are read
// back from the store.
import type { PlanInfo, PlanPort, RunState } from '../remediation/ports.ts';
import type { ExecutionRunner } from '../server/executions/runner.ts';
import type { ExecutionStore } from '../store/types.ts';

export function planPort(runner: ExecutionRunner, store: ExecutionStore, plans: () => ReadonlyMap<string, PlanInfo>): PlanPort {
  return {
    plans,
    async start(req) {
      const { id } = await runner.start({
        workflow: req.plan, parameters: req.data, requestedBy: req.requestedBy, trigger: req.trigger,
        ...(req.requireApproval ? { requireApproval: true } : {}),
      });
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
      runner.cancel(id);
    },
  };
}
