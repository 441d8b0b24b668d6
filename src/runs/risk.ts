// The failure risk of a run about to start, from the store's history and the change when the
// caller knows it; the assessment goes into the execution record and the `risk` context.
import type { StepGraph } from '../engine/plan.ts';
import { assessRun, historyLimit, type Assessed } from '../risk/assess.ts';
import { riskConfig } from '../risk/config.ts';
import type { ProjectDoc } from '../documents/schema/project.ts';
import type { ChangeSummary } from '../store/risk.ts';
import type { ExecutionStore } from '../store/types.ts';

export async function assessBeforeRun(o: {
  store: ExecutionStore; graph: StepGraph; pluginId?: string; change?: ChangeSummary; config: ProjectDoc; now: number;
}): Promise<Assessed | undefined> {
  if (o.graph.kind !== 'Workflow') return undefined;
  const records = await o.store.list({ kind: 'Workflow', limit: historyLimit });
  return assessRun(records, {
    workflow: o.graph.id, steps: o.graph.steps.map((s) => s.id), now: o.now,
    ...(o.pluginId ? { pluginId: o.pluginId } : {}), ...(o.change ? { change: o.change } : {}),
  }, riskConfig(o.config.risk));
}
