// One parameter value checked against its declaration: converted to the declared type (the
// command line gives strings), then `enum`, `pattern` and `format`. Pure; `validate` runs it on
// defaults and every run on the values it is given, so the two cannot disagree.
import { formatProblem, isParameterFormat } from './formats.ts';

export type ParameterType = 'string' | 'number' | 'boolean';
export type ParameterValue = string | number | boolean;

/** What the check reads of a declaration (a document's parameter, or an approval's copy of one). */
export interface ParameterRules {
  type?: ParameterType;
  enum?: Array<string | number>;
  pattern?: string;
  format?: string;
}

export type ValueCheck = { ok: true; value: ParameterValue } | { ok: false; message: string };

const compiled = new Map<string, RegExp | Error>();

/** `pattern` as a regular expression (Unicode mode), or the reason it is not one. */
export function compilePattern(pattern: string): RegExp | Error {
  let hit = compiled.get(pattern);
  if (!hit) {
    try { hit = new RegExp(pattern, 'u'); } catch (e) { hit = e instanceof Error ? e : new Error(String(e)); }
    compiled.set(pattern, hit);
  }
  return hit;
}

export function checkParameterValue(name: string, p: ParameterRules, raw: unknown): ValueCheck {
  const type = p.type ?? 'string';
  const value = convert(raw, type);
  const shown = JSON.stringify(value ?? raw);
  if (value === undefined) return { ok: false, message: `parameter \`${name}\` is ${shown}, expected a ${type}` };
  if (p.enum && !p.enum.some((e) => e === value)) return { ok: false, message: `parameter \`${name}\` is ${shown}, expected one of: ${p.enum.join(', ')}` };
  if (typeof value !== 'string') return { ok: true, value };
  if (p.pattern !== undefined) {
    const re = compilePattern(p.pattern);
    if (re instanceof Error) return { ok: false, message: `parameter \`${name}\` declares the pattern /${p.pattern}/, which is not a regular expression: ${re.message}` };
    if (!re.test(value)) return { ok: false, message: `parameter \`${name}\` is ${shown}, expected text matching /${p.pattern}/` };
  }
  // An empty string means "none" for an optional parameter; `pattern` decides whether it is allowed.
  if (p.format !== undefined && value !== '') {
    if (!isParameterFormat(p.format)) return { ok: false, message: `parameter \`${name}\` declares the unknown format \`${p.format}\`` };
    const why = formatProblem(p.format, value);
    if (why) return { ok: false, message: `parameter \`${name}\` is ${shown}: ${why}` };
  }
  return { ok: true, value };
}

function convert(raw: unknown, type: ParameterType): ParameterValue | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return undefined;
  if (typeof raw === type) return raw;
  const text = String(raw);
  if (type === 'string') return text;
  if (type === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return undefined;
}
