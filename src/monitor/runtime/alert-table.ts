// Every alert the monitor keeps, one per rule and label set, and what happens when one is judged:
// a verdict (from a check result or a rule's read) goes through the alert's state machine and
// flap detection (rules/alert.ts); firing, resolved and flapping go to the incident book.
import { catalogFor } from '../../notify/catalog/index.ts';
import type { LogLevel } from '../../store/types.ts';
import { dedupKey } from '../alerts/key.ts';
import type { CheckResult } from '../checks/result.ts';
import type { Evidence } from '../incidents/evidence.ts';
import { ownSeriesFirst } from '../incidents/gathered.ts';
import type { Incident } from '../incidents/incident.ts';
import { advance, newAlert, type AlertEntry } from '../rules/alert.ts';
import type { CompiledRule } from '../rules/compile.ts';
import { judge, type Verdict } from '../rules/judge.ts';
import type { MonitorConfig } from './config.ts';
import { alertTitle } from './describe.ts';
import type { IncidentBook } from './incidents.ts';
import type { RuleRead } from './read-rule.ts';
import type { AlertRecord, CheckRecord, Counters } from './state.ts';
import type { AlertView } from './view.ts';

export interface AlertTableDeps {
  config: () => MonitorConfig;
  book: IncidentBook;
  counters: Counters;
  log: (line: string, level: LogLevel) => void;
  /** Told that alert states changed (to be written). */
  touch: () => void;
  /** A rule paused at run time is not evaluated: its alerts stay as they are. */
  rulePaused?: (ruleId: string) => boolean;
}

export interface Known { key: string; labels: Record<string, string> }

export class AlertTable {
  readonly #alerts = new Map<string, AlertEntry>();
  readonly #d: AlertTableDeps;

  /** Alerts of a snapshot come back with their baselines; those of rules no longer defined are dropped. */
  constructor(deps: AlertTableDeps, saved: readonly AlertRecord[] = []) {
    this.#d = deps;
    for (const a of saved) this.#restore(a);
  }

  /**
   * After a reload: the alerts of rules no longer defined are dropped, and a firing one first
   * stops, so its incident moves to auto-resolve instead of waiting for a rule that is gone.
   */
  retain(at: number): void {
    const rules = this.#d.config().rules;
    for (const [key, { rec }] of this.#alerts) {
      if (rules.has(rec.ruleId)) continue;
      if (rec.state.state === 'firing') this.#d.book.stopped(key, at);
      this.#alerts.delete(key);
      this.#d.touch();
    }
  }

  /** The newest sample the alert of `rule` with these labels has judged. */
  lastT(rule: CompiledRule, labels: Record<string, string>): number {
    return this.#alerts.get(dedupKey(rule.id, labels))?.base.lastT ?? Number.NEGATIVE_INFINITY;
  }

  /** A check's new result, for each rule that reads the check. */
  checkResult(checkId: string, rec: CheckRecord, result: CheckResult, at: number): void {
    for (const rule of this.#d.config().rulesByCheck.get(checkId) ?? []) {
      if (this.#d.rulePaused?.(rule.id)) continue;
      const labels = { ...rule.labels, check: checkId };
      this.#apply(rule, labels, this.#checkVerdict(rule, labels, rec, result), at, result.evidence);
    }
  }

  /** The alerts of a rule, as they are now: what an evaluation that reads next may find gone. */
  known(ruleId: string): Known[] {
    return [...this.#alerts.values()].filter((a) => a.rec.ruleId === ruleId).map(({ rec }) => ({ key: rec.key, labels: rec.labels }));
  }

  /** What one evaluation of a query or metric rule read; `known`: the rule's alerts before the read. */
  ruleRead(rule: CompiledRule, read: Exclude<RuleRead, { kind: 'skip' }>, known: readonly Known[], at: number): void {
    if (read.kind === 'error') {
      this.#d.log(`rule ${rule.id}: ${read.message}`, 'warn');
      const targets = known.length ? known.map((a) => a.labels) : [rule.labels];
      for (const labels of targets) this.#apply(rule, labels, { condition: 'error', message: read.message }, at);
      return;
    }
    const seen = new Set<string>();
    for (const series of read.series) {
      const labels = { ...rule.labels, ...series.labels };
      seen.add(dedupKey(rule.id, labels));
      const entry = this.#entry(rule, labels, at);
      let verdict: Verdict | undefined;
      for (const s of series.samples) verdict = this.#judge(rule, entry, s.t, s.v) ?? verdict;
      if (verdict) this.#apply(rule, labels, verdict, at, read.evidence && ownSeriesFirst(read.evidence, series.labels));
    }
    // A series that is gone has no data: its alert resolves like a vanished Prometheus series.
    if (read.complete) for (const a of known) if (!seen.has(a.key)) this.#apply(rule, a.labels, { condition: 'nodata' }, at);
  }

  views(): AlertView[] {
    return [...this.#alerts.values()].map(({ rec }) => ({
      key: rec.key, ruleId: rec.ruleId, labels: rec.labels, state: rec.state.state, since: rec.state.since,
      ...(rec.state.severity ? { severity: rec.state.severity } : {}), ...(rec.state.message ? { message: rec.state.message } : {}),
      ...(rec.value !== undefined ? { value: rec.value } : {}), flapping: rec.flap.flapping,
    }));
  }

  /** For the snapshot: each alert with its baseline's raw samples. */
  records(): AlertRecord[] {
    return [...this.#alerts.values()].map(({ rec, base }) => {
      const samples = base.samples();
      return { ...rec, ...(samples.length ? { samples } : {}) };
    });
  }

  #checkVerdict(rule: CompiledRule, labels: Record<string, string>, rec: CheckRecord, result: CheckResult): Verdict {
    const s = rule.source;
    if (s.kind === 'status') {
      if (rec.health.healthy) return { condition: 'ok' };
      const failing = result.conditions.filter((c) => !c.ok).map((c) => c.expression);
      const detail = result.error ?? (failing.length ? `failed: ${failing.join(', ')}` : 'failing');
      return { condition: 'firing', severity: rule.severity, reason: { kind: 'unhealthy', check: s.check, detail } };
    }
    const field = s.kind === 'field' ? s.field : '';
    const v = result.fields[field];
    if (v === null || v === undefined) return { condition: 'nodata' };
    if (typeof v !== 'number') return { condition: 'error', message: `field ${field} of check ${s.kind === 'field' ? s.check : ''} is ${JSON.stringify(v).slice(0, 40)}, not a number` };
    const entry = this.#entry(rule, labels, result.at);
    return this.#judge(rule, entry, result.at, v) ?? { condition: 'ok', value: v };
  }

  #judge(rule: CompiledRule, entry: AlertEntry, t: number, v: number): Verdict | undefined {
    this.#d.counters.evaluations++;
    return judge(rule, entry.base, t, v);
  }

  #entry(rule: CompiledRule, labels: Record<string, string>, at: number): AlertEntry {
    const key = dedupKey(rule.id, labels);
    let entry = this.#alerts.get(key);
    if (!entry) { entry = newAlert(rule, labels, at); this.#alerts.set(key, entry); }
    return entry;
  }

  /** `evidence`: what the verdict was judged from, kept on the incident the alert opens or joins. */
  #apply(rule: CompiledRule, labels: Record<string, string>, verdict: Verdict, at: number, evidence?: Evidence): void {
    this.#d.touch();
    const book = this.#d.book;
    const entry = this.#entry(rule, labels, at);
    const title = verdict.condition === 'firing' ? alertTitle(rule, labels, verdict.reason, catalogFor(this.#d.config().locale)) : undefined;
    const { transitions, notes, flap } = advance(rule, entry, verdict, title, Math.max(at, entry.rec.state.lastEvaluation));
    if (verdict.condition === 'error') this.#d.counters.evaluationErrors++;
    for (const t of transitions) {
      if (t.kind === 'error') this.#d.log(`alert ${rule.id} ${JSON.stringify(labels)}: ${t.message}`, 'warn');
    }
    const { rec } = entry;
    const alert = () => ({
      ruleId: rule.id, labels, dedupKey: rec.key, severity: (rec.state.severity ?? rule.severity) as Incident['severity'],
      category: rule.category, title: rec.state.message ?? rule.name, ...(evidence ? { evidence } : {}),
    });
    for (const n of notes) {
      if (n.kind === 'firing') book.firing(alert(), at);
      else if (n.kind === 'resolved') book.stopped(rec.key, at);
      else if (n.kind === 'flapping-started') book.flapping(alert(), n.ratio, at);
      else book.flappingStopped(rec.key, n.ratio, at);
    }
    // A firing alert whose severity rose joins its incident again, which raises the incident.
    if (!flap.flapping && rec.state.state === 'firing' && transitions.some((t) => t.kind === 'severity-changed')) book.firing(alert(), at);
  }

  #restore(a: AlertRecord): void {
    const rule = this.#d.config().rules.get(a.ruleId);
    if (!rule) return;
    const { samples, ...rec } = a;
    const entry = newAlert(rule, rec.labels, rec.state.since);
    entry.rec = rec;
    for (const [t, v] of samples ?? []) entry.base.push(t, v);
    this.#alerts.set(rec.key, entry);
  }
}
