// Document errors, the problems steps found in the plugin (syntax errors, missing files, failing
// tests) and security findings as annotations at their file, line and column, within what GitHub
// shows: 10 per level per step and 50 per job. What does not fit is counted, so the summary can
// say how many more there are. Paths are relative to the checkout; one outside it cannot be
// annotated in place, so its location goes into the message instead.
import { isAbsolute } from 'node:path';
import type { Diagnostic } from '../documents/diagnostics.ts';
import type { ActionCore } from './core.ts';
import { inCheckout } from './paths.ts';
import type { Finding, Problem } from './report.ts';

export type Level = 'error' | 'warning' | 'notice';

export interface Annotation { level: Level; message: string; title: string; file: string; line: number; col?: number }

export const caps = { perLevel: 10, perJob: 50 } as const;

/** A document diagnostic; its path is relative to `cwd` (or absolute). */
export const fromDiagnostic = (d: Diagnostic, checkout: string, cwd: string): Annotation =>
  ({ level: 'error', message: d.message, title: d.code, file: inCheckout(checkout, cwd, d.file) ?? d.file, line: d.line, col: d.col });

export const fromProblem = (p: Problem): Annotation =>
  ({ level: 'error', message: p.message, title: `${p.step}: ${p.title ?? 'problem'}`, file: p.file, line: p.line, col: p.col });

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
    if (isAbsolute(a.file)) core[a.level](`${a.file}:${a.line}${a.col ? `:${a.col}` : ''}: ${a.message}`, { title: a.title });
    else core[a.level](a.message, { title: a.title, file: a.file, startLine: a.line, ...(a.col ? { startColumn: a.col } : {}) });
  }
  return omitted;
}
