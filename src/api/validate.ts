// Checking request values against their schemas (TypeBox, so the same objects go into the
// OpenAPI document). Bodies are checked as they are; query strings are coerced first ("50" → 50),
// so a query schema can say `integer, 1..1000` and the handler receives a number.
//
// Each problem becomes `{ path, message }` with a JSON pointer into the value; at most
// `maxProblems` are reported, so a batch of ten thousand bad items does not make a huge answer.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { maxDurationKeyword } from '../documents/duration.ts';

export interface Problem {
  path: string;
  message: string;
}

export const maxProblems = 20;

const addFormats = addFormatsModule as unknown as { default: (a: Ajv2020) => void };
const plain = new Ajv2020({ allErrors: true, strict: false });
const coercing = new Ajv2020({ allErrors: true, strict: false, coerceTypes: true });
addFormats.default(plain);
addFormats.default(coercing);
for (const a of [plain, coercing]) a.addKeyword(maxDurationKeyword);
const compiled = { plain: new WeakMap<TSchema, ValidateFunction>(), coercing: new WeakMap<TSchema, ValidateFunction>() };

function validator(schema: TSchema, coerce: boolean): ValidateFunction {
  const cache = coerce ? compiled.coercing : compiled.plain;
  let v = cache.get(schema);
  if (!v) { v = (coerce ? coercing : plain).compile(schema); cache.set(schema, v); }
  return v;
}

/** Problems of `value` against `schema`; with `coerce`, `value` is converted in place. */
export function check(schema: TSchema, value: unknown, coerce = false): Problem[] {
  const validate = validator(schema, coerce);
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, maxProblems).map(describe);
}

function describe(e: ErrorObject): Problem {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: e.instancePath || '/', message: `unknown field \`${String(params.additionalProperty)}\`` };
    case 'required':
      return { path: e.instancePath || '/', message: `missing field \`${String(params.missingProperty)}\`` };
    case 'enum':
      return { path: e.instancePath, message: `expected one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
    default:
      return { path: e.instancePath || '/', message: e.message ?? 'not allowed' };
  }
}

/** "`/limit`: must be <= 1000; …" for a one-line message. */
export const summarize = (problems: readonly Problem[]): string =>
  problems.map((p) => `${p.path === '/' || p.path === '' ? '' : `\`${p.path}\` `}${p.message}`).join('; ');
