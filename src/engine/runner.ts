// The runner: executes a step graph. Steps start as soon as everything they need has finished,
// up to `maxParallel` at once; `if:`, retries, timeouts, continue-on-error and cancellation are
// applied here. Everything observable leaves as typed events.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateCondition, type ExpressionContext, type StatusFunctions } from '../expressions/evaluate.ts';
import { nextRetry } from '../retry/policy.ts';
import { emptyScope } from './step.ts';
import type { ExecutionStatus, StepStatus } from '../store/types.ts';
import { sleep } from './clock.ts';
import { runAttempt, type RunShared, type Verdict } from './attempt.ts';
import type { Emit } from './events.ts';
import type { PlannedStep, StepGraph } from './plan.ts';
import { shouldRetry } from './retry.ts';
import { asText, resolveEnv, resolveValues } from './values.ts';

/**
 * What a run is given: what every attempt of it shares (its execution id, workspace, edges and
 * scope, handed to each attempt as they are; the scope defaults to no plugin and an empty
 * project) plus what the runner itself needs.
 */
export interface RunOptions extends Pick<RunShared, 'executionId' | 'workspace' | 'edges'>, Partial<Pick<RunShared, 'scope'>> {
  graph: StepGraph;
  params: Record<string, unknown>;
  /** The environment steps inherit (usually the process environment). */
  baseEnv: Record<string, string>;
  emit: Emit;
  /** Aborting it cancels the run. */
  signal?: AbortSignal;
  maxParallel?: number;
  random?: () => number;
  /** Extra expression contexts (plugin, alert, …). */
  contexts?: ExpressionContext;
  /**
   * Steps that succeeded in an earlier run of this execution: they are not run again, their
   * outputs are kept, and what needs them starts at once (resuming after an approval, retrying
   * the failed steps of a run).
   */
  prior?: ReadonlyMap<string, StepResult>;
}

export interface StepResult {
  status: StepStatus;
  conclusion: StepStatus;
  outputs: Record<string, string>;
  attempts: number;
}

export interface RunResult {
  status: ExecutionStatus;
  steps: Map<string, StepResult>;
  error?: string;
}

const failedish = (s: StepStatus) => s === 'failed' || s === 'timed_out' || s === 'cancelled';

export function runGraph(o: RunOptions): Promise<RunResult> {
  const { graph, edges, emit, executionId } = o;
  const clock = edges.clock;
  const started = clock.now();
  const limit = Math.max(1, o.maxParallel ?? graph.maxParallel ?? cpus().length);
  const random = o.random ?? Math.random;
  const results = new Map<string, StepResult>();
  const waitingOn = new Map(graph.steps.map((s) => [s.id, s.needs.length]));
  // Whether every step upstream succeeded / any failed, propagated along needs (no ancestor sets).
  const upstreamOk = new Map<string, boolean>();
  const upstreamFailed = new Map<string, boolean>();
  const ready: PlannedStep[] = graph.steps.filter((s) => s.needs.length === 0);
  const waiting: string[] = [];
  let readyAt = 0, running = 0, done = false;
  let stop: 'cancelled' | 'timed_out' | undefined;
  const abort = new AbortController();

  const onCancel = () => { stop ??= 'cancelled'; abort.abort('cancelled'); };
  if (o.signal?.aborted) onCancel(); else o.signal?.addEventListener('abort', onCancel, { once: true });
  const cancelTimeout = graph.timeoutMs === undefined ? undefined
    : clock.setTimer(graph.timeoutMs, () => { stop ??= 'timed_out'; abort.abort('timed_out'); });

  const workflowEnv = resolveEnv(graph.env, { params: o.params, ...o.contexts });
  const inheritedEnv = { ...o.baseEnv, ...workflowEnv };
  const scope = o.scope ?? emptyScope(o.workspace);
  let scratch: Promise<string> | undefined;
  const scratchDir = () => (scratch ??= mkdtemp(join(tmpdir(), `pluginops-${executionId}-`)));
  const shared: RunShared = { executionId, workflow: { id: graph.id, name: graph.name }, workspace: o.workspace, edges, scope, scratchDir, baseEnv: o.baseEnv };
  const baseContext: ExpressionContext = {
    ...o.contexts, params: o.params, env: workflowEnv,
    execution: { id: executionId }, workflow: { id: graph.id, name: graph.name },
  };

  const contextFor = (step: PlannedStep): ExpressionContext => {
    if (step.reads.length === 0) return baseContext;
    const steps: Record<string, unknown> = {};
    for (const id of step.reads) {
      const r = results.get(id);
      if (r) steps[id] = { outputs: r.outputs, outcome: outcomeName(r.status), conclusion: outcomeName(r.conclusion) };
    }
    return { ...baseContext, steps };
  };

  emit({ type: 'execution.started', executionId, at: started, workflow: graph.id, steps: graph.steps.map((s) => ({ id: s.id, name: s.name, needs: s.needs })) });

  return new Promise<RunResult>((resolve) => {
    const finish = () => {
      cancelTimeout?.();
      void scratch?.then((dir) => rm(dir, { recursive: true, force: true })).catch(() => undefined);
      o.signal?.removeEventListener('abort', onCancel);
      const anyFailed = [...results.values()].some((r) => failedish(r.conclusion));
      const status: ExecutionStatus = stop ?? (anyFailed ? 'failed' : waiting.length ? 'waiting' : 'success');
      // A run that fails or stops while a branch waits for approval ends; nobody is asked any more.
      if (status !== 'waiting') {
        for (const id of waiting) emit({ type: 'step.finished', executionId, at: clock.now(), step: id, status: 'cancelled', conclusion: 'cancelled', attempts: 1, durationMs: 0, outputs: {}, error: `the run ended ${status} while this step waited for approval` });
      }
      const error = stop === 'timed_out' ? `the workflow timed out after ${graph.timeoutMs}ms` : stop === 'cancelled' ? 'cancelled' : undefined;
      emit({ type: 'execution.finished', executionId, at: clock.now(), status, durationMs: clock.now() - started, ...(error ? { error } : {}) });
      resolve({ status, steps: results, error });
    };

    const settle = (step: PlannedStep, result: StepResult) => {
      results.set(step.id, result);
      for (const id of step.dependents) {
        const left = waitingOn.get(id)! - 1;
        waitingOn.set(id, left);
        if (left === 0) ready.push(graph.byId.get(id)!);
      }
    };

    const statusFor = (step: PlannedStep): StatusFunctions => {
      let ok = true, failed = false;
      for (const n of step.needs) {
        const r = results.get(n)!;
        ok &&= r.conclusion === 'success' && upstreamOk.get(n) === true;
        failed ||= failedish(r.conclusion) || upstreamFailed.get(n) === true;
      }
      upstreamOk.set(step.id, ok);
      upstreamFailed.set(step.id, failed);
      return { success: () => ok && !stop, failure: () => failed, always: () => true, cancelled: () => stop !== undefined };
    };

    const pump = () => {
      while (running < limit && readyAt < ready.length) {
        const step = ready[readyAt++]!;
        const status = statusFor(step);
        const kept = o.prior?.get(step.id);
        if (kept && kept.conclusion === 'success') {
          emit({ type: 'step.kept', executionId, at: clock.now(), step: step.id, outputs: kept.outputs });
          settle(step, kept);
          continue;
        }
        let go: boolean;
        try {
          go = step.condition ? evaluateCondition(step.condition, contextFor(step), status) : status.success();
        } catch (e) {
          const message = `\`if\` could not be evaluated: ${(e as Error).message}`;
          emit({ type: 'step.finished', executionId, at: clock.now(), step: step.id, status: 'failed', conclusion: 'failed', attempts: 0, durationMs: 0, outputs: {}, error: message });
          settle(step, { status: 'failed', conclusion: 'failed', outputs: {}, attempts: 0 });
          continue;
        }
        if (!go) {
          const skipped = stop ? 'cancelled' : 'skipped';
          const reason = stop ? `the run was ${stop === 'cancelled' ? 'cancelled' : 'timed out'}` : step.condition ? 'its condition was false' : 'a step it needs did not succeed';
          emit({ type: 'step.skipped', executionId, at: clock.now(), step: step.id, status: skipped, reason });
          settle(step, { status: skipped, conclusion: skipped, outputs: {}, attempts: 0 });
          continue;
        }
        running++;
        void execute(step).then((result) => {
          running--;
          if (result) settle(step, result);
          else waiting.push(step.id);
          pump();
        });
      }
      // With an acyclic graph, nothing running and nothing ready means every step has settled.
      if (running === 0 && readyAt === ready.length && !done) { done = true; finish(); }
    };

    /** The step's result; undefined when it paused the run (its dependents wait with it). */
    const execute = async (step: PlannedStep): Promise<StepResult | undefined> => {
      const executionSignal = stop ? undefined : abort.signal;
      const stepStarted = clock.now();
      const outputs: Record<string, string> = {};
      let attempt = 0;
      let verdict: Verdict;
      for (;;) {
        attempt++;
        for (const k of Object.keys(outputs)) delete outputs[k]; // outputs are the last attempt's
        emit({ type: 'step.started', executionId, at: clock.now(), step: step.id, attempt });
        verdict = await prepareAndRun(step, attempt, outputs, executionSignal);
        if (verdict.kind === 'suspended') {
          emit({ type: 'step.waiting', executionId, at: clock.now(), step: step.id, approval: verdict.approval });
          return undefined;
        }
        if (verdict.kind === 'success' || verdict.kind === 'aborted') break;
        const exitCode = verdict.kind === 'failure' ? verdict.exitCode : undefined;
        if (executionSignal?.aborted || !shouldRetry(step.retry, verdict.kind, exitCode)) break;
        const next = nextRetry(step.retry, attempt, { random });
        if (!next.retry) break;
        const { delayMs } = next;
        emit({ type: 'step.retrying', executionId, at: clock.now(), step: step.id, attempt, delayMs, reason: verdict.message });
        try { await sleep(clock, delayMs, executionSignal); } catch { verdict = { kind: 'aborted', message: 'cancelled' }; break; }
      }
      const status: StepStatus = verdict.kind === 'success' ? 'success' : verdict.kind === 'timeout' ? 'timed_out'
        : verdict.kind === 'aborted' ? (stop === 'timed_out' ? 'timed_out' : 'cancelled') : 'failed';
      const conclusion: StepStatus = step.continueOnError && (status === 'failed' || status === 'timed_out') ? 'success' : status;
      const error = verdict.kind === 'success' ? undefined : verdict.kind === 'aborted' && stop === 'timed_out' ? 'the workflow timed out' : verdict.message;
      const problems = verdict.kind === 'failure' ? verdict.problems : undefined;
      emit({ type: 'step.finished', executionId, at: clock.now(), step: step.id, status, conclusion, attempts: attempt, durationMs: clock.now() - stepStarted, outputs, ...(error ? { error } : {}), ...(problems ? { problems } : {}) });
      return { status, conclusion, outputs, attempts: attempt };
    };

    const prepareAndRun = async (step: PlannedStep, attempt: number, outputs: Record<string, string>, executionSignal?: AbortSignal): Promise<Verdict> => {
      let inputs: Record<string, unknown>, env: Record<string, string>;
      try {
        const ctx = contextFor(step);
        inputs = step.kind === 'run' ? step.inputs : resolveValues(step.inputs, ctx) as Record<string, unknown>;
        env = { ...inheritedEnv, ...resolveEnv(step.env, ctx), PLUGINOPS_EXECUTION_ID: executionId, PLUGINOPS_STEP_ID: step.id, PLUGINOPS_WORKSPACE: o.workspace };
        for (const e of step.script?.expressions ?? []) env[e.name] = asText(resolveValues(`\${{ ${e.source} }}`, ctx));
      } catch (e) {
        return { kind: 'failure', message: `an expression could not be evaluated: ${(e as Error).message}` };
      }
      return runAttempt({
        run: shared, step, attempt, inputs, env, executionSignal, outputs,
        log: (message, level, stream) => emit({ type: 'step.log', executionId, at: clock.now(), step: step.id, level, message, ...(stream ? { stream } : {}) }),
        artifact: (a) => emit({ type: 'step.artifact', executionId, at: clock.now(), step: step.id, ...a }),
      });
    };

    pump();
  });
}

const outcomeName = (s: StepStatus) => (s === 'timed_out' ? 'failure' : s === 'failed' ? 'failure' : s);
