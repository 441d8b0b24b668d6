// What remediation writes for people: incident timeline texts and the journal's report.md and
// feedback.md and approval.md. Pure: records in, text out.
import { formatDuration } from '../engine/duration.ts';
import type { LoggedOutcome, VerificationRecord } from './events.ts';
import type { FeedbackRecord, RemediationRecord } from './fold.ts';
import type { RunState } from './ports.ts';

const run = (r: RemediationRecord): string => `${r.plan} (run ${r.runId ?? 'not started'})`;
const iso = (ms: number): string => new Date(ms).toISOString();

export const timelineText = {
  started: (r: RemediationRecord) =>
    `running ${run(r)} on ${r.target}${r.approval ? '; it waits for a person to approve it' : ''}`,
  dryRun: (r: RemediationRecord) =>
    `dry run: would run ${r.plan} on ${r.target} with ${JSON.stringify(r.params)}; nothing was run`,
  skipped: (reasons: readonly string[]) => `not run: ${reasons.join('; ')}`,
  healingOff: (off: { by: string; at: number; reason: string }) => `skipped: self-healing off (turned off by ${off.by} at ${iso(off.at)}: ${off.reason}); nothing was run`,
  waiting: (r: RemediationRecord) => `${run(r)} waits for approval`,
  approved: (r: RemediationRecord, by: string) => `${r.plan} on ${r.target} approved by ${by}; run ${r.runId} goes on`,
  rejected: (by: string) => `remediation rejected by ${by}`,
  failed: (r: RemediationRecord, outcome: 'failed' | 'timed-out', detail: string) =>
    `${run(r)} on ${r.target} ${outcome === 'timed-out' ? 'timed out' : 'failed'}: ${detail}`,
  verified: (r: RemediationRecord, v: VerificationRecord) => {
    const failed = v.results.find((x) => !x.ok);
    if (!failed) return `verified: fixed, ${v.by} passed ${v.results.length} of ${v.attempts} re-runs after ${run(r)}`;
    const which = v.results.indexOf(failed) + 1;
    return `verified: not fixed, ${v.by} failed re-run ${which} of ${v.attempts} after ${run(r)}${failed.error ? ` (${failed.error})` : ''}; the incident stays open`;
  },
  resolution: (r: RemediationRecord, v: VerificationRecord) => `fixed by ${r.plan} (run ${r.runId}), verified by ${v.by}`,
  breakerOpened: (r: RemediationRecord, failures: number) =>
    `automatic remediation of ${r.target} with ${r.plan} stopped after ${failures} failed or ineffective run${failures === 1 ? '' : 's'} in a row; people are paged, and a person resets the breaker (pluginops remediation reset)`,
};

/** The timeline entry for how a run ended (the record has its outcome). */
export function outcomeEntry(r: RemediationRecord): { kind: 'remediation' | 'verification'; text: string; by: string } {
  if (r.outcome === 'rejected') return { kind: 'remediation', text: timelineText.rejected(r.by ?? 'a person'), by: r.by ?? 'remediation' };
  if (r.verification) return { kind: 'verification', text: timelineText.verified(r, r.verification), by: 'remediation' };
  const outcome = r.outcome === 'timed-out' ? 'timed-out' : 'failed';
  return { kind: 'remediation', text: timelineText.failed(r, outcome, r.detail ?? 'no detail'), by: 'remediation' };
}

const outcomeWords: Record<LoggedOutcome, string> = {
  fixed: 'fixed (verified)', 'not-fixed': 'not fixed (verification failed)', failed: 'failed', 'timed-out': 'timed out', rejected: 'rejected',
};

/** report.md: the plan, the run, what its steps produced, and the verification. */
export function reportMarkdown(r: RemediationRecord, last: RunState | undefined, timeoutMs: number): string {
  const lines = [
    `# Remediation ${r.id}`, '',
    `- Incident: ${r.incident}`, `- Rule: ${r.rule}${r.check ? ` (check ${r.check})` : ''}`, `- Target: ${r.target}`,
    `- Plan: ${r.plan}`, `- Run: ${r.runId ?? 'not started'}`, `- Parameters: \`${JSON.stringify(r.params)}\``,
    `- Started: ${iso(r.startedAt)}${r.endedAt === undefined ? '' : `, ended ${iso(r.endedAt)}`}`,
    `- Outcome: ${r.outcome ? outcomeWords[r.outcome] : 'pending'}${r.by ? ` by ${r.by}` : ''}${r.detail ? `: ${r.detail}` : ''}`,
    `- Time limit: ${formatDuration(timeoutMs)}`,
    '', '## Steps', '',
  ];
  const outputs = Object.entries(last?.outputs ?? {});
  lines.push(`Run status: ${last?.status ?? 'unknown'}${last?.error ? ` (${last.error})` : ''}`);
  for (const [step, values] of outputs) {
    const shown = Object.entries(values).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
    lines.push(`- ${step}: ${shown || 'no outputs'}`);
  }
  lines.push('', '## Verification', '');
  const v = r.verification;
  if (!v) lines.push('Not verified: the run did not succeed.');
  else for (const [i, x] of v.results.entries()) lines.push(`- ${v.by}, re-run ${i + 1} of ${v.attempts} at ${iso(x.at)}: ${x.ok ? 'passed' : `failed${x.error ? ` (${x.error})` : ''}`}`);
  return `${lines.join('\n')}\n`;
}

/** feedback.md: what a person said about an incident's remediation. */
export function feedbackMarkdown(r: RemediationRecord, f: FeedbackRecord): string {
  const lines = [
    `# Feedback on remediation ${r.id}`, '',
    `- Plan: ${r.plan} (run ${r.runId ?? 'not started'}) on ${r.target}`, `- Outcome: ${r.outcome ? outcomeWords[r.outcome] : 'pending'}`,
    `- Verdict: ${f.positive ? 'helpful' : 'not helpful'}`, `- By: ${f.by} at ${iso(f.at)}`,
    ...(f.reason ? [`- Reason: ${f.reason}`] : []), ...(f.expected ? [`- Expected: ${f.expected}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** approval.md in the journal: who let a waiting remediation run go on. */
export function approvalMarkdown(r: RemediationRecord, by: string, at: number): string {
  return [`# Approval of remediation ${r.id}`, '', `- Plan: ${run(r)} on ${r.target}`, `- Approved by: ${by}`, `- At: ${iso(at)}`, ''].join('\n');
}
