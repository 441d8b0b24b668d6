// The history factors of a run, read from the executions that finished before it was created:
// the workflow's recent failures, its steps' and the plugin's, retries that hid a failure, and
// how long since the last success. `historyIndex` sweeps the records once in time order, so the
// factors of every past run (for the calibration) cost the same as those of the next one.
import type { ExecutionRecord, StepRecord } from '../store/types.ts';

/** What the factors read of an execution. */
export type HistoryRecord = Pick<ExecutionRecord, 'id' | 'workflow' | 'kind' | 'pluginId' | 'status' | 'createdAt' | 'endedAt' | 'steps' | 'risk'>;

/** An outcome the factors count: success, or a failure (failed, timed out). Cancelled and interrupted runs say nothing. */
export type Outcome = 'success' | 'failure';

export function outcomeOf(status: ExecutionRecord['status']): Outcome | undefined {
  return status === 'success' ? 'success' : status === 'failed' || status === 'timed_out' ? 'failure' : undefined;
}

const failedStep = (s: StepRecord) => (s.conclusion ?? s.status) === 'failed' || s.status === 'timed_out';
const ranStep = (s: StepRecord) => s.attempts > 0 && s.status !== 'skipped' && s.status !== 'pending';

export interface HistoryFigures {
  /** Finished (success or failure) runs of the workflow before the time asked. */
  finished: number;
  /** Among the last `window` of them. */
  recent: number;
  failures: number;
  /** The step that failed most often among the recent runs that ran it. */
  worstStep?: { id: string; failed: number; ran: number };
  plugin?: { recent: number; failures: number };
  /** Recent runs in which a step succeeded only after a retry, and those steps. */
  flaky: { runs: number; steps: string[] };
  /** ms since the last success (of this plugin's runs of the workflow, when there is a plugin); undefined without one. */
  sinceSuccessMs?: number;
}

/** A finished run as the factors read it, summed up once when it is taken in. */
interface Seen { steps: HistoryRecord['steps']; failed: boolean; retried: readonly string[] }

interface Lane { records: Seen[]; lastSuccess?: number }

const noSteps: readonly string[] = [];

function seen(r: HistoryRecord): Seen {
  let retried: string[] | undefined;
  for (const s of Object.values(r.steps)) if (s.attempts > 1 && s.status === 'success') (retried ??= []).push(s.id);
  return { steps: r.steps, failed: r.status !== 'success', retried: retried ?? noSteps };
}

/** Recent finished runs per workflow and per plugin, as of a moment; `advance` moves the moment forward. */
export class HistoryIndex {
  readonly #finished: Array<{ r: HistoryRecord; ended: number }>;
  #next = 0;
  readonly #byWorkflow = new Map<string, Lane>();
  readonly #byPlugin = new Map<string, Lane>();
  readonly #byPair = new Map<string, Lane>();
  readonly #counts = new Map<string, number>();

  constructor(records: readonly HistoryRecord[], readonly window: number) {
    this.#finished = records
      .filter((r) => outcomeOf(r.status) !== undefined && r.endedAt !== undefined && r.kind !== 'ActionPlan')
      .map((r) => ({ r, ended: Date.parse(r.endedAt!) }))
      .sort((a, b) => a.ended - b.ended);
  }

  /** Takes in every run that finished at or before `at` (ms); times only move forward. */
  advance(at: number): void {
    while (this.#next < this.#finished.length && this.#finished[this.#next]!.ended <= at) {
      const { r, ended } = this.#finished[this.#next++]!;
      const s = seen(r);
      this.#push(this.#byWorkflow, r.workflow, s, ended);
      if (r.pluginId) {
        this.#push(this.#byPlugin, r.pluginId, s, ended);
        this.#push(this.#byPair, `${r.workflow}\0${r.pluginId}`, s, ended);
      }
      this.#counts.set(r.workflow, (this.#counts.get(r.workflow) ?? 0) + 1);
    }
  }

  #push(lanes: Map<string, Lane>, key: string, s: Seen, ended: number): void {
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, lane = { records: [] });
    lane.records.push(s);
    if (lane.records.length > this.window) lane.records.shift();
    if (!s.failed) lane.lastSuccess = ended;
  }

  /** The figures of a run of `workflow` (with `steps`, on `pluginId`) created at `at`, after `advance(at)`. */
  figures(workflow: string, steps: readonly string[], pluginId: string | undefined, at: number): HistoryFigures {
    const lane = this.#byWorkflow.get(workflow);
    const recent = lane?.records ?? [];
    let failures = 0;
    for (const r of recent) if (r.failed) failures++;
    let worstStep: HistoryFigures['worstStep'];
    for (const id of steps) {
      let ran = 0, failed = 0;
      for (const r of recent) {
        const s = r.steps[id];
        if (!s || !ranStep(s)) continue;
        ran++;
        if (failedStep(s)) failed++;
      }
      if (ran > 0 && (!worstStep || failed / ran > worstStep.failed / worstStep.ran)) worstStep = { id, failed, ran };
    }
    const flakySteps = new Set<string>();
    let flakyRuns = 0;
    for (const r of recent) {
      if (r.retried.length) { flakyRuns++; for (const id of r.retried) flakySteps.add(id); }
    }
    const pluginLane = pluginId ? this.#byPlugin.get(pluginId) : undefined;
    const pair = pluginId ? this.#byPair.get(`${workflow}\0${pluginId}`) : undefined;
    const lastSuccess = pair?.lastSuccess ?? lane?.lastSuccess;
    return {
      finished: this.#counts.get(workflow) ?? 0,
      recent: recent.length, failures,
      ...(worstStep ? { worstStep } : {}),
      ...(pluginId ? { plugin: { recent: pluginLane?.records.length ?? 0, failures: pluginLane?.records.filter((r) => r.failed).length ?? 0 } } : {}),
      flaky: { runs: flakyRuns, steps: [...flakySteps].sort() },
      ...(lastSuccess !== undefined ? { sinceSuccessMs: Math.max(0, at - lastSuccess) } : {}),
    };
  }
}
