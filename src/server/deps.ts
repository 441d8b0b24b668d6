// What the API is given by the process that serves it. Every edge is a parameter: the clock, the
// monitor, the store, the run supervisor, the project (a function, since a reload swaps it), the environment (read at
// each request, so a rotated token takes effect without a restart) and a log.
import type { Monitor } from '../monitor/engine/monitor.ts';
import type { Remediator } from '../remediation/remediator.ts';
import type { Project } from '../project/load.ts';
import type { RunSupervisor } from '../runs/supervisor.ts';
import type { ExecutionStore } from '../store/types.ts';
import type { DocumentChecker } from './workflows/offload.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ServeStatus {
  scheduler: 'running' | 'off';
  configLoadedAt: number;
  configError?: string;
  startedAt: number;
}

export interface ApiDeps {
  version: string;
  now: () => number;
  /** The monitoring engine: checks, alerts, incidents, pushMetrics, runCheck, acknowledge, resolve, counters, schedule(). */
  monitor: () => Monitor;
  /** Self-healing: remediation records, feedback, learned patterns, breakers. */
  remediation: () => Remediator;
  store: ExecutionStore;
  /** The runs this process starts, decides, retries and cancels (the same supervisor self-healing uses). */
  runs: RunSupervisor;
  /** The current project (reloads swap it). */
  project: () => Project;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Scheduler running (serve --cron) or not; when the config was loaded; for the status endpoint. */
  status: () => ServeStatus;
  log: (line: string, level: LogLevel, fields?: Record<string, unknown>) => void;
  /** Checks document bodies (a worker thread in `serve`); in the calling thread when absent. */
  documents?: DocumentChecker;
}
