// The runs a long-lived process (`serve`) starts and follows in the background: those the API
// asks for, those self-healing starts, and those taken up here after an approval or a retry. They
// go through the same path as `pluginops run` (the run service: find → plan → runLocal: worker
// pool, project scope, masking, store, notifications). `start` answers once the run is recorded
// (status pending), so the caller gets its id at once; everything that can be refused (unknown
// plan, invalid documents, bad parameters, a missing plugin directory) is refused before
// anything is recorded.
//
// The supervisor keeps what it started, so `serve` can wait for them on shutdown (`stop`: a
// grace period, then cancellation); once stopping it refuses new runs (E_STOPPING). It throws run
// errors (RunError, DecisionError, …); the API turns them into HTTP answers.
import { statSync } from 'node:fs';
import { insideRoot } from '../store/paths.ts';
import type { LogLevel } from '../store/types.ts';
import type { DecisionInput } from './approvals/decide.ts';
import { RunError } from './run-error.ts';
import { RunService, type Found, type RunControl, type RunHandle, type RunServiceDeps, type StartRun } from './service.ts';

export interface SupervisorDeps extends Omit<RunServiceDeps, 'log'> {
  /**
   * Finds the plan a request names, or throws (an unknown plan, documents that do not
   * validate). `serve` looks in the API's catalog: ids only, never a file path.
   */
  find: (plan: string) => Promise<Found>;
  log: (line: string, level: LogLevel, fields?: Record<string, unknown>) => void;
}

/** What a caller asks to start: the plan is found by the supervisor (`found` is not taken). */
export type SuperviseRun = Omit<StartRun, 'found'>;

export class RunSupervisor {
  readonly #deps: SupervisorDeps;
  readonly #service: RunService;
  readonly #controllers = new Map<string, AbortController>();
  readonly #runs = new Set<Promise<void>>();
  #stopping = false;

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
    this.#service = new RunService({ ...deps, log: (line, level) => deps.log(line, level) });
  }

  /** Validates, records and starts a run; resolves with its id once it is recorded. */
  async start(req: SuperviseRun): Promise<Pick<RunHandle, 'id' | 'workflow' | 'risk'>> {
    this.#refuseWhileStopping();
    const found = await this.#check(req);
    this.#refuseWhileStopping();
    const handle = await this.#follow((control) => this.#service.start({ ...req, found }, control));
    this.#deps.log(`execution ${handle.id} of ${handle.workflow} started`, 'info', { execution: handle.id, workflow: handle.workflow });
    return { id: handle.id, workflow: handle.workflow, ...(handle.risk ? { risk: handle.risk } : {}) };
  }

  /** Records a decision on a waiting run; an approval that completes it takes the run up here, in the background. */
  async decide(id: string, input: DecisionInput): Promise<Awaited<ReturnType<RunService['decide']>>> {
    this.#refuseWhileStopping();
    let result: Awaited<ReturnType<RunService['decide']>> | undefined;
    await this.#follow(async (control) => {
      result = await this.#service.decide(id, input, control);
      return result.resumed;
    });
    return result!;
  }

  /** Runs the failed steps of a finished run again, in the background. */
  async retry(id: string, by: string): Promise<{ id: string; workflow: string }> {
    this.#refuseWhileStopping();
    const handle = await this.#follow((control) => this.#service.retry(id, by, control));
    return { id: handle.id, workflow: handle.workflow };
  }

  /** Decides the approvals past their deadline; those approved by the timeout run here. */
  async expireDue(): Promise<void> {
    if (this.#stopping) return;
    const controller = new AbortController();
    const handles = await this.#service.expireDue({ signal: controller.signal, onNotice: (message) => this.#deps.log(message, 'warn') });
    for (const h of handles) this.#track(h, controller);
  }

  #refuseWhileStopping(): void {
    if (this.#stopping) throw new RunError('E_STOPPING', 'the server is stopping; it starts no new executions');
  }

  /** Runs `begin` with a fresh control and keeps the run it starts (if any) until it settles. */
  async #follow<T extends RunHandle | undefined>(begin: (control: RunControl) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const handle = await begin({ signal: controller.signal, onNotice: (message) => this.#deps.log(message, 'warn') });
    if (handle) this.#track(handle, controller);
    return handle;
  }

  #track(handle: RunHandle, controller: AbortController): void {
    const { log } = this.#deps;
    this.#controllers.set(handle.id, controller);
    const run = handle.done.then(
      (result) => log(`execution ${handle.id} ${result.status}`, 'info', { execution: handle.id, workflow: handle.workflow, status: result.status }),
      (e: unknown) => log(`execution ${handle.id} failed to run: ${(e as Error).message}`, 'error', { execution: handle.id, workflow: handle.workflow, stack: (e as Error).stack }),
    ).finally(() => {
      this.#controllers.delete(handle.id);
      this.#runs.delete(run);
    });
    this.#runs.add(run);
  }

  /** What is checked before anything is recorded, beyond the run service's own checks; the plan found. */
  async #check(req: SuperviseRun): Promise<Found> {
    const found = await this.#deps.find(req.plan);
    if (req.plugin !== undefined && !isDirectory(insideRoot(this.#deps.cwd, req.plugin))) {
      throw new RunError('E_NO_PLUGIN_DIRECTORY', `no plugin directory \`${req.plugin}\` under the server's working directory`, { field: 'plugin', problem: 'not a directory' });
    }
    return found;
  }

  /** How many runs this process is running. */
  running(): number { return this.#controllers.size; }

  /** Ids of the runs this process is running. */
  runningIds(): string[] { return [...this.#controllers.keys()]; }

  /** Aborts a run this process runs; false when it runs elsewhere (or not at all). */
  cancel(id: string): boolean {
    const c = this.#controllers.get(id);
    c?.abort('cancelled');
    return c !== undefined;
  }

  /** Cancels every run this process runs and waits for them to stop. */
  async cancelAll(): Promise<void> {
    for (const c of this.#controllers.values()) c.abort('cancelled');
    await this.idle();
  }

  /** Refuses new runs, gives running ones `graceMs` (on the clock) to finish, then cancels the rest and waits for them. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    let cancelTimer: (() => void) | undefined;
    const grace = new Promise<void>((ok) => { cancelTimer = this.#deps.clock.setTimer(Math.max(0, graceMs), ok); });
    await Promise.race([this.idle(), grace]);
    cancelTimer?.();
    await this.cancelAll();
  }

  /** Resolves when nothing started here is still running. */
  async idle(): Promise<void> {
    while (this.#runs.size) await Promise.allSettled([...this.#runs]);
  }
}

function isDirectory(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}
