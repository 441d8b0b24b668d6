// The data a remediation run gets. `remediate.with` values are written by people and may hold
// `${{ }}` expressions over the alert and the incident (`alert.labels.plugin`, `alert.rule`,
// `incident.id`, `incident.severity`); a string that is exactly one expression keeps the
// expression's type, like step inputs. Without `with`, every parameter the plan declares takes
// the alert label of the same name, so `plugin: billing` on the alert reaches `params.plugin`.
import { asText } from '../engine/values.ts';
import { compileWithContexts, evaluate, type Compiled } from '../expressions/evaluate.ts';
import { parseTemplate, TemplateError } from '../expressions/template.ts';
import type { PlanInfo } from './ports.ts';

export const triggerContexts = ['alert', 'incident'] as const;

export interface TriggerContext {
  alert: { labels: Record<string, string>; rule: string };
  incident: { id: string; severity: string };
}

const compileTrigger = (source: string): Compiled => compileWithContexts(source, triggerContexts);

/** Every string below `value` with a dotted path. */
function* strings(value: unknown, path: string): Generator<{ path: string; text: string }> {
  if (typeof value === 'string') yield { path, text: value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, `${path}.${k}`);
}

/** Expressions in `with` that do not parse, each naming where it is. */
export function withProblems(values: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  for (const s of strings(values, `${where}.with`)) {
    try {
      for (const part of parseTemplate(s.text)) if (part.kind === 'expr') compileTrigger(part.source);
    } catch (e) {
      problems.push(`${s.path}: ${e instanceof TemplateError ? e.message : `in \`${s.text}\`: ${(e as Error).message}`}`);
    }
  }
  return problems;
}

function fill(value: unknown, ctx: TriggerContext): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${{')) return value;
    const parts = parseTemplate(value);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only?.kind === 'expr') return evaluate(compileTrigger(only.source), ctx);
    return parts.map((p) => (p.kind === 'text' ? p.text : asText(evaluate(compileTrigger(p.source), ctx)))).join('');
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, ctx));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, ctx)]));
  return value;
}

/** The run's data: `with` filled in, or the plan's parameters taken from the alert's labels. Throws for an expression that fails. */
export function planData(given: Record<string, unknown> | undefined, plan: PlanInfo | undefined, ctx: TriggerContext): Record<string, unknown> {
  if (given !== undefined) return fill(given, ctx) as Record<string, unknown>;
  const labels = ctx.alert.labels;
  return Object.fromEntries((plan?.parameters ?? []).filter((p) => Object.hasOwn(labels, p)).map((p) => [p, labels[p]]));
}
