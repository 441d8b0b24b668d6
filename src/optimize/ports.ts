// The edges optimization needs, passed in: reading a metric's samples from its source, and
// starting, watching and cancelling runbook runs. `serve` implements them over its monitor, its
// query servers and its run supervisor; `optimize analyze` reads a metrics file or Prometheus;
// tests use fakes with the same interfaces.
import type { MetricSourceDoc } from '../documents/schema/optimization.ts';
import type { PlanInfo, RunState } from '../remediation/ports.ts';
import type { Sample } from './analysis/types.ts';
import type { OptimizationItem } from './config.ts';

/** Samples oldest first (a sample older than one already kept is refused by the history). */
export type Read = { ok: true; samples: Sample[] } | { ok: false; error: string };

export interface ReadRequest {
  item: OptimizationItem;
  plugin: string;
  metric: string;
  source: MetricSourceDoc;
  /** Only samples newer than this (ms since the epoch). */
  since: number;
  now: number;
}

export interface MetricReader {
  read(req: ReadRequest): Promise<Read>;
  /** The plugin's error lines (newest first) from a LogQL query, for the errors analyzer. */
  lines?(query: string, plugin: string, since: number, now: number): Promise<{ ok: true; lines: string[] } | { ok: false; error: string }>;
  /** Incidents open for the plugin in the window, for the errors analyzer. */
  incidents?(plugin: string, since: number): Array<{ id: string; title: string; openedAt: number }>;
}

export interface StartApply {
  plan: string;
  data: Record<string, unknown>;
  requestedBy: string;
  trigger: { suggestion: string; optimization: string; plugin: string };
  requireApproval?: boolean;
}

export interface ApplyPort {
  plans(): ReadonlyMap<string, PlanInfo>;
  start(req: StartApply): Promise<{ id: string }>;
  state(id: string): Promise<RunState | undefined>;
  cancel(id: string): Promise<void>;
}
