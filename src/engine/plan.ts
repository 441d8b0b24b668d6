// plan(): a validated Workflow or ActionPlan → the step graph the runner executes. Pure.
import type { ActionPlanDoc, ParameterDoc, RetryDoc, StepDoc, WorkflowDoc } from '../documents/schema/index.ts';
import { compile, stepReferences, type Compiled } from '../expressions/evaluate.ts';
import { parseTemplate, unwrapCondition } from '../expressions/template.ts';
import { prepareScript, type PreparedScript } from '../expressions/script.ts';
import type { StepDefinition, StepRegistry } from './step.ts';
import type { RetryPolicy } from '../retry/policy.ts';
import { PluginopsError } from '../errors/base.ts';
import { optionalDuration, parseDuration } from './duration.ts';

/** A step's `retry:`: the attempts and delays, and which failures retry at all. */
export interface StepRetry extends RetryPolicy {
  on: ReadonlyArray<'failure' | 'timeout'>;
  exitCodes?: readonly number[];
}

export interface PlannedStep {
  id: string;
  name: string;
  /** The step type: `run`, or what `uses:` names. */
  kind: string;
  definition: StepDefinition;
  needs: string[];
  dependents: string[];
  condition?: Compiled;
  /** Steps whose outputs the step's expressions read. */
  reads: string[];
  timeoutMs?: number;
  retry: StepRetry;
  continueOnError: boolean;
  env: Record<string, string | number | boolean>;
  inputs: Record<string, unknown>;
  script?: PreparedScript;
  /** Capabilities of the worker the step runs on; absent: it runs in this process. */
  runsOn?: string[];
}

export interface StepGraph {
  kind: 'Workflow' | 'ActionPlan';
  id: string;
  name: string;
  steps: PlannedStep[];
  byId: Map<string, PlannedStep>;
  timeoutMs?: number;
  maxParallel?: number;
  env: Record<string, string | number | boolean>;
  parameters: Record<string, ParameterDoc>;
  /** An action plan's category. */
  category?: string;
  /** An action plan's concurrency key template (`${{ }}` over params); absent for workflows. */
  concurrency?: string;
  /** An action plan's whole-run retry: runs in all, and the wait between them. */
  runRetry?: RetryPolicy;
  autoRollback: boolean;
  notifications: string[];
}

const noRetry: StepRetry = { attempts: 1, delayMs: 0, maxDelayMs: 0, jitter: 0, on: [] };

/** `limit` extra attempts; `exponential` doubles the delay after each failure, `fixed` keeps it. */
export function retryPolicy(r: RetryDoc | undefined): StepRetry {
  if (!r) return noRetry;
  const delayMs = optionalDuration(r.delay) ?? 1_000;
  return {
    attempts: r.limit + 1, factor: r.backoff === 'exponential' ? 2 : 1, delayMs,
    maxDelayMs: optionalDuration(r.maxDelay) ?? Math.max(delayMs, 5 * 60_000),
    jitter: r.jitter ?? 0.2, on: r.on ?? ['failure', 'timeout'], exitCodes: r.exitCodes,
  };
}

/** A step names a type no registry entry has: the documents were not checked against the same registry. */
export class UnknownStepTypeError extends PluginopsError {
  readonly code = 'E_UNKNOWN_STEP_TYPE';
  readonly kind = 'invalid';
  constructor(readonly step: string, readonly stepType: string) { super(`step \`${step}\` uses \`${stepType}\`, which is not a step type`); }
}

function planStep(step: StepDoc, types: StepRegistry, runsOn: string[] | undefined): PlannedStep {
  const kind = step.run !== undefined ? 'run' : step.uses ?? 'run';
  const definition = types.get(kind);
  if (!definition) throw new UnknownStepTypeError(step.id, kind);
  const script = step.run !== undefined ? prepareScript(step.run) : undefined;
  const inputs = step.run !== undefined
    ? { script: script!.text, ...(step.shell ? { shell: step.shell } : {}), ...(step.workingDirectory ? { workingDirectory: step.workingDirectory } : {}) }
    : { ...(step.with ?? {}) };
  const condition = step.if !== undefined ? compile(unwrapCondition(step.if)) : undefined;
  const compiled = [
    ...(condition ? [condition] : []),
    ...(script?.expressions.map((e) => compile(e.source)) ?? []),
    ...templates(step.with).concat(templates(step.env)).map(compile),
  ];
  return {
    id: step.id, name: step.name ?? step.id, kind, definition,
    needs: [...(step.needs ?? [])], dependents: [], condition,
    reads: [...new Set(compiled.flatMap((c) => stepReferences(c).map((r) => r.step)))],
    timeoutMs: step.timeout ? parseDuration(step.timeout) : undefined,
    retry: retryPolicy(step.retry), continueOnError: step.continueOnError ?? false,
    env: step.env ?? {}, inputs, script,
    // An approval waits for people on the server whatever the workflow says.
    ...(kind !== 'approval' && (step.runsOn ?? runsOn) ? { runsOn: [...(step.runsOn ?? runsOn)!] } : {}),
  };
}

/** The sources of every `${{ }}` in the strings below `value`. */
function templates(value: unknown): string[] {
  if (typeof value === 'string') return parseTemplate(value).flatMap((p) => (p.kind === 'expr' ? [p.source] : []));
  if (Array.isArray(value)) return value.flatMap(templates);
  if (value && typeof value === 'object') return Object.values(value).flatMap(templates);
  return [];
}

/**
 * `autoRollback: true` adds one step after all others: when something failed after the first
 * deploy step put a new release live, it restores the release that was live before. A workflow
 * that already has a plugin/rollback step, or no deploy step, is left as it is.
 */
export function withAutoRollback(steps: readonly StepDoc[]): StepDoc[] {
  const deploy = steps.find((s) => s.uses === 'plugin/deploy');
  if (!deploy || steps.some((s) => s.uses === 'plugin/rollback')) return [...steps];
  let id = 'auto-rollback';
  while (steps.some((s) => s.id === id)) id = `${id}-`;
  const d = `steps['${deploy.id}']`;
  const from = (deploy.with ?? {}) as Record<string, unknown>;
  return [...steps, {
    id, name: 'automatic rollback', uses: 'plugin/rollback', needs: steps.map((s) => s.id),
    if: `failure() && ${d}.outcome == 'success' && ${d}.outputs.changed == 'true' && ${d}.outputs.previousRelease != ''`,
    with: {
      to: `\${{ ${d}.outputs.previousRelease }}`,
      ...(from.target !== undefined ? { target: from.target } : {}),
      ...(from.path !== undefined ? { path: from.path } : {}),
    },
  }];
}

/** The id of the step that asks for a plan's own approval. */
export const planApprovalStep = 'approval';

/**
 * A plan whose `approval.required` is true (or any plan, when `force`) gets one step before all
 * others that waits for the approval, with the plan's parameters as the values an approver may
 * change; once approved they replace the run's parameters, so every step sees them.
 */
export function withPlanApproval(doc: ActionPlanDoc, force: boolean): StepDoc[] {
  const a = doc.spec.approval;
  const steps = doc.spec.steps;
  if (!force && !a?.required) return [...steps];
  let id = planApprovalStep;
  while (steps.some((s) => s.id === id)) id = `${id}-`;
  const gate: StepDoc = {
    id, name: 'approval', uses: 'approval',
    with: {
      title: `Approve ${doc.metadata.name ?? doc.metadata.id}`,
      ...(doc.spec.description ? { message: doc.spec.description } : {}),
      ...(a?.approvers ? { approvers: a.approvers } : {}),
      ...(a?.quorum ? { quorum: a.quorum } : {}),
      ...(a?.timeout ? { timeout: a.timeout } : {}),
      ...(a?.onTimeout ? { onTimeout: a.onTimeout } : {}),
      ...(a?.fourEyes ? { fourEyes: a.fourEyes } : {}),
      ...(a?.channels ? { channels: a.channels } : {}),
      parameters: doc.spec.parameters ?? {},
      current: '${{ params }}',
      modifiesParameters: true,
    },
  };
  return [gate, ...steps.map((s) => (s.needs?.length ? s : { ...s, needs: [id] }))];
}

/** The id of the step a workflow's risk policy puts before its deploy steps. */
export const riskApprovalStep = 'risk-approval';

/**
 * A workflow with `risk.requireApproval` gets one approval step before its deploy steps: it asks
 * only when the run's assessed risk (`risk.level`) is at least that level, and passes at once
 * otherwise, so the graph is the same whatever the risk.
 */
export function withRiskApproval(doc: WorkflowDoc, steps: readonly StepDoc[]): StepDoc[] {
  const policy = doc.spec.risk;
  const deploys = steps.filter((s) => s.uses === 'plugin/deploy');
  if (!policy || deploys.length === 0) return [...steps];
  let id = riskApprovalStep;
  while (steps.some((s) => s.id === id)) id = `${id}-`;
  const needs = [...new Set(deploys.flatMap((d) => d.needs ?? []))];
  const gate: StepDoc = {
    id, name: 'risk approval', uses: 'approval', ...(needs.length ? { needs } : {}),
    with: {
      title: `Deploy ${doc.metadata.name ?? doc.metadata.id} at \${{ risk.level }} risk?`,
      message: 'The run\'s failure risk is ${{ risk.level }} (score ${{ risk.score }}): ${{ risk.summary }}',
      riskAtLeast: policy.requireApproval, risk: '${{ risk.level }}',
      ...(policy.approvers ? { approvers: policy.approvers } : {}),
      ...(policy.timeout ? { timeout: policy.timeout } : {}),
      ...(policy.channels ? { channels: policy.channels } : {}),
    },
  };
  const isDeploy = new Set(deploys.map((d) => d.id));
  return [gate, ...steps.map((s) => (isDeploy.has(s.id) ? { ...s, needs: [...(s.needs ?? []), id] } : s))];
}

export interface PlanOptions {
  /** Ask for approval before an action plan's first step even when the plan does not require it. */
  requireApproval?: boolean;
}

export function plan(doc: WorkflowDoc | ActionPlanDoc, types: StepRegistry, options: PlanOptions = {}): StepGraph {
  const autoRollback = 'autoRollback' in doc.spec ? doc.spec.autoRollback ?? false : false;
  const declared = doc.kind === 'ActionPlan' ? withPlanApproval(doc, options.requireApproval ?? false)
    : withRiskApproval(doc, autoRollback ? withAutoRollback(doc.spec.steps) : doc.spec.steps);
  const steps = declared.map((step) => planStep(step, types, doc.spec.runsOn));
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (const s of steps) for (const n of s.needs) byId.get(n)?.dependents.push(s.id);
  const spec = doc.spec;
  return {
    kind: doc.kind, id: doc.metadata.id, name: doc.metadata.name ?? doc.metadata.id, steps, byId,
    timeoutMs: optionalDuration(spec.timeout), maxParallel: spec.maxParallel, env: spec.env ?? {},
    parameters: spec.parameters ?? {},
    ...(doc.kind === 'ActionPlan' ? {
      ...(doc.spec.category ? { category: doc.spec.category } : {}),
      concurrency: doc.spec.concurrency?.key ?? '',
      ...(doc.spec.retry ? { runRetry: { attempts: doc.spec.retry.attempts, delayMs: optionalDuration(doc.spec.retry.delay) ?? 0 } } : {}),
    } : {}),
    autoRollback,
    notifications: 'notifications' in spec ? spec.notifications ?? [] : [],
  };
}
