// Running a graph on this machine, the way the CLI (and the Action) do: real processes through
// the worker pool, the system clock (unless given), fetch, the project's scope, the approval
// notices (runs/approvals/notify.ts), and the store.
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type { DocumentSet } from '../documents/document-set.ts';
import { systemClock, type Clock } from '../engine/clock.ts';
import { processEdge } from '../engine/process/edge.ts';
import type { RunResult, StepResult } from '../engine/runner.ts';
import { manifestId } from '../plugins/manifest.ts';
import type { Project } from '../project/load.ts';
import { namedSecrets } from '../documents/values/secrets.ts';
import type { RunScope, WorkersEdge } from '../engine/step.ts';
import type { ExecutionRecord } from '../store/types.ts';
import { sendExecutionNotifications } from '../notify/index.ts';
import { approvalsEdge } from './approvals/notify.ts';
import { createExecution, runExecution, type ExecuteOptions } from './execute.ts';
import { projectMask, type Mask } from '../engine/mask.ts';
import { maskedStore } from './masked-store.ts';
import { sealParameters, unsealParameters } from './secret-params.ts';
import { assessBeforeRun } from './risk.ts';
import { riskContext } from '../risk/context.ts';
import type { ChangeSummary, RiskAssessment } from '../store/risk.ts';

/**
 * What runExecution is given as it is (the graph, the parameters, the plugin as given relative to
 * `cwd`, the store, the signal, the listeners, the parallelism), plus what this machine's run
 * adds: the project and its documents, the working directory and environment, the clock.
 */
export interface LocalRun extends Pick<ExecuteOptions, 'graph' | 'params' | 'plugin' | 'store' | 'signal' | 'listeners' | 'maxParallel'> {
  project: Project;
  documents?: DocumentSet;
  cwd: string;
  env: Record<string, string | undefined>;
  /** The system clock unless given. */
  clock?: Clock;
  /** Called with the id (and the risk assessed) once the execution is recorded, before it runs. */
  onCreated?: (id: string, risk?: RiskAssessment) => void;
  /** The change the run delivers (from its base), for the risk assessment. */
  change?: ChangeSummary;
  /** Told about notifications that could not be delivered. */
  onNotice?: (message: string) => void;
  /** More secret values to mask, beyond those the project names. */
  secrets?: readonly string[];
  /** Fields recorded on a new execution (who asked, what triggered it, its concurrency key). */
  record?: Partial<ExecutionRecord>;
  /** Takes up an existing execution instead of creating one: its steps in `prior` are kept. */
  resume?: { id: string; prior: ReadonlyMap<string, StepResult> };
  /** Where steps with `runsOn` go (serve's task board); without it they fail with a clear message. */
  workers?: WorkersEdge;
}

export async function runLocal(o: LocalRun): Promise<{ id: string; result: RunResult; risk?: RiskAssessment }> {
  const clock = o.clock ?? systemClock;
  const pluginPath = o.plugin ? resolve(o.cwd, o.plugin) : undefined;
  const pluginId = pluginPath && !o.resume ? await manifestId(pluginPath, o.cwd) : undefined;
  const mask = projectMask(o.project.config, o.env, o.secrets);
  // Everything the run writes, and what it reads back, is masked.
  const store = maskedStore(o.store, () => mask);
  const seal = (params: Record<string, unknown>) => sealParameters(params, namedSecrets(o.project.config, o.env), mask);
  const resumed = o.resume ? await o.store.get(o.resume.id) : undefined;
  const risk = o.resume ? resumed?.risk : (await assessBeforeRun({ store, graph: o.graph, pluginId, change: o.change, config: o.project.config, now: clock.now() }))?.risk;
  const { id, params } = o.resume
    ? { id: o.resume.id, params: unsealParameters(o.params, resumed?.secretParameters, o.env) }
    : await createExecution({ ...o, store, clock, extra: { ...o.record, ...(pluginId ? { pluginId } : {}), ...(risk ? { risk } : {}) }, seal });
  // Approvers of a self-healing run see the incident it answers.
  const incident = o.record?.trigger?.brief ?? resumed?.trigger?.brief;
  o.onCreated?.(id, risk);
  const maxParallel = o.maxParallel ?? o.project.maxParallel ?? o.graph.maxParallel ?? cpus().length;
  const processes = processEdge(maxParallel, o.env.PATH);
  const scope: RunScope = {
    plugin: pluginPath,
    project: { root: o.project.root, config: o.project.config, healthChecks: new Map([...(o.documents?.HealthCheck.values() ?? [])].map((d) => [d.id, d.doc])) },
  };
  try {
    const result = await runExecution(id, params, {
      ...o, params, store, scope, maxParallel, mask, prior: o.resume?.prior,
      edges: {
        clock, spawn: processes.spawn, fetch: globalThis.fetch, killGraceMs: o.project.killGraceMs,
        approvals: approvalsEdge({ fetch: globalThis.fetch, clock, config: o.project.config, ...(incident ? { incident } : {}) }),
        ...(o.workers ? { workers: o.workers } : {}),
      },
      workspace: o.project.root, baseEnv: definedEnv(o.env),
      contexts: { ...(pluginPath ? { plugin: { path: pluginPath } } : {}), risk: riskContext(risk) },
    });
    if (result.status !== 'waiting') await notify({ ...o, store }, id, mask, clock);
    return { id, result, ...(risk ? { risk } : {}) };
  } finally {
    processes.close();
  }
}

/** The workflow's channels (or the project's default ones) hear how the execution ended. */
async function notify(o: LocalRun, id: string, mask: Mask, clock: Clock): Promise<void> {
  const channels = o.graph.notifications.length ? o.graph.notifications : o.project.config.defaults?.notifications ?? [];
  const record = channels.length ? await o.store.get(id) : undefined;
  if (!record) return;
  const results = await sendExecutionNotifications(record, channels, o.project.config.channels, {
    fetch: globalThis.fetch, clock, env: o.env, locale: o.project.config.locale, publicUrl: o.project.config.server?.publicUrl, mask,
    log: (message, level = 'info') => o.store.log(id, { timestamp: new Date(clock.now()).toISOString(), level, message: `notify: ${message}` }),
  });
  for (const r of results) if (!r.ok) o.onNotice?.(`notification to ${r.channel} failed: ${r.error ?? `status ${r.status}`}`);
  await o.store.flush();
}

export const definedEnv = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
