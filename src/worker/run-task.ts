// What a worker does with a task it claimed: a step (`runsOn`) is one attempt of that step type
// here, with the inputs and environment the server resolved; a workflow task is the whole graph
// here, in this worker's directory, with the task's data as parameters. Either way, what happens
// leaves as progress events (log lines, outputs, artifacts, run events), masked with this
// project's secrets, and the attempt ends in an outcome. Nothing from the task becomes shell text:
// a `run` step's script is the document's, and values reach it as environment variables.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runAttempt, type RunShared } from '../engine/attempt.ts';
import type { Clock } from '../engine/clock.ts';
import { maskEvent, projectMask, type Mask } from '../engine/mask.ts';
import { resolveParameters } from '../engine/parameters.ts';
import { plan as planGraph, retryPolicy, type PlannedStep } from '../engine/plan.ts';
import { processEdge } from '../engine/process/edge.ts';
import { runGraph } from '../engine/runner.ts';
import type { Registry, RunScope, StepEdges } from '../engine/step.ts';
import { insideRoot } from '../store/paths.ts';
import type { Project } from '../project/load.ts';
import { findWorkflowIn } from '../project/workflows.ts';
import type { Outcome, ProgressEvent } from '../tasks/hub.ts';
import type { StepWork, Task, WorkflowWork } from '../tasks/model.ts';

export interface TaskRunDeps {
  project: Project;
  registry: Registry;
  env: Record<string, string>;
  clock: Clock;
  fetch: typeof globalThis.fetch;
  /** Where a step's progress goes, in order (batched by the caller). */
  report: (e: ProgressEvent) => void;
  signal: AbortSignal;
  maxParallel: number;
  /** This worker's: steps of a workflow task that need no more run here; others cannot. */
  capabilities: readonly string[];
}

/** Approval steps wait on the server; a worker never asks people. */
const refuseApprovals: StepEdges['approvals'] = { request: async () => undefined };

export async function runTask(task: Task, d: TaskRunDeps): Promise<Outcome> {
  const mask = projectMask(d.project.config, d.env);
  try {
    return task.work.kind === 'step' ? await runStep(task.work, d, mask) : await runWorkflow(task, task.work, d, mask);
  } catch (e) {
    return { status: 'failed', error: mask((e as Error).message) };
  }
}

function scopeOf(d: TaskRunDeps, plugin: string | undefined): RunScope {
  return {
    ...(plugin !== undefined ? { plugin: insideRoot(d.project.root, plugin) } : {}),
    project: { root: d.project.root, config: d.project.config, healthChecks: new Map() },
  };
}

async function runStep(work: StepWork, d: TaskRunDeps, mask: Mask): Promise<Outcome> {
  const definition = d.registry.steps.get(work.step.uses);
  if (!definition) return { status: 'failed', error: `this worker has no step type \`${work.step.uses}\`` };
  const step: PlannedStep = {
    id: work.step.id, name: work.step.name, kind: work.step.uses, definition, needs: [], dependents: [], reads: [],
    ...(work.step.timeoutMs !== undefined ? { timeoutMs: work.step.timeoutMs } : {}),
    retry: retryPolicy(undefined), continueOnError: false, env: {}, inputs: work.step.inputs,
  };
  const processes = processEdge(d.maxParallel, d.env.PATH);
  let scratch: Promise<string> | undefined;
  const run: RunShared = {
    executionId: work.execution, workflow: { id: work.workflow, name: work.workflow }, workspace: d.project.root,
    edges: { clock: d.clock, spawn: processes.spawn, fetch: d.fetch, killGraceMs: d.project.killGraceMs, approvals: refuseApprovals },
    scope: scopeOf(d, work.plugin),
    scratchDir: () => (scratch ??= mkdtemp(join(tmpdir(), `pluginops-${work.execution}-`))),
  };
  const outputs: Record<string, string> = {};
  try {
    const verdict = await runAttempt({
      run, step, attempt: work.step.attempt, inputs: work.step.inputs, env: { ...d.env, ...work.step.env, PLUGINOPS_WORKSPACE: d.project.root },
      executionSignal: d.signal, outputs,
      log: (message, level, stream) => d.report({ kind: 'log', at: d.clock.now(), level, message: mask(message), ...(stream ? { stream } : {}) }),
      artifact: (a) => d.report({ kind: 'artifact', ...a }),
    });
    const masked = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, mask(v)]));
    switch (verdict.kind) {
      case 'success': return { status: 'succeeded', outputs: masked };
      case 'failure': return { status: 'failed', outputs: masked, error: mask(verdict.message), ...(verdict.exitCode !== undefined ? { exitCode: verdict.exitCode } : {}) };
      case 'timeout': return { status: 'failed', error: verdict.message, timedOut: true };
      case 'aborted': return { status: 'cancelled', error: 'cancelled' };
      case 'suspended': return { status: 'failed', error: 'an approval step cannot run on a worker' };
      default: return verdict satisfies never;
    }
  } finally {
    processes.close();
    void scratch?.then((dir) => rm(dir, { recursive: true, force: true })).catch(() => undefined);
  }
}

async function runWorkflow(task: Task, work: WorkflowWork, d: TaskRunDeps, mask: Mask): Promise<Outcome> {
  if (!task.execution) return { status: 'failed', error: 'the server recorded no execution for this task' };
  const { runnable } = await findWorkflowIn(d.project, d.project.root, work.workflow, d.registry);
  const graph = planGraph(runnable.doc, d.registry.steps);
  for (const s of graph.steps) if (s.runsOn?.every((c) => d.capabilities.includes(c))) delete s.runsOn;
  const params = resolveParameters(graph.parameters, task.data);
  const processes = processEdge(d.maxParallel, d.env.PATH);
  try {
    const pluginPath = work.plugin !== undefined ? insideRoot(d.project.root, work.plugin) : undefined;
    const result = await runGraph({
      graph, params, baseEnv: d.env, executionId: task.execution, workspace: d.project.root, signal: d.signal,
      edges: { clock: d.clock, spawn: processes.spawn, fetch: d.fetch, killGraceMs: d.project.killGraceMs, approvals: refuseApprovals },
      scope: scopeOf(d, work.plugin), maxParallel: d.maxParallel,
      ...(pluginPath ? { contexts: { plugin: { path: resolve(pluginPath) } } } : {}),
      emit: (e) => d.report({ kind: 'event', event: maskEvent(e, mask) as unknown as { type: string; at: number } & Record<string, unknown> }),
    });
    const outputs: Record<string, string> = {};
    for (const [id, r] of result.steps) for (const [k, v] of Object.entries(r.outputs)) outputs[`${id}.${k}`] = mask(v);
    if (result.status === 'success') return { status: 'succeeded', outputs };
    if (result.status === 'cancelled') return { status: 'cancelled', error: 'cancelled' };
    const failed = [...result.steps.entries()].filter(([, r]) => r.conclusion === 'failed' || r.conclusion === 'timed_out').map(([id]) => id);
    return { status: 'failed', outputs, error: result.error ?? `the run ended ${result.status}${failed.length ? ` (${failed.join(', ')})` : ''}`, ...(result.status === 'timed_out' ? { timedOut: true } : {}) };
  } finally {
    processes.close();
  }
}
