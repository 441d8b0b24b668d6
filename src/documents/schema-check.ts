// Structural validation: ajv does it all; this file only turns ajv's errors into diagnostics
// that point at the offending node (or key) with a message saying what was found and expected.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { maxDurationKeyword } from './duration.ts';
import { describeValue, type Diagnostic, type DiagnosticCode } from './diagnostics.ts';
import { locate, type Path, type SourceDocument } from './source.ts';

const addFormats = addFormatsModule as unknown as { default: (a: Ajv2020) => void };
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, validateSchema: false, verbose: true, code: { optimize: false }, allowUnionTypes: true });
addFormats.default(ajv);
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
ajv.addKeyword(maxDurationKeyword);

const compiled = new WeakMap<TSchema, ValidateFunction>();
function validator(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) { v = ajv.compile(schema); compiled.set(schema, v); }
  return v;
}

/** Checks a value outside any document (step inputs after expressions were filled in). */
export function firstProblem(schema: TSchema, value: unknown, what: string): string | undefined {
  const validate = validator(schema);
  if (validate(value)) return undefined;
  const e = validate.errors?.[0];
  if (!e) return undefined;
  const where = label(toPath(pointer(e.instancePath)), what);
  if (e.keyword === 'additionalProperties') return `unknown key \`${String((e.params as Record<string, unknown>).additionalProperty)}\` in \`${where}\``;
  return `\`${where}\` is ${describeValue(e.data)}: ${e.message ?? 'not allowed'}`;
}

const pointer = (p: string): string[] => p === '' ? [] : p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
const toPath = (p: string[]): Path => p.map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** Validates `value` (found at `base` inside `src`) against `schema`; every error becomes a diagnostic. */
export function checkSchema(src: SourceDocument, value: unknown, schema: TSchema, base: Path = [], what = 'value', skip?: (data: unknown) => boolean): Diagnostic[] {
  const validate = validator(schema);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e, _i, all) => !insideReportedUnion(e, all) && !skip?.(e.data));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const d = toDiagnostic(src, e, base, what);
    const key = `${d.line}:${d.col}:${d.code}:${d.message}`;
    if (!seen.has(key)) { seen.add(key); out.push(d); }
  }
  return out;
}

/** Errors from inside a oneOf/anyOf branch are noise once the union itself is reported. */
function insideReportedUnion(e: ErrorObject, all: ErrorObject[]): boolean {
  return all.some((o) => (o.keyword === 'oneOf' || o.keyword === 'anyOf') && o !== e && e.schemaPath.startsWith(o.schemaPath + '/') && e.instancePath === o.instancePath);
}

/** What a union allows, in words: "a string, a number or a boolean". */
function unionText(branches: unknown): string {
  const words = (Array.isArray(branches) ? branches : []).map((b: Record<string, unknown>) =>
    b.const !== undefined ? JSON.stringify(b.const) : b.type === 'array' ? 'a list' : b.type === 'object' ? 'a map' : typeof b.type === 'string' ? article(b.type) : 'another shape');
  const unique = [...new Set(words)];
  return unique.length <= 1 ? unique.join('') : `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`;
}

function toDiagnostic(src: SourceDocument, e: ErrorObject, base: Path, what: string): Diagnostic {
  const path = [...base, ...toPath(pointer(e.instancePath))];
  const at = (p: Path, where: 'value' | 'key' = 'value') => locate(src, p, where);
  const name = label(path, what);
  const diag = (code: DiagnosticCode, message: string, p: Path = path, where: 'value' | 'key' = 'value'): Diagnostic =>
    ({ file: src.file, ...at(p, where), code, message });
  const params = e.params as Record<string, unknown>;
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  switch (e.keyword) {
    case 'required':
      return diag('E_REQUIRED', `\`${name}\` is missing the required key \`${String(params.missingProperty)}\``, path, 'key');
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((parent?.properties as object | undefined) ?? {});
      const hint = closest(key, allowed);
      return diag('E_UNKNOWN_KEY', `unknown key \`${key}\` in \`${name}\`; ${hint ? `did you mean \`${hint}\`? ` : ''}expected one of: ${allowed.join(', ') || '(none)'}`, [...path, key], 'key');
    }
    case 'type':
      return diag('E_TYPE', `\`${name}\` is ${describeValue(e.data)}, expected ${article(String(params.type))}`);
    case 'enum':
      return diag('E_VALUE', `\`${name}\` is ${describeValue(e.data)}, expected one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`);
    case 'const':
      return diag('E_VALUE', `\`${name}\` is ${describeValue(e.data)}, expected ${JSON.stringify(params.allowedValue)}`);
    case 'pattern':
      return diag('E_VALUE', `\`${name}\` is ${describeValue(e.data)}, expected ${typeof parent?.description === 'string' ? parent.description.replace(/\.$/, '').replace(/^A /, 'a ').replace(/^L/, 'l') : `text matching ${String(params.pattern)}`}`);
    case 'oneOf': {
      const keys = e.data && typeof e.data === 'object' ? Object.keys(e.data) : [];
      const found = `found ${keys.length ? `keys ${keys.join(', ')}` : 'no keys'}`;
      return diag('E_STEP_SHAPE', `\`${name}\`: ${typeof parent?.errorMessage === 'string' ? parent.errorMessage : 'matches none or several of its allowed shapes'} (${found})`);
    }
    case 'anyOf':
      return diag('E_TYPE', `\`${name}\` is ${describeValue(e.data)}, expected ${unionText(parent?.anyOf)}`);
    case 'minItems':
      return diag('E_VALUE', `\`${name}\` has ${count(e.data)}, expected at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`);
    case 'maxItems':
      return diag('E_VALUE', `\`${name}\` has ${count(e.data)}, expected at most ${String(params.limit)} items`);
    case 'uniqueItems': {
      const items = Array.isArray(e.data) ? e.data : [];
      return diag('E_VALUE', `\`${name}\` lists ${describeValue(items[Number(params.i)])} twice, expected each item once`);
    }
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return diag('E_VALUE', `\`${name}\` is ${describeValue(e.data)}, expected a number ${String(params.comparison)} ${String(params.limit)}`);
    case 'maxDuration':
      return diag('E_VALUE', `\`${name}\` is ${describeValue(e.data)}, expected a duration of at most ${String(parent?.maxDuration)}`);
    case 'minLength':
      return diag('E_VALUE', `\`${name}\` is ${describeValue(e.data)}, expected at least ${String(params.limit)} characters`);
    default:
      return diag('E_VALUE', `\`${name}\` is ${describeValue(e.data)}: ${e.message ?? 'not allowed'}`);
  }
}

/** A readable name for a place in a document: `spec.steps[2].retry`. */
export function label(path: Path, what: string): string {
  if (path.length === 0) return what;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const count = (v: unknown) => { const n = Array.isArray(v) ? v.length : 0; return `${n} item${n === 1 ? '' : 's'}`; };

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

/** The allowed key closest to a misspelt one, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined, bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) { bestD = d; best = c; }
  }
  // One-letter names are too short for a guess to mean anything.
  return word.length > 1 && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** Edit distance where swapping two adjacent letters costs one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
