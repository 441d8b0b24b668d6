// An Optimization's own rules, beyond its shape (the schema's): every metric an analyzer names is
// declared under `metrics`; `field` goes with `healthCheck`, `step` and `server` with
// `prometheus`; queries and paths hold no expression but `${{ plugin }}`, runbook parameters none
// but `${{ plugin }}`, `${{ value }}` and `${{ previous }}`; floors are under ceilings; levels are
// ordered toward worse. What needs other documents (the runbooks, the health checks) is checked
// when the configuration is compiled (config.ts).
import type { Diagnostic, DiagnosticCode } from '../documents/diagnostics.ts';
import type { Loaded } from '../documents/document-set.ts';
import { locate, type Path } from '../documents/source.ts';
import type { ApplyDoc } from '../documents/schema/optimization.ts';
import { levelProblem } from '../monitor/math/levels.ts';
import { paramProblem } from './params.ts';
import { templateProblem } from './sources/template.ts';

type Doc = Loaded<'Optimization'>;

const at = (d: Doc, path: Path, code: DiagnosticCode, message: string, where: 'value' | 'key' = 'value'): Diagnostic =>
  ({ file: d.src.file, ...locate(d.src, path, where), code, message });

/** The metric references of each analyzer, as (path, name). */
export function metricRefs(spec: Doc['doc']['spec']): Array<{ path: Path; name: string }> {
  const out: Array<{ path: Path; name: string }> = [];
  const a = spec.analyzers;
  const add = (analyzer: string, o: Record<string, unknown> | undefined, fields: readonly string[]) => {
    for (const f of fields) { const v = o?.[f]; if (typeof v === 'string') out.push({ path: ['spec', 'analyzers', analyzer, f], name: v }); }
  };
  add('workers', a.workers, ['latency', 'utilization', 'current']);
  add('resources', a.resources, ['cpu', 'memory', 'oomEvents', 'currentCpu', 'currentMemory']);
  add('cache', a.cache, ['hitRatio', 'latency', 'current']);
  add('errors', a.errors, ['errorRate']);
  (a.thresholds ?? []).forEach((t, i) => out.push({ path: ['spec', 'analyzers', 'thresholds', i, 'metric'], name: t.metric }));
  return out;
}

export function metricsDeclared(d: Doc): Diagnostic[] {
  const declared = Object.keys(d.doc.spec.metrics);
  return metricRefs(d.doc.spec).filter((r) => !declared.includes(r.name))
    .map((r) => at(d, r.path, 'E_UNKNOWN_REFERENCE', `metric \`${r.name}\` is not declared under spec.metrics; expected one of: ${declared.join(', ') || '(none declared)'}`));
}

export function sourceFields(d: Doc): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, m] of Object.entries(d.doc.spec.metrics)) {
    const only = (field: 'field' | 'step' | 'server', owner: 'healthCheck' | 'prometheus') => {
      if (m[field] !== undefined && m[owner] === undefined) out.push(at(d, ['spec', 'metrics', name, field], 'E_VALUE', `\`${field}\` applies only with \`${owner}\``, 'key'));
    };
    only('field', 'healthCheck');
    only('step', 'prometheus');
    only('server', 'prometheus');
    if (m.healthCheck !== undefined && m.field === undefined) out.push(at(d, ['spec', 'metrics', name], 'E_REQUIRED', 'a healthCheck metric needs `field`: `responseTime` or `errorRate`', 'key'));
  }
  return out;
}

export function expressionsKnown(d: Doc): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { spec } = d.doc;
  const check = (path: Path, text: string | undefined) => {
    const why = text === undefined ? undefined : templateProblem(text);
    if (why) out.push(at(d, path, 'E_EXPRESSION', why));
  };
  for (const [name, m] of Object.entries(spec.metrics)) {
    check(['spec', 'metrics', name, 'prometheus'], m.prometheus);
    check(['spec', 'metrics', name, 'process', 'pidFile'], m.process?.pidFile);
    check(['spec', 'metrics', name, 'process', 'cgroup'], m.process?.cgroup);
  }
  check(['spec', 'analyzers', 'errors', 'loki'], spec.analyzers.errors?.loki);
  for (const { path, apply } of applies(spec)) {
    for (const [k, v] of Object.entries(apply.with ?? {})) { const why = paramProblem(v); if (why) out.push(at(d, [...path, 'with', k], 'E_EXPRESSION', why)); }
    for (const [k, v] of Object.entries(apply.revert?.with ?? {})) { const why = paramProblem(v); if (why) out.push(at(d, [...path, 'revert', 'with', k], 'E_EXPRESSION', why)); }
  }
  return out;
}

export function boundsOrdered(d: Doc): Diagnostic[] {
  const out: Diagnostic[] = [];
  const w = d.doc.spec.analyzers.workers;
  if (w?.min !== undefined && w.max !== undefined && w.min > w.max) out.push(at(d, ['spec', 'analyzers', 'workers', 'min'], 'E_VALUE', `min ${w.min} is above max ${w.max}`));
  const seen = new Set<string>();
  (d.doc.spec.analyzers.thresholds ?? []).forEach((t, i) => {
    if (seen.has(t.metric)) out.push(at(d, ['spec', 'analyzers', 'thresholds', i, 'metric'], 'E_VALUE', `metric \`${t.metric}\` has a threshold rule already; one rule per metric (its levels say warning, danger and critical)`));
    seen.add(t.metric);
    const why = levelProblem(t.levels, t.direction ?? 'above');
    if (why) out.push(at(d, ['spec', 'analyzers', 'thresholds', i, 'levels'], 'E_VALUE', why, 'key'));
    if (Object.keys(t.levels).length === 0) out.push(at(d, ['spec', 'analyzers', 'thresholds', i, 'levels'], 'E_REQUIRED', 'levels names no level; expected warning, danger or critical', 'key'));
  });
  return out;
}

/** Every `apply` of the analyzers, with its path. */
export function applies(spec: Doc['doc']['spec']): Array<{ path: Path; apply: ApplyDoc }> {
  const a = spec.analyzers;
  const out: Array<{ path: Path; apply: ApplyDoc }> = [];
  for (const name of ['workers', 'resources', 'cache', 'errors'] as const) {
    const apply = a[name]?.apply;
    if (apply) out.push({ path: ['spec', 'analyzers', name, 'apply'], apply });
  }
  (a.thresholds ?? []).forEach((t, i) => { if (t.apply) out.push({ path: ['spec', 'analyzers', 'thresholds', i, 'apply'], apply: t.apply }); });
  return out;
}

export const optimizationRules: ReadonlyArray<(d: Doc) => Diagnostic[]> = [metricsDeclared, sourceFields, expressionsKnown, boundsOrdered];
