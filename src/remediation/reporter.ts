// What the Remediator tells people: notes on the incident's timeline (started, waiting, approved,
// its outcome, the breaker opening), resolving the incident once verification passed, escalating
// it when the breaker opens, and the incident's git journal (approval.md, report.md, feedback.md).
// A journal that cannot be written is logged; it never stops remediation.
import type { Journal, JournalEvent } from '../journal/git-journal.ts';
import type { Monitor } from '../monitor/runtime/monitor.ts';
import type { TimelineKind } from '../monitor/incidents/incident.ts';
import type { LogLevel } from '../store/types.ts';
import type { LoggedOutcome, VerificationRecord } from './events.ts';
import type { Applied, RemediationRecord, RemediationState } from './fold.ts';
import type { RunState } from './ports.ts';
import { approvalMarkdown, feedbackMarkdown, outcomeEntry, reportMarkdown, timelineText } from './report.ts';
import { keyId } from './state.ts';

export interface ReporterEdges {
  now: () => number;
  monitor: Pick<Monitor, 'incident' | 'note' | 'resolve' | 'escalateNow'>;
  journal?: Pick<Journal, 'record'>;
  log: (line: string, level: LogLevel) => void;
}

/** How a remediation ended, as its report needs it. */
export interface Ending {
  outcome: LoggedOutcome;
  /** The run's last state seen, for the report. */
  last: RunState | undefined;
  timeoutMs: number;
  verification?: VerificationRecord;
  /** What the outcome did to the breaker of (plan, target). */
  breaker?: Applied['breaker'];
}

export class RemediationReporter {
  readonly #edges: ReporterEdges;
  readonly #state: () => Readonly<RemediationState>;

  constructor(edges: ReporterEdges, state: () => Readonly<RemediationState>) {
    this.#edges = edges;
    this.#state = state;
  }

  /** A note by remediation on the timeline of the incident of remediation `id`. */
  async note(id: string, kind: TimelineKind, text: (r: RemediationRecord) => string): Promise<void> {
    const r = this.#state().records.get(id);
    if (r) await this.#edges.monitor.note(r.incident, kind, text(r), 'remediation');
  }

  /** The run of `r` was approved by `by`. */
  async approved(r: RemediationRecord, by: string): Promise<void> {
    const text = timelineText.approved(r, by);
    await this.#edges.monitor.note(r.incident, 'remediation', text, by);
    this.#journal(r, 'approved', text, { name: 'approval.md', content: approvalMarkdown(r, by, this.#edges.now()) }, by);
  }

  /** The outcome of `r`: on the timeline and in the journal; fixed resolves the incident, an opened breaker escalates it. */
  async ended(r: RemediationRecord, e: Ending): Promise<void> {
    const { monitor } = this.#edges;
    const entry = outcomeEntry(r);
    await monitor.note(r.incident, entry.kind, entry.text, entry.by);
    if (r.runId !== undefined) {
      this.#journal(r, e.outcome === 'rejected' ? 'rejected' : 'remediated', entry.text, { name: 'report.md', content: reportMarkdown(r, e.last, e.timeoutMs) }, entry.by);
    }
    if (e.outcome === 'fixed') await monitor.resolve(r.incident, 'remediation', timelineText.resolution(r, e.verification!));
    if (e.breaker === 'opened') {
      const failures = this.#state().guard.keys[keyId(r)]?.consecutiveBad ?? r.policy.breakerThreshold;
      await monitor.note(r.incident, 'remediation', timelineText.breakerOpened(r, failures), 'remediation');
      await monitor.escalateNow(r.incident);
    }
  }

  /** Feedback read from the log (given in this process or by the CLI) goes to the journal once. */
  feedback(applied: Applied[]): Applied[] {
    for (const { event } of applied) {
      if (event.type !== 'feedback') continue;
      const rec = this.#state().records.get(event.id);
      const { type: _t, id: _i, incident: _n, ...given } = event;
      if (rec) this.#journal(rec, 'feedback', `${given.positive ? 'helpful' : 'not helpful'}${given.reason ? `: ${given.reason}` : ''}`, { name: 'feedback.md', content: feedbackMarkdown(rec, given) }, given.by);
    }
    return applied;
  }

  #journal(r: RemediationRecord, event: JournalEvent, text: string, file: { name: string; content: string }, by: string): void {
    const { journal } = this.#edges;
    const incident = this.#edges.monitor.incident(r.incident);
    if (!journal || !incident) return;
    journal.record({
      incidentId: incident.id, event, status: incident.status, severity: incident.severity, title: incident.title,
      at: this.#edges.now(), by, text, files: [file],
    }).catch((e: unknown) => this.#edges.log(`incident ${incident.id}: could not write the git journal: ${e instanceof Error ? e.message : String(e)}`, 'error'));
  }
}
