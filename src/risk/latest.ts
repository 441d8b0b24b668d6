// The newest assessment of each workflow (and plugin): what `stats --risk` lists and `/metrics`
// exposes as gauges, from the runs the caller read (the newest 10,000).
import type { RiskAssessment } from '../store/risk.ts';
import type { ExecutionRecord } from '../store/types.ts';

export interface LatestRisk { workflow: string; plugin?: string; execution: string; risk: RiskAssessment }

export function latestRisks(records: readonly Pick<ExecutionRecord, 'id' | 'workflow' | 'pluginId' | 'createdAt' | 'risk'>[]): LatestRisk[] {
  const newest = new Map<string, { at: number; latest: LatestRisk }>();
  for (const r of records) {
    if (!r.risk) continue;
    const key = `${r.workflow}\0${r.pluginId ?? ''}`;
    const at = Date.parse(r.createdAt);
    const seen = newest.get(key);
    if (!seen || at > seen.at) newest.set(key, { at, latest: { workflow: r.workflow, ...(r.pluginId ? { plugin: r.pluginId } : {}), execution: r.id, risk: r.risk } });
  }
  return [...newest.values()].map((v) => v.latest).sort((a, b) => (a.workflow + (a.plugin ?? '') < b.workflow + (b.plugin ?? '') ? -1 : 1));
}
