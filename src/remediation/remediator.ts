// Self-healing inside `serve --cron`: when an incident opens (or re-opens) for a rule or health
// check that names `remediate`, the Remediator asks the guard whether it may run the plan on the
// target, starts the run through the plan port, follows it on every `tick`, re-runs the check that
// triggered it, and resolves the incident only when that verification passes. Every step is an
// event in the remediation log (log.ts), so a restart keeps following runs it started, and the
// CLI's feedback and breaker resets reach a running serve. The log is a port (log-port.ts): the
// file in the store, or PostgreSQL, where a replica that takes over the lead finds the previous
// leader's breakers, learning and pending remediations, and follows those runs from its first tick.
//
// - Target: the alert's `plugin` label, else the check id, else the rule id. The guard's limits
//   (cooldown, rate, breaker) are per (plan, target).
// - Candidates (`plans`): ranked by learning, best first; a plan the guard skips gives way to the
//   next, and after a bad outcome the next untried candidate runs.
// - Self-healing turned off at run time (everywhere or for the rule) runs nothing: the skip is
//   logged (`skipped`) and noted on the timeline as "skipped: self-healing off".
// - Maintenance windows that match the incident block remediation; dry runs record what would
//   run, on the timeline and in the log, and run nothing.
// - Approval (the plan's own, `remediate.requireApproval`, or the incident's severity listed in
//   `remediation.requireApproval`): the run is started with an approval wait and followed while
//   it waits. A rejection is recorded as `rejected`, which does not count toward the breaker.
// - A run still going `timeoutMs` after it started (or after it was approved) is cancelled and
//   counts as timed out; when bad outcomes open the breaker, the incident is escalated at once.
//
// Work is done one piece at a time (a trigger, a tick, a feedback), in order, so the guard always
// decides on a state that includes the previous decision. The monitor's hook only queues work.
// Starting an attempt is launch.ts, following its run and verifying it follow.ts, and what the
// incident's timeline and git journal are told reporter.ts.
import { randomUUID } from 'node:crypto';
import type { Monitor } from '../monitor/runtime/monitor.ts';
import { activeWindow } from '../monitor/alerts/maintenance.ts';
import type { Incident, TimelineEntry, TimelineKind } from '../monitor/incidents/incident.ts';
import type { Journal } from '../journal/git-journal.ts';
import type { LogLevel } from '../store/types.ts';
import { policyFor, remediationFor, type RemediateSpec, type Remediation, type RemediationConfig } from './config.ts';
import type { AttemptEvent, LoggedOutcome, LogEvent, SkippedEvent } from './events.ts';
import { isPending, type Applied, type RemediationRecord, type RemediationState } from './fold.ts';
import { decide, type KeyState } from './guard.ts';
import { rankPlans, type PatternListing } from './learning.ts';
import { feedbackEvent, listPatterns, listRecords, logAt, resetEvent, type FeedbackInput, type RecordFilter } from './log.ts';
import { RemediationFollower } from './log-follower.ts';
import type { RemediationLog } from './log-port.ts';
import { launch, type LaunchEdges } from './launch.ts';
import type { PlanPort } from './ports.ts';
import { timelineText } from './report.ts';
import { RemediationReporter } from './reporter.ts';
import { keyId } from './state.ts';
import { followRun, type Ended, type FollowEdges, type Followed } from './follow.ts';

/** What the Remediator uses of the monitor. */
export type HealingMonitor = Pick<Monitor, 'config' | 'maintenanceWindows' | 'incident' | 'alerts' | 'runCheck' | 'evaluateRule' | 'resolve' | 'note' | 'escalateNow'>;

interface CommonEdges {
  now: () => number;
  port: PlanPort;
  monitor: HealingMonitor;
  journal?: Pick<Journal, 'record'>;
  log?: (line: string, level: LogLevel) => void;
  /** The log is compacted into a snapshot once it is longer than this (1 MiB). */
  compactAtBytes?: number;
  /** Run-time controls: why self-healing is off for a rule (everywhere, or for that rule), if it is. */
  controls?: { healingOff(rule: string): { by: string; at: number; reason: string } | undefined };
}

/**
 * The remediation log: `remediationLog`, or `logPath`, short for the file log at that path
 * (`remediationLogPath(storeDir)`).
 */
export type RemediatorEdges = CommonEdges & ({ remediationLog: RemediationLog; logPath?: never } | { logPath: string; remediationLog?: never });

const defaultCompactAtBytes = 1024 * 1024;

const triggers: ReadonlySet<TimelineEntry['kind']> = new Set(['opened', 'reopened', 'joined']);

export class Remediator {
  #config: RemediationConfig;
  readonly #edges: RemediatorEdges;
  readonly #follower: RemediationFollower;
  readonly #reporter: RemediationReporter;
  readonly #runEdges: FollowEdges & LaunchEdges;
  readonly #followed = new Map<string, Followed>();
  /** Targets already handled per incident, so an alert joining with the same target adds nothing. */
  readonly #handled = new Map<string, Set<string>>();
  #work: Promise<unknown> = Promise.resolve();
  #ticking: Promise<void> | undefined;

  private constructor(config: RemediationConfig, edges: RemediatorEdges) {
    this.#config = config;
    this.#edges = edges;
    this.#follower = new RemediationFollower(logAt(edges.remediationLog ?? edges.logPath), (line) => this.#log(line, 'warn'));
    const log = (line: string, level: LogLevel) => this.#log(line, level);
    this.#reporter = new RemediationReporter({ ...edges, log }, () => this.state);
    this.#runEdges = {
      now: edges.now, at: () => this.#at(), port: edges.port, monitor: edges.monitor, reporter: this.#reporter, log,
      append: (event) => this.#append(event), record: (id) => this.state.records.get(id),
      spec: (r) => this.#specFor(r.rule, r.plugin ? { plugin: r.plugin } : {})?.spec,
      timeoutMs: () => this.#config.timeoutMs, finish: (f, outcome, extra) => this.#finish(f, outcome, extra),
    };
  }

  /** Reads the log and follows every run it started that has no outcome yet. */
  static async open(config: RemediationConfig, edges: RemediatorEdges): Promise<Remediator> {
    const r = new Remediator(config, edges);
    await r.#follower.sync();
    r.#adopt();
    return r;
  }

  get state(): Readonly<RemediationState> { return this.#follower.state; }

  /** The monitor's `onTimeline` hook: an incident opened, re-opened or was joined. */
  readonly onTimeline = (incident: Incident, entry: TimelineEntry): void => {
    if (!triggers.has(entry.kind)) return;
    void this.#enqueue(() => this.#trigger(incident.id, entry.kind)).catch((e: unknown) => this.#log(`remediation for incident ${incident.id}: ${message(e)}`, 'error'));
  };

  /** Picks up what other processes appended, follows runs, and verifies finished ones; serve calls it every second. */
  tick(): Promise<void> {
    this.#ticking ??= this.#enqueue(async () => {
      try { await this.#sync(); } catch (e) { this.#log(`cannot read ${this.#follower.log.where}: ${message(e)}`, 'error'); return; }
      this.#adopt();
      if (this.#follower.size > (this.#edges.compactAtBytes ?? defaultCompactAtBytes)) {
        try { this.#reporter.feedback(await this.#follower.compact(this.#edges.now())); } catch (e) { this.#log(`cannot compact ${this.#follower.log.where}: ${message(e)}`, 'warn'); }
      }
      for (const id of this.#handled.keys()) if ((this.#edges.monitor.incident(id)?.status ?? 'resolved') === 'resolved') this.#handled.delete(id);
      for (const f of [...this.#followed.values()]) {
        await this.#follow(f).catch((e: unknown) => this.#log(`remediation ${f.id}: ${message(e)}`, 'error'));
      }
    }).finally(() => { this.#ticking = undefined; });
    return this.#ticking;
  }

  /** Resolves when no work is queued. */
  async idle(): Promise<void> {
    for (let w = this.#work; ; w = this.#work) {
      await w.catch(() => undefined);
      if (w === this.#work) return;
    }
  }

  reload(config: RemediationConfig): void { this.#config = config; }

  /** A person's judgement of an incident's latest remediation; a RemediationError for a mistake. */
  feedback(incidentId: string, input: FeedbackInput): Promise<RemediationRecord> {
    return this.#enqueue(async () => {
      await this.#sync();
      const known = (id: string) => this.#edges.monitor.incident(id) !== undefined || listRecords(this.state, { incident: id }).length > 0;
      const event = feedbackEvent(this.state, incidentId, input, this.#edges.now(), known);
      await this.#append(event);
      return this.state.records.get(event.id)!;
    });
  }

  /** A person closes the breaker of (plan, target); its state afterwards (undefined when the guard holds none). */
  resetBreaker(plan: string, target: string, by: string): Promise<KeyState | undefined> {
    return this.#enqueue(async () => {
      await this.#append(resetEvent(plan, target, by, this.#edges.now()));
      return this.state.guard.keys[keyId({ plan, target })];
    });
  }

  patterns(filter: { scope?: string; plugin?: string } = {}): PatternListing[] { return listPatterns(this.state, filter); }
  records(filter: RecordFilter = {}): RemediationRecord[] { return listRecords(this.state, filter); }
  /** Remediations skipped because self-healing was off, oldest first. */
  skipped(): readonly SkippedEvent[] { return this.state.skipped; }
  /** Keys whose breaker is open or half-open. */
  breakers(): KeyState[] { return Object.values(this.state.guard.keys).filter((k) => k.breaker.status !== 'closed'); }

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#work.then(fn, fn);
    this.#work = next.catch(() => undefined);
    return next;
  }

  async #trigger(incidentId: string, kind: TimelineKind): Promise<void> {
    const incident = this.#edges.monitor.incident(incidentId);
    if (!this.#config.enabled || !incident || incident.status === 'resolved') return;
    const found = this.#specFor(incident.ruleId, incident.labels);
    if (!found) return;
    if (await this.#skippedOff(incident, found)) return;
    const handled = this.#handled.get(incidentId) ?? new Set<string>();
    if (kind === 'joined' && handled.has(found.target)) return;
    this.#handled.set(incidentId, handled.add(found.target));
    if ([...this.#followed.keys()].some((id) => this.state.records.get(id)?.incident === incidentId)) return;
    await this.#sync();
    const plugin = incident.labels.plugin;
    const ranked = found.spec.plans.length > 1
      ? rankPlans(this.state.learning, { rule: incident.ruleId, category: incident.category, ...(plugin ? { plugin } : {}) }, found.spec.plans).map((p) => p.plan)
      : found.spec.plans;
    await this.#remediate(incident, found.spec, ranked);
  }

  #specFor(ruleId: string, labels: Readonly<Record<string, string>>): Remediation | undefined {
    return remediationFor(this.#config, this.#edges.monitor.config, ruleId, labels);
  }

  /** Tries the candidates in order until one runs (or dry-runs); notes why none did. */
  async #remediate(incident: Incident, spec: RemediateSpec, candidates: readonly string[]): Promise<void> {
    const { check, target } = this.#specFor(incident.ruleId, incident.labels) ?? { target: incident.ruleId };
    const policy = policyFor(this.#config, spec);
    const skipped: string[] = [];
    for (const [i, plan] of candidates.entries()) {
      const at = this.#at();
      const window = activeWindow(this.#edges.monitor.maintenanceWindows(), at, { ruleId: incident.ruleId, labels: incident.labels });
      const info = this.#edges.port.plans().get(plan);
      if (!info) { skipped.push(`plan ${plan} is not known to the plan runner`); continue; }
      const { decision } = decide(this.state.guard, { plan, target }, policy, at, { inMaintenance: window !== undefined });
      if (decision.kind === 'skip') {
        skipped.push(window ? `${decision.message} (${window.id})` : decision.message);
        if (decision.reason === 'maintenance') break;
        continue;
      }
      const plugin = incident.labels.plugin;
      const attempt: AttemptEvent = {
        type: 'attempt', at, id: `rem-${randomUUID()}`, incident: incident.id, rule: incident.ruleId, ...(check ? { check } : {}),
        ...(plugin ? { plugin } : {}), category: incident.category, plan, target, decision: decision.kind, params: {}, policy,
        approval: info.approvalRequired || spec.requireApproval || this.#config.approvalSeverities.includes(incident.severity),
        ...(i + 1 < candidates.length ? { fallback: candidates.slice(i + 1) } : {}),
      };
      const launched = await launch(incident, spec, info, attempt, this.#runEdges);
      if (launched.started) {
        if (decision.kind === 'run') this.#followed.set(attempt.id, { id: attempt.id, waitingNoted: false, rest: candidates.slice(i + 1) });
        return;
      }
      await this.#startFailed(launched.attempt, launched.why);
    }
    if (skipped.length) await this.#edges.monitor.note(incident.id, 'remediation', timelineText.skipped(skipped), 'remediation');
  }

  /** While self-healing is off for the incident's rule: logged and noted as skipped, and true; nothing runs. */
  async #skippedOff(incident: Incident, found: Remediation): Promise<boolean> {
    const off = this.#edges.controls?.healingOff(incident.ruleId);
    if (!off) return false;
    const text = timelineText.healingOff(off);
    await this.#append({ type: 'skipped', at: this.#at(), incident: incident.id, rule: incident.ruleId, target: found.target, plans: [...found.spec.plans], reason: 'self-healing-off', text });
    await this.#edges.monitor.note(incident.id, 'remediation', text, 'remediation');
    this.#log(`remediation for incident ${incident.id}: ${text}`, 'info');
    return true;
  }

  /** An attempt that could not start is logged and ends failed (a fallback candidate may run next). */
  async #startFailed(attempt: AttemptEvent, why: string): Promise<void> {
    await this.#append(attempt);
    await this.#finish({ id: attempt.id, waitingNoted: false, rest: [] }, 'failed', { detail: `it could not start: ${why}` });
  }

  /**
   * Follows every pending remediation not followed yet: those in the log on open, and those another
   * leader started before this process took over. A run that waits for approval was said to wait already.
   */
  #adopt(): void {
    for (const rec of listRecords(this.state, { pending: true })) {
      if (!this.#followed.has(rec.id)) this.#followed.set(rec.id, { id: rec.id, waitingNoted: rec.approval, rest: rec.fallback ?? [] });
    }
  }

  async #follow(f: Followed): Promise<void> {
    const r = this.state.records.get(f.id);
    if (!r || !isPending(r)) { this.#followed.delete(f.id); return; }
    return followRun(f, r, this.#runEdges);
  }

  async #finish(f: Followed, outcome: LoggedOutcome, extra: Ended): Promise<void> {
    this.#followed.delete(f.id);
    const applied = await this.#append({ type: 'outcome', at: this.#at(), id: f.id, outcome, ...extra });
    const r = this.state.records.get(f.id)!;
    const breaker = applied.find((a) => a.event.type === 'outcome' && a.event.id === f.id)?.breaker;
    await this.#reporter.ended(r, { outcome, last: f.last, timeoutMs: this.#config.timeoutMs, ...(extra.verification ? { verification: extra.verification } : {}), ...(breaker ? { breaker } : {}) });
    const incident = this.#edges.monitor.incident(r.incident);
    const bad = outcome !== 'fixed' && outcome !== 'rejected';
    const found = incident && this.#specFor(incident.ruleId, incident.labels);
    if (bad && f.rest.length > 0 && incident?.status !== 'resolved' && found && !(await this.#skippedOff(incident!, found))) await this.#remediate(incident!, found.spec, f.rest);
  }

  async #append(event: LogEvent): Promise<Applied[]> {
    await this.#follower.log.append(event);
    return this.#sync();
  }

  /** Reads what is new in the log; feedback from any process (this one or the CLI) goes to the journal once. */
  async #sync(): Promise<Applied[]> {
    return this.#reporter.feedback(await this.#follower.sync());
  }

  /** The time for the guard: never earlier than the last time it was given (another process's clock may run ahead). */
  #at(): number { return Math.max(this.#edges.now(), this.state.guard.lastAt ?? Number.NEGATIVE_INFINITY); }

  #log(line: string, level: LogLevel): void { this.#edges.log?.(line, level); }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

