// Optimization inside `serve --cron`: every Optimization document is analysed on its schedule
// (`every`), per plugin, from the histories the collector keeps; each finding becomes an `active`
// suggestion (suggestion.ts) or refreshes the one already open for its key; a suggestion a later
// analysis no longer finds, or whose evidence went stale, expires. People apply or dismiss
// suggestions (the API, the CLI through the API, the dashboard); the runbook runs through the
// apply port; `tick` follows the run, and once warm-up and window have passed the verdict
// (follow.ts) says succeeded, reverted (after the revert run) or inconclusive.
//
// Guardrails, checked when an apply is asked for: the suggestion is active and the etag (when
// given) is its current one; it has a runbook; no other change is in flight for the plugin (so
// an effect can be attributed); the plugin's cooldown since its last applied change has passed;
// its evidence is fresh. A pinned safety backup of the project is taken before the run
// (`guardrails.backup`, default on); when it fails nothing runs. A repeated request with the same idempotency key answers the suggestion
// as it stands instead of applying twice. Dry runs answer what would run and change nothing.
//
// Work is serialised (one change at a time), so every decision sees the previous one.
import { randomBytes } from 'node:crypto';
import type { LogLevel } from '../store/types.ts';
import { analyzePlugin } from './analyze.ts';
import { SuggestionBook } from './book.ts';
import { Collector } from './collect.ts';
import type { OptimizationConfig, OptimizationItem } from './config.ts';
import { OptimizationError } from './errors.ts';
import { applyRefusal, staleAfter, stateRefusal } from './guardrails.ts';
import { followApplying, followReverting, judge, type FollowEdges } from './follow.ts';
import { renderParams } from './params.ts';
import type { ApplyPort, MetricReader } from './ports.ts';
import { ended, fromFinding, keptBefore, moved, suggestionStates, type RunbookCall, type Suggestion, type SuggestionState } from './suggestion.ts';
import type { Analysis, Finding } from './analysis/types.ts';
import { isFinding } from './analysis/types.ts';

export interface OptimizerEdges {
  now: () => number;
  port: ApplyPort;
  reader: MetricReader;
  /** The suggestion book, `bookPath(storeDir)`. */
  bookPath: string;
  log?: (line: string, level: LogLevel, fields?: Record<string, unknown>) => void;
  /** Takes the safety backup before an apply run (`guardrails.backup`); answers its id. */
  snapshot?: (s: Suggestion) => Promise<string>;
  /** Told when a suggestion ends after an apply (verdicts, failures): notifications, the journal. */
  onEnded?: (s: Suggestion, item: OptimizationItem | undefined) => void;
}

export interface ApplyRequest { by: string; etag?: string; key?: string; dryRun?: boolean }
export interface DryRun { dryRun: true; suggestion: Suggestion; runbook: string; parameters: Record<string, unknown> }
export interface Filter { state?: SuggestionState | 'open'; plugin?: string; optimization?: string; type?: string }

/** The result of one analysis of a plugin. */
export interface PluginAnalysis { optimization: string; plugin: string; at: number; analyses: Analysis[] }

export class Optimizer {
  #config: OptimizationConfig;
  readonly #edges: OptimizerEdges;
  readonly #book: SuggestionBook;
  readonly #collector: Collector;
  readonly #nextAt = new Map<string, number>();
  readonly #last = new Map<string, PluginAnalysis>();
  #work: Promise<unknown> = Promise.resolve();
  #analysing: Promise<void> | undefined;
  #ticking: Promise<void> | undefined;

  private constructor(config: OptimizationConfig, edges: OptimizerEdges, book: SuggestionBook) {
    this.#config = config;
    this.#edges = edges;
    this.#book = book;
    this.#collector = new Collector(edges.reader);
  }

  static async open(config: OptimizationConfig, edges: OptimizerEdges): Promise<Optimizer> {
    const book = await SuggestionBook.open(edges.bookPath, { warn: (line) => edges.log?.(line, 'warn') });
    const o = new Optimizer(config, edges, book);
    await o.#enqueue(() => o.#retire());
    return o;
  }

  get config(): OptimizationConfig { return this.#config; }

  reload(config: OptimizationConfig): void {
    this.#config = config;
    this.#collector.retain(config.items);
    for (const id of this.#nextAt.keys()) if (!config.items.has(id)) this.#nextAt.delete(id);
    for (const [key, a] of this.#last) if (!config.items.get(a.optimization)?.plugins.includes(a.plugin)) this.#last.delete(key);
    void this.#enqueue(() => this.#retire()).catch((e: unknown) => this.#log(`optimization: ${message(e)}`, 'error'));
  }

  /**
   * Active suggestions of an Optimization (or a plugin) no longer configured expire: nothing would
   * confirm them, and applying one would run parameters from a document that is gone. Changes in
   * flight finish; their verdict says when it cannot be measured.
   */
  async #retire(): Promise<void> {
    const now = this.#edges.now();
    for (const s of this.#book.all()) {
      if (s.state !== 'active' || this.#config.items.get(s.optimization)?.plugins.includes(s.plugin)) continue;
      await this.#put(moved(s, 'expired', now, { reason: `Optimization ${s.optimization} no longer analyses ${s.plugin}` }));
    }
  }

  // ── reading ──────────────────────────────────────────────────────────────

  get(id: string): Suggestion | undefined { return this.#book.get(id); }

  /** Newest change first. */
  list(f: Filter = {}): Suggestion[] {
    return this.#book.all().filter((s) =>
      (f.state === undefined || (f.state === 'open' ? !ended.has(s.state) : s.state === f.state))
      && (f.plugin === undefined || s.plugin === f.plugin) && (f.optimization === undefined || s.optimization === f.optimization)
      && (f.type === undefined || s.type === f.type)).reverse();
  }

  /** Suggestions that were applied and ended, and those dismissed or expired; newest first. */
  history(f: Omit<Filter, 'state'> & { state?: SuggestionState } = {}): Suggestion[] {
    return this.list(f).filter((s) => ended.has(s.state));
  }

  /** The sources of every optimization and plugin, and the last analysis of each plugin. */
  status(): { sources: ReturnType<Collector['status']>; analyses: PluginAnalysis[]; nextAt: Record<string, number> } {
    return { sources: this.#collector.status(), analyses: [...this.#last.values()], nextAt: Object.fromEntries(this.#nextAt) };
  }

  /** How many suggestions are in each state (for /metrics). */
  counts(): Record<SuggestionState, number> {
    const out = Object.fromEntries(suggestionStates.map((k) => [k, 0])) as Record<SuggestionState, number>;
    for (const s of this.#book.all()) out[s.state]++;
    return out;
  }

  // ── analysis ─────────────────────────────────────────────────────────────

  /** Analyses what is due (serve calls it every second through `tick`), or everything with `all`. */
  analyze(o: { all?: boolean; optimization?: string; plugin?: string } = {}): Promise<PluginAnalysis[]> {
    return this.#enqueue(async () => {
      const now = this.#edges.now();
      const out: PluginAnalysis[] = [];
      for (const item of this.#config.items.values()) {
        if (o.optimization !== undefined && item.id !== o.optimization) continue;
        const due = (this.#nextAt.get(item.id) ?? 0) <= now;
        if (!o.all && o.optimization === undefined && !due) continue;
        if (o.plugin === undefined) this.#nextAt.set(item.id, now + item.everyMs);
        for (const plugin of item.plugins) {
          if (o.plugin !== undefined && plugin !== o.plugin) continue;
          out.push(await this.#analyzePlugin(item, plugin, now));
        }
      }
      return out;
    });
  }

  async #analyzePlugin(item: OptimizationItem, plugin: string, now: number): Promise<PluginAnalysis> {
    const analyses = await analyzePlugin(item, plugin, now, this.#collector, this.#edges.reader);
    const result: PluginAnalysis = { optimization: item.id, plugin, at: now, analyses };
    this.#last.set(`${item.id}\u0000${plugin}`, result);
    const open = new Map(this.#book.all().filter((s) => s.optimization === item.id && s.plugin === plugin && !ended.has(s.state)).map((s) => [s.type, s]));
    const found = new Set<string>();
    for (const a of analyses) {
      if (!isFinding(a)) continue;
      // Findings from data older than the evidence may be (a source down for hours) confirm nothing.
      const lastAt = this.#collector.history(item, plugin, a.evidence.metric).lastAt;
      if (!(now - lastAt <= staleAfter(item))) continue;
      found.add(a.type);
      await this.#found(item, plugin, a, open.get(a.type), now);
    }
    // An active suggestion this analysis did not find again: expired when the analyzer judged
    // enough data and found nothing to change, or when its evidence is older than `staleAfter`.
    for (const s of open.values()) {
      if (s.state !== 'active' || found.has(s.type)) continue;
      const judged = analyses.find((a) => !isFinding(a) && a.analyzer === s.analyzer && a.reason === 'within-target' && (a.metric === undefined || a.metric === s.evidence.metric));
      if (judged && !isFinding(judged)) await this.#put(moved(s, 'expired', now, { reason: `a later analysis no longer finds it: ${judged.message}` }));
      else if (now - s.seenAt > staleAfter(item)) await this.#put(moved(s, 'expired', now, { reason: `its evidence is stale: last confirmed ${Math.round((now - s.seenAt) / 60_000)} min ago` }));
    }
    return result;
  }

  async #found(item: OptimizationItem, plugin: string, f: Finding, open: Suggestion | undefined, now: number): Promise<void> {
    if (open && open.state !== 'active') return; // a change in flight is not disturbed
    const calls = this.#calls(item, plugin, f);
    if (open) {
      const changed = open.value !== f.value || open.previous !== f.previous;
      const refreshed: Suggestion = {
        ...open, seenAt: now, evidence: f.evidence, confidence: f.confidence, severity: f.severity, description: f.description, expected: f.expected,
        ...(f.value !== undefined ? { value: f.value } : {}), ...(f.previous !== undefined ? { previous: f.previous } : {}),
        ...(f.signatures ? { signatures: f.signatures } : {}), ...(f.likelyCause ? { likelyCause: f.likelyCause } : {}),
        ...(calls.apply ? { apply: calls.apply } : {}), ...(calls.revert ? { revert: calls.revert } : {}),
      };
      // A new value is a new version (an apply asked with the old etag is refused); fresher evidence alone is not.
      if (changed) await this.#put({ ...refreshed, version: open.version + 1, updatedAt: now, transitions: [...open.transitions, { at: now, state: 'active', note: `value now ${f.value}` }] });
      else await this.#put(refreshed, true);
      return;
    }
    // A change of this kind was reverted, dismissed or failed within the cooldown: not suggested again yet.
    const recent = this.#book.all().find((s) => s.key === `${item.id}/${plugin}/${f.type}` && (s.state === 'reverted' || s.state === 'dismissed' || s.state === 'failed')
      && now - s.updatedAt < item.guardrails.cooldownMs);
    if (recent) return;
    await this.#put(fromFinding(newId(), { optimization: item.id, plugin, finding: f, ...calls, now }));
  }

  /** The runbook calls of a finding: its analyzer's `apply` with the values filled in. */
  #calls(item: OptimizationItem, plugin: string, f: Finding): { apply?: RunbookCall; revert?: RunbookCall } {
    const doc = applyDocOf(item, f);
    if (!doc) return {};
    const values = { plugin, ...(f.value !== undefined ? { value: f.value } : {}), ...(f.previous !== undefined ? { previous: f.previous } : {}) };
    const apply = renderParams(doc.with ?? {}, values);
    if (!apply.ok) { this.#log(`optimization ${item.id}, ${plugin}: ${apply.error}`, 'warn'); return {}; }
    const revertWith = doc.revert?.with ?? doc.with ?? {};
    const revert = f.previous === undefined && doc.revert?.with === undefined
      ? undefined
      : renderParams(revertWith, { plugin, ...(f.previous !== undefined ? { value: f.previous, previous: f.value ?? f.previous } : {}) });
    return {
      apply: { runbook: doc.runbook, parameters: apply.params },
      ...(revert?.ok ? { revert: { runbook: doc.revert?.runbook ?? doc.runbook, parameters: revert.params } } : {}),
    };
  }

  // ── people's requests ────────────────────────────────────────────────────

  apply(id: string, req: ApplyRequest): Promise<Suggestion | DryRun> {
    return this.#enqueue(async () => {
      const now = this.#edges.now();
      const s = this.#known(id);
      if (req.key !== undefined && s.applyKey === req.key) return s;
      const item = this.#config.items.get(s.optimization);
      const refusal = applyRefusal(s, this.#book.all(), item, now, req.etag);
      if (refusal?.expire) await this.#put(moved(s, 'expired', now, { reason: 'its evidence is stale', by: req.by }));
      if (refusal) throw refusal;
      const call = s.apply as RunbookCall; // applyRefusal refused a suggestion without one
      if (req.dryRun === true || item?.guardrails.dryRun === true) return { dryRun: true, suggestion: s, runbook: call.runbook, parameters: call.parameters };
      let approved = moved(s, 'approved', now, { by: req.by, approvedBy: req.by, ...(req.key !== undefined ? { applyKey: req.key } : {}) });
      await this.#put(approved);
      try {
        if (item?.guardrails.backup !== false && this.#edges.snapshot) {
          const backup = await this.#edges.snapshot(s).catch((e: unknown) => { throw new Error(`the safety backup failed, so nothing was run: ${message(e)}`); });
          approved = { ...approved, backup };
        }
        const before = item ? await this.#before(item, s, now) : undefined;
        const run = await this.#edges.port.start({
          plan: call.runbook, data: call.parameters, requestedBy: req.by,
          trigger: { suggestion: s.id, optimization: s.optimization, plugin: s.plugin }, ...(item?.guardrails.requireApproval ? { requireApproval: true } : {}),
        });
        const applying = moved(approved, 'applying', this.#edges.now(), { run: { id: run.id, startedAt: this.#edges.now() }, ...(before?.length ? { before } : {}), note: `run ${run.id} of ${call.runbook}` });
        await this.#put(applying);
        this.#log(`optimization: suggestion ${s.id} (${s.type} on ${s.plugin}) applying by run ${run.id}`, 'info', { suggestion: s.id, execution: run.id });
        return applying;
      } catch (e) {
        const failed = moved(approved, 'failed', this.#edges.now(), { reason: message(e).startsWith('the safety backup') ? message(e) : `the runbook ${call.runbook} did not start: ${message(e)}` });
        await this.#put(failed);
        this.#edges.onEnded?.(failed, item);
        return failed;
      }
    });
  }

  dismiss(id: string, req: { by: string; etag?: string; reason?: string }): Promise<Suggestion> {
    return this.#enqueue(async () => {
      const s = this.#known(id);
      const refusal = stateRefusal(s, req.etag, 'dismissed');
      if (refusal) throw refusal;
      const out = moved(s, 'dismissed', this.#edges.now(), { by: req.by, reason: req.reason?.trim() || `dismissed by ${req.by}`, ...(req.reason ? { note: req.reason } : {}) });
      await this.#put(out);
      return out;
    });
  }

  /** The expected metric over the verification window before now, read fresh: kept with the suggestion, the verdict's "before". */
  async #before(item: OptimizationItem, s: Suggestion, now: number): Promise<Array<[number, number]>> {
    const metric = s.expected.metric;
    if (!item.metrics[metric]) return [];
    await this.#collector.refresh(item, s.plugin, [metric], now);
    return this.#collector.history(item, s.plugin, metric).since(now - item.verify.windowMs)
      .filter((p) => p.t < now).slice(-keptBefore).map((p): [number, number] => [p.t, p.v]);
  }

  #known(id: string): Suggestion {
    const s = this.#book.get(id);
    if (!s) throw new OptimizationError('E_UNKNOWN_SUGGESTION', `there is no suggestion ${id}`);
    return s;
  }

  // ── following ────────────────────────────────────────────────────────────

  /** Runs due analyses, follows runs, and judges verifications that are due; serve calls it every second. */
  tick(): Promise<void> {
    const now = this.#edges.now();
    if (!this.#analysing && [...this.#config.items.values()].some((i) => (this.#nextAt.get(i.id) ?? 0) <= now)) {
      this.#analysing = this.analyze().then(() => undefined, (e: unknown) => this.#log(`optimization analysis: ${message(e)}`, 'error')).finally(() => { this.#analysing = undefined; });
    }
    this.#ticking ??= this.#enqueue(async () => {
      const edges: FollowEdges = {
        now: this.#edges.now, port: this.#edges.port, collector: this.#collector, log: (line, level) => this.#log(line, level),
        item: (id) => this.#config.items.get(id), put: (s) => this.#put(s), ended: (s) => this.#edges.onEnded?.(s, this.#config.items.get(s.optimization)),
      };
      for (const s of this.#book.all()) {
        try {
          // An apply runs start to finish inside one piece of work, so an `approved` seen here was
          // left by a process that stopped between the approval and the run.
          if (s.state === 'approved') await this.#put(moved(s, 'failed', this.#edges.now(), { reason: `the process stopped between the approval and the run; no run is known (look for an execution of ${s.apply?.runbook ?? 'its runbook'} with trigger ${s.id})` }));
          else if (s.state === 'applying') await followApplying(s, edges);
          else if (s.state === 'verifying' && (s.verifyAt ?? 0) <= this.#edges.now()) await judge(s, edges);
          else if (s.state === 'reverting') await followReverting(s, edges);
        } catch (e) { this.#log(`optimization: suggestion ${s.id}: ${message(e)}`, 'error'); }
      }
    }).finally(() => { this.#ticking = undefined; });
    return this.#ticking;
  }

  async idle(): Promise<void> {
    await this.#analysing;
    for (let w = this.#work; ; w = this.#work) {
      await w.catch(() => undefined);
      if (w === this.#work) return;
    }
  }

  async close(): Promise<void> {
    await this.idle();
    await this.#book.close();
  }

  /** Writes a new version; `memoryOnly` for fresher evidence of the same version (kept until the next write). */
  async #put(s: Suggestion, memoryOnly = false): Promise<void> {
    if (memoryOnly) this.#book.touch(s);
    else await this.#book.put(s);
  }

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#work.then(fn, fn);
    this.#work = next.catch(() => undefined);
    return next;
  }

  #log(line: string, level: LogLevel, fields?: Record<string, unknown>): void { this.#edges.log?.(line, level, fields); }
}

function applyDocOf(item: OptimizationItem, f: Finding) {
  const a = item.analyzers;
  if (f.analyzer === 'thresholds') return (a.thresholds ?? []).find((t) => t.metric === f.evidence.metric)?.apply;
  return a[f.analyzer]?.apply;
}

const newId = (): string => `sg-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
