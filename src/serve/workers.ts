// Tasks and workers in `serve`: the task board on the embedded journal, the hub the API steers it
// through, and the workers edge that sends `runsOn` steps to the board. A step sent to a worker
// is a task of type `step`; what the worker reports (log lines, outputs, artifacts) reaches the
// step's context as if it ran here, and cancelling the run cancels the task. A workflow task is
// recorded as an execution when a worker claims it; the run events the worker sends are recorded
// there through the same recorder as a local run's.
import { StepFailure, type Registry, type RemoteStep, type StepContext, type TaskEnd, type TaskRequest, type WorkersEdge } from '../engine/step.ts';
import { plan as planGraph } from '../engine/plan.ts';
import { systemClock } from '../engine/clock.ts';
import { resolveParameters } from '../engine/parameters.ts';
import type { RunEvent } from '../engine/events.ts';
import type { CatalogEntry } from '../api/workflows/catalog.ts';
import { createExecution } from '../runs/execute.ts';
import { recordTo, type Recorder } from '../runs/recorder.ts';
import type { ExecutionStore, LogLevel } from '../store/types.ts';
import type { TaskBoard } from '../tasks/board.ts';
import { BoardQueue } from '../tasks/board-queue.ts';
import type { Outcome, ProgressEvent, SubmitTask, TaskHub } from '../tasks/hub.ts';
import { finalTaskStates, heldTaskStates, type Task } from '../tasks/model.ts';
import type { TaskFollowed, TaskQueue } from '../tasks/queue.ts';
import { newTaskId } from '../tasks/transitions.ts';
import { TaskError } from '../tasks/errors.ts';

interface HubEdges {
  store: ExecutionStore;
  find: (plan: string) => Promise<CatalogEntry>;
  registry: Registry;
  log: (line: string, level: LogLevel, fields?: Record<string, unknown>) => void;
}

/** The queue the hub steers: in PostgreSQL, or the embedded board (wrapped in its queue). */
export type HubDeps = HubEdges & ({ queue: TaskQueue } | { board: TaskBoard });

/** A workflow task's execution being recorded here, from the run events its worker reports (through whichever replica). */
interface Recording { execution: string; recorder: Recorder; finished: boolean; off: () => void }

/** How long a replica that found a task recorded elsewhere trusts that before it looks again. */
const recordedElsewhereMs = 5_000;
const notHereKept = 4_096;

const stepStatuses: ReadonlySet<unknown> = new Set(['pending', 'running', 'waiting', 'success', 'failed', 'skipped', 'cancelled', 'timed_out', 'interrupted']);
const executionStatuses: ReadonlySet<unknown> = new Set(['success', 'failed', 'cancelled', 'timed_out', 'interrupted']);
const levels: ReadonlySet<unknown> = new Set(['debug', 'info', 'warn', 'error']);
const isText = (v: unknown, max = 65_536) => typeof v === 'string' && v.length <= max;
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isOutputs = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => isText(x, 1_048_576));

/**
 * The run events a worker may send for a workflow task, each checked for the fields the recorder
 * writes: a worker's mistake (or a forged report) is dropped, not written into the execution.
 * Approvals never happen on a worker, so `step.waiting` is not taken.
 */
const eventChecks: Readonly<Record<string, (e: Record<string, unknown>) => boolean>> = {
  'execution.started': () => true,
  'step.started': (e) => isText(e.step, 128) && isCount(e.attempt),
  'step.log': (e) => isText(e.step, 128) && levels.has(e.level) && isText(e.message),
  'step.artifact': (e) => isText(e.step, 128) && isText(e.name, 256) && isText(e.path, 4096),
  'step.retrying': (e) => isText(e.step, 128) && isCount(e.attempt) && isCount(e.delayMs) && isText(e.reason),
  'step.finished': (e) => isText(e.step, 128) && stepStatuses.has(e.status) && stepStatuses.has(e.conclusion) && isCount(e.attempts) && isCount(e.durationMs) && isOutputs(e.outputs) && (e.error === undefined || isText(e.error)),
  'step.skipped': (e) => isText(e.step, 128) && (e.status === 'skipped' || e.status === 'cancelled') && isText(e.reason),
  'step.kept': (e) => isText(e.step, 128) && isOutputs(e.outputs),
  'execution.finished': (e) => executionStatuses.has(e.status) && isCount(e.durationMs) && (e.error === undefined || isText(e.error)),
};

export class ServeTaskHub implements TaskHub {
  readonly queue: TaskQueue;
  readonly #d: HubEdges;
  readonly #recorders = new Map<string, Recording>();
  /** Tasks whose reports are not recorded here, until when: steps (never), workflow tasks another replica records (for a while). */
  readonly #notHere = new Map<string, number>();
  readonly #takingUp = new Set<string>();
  /**
   * Workflows looked up in the last second: reading the catalog parses every document, and a burst
   * of submissions and claims would parse them once per task. An edit is seen a second later.
   */
  readonly #found = new Map<string, { at: number; entry: Promise<CatalogEntry> }>();

  constructor(d: HubDeps) {
    this.queue = 'queue' in d ? d.queue : new BoardQueue(d.board);
    this.#d = d;
  }

  #find(plan: string): Promise<CatalogEntry> {
    const now = Date.now();
    const hit = this.#found.get(plan);
    if (hit && now - hit.at < 1_000) return hit.entry;
    if (this.#found.size > 256) this.#found.clear();
    const entry = this.#d.find(plan);
    this.#found.set(plan, { at: now, entry });
    entry.catch(() => this.#found.delete(plan));
    return entry;
  }

  async #routable(t: Pick<Task, 'capabilities'>): Promise<boolean> {
    try { return (await this.queue.router())(t); } catch { return true; }
  }

  submit(req: SubmitTask, by: string): Promise<Task> { return this.#submit(req, by); }

  async #submit(req: SubmitTask, by: string, id?: string): Promise<Task> {
    const workflow = req.workflow ?? req.type;
    const entry = await this.#find(workflow);
    // Parameters are checked now, not when a worker has taken the task.
    const graph = planGraph(entry.runnable.doc, this.#d.registry.steps);
    const gate = graph.steps.find((s) => s.kind === 'approval');
    if (gate) {
      throw new TaskError('E_NOT_FOR_WORKERS', `${entry.id} waits for approval (step \`${gate.id}\`), and approvals wait on the server, not on a worker: start it with POST /api/runs or /api/executions, and give its steps \`runsOn\``, { workflow: entry.id, step: gate.id });
    }
    resolveParameters(graph.parameters, req.data ?? {});
    const capabilities = req.capabilities ?? entry.runnable.doc.spec.runsOn ?? [];
    // Every step runs on the worker that takes the task: it must have what each step needs.
    const short = graph.steps.find((s) => s.runsOn?.some((c) => !capabilities.includes(c)));
    if (short) {
      const missing = short.runsOn!.filter((c) => !capabilities.includes(c));
      throw new TaskError('E_NOT_FOR_WORKERS', `step \`${short.id}\` of ${entry.id} runs on ${short.runsOn!.join(', ')}, and the task asks only for ${capabilities.join(', ') || 'no capability'}: add ${missing.join(', ')} to its capabilities (or leave them out to take the workflow's runsOn)`, { workflow: entry.id, step: short.id, missing });
    }
    return this.queue.submit({
      ...(id ? { id } : {}), type: req.type, ...(req.priority ? { priority: req.priority } : {}), data: req.data ?? {}, capabilities,
      work: { kind: 'workflow', workflow: entry.id, ...(req.plugin ? { plugin: req.plugin } : {}) },
      ...(req.maxAttempts !== undefined ? { maxAttempts: req.maxAttempts } : {}), ...(req.backoffMs !== undefined ? { backoffMs: req.backoffMs } : {}),
      ...(req.deadline ? { deadline: req.deadline } : {}), requestedBy: by,
    });
  }

  async claim(workerId: string, waitMs: number, signal?: AbortSignal): Promise<Task | undefined> {
    const t = await this.queue.waitClaim(workerId, waitMs, signal);
    if (!t || t.work.kind !== 'workflow') return t;
    try {
      const entry = await this.#find(t.work.workflow);
      const graph = planGraph(entry.runnable.doc, this.#d.registry.steps);
      const { id } = await createExecution({
        graph, params: t.data, ...(t.work.plugin ? { plugin: t.work.plugin } : {}), store: this.#d.store, clock: systemClock,
        extra: { requestedBy: t.requestedBy ?? 'task', trigger: { task: t.id }, source: entry.path },
      });
      await this.queue.setExecution(t.id, id);
      t.execution = id;
      this.#record(t.id, id);
    } catch (e) {
      this.#d.log(`task ${t.id}: its execution could not be recorded: ${(e as Error).message}`, 'error', { task: t.id });
    }
    return t;
  }

  /**
   * Records a workflow task's run here: the run events its worker reports reach this replica
   * through the queue whichever replica the worker sends them to, and the execution ends when the
   * task goes back to the queue or ends.
   */
  #record(id: string, execution: string): Recording {
    const r: Recording = { execution, recorder: recordTo(this.#d.store), finished: false, off: () => undefined };
    this.#recorders.set(id, r);
    r.off = this.queue.follow(id, (e) => {
      if (e.type === 'progress') this.#replay(r, e.events as ProgressEvent[]);
      else if (e.task.state === 'pending' || finalTaskStates.has(e.task.state)) void this.#close(e.task, r);
    });
    return r;
  }

  #replay(r: Recording, events: readonly ProgressEvent[]): void {
    for (const e of events) {
      if (e.kind !== 'event' || !Object.hasOwn(eventChecks, e.event.type) || !eventChecks[e.event.type]!(e.event)) continue;
      const event = { ...e.event, executionId: r.execution } as unknown as RunEvent;
      if (event.type === 'execution.finished') r.finished = true;
      r.recorder.emit(event);
    }
  }

  async progress(id: string, workerId: string, claim: string, events: ProgressEvent[]): Promise<{ cancel: boolean }> {
    const answer = await this.queue.progress(id, workerId, claim, events);
    // The report is in the queue: a failure to take its run up here is logged, not answered.
    if (!this.#recorders.has(id)) {
      await this.#takeUp(id, workerId, events).catch((e: unknown) => this.#d.log(`task ${id}: its run could not be taken up: ${(e as Error).message}`, 'warn', { task: id }));
    }
    return answer;
  }

  /**
   * A workflow task whose run nobody records any more: the server that claimed it restarted (or,
   * with several replicas, stopped), and the store left its execution `interrupted`. Its run goes
   * on on the worker, so the execution runs again, and what follows is recorded here. While the
   * execution is not interrupted, another replica records it and this one leaves it alone.
   */
  async #takeUp(id: string, workerId: string, events: ProgressEvent[]): Promise<void> {
    const until = this.#notHere.get(id);
    if ((until !== undefined && Date.now() < until) || this.#takingUp.has(id)) return;
    this.#takingUp.add(id);
    const skip = (ms: number) => {
      if (this.#notHere.size >= notHereKept) this.#notHere.clear();
      this.#notHere.set(id, Date.now() + ms);
    };
    try {
      const t = await this.queue.get(id);
      if (t && t.work.kind !== 'workflow') return skip(Infinity);
      if (!t?.execution || !heldTaskStates.has(t.state) || this.#recorders.has(id)) return;
      const record = await this.#d.store.get(t.execution).catch(() => undefined);
      if (record && record.status !== 'interrupted') return skip(recordedElsewhereMs);
      this.#notHere.delete(id);
      const r = this.#record(id, t.execution);
      void this.#d.store.update(t.execution, { type: 'status', status: 'running', at: new Date().toISOString() }).catch(() => undefined);
      this.#d.store.log(t.execution, { timestamp: new Date().toISOString(), level: 'info', message: `the server restarted; worker ${t.workerName ?? workerId} still runs it` });
      // This report reached the queue before anyone here followed the task.
      this.#replay(r, events);
    } finally {
      this.#takingUp.delete(id);
    }
  }

  async complete(id: string, workerId: string, claim: string, outcome: Outcome): Promise<Task> {
    return this.queue.complete(id, workerId, claim, outcome);
  }

  /** Ends the execution of a workflow task that went back to the queue or ended without saying so itself. */
  async #close(t: Task, r: Recording): Promise<void> {
    if (this.#recorders.get(t.id) !== r) return;
    this.#recorders.delete(t.id);
    r.off();
    if (!r.finished) {
      const status = t.state === 'succeeded' ? 'success' : t.state === 'cancelled' ? 'cancelled' : t.state === 'pending' ? 'interrupted' : 'failed';
      const error = t.state === 'pending' ? (t.history.at(-1)?.message ?? 'the worker stopped') : t.result?.error;
      r.recorder.emit({ type: 'execution.finished', executionId: r.execution, at: Date.now(), status, durationMs: 0, ...(error ? { error } : {}) });
    }
    await r.recorder.flush().catch((e: unknown) => this.#d.log(`task ${t.id}: execution ${r.execution} could not be written: ${(e as Error).message}`, 'error'));
  }

  /** The workers edge: steps with `runsOn` become tasks of type `step`, followed until they end. */
  edge(): WorkersEdge {
    return { run: (step, ctx) => this.#runStep(step, ctx), submit: (req, ctx, wait) => this.#submitStep(req, ctx, wait) };
  }

  /**
   * Follows a task from before it is submitted (so no change is missed, whichever replica makes
   * it), holding back what is told until `start()`: the caller says first that it sent the task.
   */
  #follow(id: string, handle: (e: TaskFollowed) => void): { start: () => void; off: () => void } {
    let started = false;
    const early: TaskFollowed[] = [];
    const off = this.queue.follow(id, (e) => { if (started) handle(e); else early.push(e); });
    return { off, start: () => { started = true; for (const e of early.splice(0)) handle(e); } };
  }

  /** The `task` step: a task submitted by a run, followed to its end when it waits. */
  async #submitStep(req: TaskRequest, ctx: StepContext<unknown>, wait: boolean): Promise<TaskEnd> {
    const id = newTaskId();
    const endOf = (t: Task): TaskEnd => ({
      id: t.id, state: t.state, ...(t.execution ? { execution: t.execution } : {}), ...(t.workerName ? { worker: t.workerName } : {}),
      ...(t.result?.error ? { error: t.result.error } : {}), outputs: t.result?.outputs ?? {},
    });
    const taken = (t: Task) => ctx.log(`task ${id} taken by ${t.workerName} (attempt ${t.attempts} of ${t.maxAttempts})`);
    let finish: (end: TaskEnd) => void = () => undefined;
    const ended = new Promise<TaskEnd>((resolve) => { finish = resolve; });
    const onAbort = () => { this.queue.cancel(id, 'the run').catch(() => { /* it ended already */ }); };
    const followed = wait ? this.#follow(id, (e) => {
      if (e.type !== 'task') return;
      if (e.task.state === 'claimed') taken(e.task);
      if (!finalTaskStates.has(e.task.state)) return;
      followed?.off();
      ctx.signal.removeEventListener('abort', onAbort);
      finish(endOf(e.task));
    }) : undefined;
    let task: Task;
    try { task = await this.#submit(req, `execution ${ctx.executionId}`, id); } catch (e) { followed?.off(); throw e; }
    ctx.log(`task ${task.id} submitted (${task.priority}, needs ${task.capabilities.join(', ') || 'no capability'})${await this.#routable(task) ? '' : '; no worker connected has these capabilities yet, so it waits'}`);
    if (!followed) {
      if (task.state === 'claimed') taken(task);
      return endOf(task);
    }
    followed.start();
    if (ctx.signal.aborted) onAbort(); else ctx.signal.addEventListener('abort', onAbort, { once: true });
    return ended;
  }

  async #runStep(step: RemoteStep, ctx: StepContext<unknown>): Promise<void> {
    const id = newTaskId();
    let lastWorker: string | undefined;
    let settle: { resolve: () => void; reject: (e: unknown) => void } = { resolve: () => undefined, reject: () => undefined };
    const ended = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
    const onAbort = () => { this.queue.cancel(id, 'the run').catch(() => { /* it ended already */ }); };
    const followed = this.#follow(id, (e) => {
      if (e.type === 'progress') {
        for (const p of e.events as ProgressEvent[]) {
          if (p.kind === 'log') ctx.log(p.message, p.level, p.stream);
          else if (p.kind === 'output') ctx.setOutput(p.name, p.value);
          else if (p.kind === 'artifact') ctx.addArtifact({ name: p.name, path: p.path, ...(p.size !== undefined ? { size: p.size } : {}), ...(p.sha256 ? { sha256: p.sha256 } : {}) });
        }
        return;
      }
      const t = e.task;
      // A change made on another replica may be told only as the task stands when it is read:
      // `running`, or even its end, says who took it as well.
      if (t.workerName && t.state !== 'pending' && t.workerName !== lastWorker) {
        lastWorker = t.workerName;
        ctx.log(`worker ${t.workerName} took it (attempt ${t.attempts} of ${t.maxAttempts})`);
      } else if (t.state === 'pending' && t.attempts > 0) {
        ctx.log(t.history.at(-1)?.message ?? 'back in the queue', 'warn');
      }
      if (!finalTaskStates.has(t.state)) return;
      followed.off();
      ctx.signal.removeEventListener('abort', onAbort);
      if (t.state === 'succeeded') {
        for (const [k, v] of Object.entries(t.result?.outputs ?? {})) ctx.setOutput(k, v);
        settle.resolve();
      } else {
        settle.reject(new StepFailure(t.result?.error ?? `the task ${t.state} on ${t.workerName ?? 'no worker'}`, t.result?.exitCode));
      }
    });
    let task: Task;
    try {
      task = await this.queue.submit({
        id, type: 'step', priority: 'high', capabilities: [...step.runsOn], execution: ctx.executionId, maxAttempts: 3,
        work: {
          kind: 'step', execution: ctx.executionId, workflow: ctx.workflow.id,
          step: { id: step.id, name: step.name, uses: step.uses, inputs: ctx.inputs as Record<string, unknown>, env: step.env, ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}), attempt: ctx.attempt },
          ...(step.plugin !== undefined ? { plugin: step.plugin } : {}),
        },
        requestedBy: `execution ${ctx.executionId}`,
      });
    } catch (e) {
      followed.off();
      throw e;
    }
    ctx.log(`sent to a worker with ${step.runsOn.join(', ')} as task ${task.id}${await this.#routable(task) ? '' : '; no worker connected has these capabilities yet, so it waits'}`);
    // A worker waiting for work may have taken it already, inside submit: told now, after the line above.
    followed.start();
    if (ctx.signal.aborted) onAbort(); else ctx.signal.addEventListener('abort', onAbort, { once: true });
    return ended;
  }
}
