// Validation errors and security findings as annotations at their file, line and column, within
// what GitHub shows: 10 per level per step and 50 per job. What does not fit is counted, so the
// summary can say how many more there are.
import type { Diagnostic } from '../documents/diagnostics.ts';
import type { ActionCore } from './core.ts';
import type { Finding } from './report.ts';

export type Level = 'error' | 'warning' | 'notice';

export interface Annotation { level: Level; message: string; title: string; file: string; line: number; col: number }

export const caps = { perLevel: 10, perJob: 50 } as const;

export const fromDiagnostic = (d: Diagnostic): Annotation =>
  ({ level: 'error', message: d.message, title: d.code, file: d.file, line: d.line, col: d.col });

export const fromFinding = (f: Finding): Annotation => ({
  level: f.severity === 'critical' || f.severity === 'high' ? 'error' : f.severity === 'medium' ? 'warning' : 'notice',
  message: f.message, title: `${f.severity} ${f.ruleId}`, file: f.file, line: f.line, col: f.col,
});

/** Emits what fits the caps, most severe first; returns how many were left out per level. */
export function annotate(core: ActionCore, items: readonly Annotation[]): Record<Level, number> {
  const shown: Record<Level, number> = { error: 0, warning: 0, notice: 0 };
  const omitted: Record<Level, number> = { error: 0, warning: 0, notice: 0 };
  const rank: Record<Level, number> = { error: 0, warning: 1, notice: 2 };
  let total = 0;
  for (const a of [...items].sort((x, y) => rank[x.level] - rank[y.level])) {
    if (shown[a.level] >= caps.perLevel || total >= caps.perJob) { omitted[a.level]++; continue; }
    shown[a.level]++;
    total++;
    core[a.level](a.message, { title: a.title, file: a.file, startLine: a.line, startColumn: a.col });
  }
  return omitted;
}
