// The monitoring engine: health checks on their schedules, alert rules over check results,
// Prometheus, Loki and pushed metrics, incidents with escalation, and the outbox that delivers
// notifications. Every edge is passed in (clock, fetch, spawn, environment, persistence, log),
// so tests drive it on a virtual clock against loopback services.
//
// Flow of one evaluation: a sample (a check result, a query answer, a pushed metric) is judged
// (rules/judge.ts) → the alert steps (rules/alert.ts: state machine, flap detection) → firing,
// resolved or flapping goes to the incident book (incidents.ts: open/join, auto-resolve,
// escalation, maintenance) → notifications go to the outbox. The state is then committed (one
// atomic snapshot, state-writer.ts) BEFORE the outbox sends, so a crash never loses a
// notification it owed.
//
// Problems stay local: a probe that fails is a failed check; a query that errors is an `error`
// state on that rule's alerts, logged; a receiver that fails keeps its items in the outbox.
import type { Clock } from '../../engine/clock.ts';
import type { Spawner } from '../../engine/process/spawn.ts';
import type { DeliveryPolicy } from '../../notify/deliver.ts';
import type { RateLimiter } from '../../notify/limiter.ts';
import type { LogLevel } from '../../store/types.ts';
import type { CheckResult } from '../checks/result.ts';
import type { ProbeFetch } from '../checks/lean-fetch.ts';
import { runCheck } from '../checks/run.ts';
import type { Evidence } from '../incidents/evidence.ts';
import { maskEvidence } from '../incidents/gathered.ts';
import { maskDeep } from '../../engine/mask.ts';
import type { ChangeResult, Incident, IncidentStatus, TimelineEntry, TimelineKind } from '../incidents/incident.ts';
import { Scheduler } from '../schedule/scheduler.ts';
import type { JobSpec, JobStats } from '../schedule/types.ts';
import { findPlugin } from '../sources/plugins.ts';
import { AlertTable } from './alert-table.ts';
import { checkView, recordResult } from './check-records.ts';
import type { MonitorConfig } from './config.ts';
import { IncidentBook } from './incidents.ts';
import { defaultTickMs, monitorJobs } from './jobs.ts';
import { MetricStore, type PushedSample, type PushResult } from './metrics.ts';
import { Outbox, type NotificationLedger } from './outbox.ts';
import { readRule } from './read-rule.ts';
import { emptyCounters, type CheckRecord, type Counters, type Persistence, type Snapshot } from './state.ts';
import { StateWriter } from './state-writer.ts';
import type { AlertView, CheckView, MonitorView, OpenedIncident } from './view.ts';
import { reportedAlert, type IncidentReport } from '../incidents/manual.ts';
import { PluginopsError } from '../../errors/base.ts';
import type { MaintenanceWindow } from '../alerts/maintenance.ts';
import type { RunControls } from '../controls/controls.ts';

export type { AlertView, CheckView, MonitorView, OpenedIncident } from './view.ts';

/** A health check or alert rule id that the monitoring configuration does not have. */
export class UnknownMonitorIdError extends PluginopsError {
  readonly code = 'E_NOT_FOUND';
  readonly kind = 'not_found';
  override name = 'UnknownMonitorIdError';
}

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
  /** Told every check result, masked, once recorded (e.g. to count it into the check's rollups). */
  onResult?: (checkId: string, result: CheckResult) => void;
  /** How often incidents are looked at for escalation, auto-resolve and ack timeouts (10 s). */
  tickMs?: number;
  /** Longest wait before check results and baselines are written (1 s); incidents and notifications are written at once. */
  saveEveryMs?: number;
  /** The mask of the moment (the project's secrets), applied to every notification sent and to evidence as it is gathered. */
  mask?: () => (text: string) => string;
  /** Run-time controls: paused checks and rules, maintenance windows started now. */
  controls?: RunControls;
  /** Claims and settles each send where replicas share the outbox (PostgreSQL); none on one machine. */
  ledger?: NotificationLedger;
}

export class Monitor implements MonitorView {
  #config: MonitorConfig;
  readonly #edges: MonitorEdges;
  readonly #scheduler: Scheduler;
  readonly #outbox: Outbox;
  readonly #book: IncidentBook;
  readonly #writer: StateWriter;
  readonly #alerts: AlertTable;
  readonly #checks = new Map<string, CheckRecord>();
  readonly #metrics = new MetricStore();
  readonly #data: { outbox: Snapshot['outbox']; nextOutboxId: number; counters: Counters };

  private constructor(config: MonitorConfig, edges: MonitorEdges, snapshot: Snapshot | undefined) {
    this.#config = config;
    this.#edges = edges;
    this.#data = { outbox: snapshot?.outbox ?? [], nextOutboxId: snapshot?.nextOutboxId ?? 1, counters: { ...emptyCounters(), ...snapshot?.counters } };
    this.#writer = new StateWriter({
      clock: edges.clock, persistence: edges.persistence, log: edges.log, ...(edges.saveEveryMs !== undefined ? { saveEveryMs: edges.saveEveryMs } : {}),
      snapshot: () => this.snapshot(), mark: () => this.#mark(), afterCommit: () => this.#outbox.pump(),
    });
    this.#outbox = new Outbox(this.#data, {
      clock: edges.clock, channels: () => this.#config.channels, locale: () => this.#config.locale, publicUrl: () => this.#config.publicUrl, commit: () => this.commit(),
      notify: { fetch: edges.fetch, env: edges.env, mask: (text) => edges.mask?.()(text) ?? text, log: (line, level) => edges.log(line, level ?? 'info'), ...(edges.limiter ? { limiter: edges.limiter } : {}) },
      ...(edges.deliveryPolicy ? { policy: edges.deliveryPolicy } : {}), ...(edges.ledger ? { ledger: edges.ledger } : {}),
    });
    this.#book = new IncidentBook(snapshot?.incidents ?? [], () => this.#config, this.#outbox, edges.log, edges.onTimeline, () => this.maintenanceWindows());
    this.#scheduler = new Scheduler(edges.clock, { log: (line, level) => edges.log(line, level) });
    for (const [id, rec] of Object.entries(snapshot?.checks ?? {})) this.#checks.set(id, rec);
    this.#alerts = new AlertTable({
      config: () => this.#config, book: this.#book, counters: this.#data.counters, log: edges.log, touch: () => this.#writer.touch(),
      rulePaused: (id) => edges.controls?.rulePaused(id) !== undefined,
    }, snapshot?.alerts ?? []);
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

  /** Takes a new configuration (a reload): jobs whose schedule did not change keep their timing; alerts of removed rules go. */
  reload(config: MonitorConfig): void {
    this.#config = config;
    this.#alerts.retain(this.#edges.clock.now());
    this.#scheduler.replace(this.#jobs());
  }

  /** Stops scheduling, lets runs finish within the grace, and writes the state. */
  async stop(graceMs = 10_000): Promise<void> {
    await this.#scheduler.stop({ graceMs });
    this.#outbox.stop();
    await this.#outbox.idle();
    await this.#writer.final();
  }

  schedule(): JobStats[] { return this.#scheduler.stats(); }
  /** The configured maintenance windows and those started at run time. */
  maintenanceWindows(): MaintenanceWindow[] {
    return [...this.#config.maintenance, ...(this.#edges.controls?.windows() ?? [])];
  }
  hasCheck(id: string): boolean { return this.#config.checks.has(id); }

  /** Runs a check once, now, and evaluates the rules that read it. */
  async runCheck(id: string, signal?: AbortSignal): Promise<CheckResult> {
    const check = this.#config.checks.get(id);
    if (!check) throw new UnknownMonitorIdError(`no HealthCheck \`${id}\``);
    const { clock } = this.#edges;
    const probed = await runCheck(check.spec, {
      fetch: this.#edges.fetch, ...(this.#edges.httpFetch ? { httpFetch: this.#edges.httpFetch } : {}), spawn: this.#edges.spawn, now: () => clock.now(), ...(signal ? { signal } : {}),
      killGraceMs: this.#config.killGraceMs, cwd: check.cwd, env: this.#edges.env, servers: this.#config.servers,
      findPlugin: (plugin) => findPlugin(this.#config.pluginDirs, plugin), ...this.#maskEdge(),
    });
    // Masked here, before the check's history, an incident or the state holds what it captured.
    const result = this.#maskedResult(probed);
    const { rec, changed } = recordResult(this.#checks.get(id), result, check, this.#config.historySize);
    this.#checks.set(id, rec);
    this.#edges.onResult?.(id, result);
    this.#writer.touch();
    this.#data.counters.checksRun++;
    if (!result.ok) this.#data.counters.checksFailed++;
    if (changed) this.#edges.log(`check ${id} is ${changed}${result.error ? `: ${result.error}` : ''}`, changed === 'unhealthy' ? 'warn' : 'info');
    this.#alerts.checkResult(id, rec, result, clock.now());
    await this.commit();
    return result;
  }

  /** Evaluates a rule over a query or pushed metrics, now. Check rules are evaluated by their check. */
  async evaluateRule(id: string, signal?: AbortSignal): Promise<void> {
    const rule = this.#config.rules.get(id);
    if (!rule) throw new UnknownMonitorIdError(`no AlertRule \`${id}\``);
    const at = this.#edges.clock.now();
    const known = this.#alerts.known(id);
    const read = await readRule(rule, {
      at, servers: this.#config.servers, metrics: this.#metrics, fetch: this.#edges.fetch, ...(signal ? { signal } : {}),
      lastT: (labels) => this.#alerts.lastT(rule, labels), ...this.#maskEdge(),
    });
    if (read.kind === 'skip') return;
    this.#alerts.ruleRead(rule, read.kind === 'series' && read.evidence ? { ...read, evidence: this.#masked(read.evidence) } : read, known, at);
    await this.commit();
  }

  /** Pushed samples; rules on metrics read them at their next evaluation. */
  pushMetrics(samples: readonly PushedSample[]): PushResult {
    return this.#metrics.push(samples, this.#edges.clock.now());
  }

  /** The pushed series of `metric` (one per plugin), or only `plugin`'s: the newest 1,000 samples of each. */
  metricSeries(metric: string, plugin?: string): ReturnType<MetricStore['series']> {
    return this.#metrics.series(metric, plugin);
  }

  /** Incidents: auto-resolve, expired acknowledgements, escalation steps that are due. */
  async tick(): Promise<void> {
    this.#book.tick(this.#edges.clock.now());
    await this.commit();
  }

  async acknowledge(incidentId: string, by: string, timeoutMs?: number, note?: string): Promise<ChangeResult | undefined> {
    const r = this.#book.acknowledge(incidentId, by, this.#edges.clock.now(), timeoutMs, note === undefined ? undefined : this.#mask(note));
    if (r?.ok) await this.commit();
    return r;
  }

  async resolve(incidentId: string, by: string, resolution: string): Promise<ChangeResult | undefined> {
    const r = this.#book.resolve(incidentId, by, this.#mask(resolution), this.#edges.clock.now());
    if (r?.ok) await this.commit();
    return r;
  }

  /** A person reports a problem: it opens or joins, escalates and may remediate like an alert that fires. */
  async openIncident(report: IncidentReport, by: string): Promise<OpenedIncident> {
    if (report.ruleId !== undefined && !this.#config.rules.has(report.ruleId)) throw new UnknownMonitorIdError(`no AlertRule \`${report.ruleId}\``);
    const at = this.#edges.clock.now();
    // What people type is masked here, before the state, the journal or a backup holds it.
    const m = (t: string) => this.#mask(t);
    const labels = report.labels && Object.fromEntries(Object.entries(report.labels).map(([k, v]) => [k, m(v)]));
    const alert = reportedAlert({ ...report, title: m(report.title), ...(labels ? { labels } : {}), ...(report.log !== undefined ? { log: m(report.log) } : {}) }, by, at);
    const joined = this.#book.open(alert.dedupKey) !== undefined;
    const incident = this.#book.firing(alert, at);
    await this.commit();
    return { incident, joined };
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
    return [...this.#config.checks.values()].map((c) => checkView(c, this.#checks.get(c.id), this.#edges.controls?.checkPaused(c.id)));
  }

  alerts(): AlertView[] { return this.#alerts.views(); }
  incidents(status?: IncidentStatus): Incident[] {
    return this.#book.incidents.filter((i) => status === undefined || i.status === status);
  }

  incident(id: string): Incident | undefined { return this.#book.get(id); }
  /** Notifications not yet delivered. */
  get pendingNotifications(): number { return this.#outbox.pending; }

  /** Channels with a notification send in flight (one may be waiting on the clock, for a rate limit or a retry). */
  get sending(): number { return this.#outbox.sending; }

  /** Resolves when no send is in flight and the state is written. */
  async idle(): Promise<void> {
    await this.#outbox.idle();
    await this.#writer.written();
  }

  /** Resolves when the state writes started so far are done (sends in flight are not waited for). */
  written(): Promise<void> { return this.#writer.written(); }

  /** Writes the state (at once, or deferred when only check results and baselines changed), then lets the outbox send. */
  commit(force = false): Promise<void> { return this.#writer.commit(force); }

  snapshot(): Snapshot {
    return {
      version: 1, savedAt: this.#edges.clock.now(), checks: Object.fromEntries(this.#checks), alerts: this.#alerts.records(),
      incidents: this.#book.incidents, outbox: this.#data.outbox, nextOutboxId: this.#data.nextOutboxId, counters: this.#data.counters,
    };
  }

  /** The mask of the moment as an edge, for sources that cut what they capture. */
  #maskEdge(): { mask?: (text: string) => string } { const mask = this.#edges.mask?.(); return mask ? { mask } : {}; }
  #mask(text: string): string { return this.#edges.mask?.()(text) ?? text; }

  #maskedResult(r: CheckResult): CheckResult {
    const mask = this.#edges.mask?.();
    if (!mask) return r;
    return {
      ...r, fields: maskDeep(r.fields, mask), ...(r.error !== undefined ? { error: mask(r.error) } : {}),
      ...(r.evidence ? { evidence: maskEvidence(r.evidence, mask) } : {}),
    };
  }

  #masked(e: Evidence): Evidence {
    const mask = this.#edges.mask?.();
    return mask ? maskEvidence(e, mask) : e;
  }

  /** What the last write must have held for a change not to need writing at once: incidents and outbox. */
  #mark(): string {
    const box = this.#data.outbox;
    return `${this.#book.version}/${this.#data.nextOutboxId}/${box.length}/${box[0]?.attempts ?? 0}`;
  }

  #jobs(): JobSpec[] {
    return monitorJobs(this.#config, this.#edges.tickMs ?? defaultTickMs, {
      runCheck: (id, signal) => this.runCheck(id, signal), evaluateRule: (id, signal) => this.evaluateRule(id, signal), tick: () => this.tick(),
      ...(this.#edges.controls ? { checkPaused: (id: string) => this.#edges.controls!.checkPaused(id), rulePaused: (id: string) => this.#edges.controls!.rulePaused(id) } : {}),
    });
  }
}
