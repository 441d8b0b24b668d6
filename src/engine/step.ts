// What a step type is: a kind, an input schema for its `with:`, and a handler that sees only a
// narrow context (inputs, env, workspace, signal, log, outputs and the edges it may use).
import type { Static, TSchema } from '@sinclair/typebox';
import type { Clock } from './clock.ts';
import type { LocatedProblem, OutputStream } from './events.ts';
import type { Spawner } from './process/spawn.ts';
import type { DocumentRegistry, StepTypeTable } from '../documents/registry.ts';
import type { HealthCheckDoc, ProjectDoc } from '../documents/schema/index.ts';
import type { ApprovalRecord, LogLevel } from '../store/types.ts';
import { PluginopsError } from '../errors/base.ts';

export interface StepEdges {
  clock: Clock;
  spawn: Spawner;
  fetch: typeof globalThis.fetch;
  /** Time a process tree gets between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** Where a step that pauses the run for people (`uses: approval`) tells them. */
  approvals: ApprovalsEdge;
  /** Where steps with `runsOn` run; absent where no worker can be reached (`pluginops run`). */
  workers?: WorkersEdge;
}

/** A step sent to a worker: what it is, beyond the context its attempt has. */
export interface RemoteStep {
  id: string;
  name: string;
  uses: string;
  runsOn: readonly string[];
  timeoutMs?: number;
  /** What the run sets beyond the environment it inherited: only this is sent. */
  env: Record<string, string>;
  /** The plugin directory of the run, relative to the project root. */
  plugin?: string;
}

/** The workers port: runs one attempt of a step on a worker with the step's capabilities. */
export interface WorkersEdge {
  /**
   * Resolves when the step succeeded there (its outputs set through `ctx`), throws StepFailure
   * when it failed; while it waits for a worker, and while it runs, its log reaches `ctx.log`.
   * Aborting `ctx.signal` stops it on the worker.
   */
  run(step: RemoteStep, ctx: StepContext<unknown>): Promise<void>;
  /**
   * Submits a task (the `task` step type) and, with `wait`, follows it to its end: resolves with
   * how it ended; a task that did not succeed is not an error here (the step decides). Aborting
   * `ctx.signal` cancels a task being waited for.
   */
  submit(task: TaskRequest, ctx: StepContext<unknown>, wait: boolean): Promise<TaskEnd>;
}

/** A task a step asks for: the API's `POST /api/tasks` body. */
export interface TaskRequest {
  type: string;
  workflow?: string;
  priority?: 'low' | 'normal' | 'high' | 'critical';
  data?: Record<string, unknown>;
  capabilities?: string[];
  plugin?: string;
  maxAttempts?: number;
  deadline?: string;
}

/** Where a task stands when the step stops following it. */
export interface TaskEnd {
  id: string;
  state: string;
  execution?: string;
  worker?: string;
  error?: string;
  outputs: Record<string, string>;
}

/** A run that waits for people to decide, as the approval step announces it. */
export interface ApprovalRequest {
  /** The channel names (or groups) to tell; never empty. */
  channels: readonly string[];
  approval: ApprovalRecord;
  executionId: string;
  /** The workflow or action plan that waits. */
  plan: string;
  /** The step's environment: channel URLs and secrets to mask are read from it. */
  env: Readonly<Record<string, string>>;
  signal: AbortSignal;
  /** The step's log: a channel that could not be reached is told here. */
  log: (message: string, level?: LogLevel) => void;
}

/** The approvals port: asks people to decide on a waiting run. */
export interface ApprovalsEdge {
  /** Tells the channels that the run waits for them; never throws (the run waits all the same). */
  request(request: ApprovalRequest): Promise<void>;
}

/** What the run is about, for the step types that need more than their inputs. */
export interface RunScope {
  /** The plugin directory given to the run (`--plugin`), absolute. */
  plugin?: string;
  project: {
    root: string;
    config: ProjectDoc;
    healthChecks: ReadonlyMap<string, HealthCheckDoc>;
  };
}

export const emptyScope = (root: string): RunScope => ({
  project: { root, config: { apiVersion: 'pluginops/v1', kind: 'Project' }, healthChecks: new Map() },
});

export interface StepContext<I> {
  readonly executionId: string;
  /** The workflow or action plan being run. */
  readonly workflow: { id: string; name: string };
  readonly stepId: string;
  readonly inputs: I;
  readonly env: Readonly<Record<string, string>>;
  readonly workspace: string;
  readonly signal: AbortSignal;
  readonly attempt: number;
  readonly edges: StepEdges;
  readonly scope: RunScope;
  /** A message of the step; `stream` marks a line its process wrote (stderr is output, not a warning). */
  log(message: string, level?: LogLevel, stream?: OutputStream): void;
  setOutput(name: string, value: string): void;
  /** Records a file the step produced on the execution (a package, a report). */
  addArtifact(artifact: { name: string; path: string; size?: number; sha256?: string }): void;
  /** A directory private to this execution, created on first use and removed when the run ends. */
  scratchDir(): Promise<string>;
}

export interface StepDefinition<S extends TSchema = TSchema> {
  description: string;
  inputs: S;
  handler(ctx: StepContext<Static<S>>): Promise<void>;
}

/**
 * A step type's failure; `exitCode` lets `retry.exitCodes` choose which failures retry, and
 * `problems` are the places in the user's files it found wrong (they reach `step.finished`).
 */
export class StepFailure extends PluginopsError {
  readonly code = 'E_STEP_FAILED';
  readonly kind = 'failed';
  constructor(message: string, readonly exitCode?: number, readonly problems: readonly LocatedProblem[] = []) { super(message); }
}

/** Thrown by a step that pauses the run until people decide; the run ends `waiting` and is taken up again later. */
export class SuspendRun extends PluginopsError {
  readonly code = 'E_WAITING';
  readonly kind = 'waiting';
  constructor(readonly approval: ApprovalRecord) { super('waiting for approval'); }
}

/**
 * The step types by name, handed to plan() by whoever composes the program (the registry in
 * steps/ is only imported by the composition roots). A name no type has gives `undefined`.
 */
export interface StepRegistry extends StepTypeTable {
  get(kind: string): StepDefinition | undefined;
}

/** What the layers below the composition roots are handed: the step types and the document rules. */
export interface Registry extends DocumentRegistry {
  readonly steps: StepRegistry;
}

/** Keeps a definition's handler typed by its own schema. */
export const defineStep = <S extends TSchema>(def: StepDefinition<S>): StepDefinition<S> => def;
