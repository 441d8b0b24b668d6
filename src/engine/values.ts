// Fills `${{ }}` in step inputs and env from the run's contexts.
import { compile, evaluate, type ExpressionContext } from '../expressions/evaluate.ts';
import { parseTemplate } from '../expressions/template.ts';

/** A string that is exactly one expression keeps the expression's type; otherwise text is joined. */
export function interpolate(text: string, ctx: ExpressionContext): unknown {
  if (!text.includes('${{')) return text;
  const parts = parseTemplate(text);
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.kind === 'expr') return evaluate(compile(only.source), ctx);
  return parts.map((p) => (p.kind === 'text' ? p.text : asText(evaluate(compile(p.source), ctx)))).join('');
}

export function resolveValues(value: unknown, ctx: ExpressionContext): unknown {
  if (typeof value === 'string') return interpolate(value, ctx);
  if (Array.isArray(value)) return value.map((v) => resolveValues(v, ctx));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValues(v, ctx)]));
  return value;
}

export function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function resolveEnv(env: Record<string, string | number | boolean>, ctx: ExpressionContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = asText(typeof v === 'string' ? interpolate(v, ctx) : v);
  return out;
}
