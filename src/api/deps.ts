// What the API is given by the process that serves it. Every edge is a parameter: the clock, the
// monitor, the store, the run supervisor, the project (a function, since a reload swaps it), the environment (read at
// each request, so a rotated token takes effect without a restart) and a log.
import type { Registry } from '../engine/step.ts';
import type { Controls } from '../monitor/controls/controls.ts';
import type { CheckHistory } from '../monitor/history/rollups.ts';
import type { MonitorView } from '../monitor/runtime/view.ts';
import type { Remediator } from '../remediation/remediator.ts';
import type { Optimizer } from '../optimize/optimizer.ts';
import type { TaskHub } from '../tasks/hub.ts';
import type { Project } from '../project/load.ts';
import type { RunSupervisor } from '../runs/supervisor.ts';
import type { ExecutionStore } from '../store/types.ts';
import type { Sessions } from './sessions.ts';
import type { DocumentChecker } from './workflows/checker.ts';
import type { StreamSlots } from './stream-slots.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ServeStatus {
  /** `standby`: a replica on PostgreSQL that does not lead; the leader runs the scheduler. */
  scheduler: 'running' | 'standby' | 'off';
  configLoadedAt: number;
  /** On PostgreSQL: this replica and whether it leads. */
  cluster?: { replica: string; role: 'leader' | 'follower' };
  configError?: string;
  startedAt: number;
  /** Scheduled backups, when the project file sets a schedule (ms since the epoch). */
  backups?: { lastSuccessAt?: number; lastVerifyAt?: number; lastVerifyOk?: boolean; failures: number };
}

export interface ApiDeps {
  version: string;
  now: () => number;
  /** The monitoring engine, as far as the API reads and steers it (the `Monitor` in `serve`). */
  monitor: () => MonitorView;
  /** Checks' hourly and daily rollups (uptime, response-time series); without it the API shows neither. */
  history?: CheckHistory;
  /** Self-healing: remediation records, feedback, learned patterns, breakers. */
  remediation: () => Remediator;
  /** Optimization: suggestions, apply, dismiss, history; the optimization routes answer 503 without it. */
  optimizer?: () => Optimizer;
  /** Tasks and workers; their routes answer 503 without them. */
  tasks?: () => TaskHub;
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
  /** The step types and document rules documents are checked against. */
  registry: Registry;
  /** Checks document bodies (a worker thread in `serve`). */
  documents: DocumentChecker;
  /** Run-time controls (pauses, self-healing off, maintenance now); the controls routes answer 503 without them. */
  controls?: () => Controls;
  /** Open live streams, counted in total and per caller (stream-slots.ts). */
  streams: StreamSlots;
  /** Dashboard sessions: a request with the session cookie acts for its token (writes need its CSRF token). */
  sessions?: Sessions;
}
