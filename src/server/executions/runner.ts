// Executions started through the API run in this process, in the background, through the same
// path as `pluginops run` (the run service: find → plan → runLocal: worker pool, project scope,
// masking, store, notifications); so do runs taken up here after an approval or a retry.
// `start` answers once the execution is recorded (status pending), so the caller gets its id at
// once; everything that can be refused (unknown workflow, invalid documents, bad
// parameters, a missing plugin directory) is refused before anything is recorded.
//
// The runner keeps what it started, so `serve` can wait for them on shutdown (`stop`: a grace
// period, then cancellation); once stopping it refuses new executions (503).
import type { Registry } from '../../engine/step.ts';
import { statSync } from 'node:fs';
import { InvalidDocumentsError } from '../../documents/diagnostics.ts';
import type { Project } from '../../project/load.ts';
import type { DecisionInput } from '../../runs/approvals/decide.ts';
import { RunService, type RunControl, type RunHandle } from '../../runs/service.ts';
import { insideRoot } from '../../store/paths.ts';
import type { ExecutionRecord, ExecutionStore } from '../../store/types.ts';
import type { LogLevel } from '../../api/deps.ts';
import { ApiError } from '../../api/errors.ts';
import { findEntry, readCatalog, type CatalogEntry } from '../../api/workflows/catalog.ts';

export interface StartRequest {
  workflow: string;
  plugin?: string;
  parameters?: Record<string, unknown>;
  requestedBy?: string;
  trigger?: ExecutionRecord['trigger'];
  requireApproval?: boolean;
}

export interface RunnerDeps {
  store: ExecutionStore;
  project: () => Project;
  registry: Registry;
  env: Record<string, string | undefined>;
  cwd: string;
  log: (line: string, level: LogLevel, fields?: Record<string, unknown>) => void;
}

export class ExecutionRunner {
  readonly #deps: RunnerDeps;
  readonly #service: RunService;
  readonly #controllers = new Map<string, AbortController>();
  readonly #runs = new Set<Promise<void>>();
  #stopping = false;

  constructor(deps: RunnerDeps) {
    this.#deps = deps;
    this.#service = new RunService({ store: deps.store, project: deps.project, registry: deps.registry, cwd: deps.cwd, env: deps.env, log: (line, level) => deps.log(line, level) });
  }

  /** Validates, records and starts an execution; resolves with its id once it is recorded. */
  async start(req: StartRequest): Promise<{ id: string; workflow: string }> {
    this.#refuseWhileStopping();
    const entry = await this.#check(req);
    this.#refuseWhileStopping();
    const handle = await this.#follow((control) => this.#service.start({
      plan: req.workflow, data: req.parameters ?? {}, plugin: req.plugin, found: entry,
      ...(req.requestedBy ? { requestedBy: req.requestedBy } : {}), ...(req.trigger ? { trigger: req.trigger } : {}),
      ...(req.requireApproval ? { requireApproval: true } : {}),
    }, control));
    this.#deps.log(`execution ${handle.id} of ${handle.workflow} started`, 'info', { execution: handle.id, workflow: handle.workflow });
    return { id: handle.id, workflow: handle.workflow };
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
    if (this.#stopping) throw new ApiError('unavailable', 'the server is stopping; it starts no new executions');
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

  /** What the API checks before anything is recorded, beyond the run service's own checks; the plan it found. */
  async #check(req: StartRequest): Promise<CatalogEntry> {
    const project = this.#deps.project();
    const catalog = await readCatalog(project, this.#deps.registry);
    // Like `pluginops run`: nothing runs while the project's documents do not validate.
    if (catalog.problems.length) throw new InvalidDocumentsError(catalog.problems);
    const entry = findEntry(catalog, req.workflow);
    if (!entry) throw new ApiError('notFound', `no workflow or action plan \`${req.workflow}\`; expected one of: ${[...new Set(catalog.entries.map((e) => e.id))].join(', ') || '(none found)'}`);
    if (req.plugin !== undefined && !isDirectory(insideRoot(this.#deps.cwd, req.plugin))) {
      throw new ApiError('invalid', `no plugin directory \`${req.plugin}\` under the server's working directory`, [{ path: '/plugin', message: 'not a directory' }]);
    }
    return entry;
  }

  /** How many executions this process is running. */
  running(): number { return this.#controllers.size; }

  /** Ids of the executions this process is running. */
  runningIds(): string[] { return [...this.#controllers.keys()]; }

  /** Aborts an execution this process runs; false when it runs elsewhere (or not at all). */
  cancel(id: string): boolean {
    const c = this.#controllers.get(id);
    c?.abort('cancelled');
    return c !== undefined;
  }

  /** Cancels every execution this process runs and waits for them to stop. */
  async cancelAll(): Promise<void> {
    for (const c of this.#controllers.values()) c.abort('cancelled');
    await this.idle();
  }

  /** Refuses new executions, gives running ones `graceMs` to finish, then cancels the rest and waits for them. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((ok) => { timer = setTimeout(ok, Math.max(0, graceMs)); });
    await Promise.race([this.idle(), grace]);
    clearTimeout(timer);
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
