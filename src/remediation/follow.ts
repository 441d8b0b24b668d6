// Following one remediation's run, a look per tick: a wait for approval is noted once; an
// approval is recorded when the run goes on; a run still going `timeoutMs` after it started (or
// was approved) is cancelled and counts as timed out; a rejected or failed run ends the
// remediation; a run that succeeded is verified (verify.ts) until the check passes `attempts`
// times or fails once.
import { formatDuration } from '../engine/duration.ts';
import type { Monitor } from '../monitor/runtime/monitor.ts';
import type { LogLevel } from '../store/types.ts';
import type { RemediateSpec } from './config.ts';
import type { LoggedOutcome, LogEvent, VerificationRecord } from './events.ts';
import type { RemediationRecord } from './fold.ts';
import type { PlanPort, RunState } from './ports.ts';
import { timelineText } from './report.ts';
import type { RemediationReporter } from './reporter.ts';
import { recheck, verifyPlan, type VerifyPlan } from './verify.ts';

/** A remediation whose run is followed. */
export interface Followed {
  id: string;
  last?: RunState;
  waitingNoted: boolean;
  verify?: VerifyPlan & { nextAt: number; results: VerificationRecord['results'] };
  /** Candidates still untried after this one, for a bad outcome. */
  rest: string[];
}

export interface Ended { detail?: string; by?: string; verification?: VerificationRecord }

export interface FollowEdges {
  now: () => number;
  /** The guard's time (never earlier than the last it was given). */
  at: () => number;
  port: Pick<PlanPort, 'state' | 'cancel'>;
  monitor: Pick<Monitor, 'config' | 'runCheck' | 'evaluateRule' | 'alerts' | 'incident'>;
  reporter: Pick<RemediationReporter, 'note' | 'approved'>;
  append: (event: LogEvent) => Promise<unknown>;
  /** The record as the log has it now. */
  record: (id: string) => RemediationRecord | undefined;
  /** The `remediate` the record's rule names today, for its `verify`. */
  spec: (r: RemediationRecord) => RemediateSpec | undefined;
  timeoutMs: () => number;
  finish: (f: Followed, outcome: LoggedOutcome, extra: Ended) => Promise<void>;
  log: (line: string, level: LogLevel) => void;
}

/** One look at the pending remediation `r`, followed as `f`. */
export async function followRun(f: Followed, r: RemediationRecord, e: FollowEdges): Promise<void> {
  if (f.verify) return verifyStep(f, r, e);
  const s = await e.port.state(r.runId!);
  if (s === undefined) return e.finish(f, 'failed', { detail: `run ${r.runId} no longer exists` });
  f.last = s;
  if (s.status === 'waiting') {
    if (!f.waitingNoted) await e.reporter.note(r.id, 'remediation', (x) => timelineText.waiting(x));
    f.waitingNoted = true;
    return;
  }
  if (s.status === 'pending' || s.status === 'running') {
    if (r.approval && r.approvedAt === undefined) {
      await e.append({ type: 'approved', at: e.at(), id: r.id });
      await e.reporter.approved(r, s.approvedBy ?? 'an approver');
    }
    const since = e.record(r.id)?.approvedAt ?? r.startedAt;
    if (e.now() - since < e.timeoutMs()) return;
    await e.port.cancel(r.runId!).catch((x: unknown) => e.log(`remediation ${r.id}: cancelling run ${r.runId} failed: ${x instanceof Error ? x.message : String(x)}`, 'warn'));
    return e.finish(f, 'timed-out', { detail: `still running after ${formatDuration(e.timeoutMs())}; cancelled` });
  }
  if (s.rejectedBy !== undefined) return e.finish(f, 'rejected', { by: s.rejectedBy, ...(s.error ? { detail: s.error } : {}) });
  if (s.status !== 'success') return e.finish(f, s.status === 'timed_out' ? 'timed-out' : 'failed', { detail: s.error ?? `the run ended ${s.status}` });
  const plan = verifyPlan(e.monitor.config, r, e.spec(r));
  f.verify = { ...plan, nextAt: e.now() + plan.intervalMs, results: [] };
}

/** Re-runs the check once it is due; one failure is not fixed, `attempts` passes are fixed. */
async function verifyStep(f: Followed, r: RemediationRecord, e: FollowEdges): Promise<void> {
  const v = f.verify!;
  if (e.now() < v.nextAt) return;
  v.results.push(await recheck(e.monitor, r, e.now));
  const verification: VerificationRecord = { by: v.by, attempts: v.attempts, results: v.results };
  if (!v.results.at(-1)!.ok) return e.finish(f, 'not-fixed', { verification });
  if (v.results.length >= v.attempts) return e.finish(f, 'fixed', { verification });
  v.nextAt = e.now() + v.intervalMs;
}
