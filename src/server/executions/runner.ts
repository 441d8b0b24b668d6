// Executions started through the API run in this process, in the background, through the same
// path as `pluginops run` (find → plan → runLocal: worker pool, project scope, masking, store,
// notifications). `start` answers once the execution is recorded (status pending), so the caller
// gets its id at once; everything that can be refused (unknown workflow, invalid documents, bad
// parameters, a missing plugin directory) is refused before anything is recorded.
//
// The runner keeps what it started, so `serve` can wait for them on shutdown (`stop`: a grace
// period, then cancellation); once stopping it refuses new executions (503).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidDocumentsError } from '../../documents/diagnostics.ts';
import { resolveParameters } from '../../engine/parameters.ts';
import { plan } from '../../engine/plan.ts';
import { runLocal } from '../../execution/local.ts';
import type { Project } from '../../project/load.ts';
import type { ExecutionStore } from '../../store/types.ts';
import type { LogLevel } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { findEntry, readCatalog } from '../workflows/catalog.ts';

export interface StartRequest {
  workflow: string;
  plugin?: string;
  parameters?: Record<string, unknown>;
}

export interface RunnerDeps {
  store: ExecutionStore;
  project: () => Project;
  env: Record<string, string | undefined>;
  cwd: string;
  log: (line: string, level: LogLevel, fields?: Record<string, unknown>) => void;
}

export class ExecutionRunner {
  readonly #deps: RunnerDeps;
  readonly #controllers = new Map<string, AbortController>();
  readonly #runs = new Set<Promise<void>>();
  #stopping = false;

  constructor(deps: RunnerDeps) { this.#deps = deps; }

  /** Validates, records and starts an execution; resolves with its id once it is recorded. */
  async start(req: StartRequest): Promise<{ id: string; workflow: string }> {
    const refuseWhileStopping = () => { if (this.#stopping) throw new ApiError('unavailable', 'the server is stopping; it starts no new executions'); };
    refuseWhileStopping();
    const { store, env, cwd, log } = this.#deps;
    const { project, entry, graph, params } = await this.#prepare(req);
    refuseWhileStopping();
    const controller = new AbortController();
    let created: ((id: string) => void) | undefined;
    const recorded = new Promise<string>((ok) => { created = ok; });
    let id: string | undefined;
    const run = runLocal({
      graph, params, plugin: req.plugin, project, documents: entry.set, store, cwd, env, signal: controller.signal,
      onCreated: (newId) => { id = newId; this.#controllers.set(newId, controller); created?.(newId); },
      onNotice: (message) => log(message, 'warn', { execution: id }),
    }).then(
      ({ result }) => log(`execution ${id} ${result.status}`, 'info', { execution: id, workflow: graph.id, status: result.status }),
      (e: unknown) => log(`execution ${id ?? `of ${graph.id}`} failed to run: ${(e as Error).message}`, 'error', { execution: id, workflow: graph.id, stack: (e as Error).stack }),
    ).finally(() => {
      if (id !== undefined) this.#controllers.delete(id);
      this.#runs.delete(run);
    });
    this.#runs.add(run);
    // Either the execution is recorded, or the run ended before it was (the store refused it).
    const first = await Promise.race([recorded, run.then(() => undefined)]);
    if (first === undefined) throw new Error(`execution of ${graph.id} could not be recorded`);
    log(`execution ${first} of ${graph.id} started`, 'info', { execution: first, workflow: graph.id });
    return { id: first, workflow: graph.id };
  }

  /** Everything that can refuse a run, checked before anything is recorded. */
  async #prepare(req: StartRequest) {
    const project = this.#deps.project();
    const catalog = await readCatalog(project);
    // Like `pluginops run`: nothing runs while the project's documents do not validate.
    if (catalog.problems.length) throw new InvalidDocumentsError(catalog.problems);
    const entry = findEntry(catalog, req.workflow);
    if (!entry) throw new ApiError('notFound', `no workflow or action plan \`${req.workflow}\`; expected one of: ${[...new Set(catalog.entries.map((e) => e.id))].join(', ') || '(none found)'}`);
    if (req.plugin !== undefined && !isDirectory(resolve(this.#deps.cwd, req.plugin))) {
      throw new ApiError('invalid', `no plugin directory \`${req.plugin}\` under the server's working directory`, [{ path: '/plugin', message: 'not a directory' }]);
    }
    const graph = plan(entry.runnable.doc);
    const params = req.parameters ?? {};
    resolveParameters(graph.parameters, params);
    return { project, entry, graph, params };
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
