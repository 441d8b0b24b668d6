// The monitoring engine: health checks on their schedules, alert rules over check results,
// Prometheus, Loki and pushed metrics, incidents with escalation, and the outbox that delivers
// notifications. Every edge is passed in (clock, fetch, spawn, environment, persistence, log),
// so tests drive it on a virtual clock against loopback services.
//
// Flow of one evaluation: a sample (a check result, a query answer, a pushed metric) is judged
// (rules/judge.ts) → the alert steps (rules/alert.ts: state machine, flap detection) → firing,
// resolved or flapping goes to the incident book (incidents.ts: open/join, auto-resolve,
// escalation, maintenance) → notifications go to the outbox. The state is then committed (one
// atomic snapshot) BEFORE the outbox sends, so a crash never loses a notification it owed.
//
// Problems stay local: a probe that fails is a failed check; a query that errors is an `error`
// state on that rule's alerts, logged; a receiver that fails keeps its items in the outbox.
import type { Clock } from '../../engine/clock.ts';
import type { Spawner } from '../../engine/spawn.ts';
import { catalogFor } from '../../notify/catalog/index.ts';
import type { DeliveryPolicy } from '../../notify/deliver.ts';
import type { RateLimiter } from '../../notify/limiter.ts';
import type { LogLevel } from '../../store/types.ts';
import { dedupKey } from '../alerts/key.ts';
import type { AlertStateName } from '../alerts/state.ts';
import { initialHealth, healthStep } from '../checks/health.ts';
import type { CheckResult } from '../checks/result.ts';
import type { ProbeFetch } from '../checks/lean-fetch.ts';
import { runCheck } from '../checks/run.ts';
import type { ChangeResult, Incident, IncidentStatus, TimelineEntry, TimelineKind } from '../incidents/incident.ts';
import { Scheduler } from '../schedule/scheduler.ts';
import type { JobSpec, JobStats } from '../schedule/types.ts';
import { findPlugin } from '../sources/plugins.ts';
import { advance, newAlert, type AlertEntry } from '../rules/alert.ts';
import type { CompiledRule } from '../rules/compile.ts';
import { judge, type Verdict } from '../rules/judge.ts';
import type { MonitorConfig } from './config.ts';
import { alertTitle } from './describe.ts';
import { IncidentBook } from './incidents.ts';
import { MetricStore, type PushedSample, type PushResult } from './metrics.ts';
import { Outbox } from './outbox.ts';
import { readRule } from './read-rule.ts';
import { emptyCounters, type AlertRecord, type CheckRecord, type Counters, type Persistence, type Snapshot } from './state.ts';

export interface MonitorEdges {
  clock: Clock;
  fetch: typeof globalThis.fetch;
  /** For http checks: a leaner client than `fetch` (checks/lean-fetch.ts); `fetch` when absent. */
  httpFetch?: ProbeFetch;
  spawn: Spawner;
  env: Record<string, string>;
  log: (line: string, level: LogLevel) => void;
  persistence: Persistence;
  deliveryPolicy?: Partial<DeliveryPolicy>;
  limiter?: RateLimiter;
  /** Told every incident timeline entry, after it is applied (e.g. to write the git journal). */
  onTimeline?: (incident: Incident, entry: TimelineEntry) => void;
  /** How often incidents are looked at for escalation, auto-resolve and ack timeouts (10 s). */
  tickMs?: number;
  /** Longest wait before check results and baselines are written (1 s); incidents and notifications are written at once. */
  saveEveryMs?: number;
  /** The mask of the moment (the project's secrets), applied to every notification sent. */
  mask?: () => (text: string) => string;
}

export interface CheckView {
  id: string;
  type: string;
  healthy: boolean;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  last?: CheckResult;
  history: CheckResult[];
}

export interface AlertView {
  key: string;
  ruleId: string;
  labels: Record<string, string>;
  state: AlertStateName;
  since: number;
  severity?: string;
  message?: string;
  value?: number;
  flapping: boolean;
}

export const defaultTickMs = 10_000;
export const defaultSaveEveryMs = 1_000;
/** Check histories are written at most this often (and at stop). */
export const historiesEveryMs = 5 * 60_000;

export class Monitor {
  #config: MonitorConfig;
  readonly #edges: MonitorEdges;
  readonly #scheduler: Scheduler;
  readonly #outbox: Outbox;
  readonly #book: IncidentBook;
  readonly #checks = new Map<string, CheckRecord>();
  readonly #alerts = new Map<string, AlertEntry>();
  readonly #metrics = new MetricStore();
  readonly #data: { outbox: Snapshot['outbox']; nextOutboxId: number; counters: Counters };
  #saving: Promise<void> = Promise.resolve();
  #saveQueued = false;
  /** What the last save held: incidents version and outbox contents. */
  #savedMark = '';
  #deferredSave: (() => void) | undefined;
  #historiesSavedAt = Number.NEGATIVE_INFINITY;
  #historiesDue = false;
  /** Check results or alert states changed since the last write. */
  #dirty = false;

  private constructor(config: MonitorConfig, edges: MonitorEdges, snapshot: Snapshot | undefined) {
    this.#config = config;
    this.#edges = edges;
    this.#data = { outbox: snapshot?.outbox ?? [], nextOutboxId: snapshot?.nextOutboxId ?? 1, counters: { ...emptyCounters(), ...snapshot?.counters } };
    this.#outbox = new Outbox(this.#data, {
      clock: edges.clock, channels: () => this.#config.channels, locale: () => this.#config.locale, publicUrl: () => this.#config.publicUrl, commit: () => this.commit(),
      notify: { fetch: edges.fetch, env: edges.env, mask: (text) => edges.mask?.()(text) ?? text, log: (line, level) => edges.log(line, level ?? 'info'), ...(edges.limiter ? { limiter: edges.limiter } : {}) },
      ...(edges.deliveryPolicy ? { policy: edges.deliveryPolicy } : {}),
    });
    this.#book = new IncidentBook(snapshot?.incidents ?? [], () => this.#config, this.#outbox, edges.log, edges.onTimeline);
    this.#scheduler = new Scheduler(edges.clock, { log: (line, level) => edges.log(line, level) });
    for (const [id, rec] of Object.entries(snapshot?.checks ?? {})) this.#checks.set(id, rec);
    for (const a of snapshot?.alerts ?? []) this.#restoreAlert(a);
  }

  /** A monitor with the state its persistence holds (or an empty one). */
  static async open(config: MonitorConfig, edges: MonitorEdges): Promise<Monitor> {
    return new Monitor(config, edges, await edges.persistence.load());
  }

  get config(): MonitorConfig { return this.#config; }
  get counters(): Readonly<Counters> { return this.#data.counters; }

  /** Schedules every check, every rule that reads a query or metrics, and the incident tick; sends what the outbox holds. */
  start(): void {
    this.#scheduler.replace(this.#jobs());
    this.#scheduler.start();
    this.#outbox.pump();
  }

  /** Takes a new configuration (a reload): jobs whose schedule did not change keep their timing. */
  reload(config: MonitorConfig): void {
    this.#config = config;
    this.#scheduler.replace(this.#jobs());
  }

  /** Stops scheduling, lets runs finish within the grace, and writes the state. */
  async stop(graceMs = 10_000): Promise<void> {
    await this.#scheduler.stop({ graceMs });
    this.#outbox.stop();
    await this.#outbox.idle();
    this.#historiesDue = true;
    await this.commit(true);
  }

  schedule(): JobStats[] { return this.#scheduler.stats(); }

  /** Runs a check once, now, and evaluates the rules that read it. */
  async runCheck(id: string, signal?: AbortSignal): Promise<CheckResult> {
    const check = this.#config.checks.get(id);
    if (!check) throw new RangeError(`no HealthCheck \`${id}\``);
    const { clock } = this.#edges;
    const result = await runCheck(check.spec, {
      fetch: this.#edges.fetch, ...(this.#edges.httpFetch ? { httpFetch: this.#edges.httpFetch } : {}), spawn: this.#edges.spawn, now: () => clock.now(), ...(signal ? { signal } : {}),
      killGraceMs: this.#config.killGraceMs, cwd: check.cwd, env: this.#edges.env, servers: this.#config.servers,
      findPlugin: (plugin) => findPlugin(this.#config.pluginDirs, plugin),
    });
    const rec = this.#checks.get(id) ?? { health: initialHealth, history: [] };
    const { next } = healthStep(rec.health, result, check);
    const { changed, ...health } = next;
    rec.health = health;
    // Only the newest result keeps bodies and output; older ones keep what the API and rules use.
    const previous = rec.history.length - 1;
    if (previous >= 0) rec.history[previous] = compact(rec.history[previous]!);
    rec.history.push(result);
    if (rec.history.length > this.#config.historySize) rec.history.splice(0, rec.history.length - this.#config.historySize);
    this.#checks.set(id, rec);
    this.#dirty = true;
    this.#data.counters.checksRun++;
    if (!result.ok) this.#data.counters.checksFailed++;
    if (changed) this.#edges.log(`check ${id} is ${changed}${result.error ? `: ${result.error}` : ''}`, changed === 'unhealthy' ? 'warn' : 'info');
    const at = clock.now();
    for (const rule of this.#config.rulesByCheck.get(id) ?? []) {
      const labels = { ...rule.labels, check: id };
      this.#apply(rule, labels, this.#checkVerdict(rule, labels, rec, result), at);
    }
    await this.commit();
    return result;
  }

  /** Evaluates a rule over a query or pushed metrics, now. Check rules are evaluated by their check. */
  async evaluateRule(id: string, signal?: AbortSignal): Promise<void> {
    const rule = this.#config.rules.get(id);
    if (!rule) throw new RangeError(`no AlertRule \`${id}\``);
    const at = this.#edges.clock.now();
    const known = [...this.#alerts.values()].filter((a) => a.rec.ruleId === id);
    const read = await readRule(rule, {
      at, servers: this.#config.servers, metrics: this.#metrics, fetch: this.#edges.fetch, ...(signal ? { signal } : {}),
      lastT: (labels) => this.#alerts.get(dedupKey(rule.id, labels))?.base.lastT ?? Number.NEGATIVE_INFINITY,
    });
    if (read.kind === 'skip') return;
    if (read.kind === 'error') {
      this.#edges.log(`rule ${id}: ${read.message}`, 'warn');
      const targets = known.length ? known.map((a) => a.rec.labels) : [rule.labels];
      for (const labels of targets) this.#apply(rule, labels, { condition: 'error', message: read.message }, at);
    } else {
      const seen = new Set<string>();
      for (const series of read.series) {
        const labels = { ...rule.labels, ...series.labels };
        seen.add(dedupKey(rule.id, labels));
        const entry = this.#entry(rule, labels, at);
        let verdict: Verdict | undefined;
        for (const s of series.samples) verdict = this.#judge(rule, entry, s.t, s.v) ?? verdict;
        if (verdict) this.#apply(rule, labels, verdict, at);
      }
      // A series that is gone has no data: its alert resolves like a vanished Prometheus series.
      if (read.complete) for (const a of known) if (!seen.has(a.rec.key)) this.#apply(rule, a.rec.labels, { condition: 'nodata' }, at);
    }
    await this.commit();
  }

  /** Pushed samples; rules on metrics read them at their next evaluation. */
  pushMetrics(samples: readonly PushedSample[]): PushResult {
    return this.#metrics.push(samples, this.#edges.clock.now());
  }

  /** Incidents: auto-resolve, expired acknowledgements, escalation steps that are due. */
  async tick(): Promise<void> {
    this.#book.tick(this.#edges.clock.now());
    await this.commit();
  }

  async acknowledge(incidentId: string, by: string, timeoutMs?: number): Promise<ChangeResult | undefined> {
    const r = this.#book.acknowledge(incidentId, by, this.#edges.clock.now(), timeoutMs);
    if (r?.ok) await this.commit();
    return r;
  }

  async resolve(incidentId: string, by: string, resolution: string): Promise<ChangeResult | undefined> {
    const r = this.#book.resolve(incidentId, by, resolution, this.#edges.clock.now());
    if (r?.ok) await this.commit();
    return r;
  }

  /** Adds an entry to an incident's timeline, now; false when there is no such incident. */
  async note(incidentId: string, kind: TimelineKind, text: string, by?: string): Promise<boolean> {
    const noted = this.#book.note(incidentId, { at: this.#edges.clock.now(), kind, text, ...(by === undefined ? {} : { by }) });
    if (noted) await this.commit();
    return noted;
  }

  /** Pages every escalation step of an open incident at once, instead of at its time. */
  async escalateNow(incidentId: string): Promise<Incident | undefined> {
    const incident = this.#book.escalateNow(incidentId, this.#edges.clock.now());
    await this.commit();
    return incident;
  }

  checks(): CheckView[] {
    return [...this.#config.checks.values()].map((c) => {
      const rec = this.#checks.get(c.id);
      const health = rec?.health ?? initialHealth;
      const last = rec?.history.at(-1);
      return { id: c.id, type: c.spec.type, healthy: health.healthy, consecutiveFailures: health.consecutiveFailures, consecutiveSuccesses: health.consecutiveSuccesses, ...(last ? { last } : {}), history: rec?.history ?? [] };
    });
  }

  alerts(): AlertView[] {
    return [...this.#alerts.values()].map(({ rec }) => ({
      key: rec.key, ruleId: rec.ruleId, labels: rec.labels, state: rec.state.state, since: rec.state.since,
      ...(rec.state.severity ? { severity: rec.state.severity } : {}), ...(rec.state.message ? { message: rec.state.message } : {}),
      ...(rec.value !== undefined ? { value: rec.value } : {}), flapping: rec.flap.flapping,
    }));
  }

  incidents(status?: IncidentStatus): Incident[] {
    return this.#book.incidents.filter((i) => status === undefined || i.status === status);
  }

  incident(id: string): Incident | undefined { return this.#book.get(id); }

  /** Notifications not yet delivered. */
  get pendingNotifications(): number { return this.#outbox.pending; }

  /** Resolves when no send is in flight and the state is written. */
  async idle(): Promise<void> {
    await this.#outbox.idle();
    await this.#saving;
  }

  /**
   * For callers that drive a virtual clock: resolves once no scheduled run is in flight, the state
   * is written, and sends in flight have finished or `sendGraceMs` of real time has passed (a send
   * may be waiting on the clock itself, for a rate limit or a retry).
   */
  async settled(sendGraceMs = 100): Promise<void> {
    while (this.#scheduler.stats().some((s) => s.running)) await new Promise((r) => setTimeout(r, 1));
    await this.#saving;
    const until = Date.now() + sendGraceMs;
    while (this.#outbox.sending > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
    await this.#saving;
  }

  /**
   * Writes the state, then lets the outbox send what it now holds. A change to incidents or to the
   * outbox is written at once (nothing is sent before the write that owes it); other changes —
   * check results, alert baselines — are written at most once per `saveEveryMs`, so thousands of
   * checks do not serialise the state thousands of times. Writes coalesce.
   */
  commit(force = false): Promise<void> {
    if (!force && this.#mark() === this.#savedMark) {
      if (!this.#dirty) { this.#outbox.pump(); return this.#saving; }
      this.#deferredSave ??= this.#edges.clock.setTimer(this.#edges.saveEveryMs ?? defaultSaveEveryMs, () => {
        this.#deferredSave = undefined;
        void this.commit(true);
      });
      this.#outbox.pump();
      return this.#saving;
    }
    this.#deferredSave?.();
    this.#deferredSave = undefined;
    if (!this.#saveQueued) {
      this.#saveQueued = true;
      this.#saving = this.#saving.then(async () => {
        this.#saveQueued = false;
        const mark = this.#mark();
        this.#dirty = false;
        try {
          const now = this.#edges.clock.now();
          const histories = this.#historiesDue || now - this.#historiesSavedAt >= historiesEveryMs;
          this.#historiesDue = false;
          await this.#edges.persistence.save(this.snapshot(), { histories });
          if (histories) this.#historiesSavedAt = now;
          this.#savedMark = mark;
        } catch (e) {
          this.#edges.log(`could not write the monitor state: ${(e as Error).message}`, 'error');
        }
      });
    }
    return this.#saving.then(() => this.#outbox.pump());
  }

  #mark(): string {
    const box = this.#data.outbox;
    return `${this.#book.version}/${this.#data.nextOutboxId}/${box.length}/${box[0]?.attempts ?? 0}`;
  }

  snapshot(): Snapshot {
    const alerts: AlertRecord[] = [...this.#alerts.values()].map(({ rec, base }) => {
      const samples = base.samples();
      return { ...rec, ...(samples.length ? { samples } : {}) };
    });
    return {
      version: 1, savedAt: this.#edges.clock.now(), checks: Object.fromEntries(this.#checks), alerts,
      incidents: this.#book.incidents, outbox: this.#data.outbox, nextOutboxId: this.#data.nextOutboxId, counters: this.#data.counters,
    };
  }

  #jobs(): JobSpec[] {
    const jobs: JobSpec[] = [];
    for (const c of this.#config.checks.values()) {
      jobs.push({
        id: `check:${c.id}`, ...(c.cron ? { cron: c.cron } : { everyMs: c.everyMs! }), staggerMs: c.staggerMs,
        run: async (r) => { await this.runCheck(c.id, r.signal); },
      });
    }
    for (const rule of this.#config.rules.values()) {
      if (rule.source.kind === 'status' || rule.source.kind === 'field') continue;
      jobs.push({ id: `rule:${rule.id}`, everyMs: rule.everyMs, staggerMs: Math.min(rule.everyMs, 10_000), run: async (r) => { await this.evaluateRule(rule.id, r.signal); } });
    }
    jobs.push({ id: 'incidents', everyMs: this.#edges.tickMs ?? defaultTickMs, run: () => this.tick() });
    return jobs;
  }

  #checkVerdict(rule: CompiledRule, labels: Record<string, string>, rec: CheckRecord, result: CheckResult): Verdict {
    const s = rule.source;
    if (s.kind === 'status') {
      if (rec.health.healthy) return { condition: 'ok' };
      const failing = result.conditions.filter((c) => !c.ok).map((c) => c.expression);
      const detail = result.error ?? (failing.length ? `failed: ${failing.join(', ')}` : 'failing');
      return { condition: 'firing', severity: rule.severity, reason: { kind: 'unhealthy', check: s.kind === 'status' ? s.check : '', detail } };
    }
    const field = s.kind === 'field' ? s.field : '';
    const v = result.fields[field];
    if (v === null || v === undefined) return { condition: 'nodata' };
    if (typeof v !== 'number') return { condition: 'error', message: `field ${field} of check ${s.kind === 'field' ? s.check : ''} is ${JSON.stringify(v).slice(0, 40)}, not a number` };
    const entry = this.#entry(rule, labels, result.at);
    return this.#judge(rule, entry, result.at, v) ?? { condition: 'ok', value: v };
  }

  #judge(rule: CompiledRule, entry: AlertEntry, t: number, v: number): Verdict | undefined {
    this.#data.counters.evaluations++;
    return judge(rule, entry.base, t, v);
  }

  #entry(rule: CompiledRule, labels: Record<string, string>, at: number): AlertEntry {
    const key = dedupKey(rule.id, labels);
    let entry = this.#alerts.get(key);
    if (!entry) { entry = newAlert(rule, labels, at); this.#alerts.set(key, entry); }
    return entry;
  }

  #apply(rule: CompiledRule, labels: Record<string, string>, verdict: Verdict, at: number): void {
    this.#dirty = true;
    const entry = this.#entry(rule, labels, at);
    const title = verdict.condition === 'firing' ? alertTitle(rule, labels, verdict.reason, catalogFor(this.#config.locale)) : undefined;
    const { transitions, notes, flap } = advance(rule, entry, verdict, title, Math.max(at, entry.rec.state.lastEvaluation));
    if (verdict.condition === 'error') this.#data.counters.evaluationErrors++;
    for (const t of transitions) {
      if (t.kind === 'error') this.#edges.log(`alert ${rule.id} ${JSON.stringify(labels)}: ${t.message}`, 'warn');
    }
    const { rec } = entry;
    const alert = () => ({
      ruleId: rule.id, labels, dedupKey: rec.key, severity: (rec.state.severity ?? rule.severity) as Incident['severity'],
      category: rule.category, title: rec.state.message ?? rule.name,
    });
    for (const n of notes) {
      if (n.kind === 'firing') this.#book.firing(alert(), at);
      else if (n.kind === 'resolved') this.#book.stopped(rec.key, at);
      else if (n.kind === 'flapping-started') this.#book.flapping(alert(), n.ratio, at);
      else this.#book.flappingStopped(rec.key, n.ratio, at);
    }
    // A firing alert whose severity rose joins its incident again, which raises the incident.
    if (!flap.flapping && rec.state.state === 'firing' && transitions.some((t) => t.kind === 'severity-changed')) this.#book.firing(alert(), at);
  }

  #restoreAlert(a: AlertRecord): void {
    const rule = this.#config.rules.get(a.ruleId);
    if (!rule) return;
    const { samples, ...rec } = a;
    const entry = newAlert(rule, rec.labels, rec.state.since);
    entry.rec = rec;
    for (const [t, v] of samples ?? []) entry.base.push(t, v);
    this.#alerts.set(rec.key, entry);
  }
}

/**
 * Older results are kept lean: no captured bodies, output or log lines, and only the conditions
 * that failed. Thousands of checks × the history size must stay a few bytes each.
 */
const bulky = new Set(['body', 'json', 'output', 'lines', 'detail']);
function compact(r: CheckResult): CheckResult {
  const fields: CheckResult['fields'] = {};
  for (const [k, v] of Object.entries(r.fields)) if (!bulky.has(k) && v !== null) fields[k] = v;
  const out: CheckResult = { at: r.at, ok: r.ok, durationMs: r.durationMs, fields, conditions: r.ok ? [] : r.conditions.filter((c) => !c.ok) };
  if (r.error !== undefined) out.error = r.error;
  return out;
}
