// The one edge remediation needs from the plan runner: which plans exist, and starting, watching
// and cancelling a run. The runner implements it; tests use a fake with the same interface.
import type { ExecutionStatus } from '../store/types.ts';
import type { IncidentBrief } from '../store/incident-brief.ts';

/** What remediation needs to know about an ActionPlan. */
export interface PlanInfo { id: string; category?: string; approvalRequired: boolean; timeoutMs?: number; parameters: string[] }

export interface StartPlan {
  plan: string;
  data: Record<string, unknown>;
  requestedBy: string;                 // 'remediation'
  trigger: { incident: string; rule: string; check?: string; brief?: IncidentBrief };
  requireApproval?: boolean;           // add an approval wait before the first step
}

/** Where a run stands. `waiting`, `pending` and `running` are not finished. */
export interface RunState { status: ExecutionStatus | 'waiting'; error?: string; rejectedBy?: string; approvedBy?: string; outputs?: Record<string, Record<string, string>> }

export interface PlanPort {
  plans(): ReadonlyMap<string, PlanInfo>;
  /** Records and starts a run; throws an Error with a message for an unknown plan or bad data. */
  start(req: StartPlan): Promise<{ id: string }>;
  /** Where a run stands; undefined when it no longer exists. */
  state(id: string): Promise<RunState | undefined>;
  cancel(id: string): Promise<void>;
}
