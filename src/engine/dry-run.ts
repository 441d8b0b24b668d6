// What a run would do, without doing it: steps in order (by layer), each with whether it would
// run and why, conditions evaluated against the given parameters assuming every step succeeds.
import { evaluateCondition } from '../expressions/evaluate.ts';
import type { StepGraph } from './plan.ts';
import { resolveEnv } from './values.ts';

export type Decision = 'run' | 'skip' | 'at run time';

export interface PlannedRow {
  step: string;
  name: string;
  kind: string;
  layer: number;
  needs: string[];
  decision: Decision;
  why: string;
}

export function dryRun(graph: StepGraph, params: Record<string, unknown>): PlannedRow[] {
  const layer = new Map<string, number>();
  const decision = new Map<string, Decision>();
  const env = resolveEnv(graph.env, { params });
  const rows: PlannedRow[] = [];
  const pending = [...graph.steps];
  while (pending.length) {
    const i = pending.findIndex((s) => s.needs.every((n) => layer.has(n)));
    const step = pending.splice(i < 0 ? 0 : i, 1)[0]!;
    const l = step.needs.reduce((m, n) => Math.max(m, (layer.get(n) ?? 0) + 1), 1);
    layer.set(step.id, l);
    const upstream = step.needs.map((n) => decision.get(n));
    const allRun = upstream.every((d) => d === 'run');
    let d: Decision, why: string;
    if (!step.condition) {
      d = allRun ? 'run' : upstream.includes('skip') ? 'skip' : 'at run time';
      why = step.needs.length === 0 ? 'no needs' : allRun ? `after ${step.needs.join(', ')}` : d === 'skip' ? 'a needed step will not run' : 'depends on a step decided at run time';
    } else if (step.reads.length > 0) {
      d = 'at run time'; why = `\`if: ${step.condition.source}\` reads outputs of ${step.reads.join(', ')}`;
    } else {
      const go = evaluateCondition(step.condition, { params, env, workflow: { id: graph.id, name: graph.name } },
        { success: () => allRun, failure: () => false, always: () => true, cancelled: () => false });
      d = go ? (allRun ? 'run' : 'at run time') : 'skip';
      why = `\`if: ${step.condition.source}\` is ${go} when every step succeeds`;
    }
    decision.set(step.id, d);
    rows.push({ step: step.id, name: step.name, kind: step.kind, layer: l, needs: step.needs, decision: d, why });
  }
  return rows.sort((a, b) => a.layer - b.layer);
}

export function toMermaid(graph: StepGraph, rows: PlannedRow[]): string {
  const safe = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');
  const lines = ['flowchart TD'];
  for (const r of rows) {
    const label = `${r.name}<br/>${r.kind}`.replace(/"/g, '#quot;');
    lines.push(`  ${safe(r.step)}["${label}"]${r.decision === 'skip' ? ':::skipped' : ''}`);
  }
  for (const s of graph.steps) for (const n of s.needs) lines.push(`  ${safe(n)} --> ${safe(s.id)}`);
  if (rows.some((r) => r.decision === 'skip')) lines.push('  classDef skipped stroke-dasharray: 5 5,opacity:0.6');
  return lines.join('\n') + '\n';
}
