// What one plugin's run amounted to, gathered from its events: the steps, the problems they found
// in the user's files, the findings, the deploy and any rollback. Summaries, annotations, outputs
// and comments all read this. Every path in it is relative to the checkout (see paths.ts).
import { resolve } from 'node:path';
import { dispatch, ignore, type EventHandlers, type LocatedProblem, type RunEvent } from '../engine/events.ts';
import type { StepGraph } from '../engine/plan.ts';
import type { ExecutionStatus, StepStatus } from '../store/types.ts';
import type { RiskAssessment } from '../store/risk.ts';
import { inCheckout, type Places } from './paths.ts';

export interface Finding { ruleId: string; severity: 'low' | 'medium' | 'high' | 'critical'; file: string; line: number; col: number; message: string }

/** A problem a step found (a syntax error, a missing file, a failing test), and the step that found it. */
export interface Problem extends LocatedProblem { step: string }

export interface StepRow { id: string; kind: string; status: StepStatus; durationMs?: number; attempts: number; error?: string; outputs: Record<string, string> }

export interface PluginReport {
  workflow: string;
  plugin?: string;
  executionId: string;
  status: ExecutionStatus | 'planned';
  durationMs?: number;
  steps: StepRow[];
  /** Problems the steps found, with paths relative to the checkout (absolute when outside it). */
  problems: Problem[];
  /** Security findings, with paths relative to the checkout (absolute when outside it). */
  findings: Finding[];
  deploy?: { target: string; version: string; release?: string; previous?: string; changed: boolean };
  rollback?: { status: StepStatus; to?: string; version?: string };
  /** The failure risk assessed before the run. */
  risk?: RiskAssessment;
}

export function collector(graph: StepGraph, plugin: string | undefined, places: Places) {
  const steps = new Map<string, StepRow>(graph.steps.map((s) => [s.id, { id: s.id, kind: s.kind, status: 'pending', attempts: 0, outputs: {} }]));
  const report: PluginReport = { workflow: graph.id, plugin, executionId: '', status: 'pending', steps: [], problems: [], findings: [] };
  const place = (from: string, file: string) => inCheckout(places.workspace, from, file) ?? resolve(from, file);
  const handlers = {
    'step.started': (e) => { const row = steps.get(e.step); if (row) { row.status = 'running'; row.attempts = e.attempt; } },
    'step.finished': (e) => {
      const row = steps.get(e.step);
      if (!row) return;
      Object.assign(row, { status: e.status, durationMs: e.durationMs, attempts: e.attempts, outputs: e.outputs, error: e.error });
      report.problems.push(...(e.problems ?? []).map((p) => ({ ...p, file: place(places.runRoot, p.file), step: e.step })));
      if (row.kind === 'plugin/security-scan') report.findings.push(...findingsOf(e.outputs.report).map((f) => ({ ...f, file: place(places.plugin ?? places.runRoot, f.file) })));
      if (row.kind === 'plugin/deploy' && e.status === 'success') {
        report.deploy = { target: e.outputs.target ?? '', version: e.outputs.version ?? '', release: e.outputs.release, previous: e.outputs.previousRelease || undefined, changed: e.outputs.changed !== 'false' };
      }
      if (row.kind === 'plugin/rollback') report.rollback = { status: e.status, to: e.outputs.release, version: e.outputs.version };
    },
    'step.skipped': (e) => { const row = steps.get(e.step); if (row) { row.status = e.status; row.error = e.reason; } },
    'step.kept': (e) => { const row = steps.get(e.step); if (row) { row.status = 'success'; row.outputs = e.outputs; } },
    'step.waiting': (e) => { const row = steps.get(e.step); if (row) row.status = 'waiting'; },
    'execution.finished': (e) => { report.status = e.status; report.durationMs = e.durationMs; },
    'execution.started': ignore,
    'step.log': ignore,
    'step.retrying': ignore,
    'step.artifact': ignore,
  } satisfies EventHandlers<void>;
  const emit = (e: RunEvent) => {
    report.executionId = e.executionId;
    dispatch(handlers, e);
  };
  return { emit, report: () => ({ ...report, steps: [...steps.values()] }) };
}

/** The scan's findings, with paths relative to the plugin. */
function findingsOf(json: string | undefined): Finding[] {
  if (!json) return [];
  try {
    return JSON.parse(json) as Finding[];
  } catch {
    return [];
  }
}

const order: Array<PluginReport['status']> = ['success', 'planned', 'pending', 'running', 'cancelled', 'interrupted', 'timed_out', 'failed'];
/** The worst status over several plugins. */
export const worst = (statuses: Array<PluginReport['status']>): PluginReport['status'] =>
  statuses.reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), 'success' as PluginReport['status']);
