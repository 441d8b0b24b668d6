// What the monitor shows and lets others do, as plain data: the views of checks and alerts, and
// `MonitorView`, the narrow surface the HTTP API and `/metrics` read and call (the `Monitor` is
// one; a test can hand in another).
import type { AlertStateName } from '../alerts/state.ts';
import type { CheckResult } from '../checks/result.ts';
import type { ChangeResult, Incident, IncidentStatus } from '../incidents/incident.ts';
import type { IncidentReport } from '../incidents/manual.ts';
import type { JobStats } from '../schedule/types.ts';
import type { PushedSample, PushResult } from './metrics.ts';
import type { Counters } from './state.ts';

export interface CheckView {
  id: string;
  type: string;
  healthy: boolean;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  last?: CheckResult;
  history: CheckResult[];
  /** Present while the check is paused at run time (its own pause, or all monitoring's). */
  paused?: { by: string; at: string; reason: string; until?: string };
}

export interface AlertView {
  key: string;
  ruleId: string;
  labels: Record<string, string>;
  state: AlertStateName;
  since: number;
  severity?: string;
  message?: string;
  value?: number;
  flapping: boolean;
}

/** What a report by hand did: the incident, and whether it joined one that was already open. */
export interface OpenedIncident {
  incident: Incident;
  joined: boolean;
}

export interface MonitorView {
  /** Every check of the configuration, with its health and recent results. */
  checks(): CheckView[];
  hasCheck(id: string): boolean;
  /** Runs a check once, now, counting toward its thresholds and evaluating the rules that read it. */
  runCheck(id: string): Promise<CheckResult>;
  alerts(): AlertView[];
  incidents(status?: IncidentStatus): Incident[];
  incident(id: string): Incident | undefined;
  acknowledge(incidentId: string, by: string, timeoutMs?: number, note?: string): Promise<ChangeResult | undefined>;
  resolve(incidentId: string, by: string, resolution: string): Promise<ChangeResult | undefined>;
  /** A person reports a problem: opens an incident, or joins the unresolved one with the same dedup key (manual.ts). */
  openIncident(report: IncidentReport, by: string): Promise<OpenedIncident>;
  pushMetrics(samples: readonly PushedSample[]): PushResult;
  /** The scheduler's jobs (checks, rule evaluations, the incident tick) and their statistics. */
  schedule(): JobStats[];
  readonly counters: Readonly<Counters>;
  /** Notifications not yet delivered. */
  readonly pendingNotifications: number;
}
