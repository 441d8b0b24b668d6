// A `healthCheck` metric: a HealthCheck's recent results as samples, newer than `since`, in time
// order. `responseTime` is each successful result's duration in ms (a failed probe's duration is
// how long it took to fail — a timeout or a refused connection — not a response time);
// `errorRate` is 1 for a failed result and 0 for a successful one, so the mean of the samples
// is the share that failed.
import type { Sample } from '../analysis/types.ts';

/** What a sample needs of a check result (`CheckResult` in src/monitor/checks/result.ts). */
export interface CheckOutcome { at: number; ok: boolean; durationMs: number }

export type CheckResults = (checkId: string) => readonly CheckOutcome[];

export type CheckField = 'responseTime' | 'errorRate';

export function checkSamples(results: CheckResults, checkId: string, field: CheckField, since: number): Sample[] {
  const out: Sample[] = [];
  for (const r of results(checkId)) {
    if (!(r.at > since)) continue;
    if (field === 'errorRate') out.push({ t: r.at, v: r.ok ? 0 : 1 });
    else if (r.ok && Number.isFinite(r.durationMs)) out.push({ t: r.at, v: r.durationMs });
  }
  return out.sort((a, b) => a.t - b.t);
}
