// The monitor's scheduled jobs: each check on its own cadence, each rule that reads a query or
// pushed metrics every `every`, and the incident tick. Rules over a check run with their check.
// Checks and rules paused at run time skip their slots; the incident tick is never paused.
import type { MonitorConfig } from './config.ts';
import type { JobPause, JobSpec } from '../schedule/types.ts';

export const defaultTickMs = 10_000;
/** A rule's evaluations are spread over at most this much of its interval. */
export const maxRuleStaggerMs = 10_000;

export interface JobBodies {
  runCheck(id: string, signal: AbortSignal): Promise<unknown>;
  evaluateRule(id: string, signal: AbortSignal): Promise<void>;
  tick(): Promise<void>;
  /** Run-time pauses (monitor/controls): a paused job lets its slots pass. */
  checkPaused?(id: string): JobPause | undefined;
  rulePaused?(id: string): JobPause | undefined;
}

export function monitorJobs(config: MonitorConfig, tickMs: number, m: JobBodies): JobSpec[] {
  const jobs: JobSpec[] = [];
  for (const c of config.checks.values()) {
    jobs.push({
      id: `check:${c.id}`, cadence: c.cadence, staggerMs: c.staggerMs, run: async (r) => { await m.runCheck(c.id, r.signal); },
      ...(m.checkPaused ? { paused: () => m.checkPaused!(c.id) } : {}),
    });
  }
  for (const rule of config.rules.values()) {
    if (rule.source.kind === 'status' || rule.source.kind === 'field') continue;
    jobs.push({
      id: `rule:${rule.id}`, cadence: { every: rule.everyMs }, staggerMs: Math.min(rule.everyMs, maxRuleStaggerMs),
      run: (r) => m.evaluateRule(rule.id, r.signal), ...(m.rulePaused ? { paused: () => m.rulePaused!(rule.id) } : {}),
    });
  }
  jobs.push({ id: 'incidents', cadence: { every: tickMs }, run: () => m.tick() });
  return jobs;
}
