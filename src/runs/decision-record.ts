// A decision on a waiting run as it is written and told: the approval, the step and run it
// concludes, the claim of the process that takes an approved run up, and the message to the
// approval's channels. The run service calls these under the run's lock (runs/service.ts).
import type { Clock } from '../engine/clock.ts';
import type { Project } from '../project/load.ts';
import { currentOwner } from '../store/owner.ts';
import type { ExecutionRecord, ExecutionStore, LogLevel } from '../store/types.ts';
import type { Decided } from './approvals/decide.ts';
import { notifyDecision } from './approvals/notify.ts';

/** This process takes the run up: status running, owned by us (so a crash shows as interrupted). */
export async function claimRun(store: ExecutionStore, id: string, reason: 'approved' | 'retry', by: string, now: number): Promise<void> {
  await store.update(id, { type: 'resumed', at: new Date(now).toISOString(), reason, by, owner: currentOwner() });
  await store.flush();
}

/** Writes a decision: the approval, and then the step and run it concludes (an approved run is claimed). */
export async function writeDecision(store: ExecutionStore, clock: Pick<Clock, 'now'>, record: ExecutionRecord, d: Decided, now: number): Promise<void> {
  const at = new Date(now).toISOString();
  const id = record.id;
  await store.update(id, { type: 'approval', approval: d.approval });
  const step = record.steps[d.approval.step];
  const verb = d.decision.decision === 'timeout' ? 'the timeout' : d.decision.by;
  if (d.outcome === 'approved') {
    if (d.parameters) await store.update(id, { type: 'parameters', parameters: d.parameters });
    await store.update(id, { type: 'step', step: { id: d.approval.step, status: 'success', conclusion: 'success', attempts: 1, startedAt: step?.startedAt, endedAt: at, outputs: d.outputs } });
    await claimRun(store, id, 'approved', d.decision.by, clock.now());
  } else if (d.outcome === 'rejected') {
    const error = `rejected by ${verb}${d.decision.comment ? `: ${d.decision.comment}` : ''}`;
    await store.update(id, { type: 'step', step: { id: d.approval.step, status: 'failed', conclusion: 'failed', attempts: 1, startedAt: step?.startedAt, endedAt: at, outputs: {}, error } });
    await store.update(id, { type: 'status', status: 'failed', at, error });
  }
  store.log(id, { timestamp: at, level: 'info', step: d.approval.step, message: `${d.decision.decision} by ${d.decision.by} via ${d.decision.via}${d.decision.comment ? `: ${d.decision.comment}` : ''}${d.decision.values ? ` (values: ${JSON.stringify(d.decision.values)})` : ''}` });
  await store.flush();
}

export interface TellEdges {
  fetch?: typeof globalThis.fetch;
  clock: Clock;
  env: Record<string, string | undefined>;
  project: () => Project;
  log?: (line: string, level: LogLevel) => void;
}

/** Tells the approval's channels how it was decided; a channel that fails is not the decision's problem. */
export async function tellDecision(record: ExecutionRecord, d: Decided, edges: TellEdges): Promise<void> {
  const channels = d.approval.channels ?? [];
  if (!channels.length) return;
  await notifyDecision(channels, d.approval, d.decision, { executionId: record.id, plan: record.workflow, requestedBy: record.requestedBy }, {
    fetch: edges.fetch ?? globalThis.fetch, clock: edges.clock, env: edges.env, config: edges.project().config,
    log: (m, level = 'info') => edges.log?.(m, level),
  }).catch(() => undefined);
}
