// One attempt of one step: its own abort signal (execution abort + step timeout), the handler,
// and a verdict. An in-process handler that ignores its signal is abandoned after the grace period.
import { relative, sep } from 'node:path';
import { firstProblem } from '../documents/schema-check.ts';
import type { RunScope, StepContext, StepEdges } from './step.ts';
import { StepFailure, SuspendRun } from './step.ts';
import type { ApprovalRecord, LogLevel } from '../store/types.ts';
import type { Clock } from './clock.ts';
import type { LocatedProblem, OutputStream } from './events.ts';
import type { PlannedStep } from './plan.ts';

export type Verdict =
  | { kind: 'success' }
  | { kind: 'failure'; message: string; exitCode?: number; problems?: LocatedProblem[] }
  | { kind: 'timeout'; message: string }
  | { kind: 'aborted'; message: string }
  | { kind: 'suspended'; approval: ApprovalRecord };

/** What every attempt of one run shares: the runner builds it once and hands it to each attempt. */
export interface RunShared {
  executionId: string;
  workflow: { id: string; name: string };
  workspace: string;
  edges: StepEdges;
  scope: RunScope;
  scratchDir: () => Promise<string>;
  /** The environment the run's steps inherit; a step sent to a worker carries only what differs. */
  baseEnv?: Readonly<Record<string, string>>;
}

/**
 * One attempt: what the run shares (one object for the whole run, handed on as it is) plus the
 * step, its resolved inputs and env, and where its results go.
 */
export interface AttemptInput {
  run: RunShared;
  step: PlannedStep;
  attempt: number;
  inputs: Record<string, unknown>;
  env: Record<string, string>;
  /** The execution's signal; undefined for steps that run after a cancel (cleanup steps). */
  executionSignal?: AbortSignal;
  log: (message: string, level: LogLevel, stream?: OutputStream) => void;
  artifact: StepContext<unknown>['addArtifact'];
  outputs: Record<string, string>;
}

export async function runAttempt(a: AttemptInput): Promise<Verdict> {
  const controller = new AbortController();
  let timedOut = false;
  const onExecutionAbort = () => controller.abort(a.executionSignal?.reason);
  a.executionSignal?.addEventListener('abort', onExecutionAbort, { once: true });
  const cancelTimer = a.step.timeoutMs === undefined ? undefined
    : a.run.edges.clock.setTimer(a.step.timeoutMs, () => { timedOut = true; controller.abort('timeout'); });

  const invalid = firstProblem(a.step.definition.inputs, a.inputs, 'with');
  const ctx: StepContext<unknown> = {
    executionId: a.run.executionId, workflow: a.run.workflow, stepId: a.step.id, inputs: a.inputs, env: a.env, workspace: a.run.workspace,
    signal: controller.signal, attempt: a.attempt, edges: a.run.edges,
    log: (message, level = 'info', stream) => a.log(message, level, stream),
    setOutput: (name, value) => { a.outputs[name] = value; },
    addArtifact: a.artifact,
    scratchDir: a.run.scratchDir,
    scope: a.run.scope,
  };
  try {
    if (invalid) return { kind: 'failure', message: `${invalid} (after expressions were filled in)` };
    const work = a.step.runsOn ? runRemote(a, ctx, a.step.runsOn) : a.step.definition.handler(ctx);
    await abandonAfterGrace(work, controller.signal, a.run.edges.clock, a.run.edges.killGraceMs);
    if (timedOut) return timeoutVerdict(a.step);
    if (controller.signal.aborted) return { kind: 'aborted', message: 'cancelled' };
    return { kind: 'success' };
  } catch (e) {
    if (timedOut) return timeoutVerdict(a.step);
    if (controller.signal.aborted) return { kind: 'aborted', message: 'cancelled' };
    if (e instanceof StepFailure) return { kind: 'failure', message: e.message, exitCode: e.exitCode, ...(e.problems.length ? { problems: [...e.problems] } : {}) };
    if (e instanceof SuspendRun) return { kind: 'suspended', approval: e.approval };
    return { kind: 'failure', message: e instanceof Error ? e.message : String(e) };
  } finally {
    cancelTimer?.();
    a.executionSignal?.removeEventListener('abort', onExecutionAbort);
  }
}

/** A step with `runsOn`: sent to a worker through the workers edge, with what its env adds to the inherited one. */
function runRemote(a: AttemptInput, ctx: StepContext<unknown>, runsOn: readonly string[]): Promise<void> {
  const workers = a.run.edges.workers;
  if (!workers) {
    return Promise.reject(new StepFailure(`step \`${a.step.id}\` runs on a worker with ${runsOn.join(', ')} (runsOn), and this run has no workers to send it to: start it through \`pluginops serve\` (the API or the dashboard) with a worker connected`));
  }
  const base = a.run.baseEnv ?? {};
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.env)) if (base[k] !== v) env[k] = v;
  const root = a.run.scope.project.root;
  const plugin = a.run.scope.plugin ? relative(root, a.run.scope.plugin) : undefined;
  return workers.run({
    id: a.step.id, name: a.step.name, uses: a.step.kind, runsOn, env,
    ...(a.step.timeoutMs !== undefined ? { timeoutMs: a.step.timeoutMs } : {}),
    ...(plugin !== undefined ? { plugin: plugin.split(sep).join('/') || '.' } : {}),
  }, ctx);
}

const timeoutVerdict = (step: PlannedStep): Verdict => ({ kind: 'timeout', message: `timed out after ${step.timeoutMs}ms` });

/** Settles with `work`, or gives up on it once `signal` has been aborted for longer than the grace period. */
function abandonAfterGrace<T>(work: Promise<T>, signal: AbortSignal, clock: Clock, graceMs: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let cancel: (() => void) | undefined;
    const onAbort = () => { cancel = clock.setTimer(graceMs + 500, () => resolve(undefined)); };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => { cancel?.(); signal.removeEventListener('abort', onAbort); });
  });
}
