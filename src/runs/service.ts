// Runs of action plans (and workflows) as the CLI, the API and self-healing start and steer them:
// start one from a template and data, decide on one waiting for approval, retry the failed steps
// of one, expire approvals past their deadline, cancel one that waits. Every decision is read,
// checked and written under the run's lock, which all processes on the store respect, and the
// process whose decision completes an approval takes the run up (it records itself as owner
// before the lock is released), so two answers can never run the rest twice.
// How a decision is written and told is decision-record.ts; what a run taken up again keeps,
// kept-steps.ts; the errors, run-error.ts.
import { userInfo } from 'node:os';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidDocumentsError } from '../documents/diagnostics.ts';
import { loadDocuments } from '../documents/load.ts';
import { sleep, type Clock } from '../engine/clock.ts';
import { resolveParameters } from '../engine/parameters.ts';
import { plan as planGraph, type StepGraph } from '../engine/plan.ts';
import type { RunResult, StepResult } from '../engine/runner.ts';
import type { Registry } from '../engine/step.ts';
import { interpolate, asText } from '../engine/values.ts';
import { runLocal, type LocalRun } from './local.ts';
import type { DocumentSet } from '../documents/document-set.ts';
import type { Project } from '../project/load.ts';
import { findWorkflowIn, type Runnable } from '../project/workflows.ts';
import { nextRetry } from '../retry/policy.ts';
import { type ExecutionRecord, type ExecutionStore, type LogLevel } from '../store/types.ts';
import type { ChangeSummary, RiskAssessment } from '../store/risk.ts';
import { decide, expire, DecisionError, type Decided, type DecisionInput } from './approvals/decide.ts';
import { claimRun, tellDecision, writeDecision } from './decision-record.ts';
import { keptSteps } from './kept-steps.ts';
import { RunError, RunNotRecordedError } from './run-error.ts';

export interface RunServiceDeps {
  store: ExecutionStore;
  /** The current project (serve's reloads swap it). */
  project: () => Project;
  /** The step types and document rules plans are loaded and planned with. */
  registry: Registry;
  cwd: string;
  env: Record<string, string | undefined>;
  fetch?: typeof globalThis.fetch;
  /** The time, and the timers of the runs (a plan's retry delay, cancel polling, the steps' timeouts). */
  clock: Clock;
  log?: (line: string, level: LogLevel) => void;
  /** Where steps with `runsOn` are sent (serve's task board). */
  workers?: LocalRun['workers'];
}

/** A plan found among the documents, with the set it was found in and its file. */
export interface Found { runnable: Runnable; set: DocumentSet; path: string }

/** What a run is started from; the plugin directory is handed down to runLocal as given. */
export interface StartRun extends Pick<LocalRun, 'plugin'> {
  /** A plan or workflow id (the seed's `templateId`), or a YAML file. */
  plan: string;
  /** Its parameters (the seed's `data`), checked against the declarations. */
  data?: Record<string, unknown>;
  requestedBy?: string;
  trigger?: ExecutionRecord['trigger'];
  /** Wait for an approval before the first step even when the plan does not require one. */
  requireApproval?: boolean;
  /** The plan already found (the API looks it up in its catalog), so it is not looked for again. */
  found?: Found;
  /** The change the run delivers, for its risk assessment. */
  change?: ChangeSummary;
}

/** How the caller follows a run: cancellation, renderers, notices (handed down to runLocal as they are). */
export type RunControl = Pick<LocalRun, 'signal' | 'listeners' | 'onNotice' | 'maxParallel'>;

export interface RunHandle {
  id: string;
  workflow: string;
  /** The failure risk assessed before it started (workflows). */
  risk?: RiskAssessment;
  /** Settles when this process stops running it: finished, or waiting again. */
  done: Promise<RunResult>;
}

const active = (r: ExecutionRecord) => r.status === 'pending' || r.status === 'running' || r.status === 'waiting';
const retryable = new Set(['failed', 'timed_out', 'cancelled', 'interrupted']);

/** Who is asking, when a command does not say: PLUGINOPS_USER, else the login name. */
export function defaultActor(env: Record<string, string | undefined>): string {
  return env.PLUGINOPS_USER?.trim() || env.USER?.trim() || env.LOGNAME?.trim() || userInfo().username;
}

export class RunService {
  readonly #deps: RunServiceDeps;
  constructor(deps: RunServiceDeps) { this.#deps = deps; }

  get store(): ExecutionStore { return this.#deps.store; }
  #now(): number { return this.#deps.clock.now(); }

  /** Everything that can refuse a run (unknown plan, invalid documents, bad data), before anything is recorded. */
  async prepare(req: StartRun): Promise<{ runnable: Runnable; set: DocumentSet; graph: StepGraph; params: Record<string, unknown>; key?: string }> {
    const { runnable, set } = req.found ?? await findWorkflowIn(this.#deps.project(), this.#deps.cwd, req.plan, this.#deps.registry);
    const graph = planGraph(runnable.doc, this.#deps.registry.steps, { requireApproval: req.requireApproval ?? false });
    const params = resolveParameters(graph.parameters, req.data ?? {});
    return { runnable, set, graph, params, key: concurrencyKey(graph, params, req.plugin) };
  }

  /** Records a run and starts it; refused while another run holds its concurrency key. */
  async start(req: StartRun, control: RunControl = {}): Promise<RunHandle> {
    const { runnable, set, graph, params, key } = await this.prepare(req);
    const record: Partial<ExecutionRecord> = {
      ...(req.requestedBy ? { requestedBy: req.requestedBy } : {}),
      ...(req.trigger ? { trigger: req.trigger } : {}),
      ...(key !== undefined ? { concurrencyKey: key } : {}),
      ...(req.requireApproval ? { options: { requireApproval: true } } : {}),
      source: req.found?.path ?? resolve(this.#deps.cwd, runnable.src.file),
    };
    return this.#holding(graph.id, key, undefined, () => this.#launch(graph, set, params, req.plugin, control, { record, ...(req.change ? { change: req.change } : {}) }));
  }

  /**
   * Runs `then` unless another pending, running or waiting run of `plan` holds `key` (E_CONCURRENCY).
   * The check and what `then` records happen under the plan's lock, so two runs cannot both pass.
   */
  async #holding<T>(plan: string, key: string | undefined, except: string | undefined, then: () => Promise<T>): Promise<T> {
    if (key === undefined) return then();
    return this.#deps.store.exclusive(lockName(plan), async () => {
      const holder = (await this.#deps.store.list({ workflow: plan })).find((r) => r.id !== except && active(r) && r.concurrencyKey === key);
      if (holder) {
        throw new RunError('E_CONCURRENCY', `${plan} already has a ${holder.status} run for ${key.slice(plan.length + 1) || 'this plan'} (${holder.id}); one at a time`, { holder: holder.id, key });
      }
      return then();
    });
  }

  /**
   * Records a decision on a waiting run. Approved (quorum reached), the run is taken up here and
   * `resumed` follows it; rejected, it ends failed. A DecisionError for anything refused. A wait
   * already past its deadline is decided by the timeout instead (`decided.decision.by` is `timeout`).
   */
  async decide(id: string, input: DecisionInput, control: RunControl = {}): Promise<{ decided: Decided; record: ExecutionRecord; resumed?: RunHandle }> {
    const { store } = this.#deps;
    // The plan is loaded before anything is written: a plan that no longer loads refuses the
    // decision instead of leaving an approved run that cannot go on.
    const loaded = await this.#load(await this.#get(id));
    const taken = await store.exclusive(id, async () => {
      const record = await this.#get(id);
      const now = this.#now();
      // A wait past its deadline is decided by the timeout, whoever comes first.
      const decided = expire(record, now) ?? decide(record, input, now);
      await writeDecision(store, this.#deps.clock, record, decided, now);
      return { record, decided };
    });
    const { record, decided } = taken;
    void tellDecision(record, decided, this.#deps);
    const resumed = decided.outcome === 'approved' ? await this.#resume(await this.#get(id), loaded, control) : undefined;
    return { decided, record: await this.#get(id), ...(resumed ? { resumed } : {}) };
  }

  /** Decides every wait that is past its deadline (serve calls this on its tick); returns what it took up. */
  async expireDue(control: RunControl = {}): Promise<RunHandle[]> {
    const now = this.#now();
    const due = (await this.#deps.store.list({ status: 'waiting' }))
      .filter((r) => Object.values(r.approvals ?? {}).some((a) => a.status === 'waiting' && a.deadline !== undefined && Date.parse(a.deadline) <= now));
    const handles: RunHandle[] = [];
    for (const r of due) {
      const loaded = await this.#load(r).catch((e: unknown) => {
        this.#deps.log?.(`run ${r.id}: its approval timed out but its plan does not load: ${(e as Error).message}`, 'error');
        return undefined;
      });
      if (!loaded) continue;
      const decided = await this.#deps.store.exclusive(r.id, async () => {
        const record = await this.#get(r.id);
        const d = expire(record, this.#now());
        if (d) await writeDecision(this.#deps.store, this.#deps.clock, record, d, this.#now());
        return d && { record, d };
      });
      if (!decided) continue;
      this.#deps.log?.(`run ${r.id}: approval timed out, ${decided.d.outcome}`, 'warn');
      void tellDecision(decided.record, decided.d, this.#deps);
      if (decided.d.outcome === 'approved') handles.push(await this.#resume(await this.#get(r.id), loaded, control));
    }
    return handles;
  }

  /** Runs the failed, cancelled and skipped steps of a finished run again, and what follows them; other successful steps and their outputs are kept. */
  async retry(id: string, by: string, control: RunControl = {}): Promise<RunHandle> {
    const loaded = await this.#load(await this.#get(id));
    const record = await this.#deps.store.exclusive(id, async () => {
      const r = await this.#get(id);
      if (!retryable.has(r.status)) {
        throw new RunError('E_NOT_RETRYABLE', `run ${id} is ${r.status}; only failed, timed out, cancelled or interrupted runs can be retried`, { status: r.status });
      }
      await this.#holding(r.workflow, r.concurrencyKey, id, () => claimRun(this.#deps.store, id, 'retry', by, this.#now()));
      return this.#get(id);
    });
    return this.#resume(record, loaded, control);
  }

  async #get(id: string): Promise<ExecutionRecord> {
    const r = await this.#deps.store.get(id);
    if (!r) throw new RunError('E_NOT_FOUND', `no run \`${id}\``);
    return r;
  }

  /** The run's plan as it was started: from its file when that still holds it, else by id. */
  async #load(record: ExecutionRecord): Promise<{ graph: StepGraph; set: DocumentSet }> {
    let found: { runnable: Runnable; set: DocumentSet } | undefined;
    if (record.source && existsSync(record.source)) {
      const { set, diagnostics } = await loadDocuments([record.source], this.#deps.cwd, { registry: this.#deps.registry });
      if (diagnostics.length) throw new InvalidDocumentsError(diagnostics);
      const runnable = set.ActionPlan.get(record.workflow) ?? set.Workflow.get(record.workflow);
      if (runnable) found = { runnable, set };
    }
    found ??= await findWorkflowIn(this.#deps.project(), this.#deps.cwd, record.workflow, this.#deps.registry);
    return { graph: planGraph(found.runnable.doc, this.#deps.registry.steps, { requireApproval: record.options?.requireApproval ?? false }), set: found.set };
  }

  /**
   * Runs what is left of a claimed run: successful steps are kept with their outputs, unless
   * they come after a step that runs again (a report that read a failed check must read it anew).
   */
  async #resume(record: ExecutionRecord, { graph, set }: { graph: StepGraph; set: DocumentSet }, control: RunControl): Promise<RunHandle> {
    const prior = keptSteps(graph, record);
    return this.#launch(graph, set, record.parameters, record.plugin, control, { resume: { id: record.id, prior } });
  }

  /** Starts runLocal in the background; resolves once the run is recorded. */
  async #launch(graph: StepGraph, set: DocumentSet, params: Record<string, unknown>, plugin: string | undefined, control: RunControl,
    how: { record?: Partial<ExecutionRecord>; change?: ChangeSummary; resume?: { id: string; prior: ReadonlyMap<string, StepResult> } }): Promise<RunHandle> {
    const d = this.#deps;
    let created!: (id: string, risk?: RiskAssessment) => void;
    const recorded = new Promise<{ id: string; risk?: RiskAssessment }>((ok) => { created = (id, risk) => ok({ id, ...(risk ? { risk } : {}) }); });
    if (how.resume) created(how.resume.id);
    const done = runLocal({
      ...control, graph, params, plugin, project: d.project(), documents: set, store: d.store, cwd: d.cwd, env: d.env, clock: d.clock,
      ...(d.workers ? { workers: d.workers } : {}),
      onCreated: (id, risk) => created(id, risk), ...how,
    }).then(async ({ id, result }) => this.#afterRun(id, graph, result, control));
    const first = await Promise.race([recorded, done.then(() => undefined)]);
    if (first === undefined) throw new RunNotRecordedError(`the run of ${graph.id} could not be recorded`);
    return { id: first.id, workflow: graph.id, done, ...(first.risk ? { risk: first.risk } : {}) };
  }

  /** A plan's `retry` takes a failed run up again (failed steps only) until its attempts are used. */
  async #afterRun(id: string, graph: StepGraph, result: RunResult, control: RunControl): Promise<RunResult> {
    const policy = graph.runRetry;
    if (!policy || result.status !== 'failed' || control.signal?.aborted) return result;
    const record = await this.#deps.store.get(id);
    const runs = 1 + (record?.resumes ?? []).filter((r) => r.reason === 'retry').length;
    const rejected = Object.values(record?.approvals ?? {}).some((a) => a.status === 'rejected');
    const next = nextRetry(policy, runs);
    if (!record || rejected || !next.retry) return result;
    this.#deps.store.log(id, { timestamp: new Date(this.#now()).toISOString(), level: 'warn', message: `run ${runs} of ${policy.attempts} failed; its failed steps run again in ${next.delayMs}ms` });
    try { await sleep(this.#deps.clock, next.delayMs, control.signal); } catch { return result; }
    return (await this.retry(id, 'retry policy', control)).done;
  }
}

/** The key a plan's runs may not share: its `concurrency.key`, else its target parameter, else the plan. */
export function concurrencyKey(graph: StepGraph, params: Record<string, unknown>, plugin?: string): string | undefined {
  if (graph.concurrency === undefined) return undefined;
  const value = graph.concurrency
    ? asText(interpolate(graph.concurrency, { params }))
    : asText(params.plugin ?? params.target ?? plugin ?? '');
  return `${graph.id}:${value}`;
}

const lockName = (plan: string) => `plan-${plan.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/\.\.+/g, '_')}`.slice(0, 128);
