// Schemas shared by every route group: the error body, a validation problem, a document
// diagnostic, and the helpers the route files use for small request schemas. Everything here is
// TypeBox, so the same object checks a request and describes it in the OpenAPI document.
import { Type, type ObjectOptions, type TSchema } from '@sinclair/typebox';
import { StringEnum } from '../../documents/schema/common.ts';
import { problemKinds } from '../errors.ts';

export { StringEnum };

/** The keys of a table that `satisfies Record<Union, …>`: every member of the union, once. */
export const keysOf = <K extends string>(table: Record<K, unknown>): K[] => Object.keys(table) as K[];

export const errorCodes = [...new Set(Object.values(problemKinds).map((p) => p.code))];

/** An object that allows no field beyond those listed: a request with another is refused, an answer never has another. */
export const Strict = <P extends Parameters<typeof Type.Object>[0]>(properties: P, options?: string | ObjectOptions) =>
  Type.Object(properties, { additionalProperties: false, ...(typeof options === 'string' ? { description: options } : options) });

export const Problem = Strict({
  path: Type.String({ description: 'JSON pointer into the value that was checked (`/` for the whole).' }),
  message: Type.String(),
  code: Type.Optional(Type.String({ description: 'A stable code when the check has one (`E_PARAMETER` for workflow parameters).' })),
}, 'One reason a parameter or body was refused.');

export const DocumentDiagnostic = Strict({
  file: Type.Optional(Type.String()),
  line: Type.Integer({ minimum: 1 }),
  col: Type.Integer({ minimum: 1 }),
  code: Type.String({ description: 'A diagnostic code such as E_YAML_SYNTAX, E_UNKNOWN_KEY, E_REQUIRED.' }),
  message: Type.String(),
  path: Type.Optional(Type.String()),
}, 'A problem in a document, where it is (1-based line and column).');

export const ErrorBody = Type.Object({
  success: Type.Literal(false),
  message: Type.String({ description: 'What went wrong, in words; may change between versions.' }),
  code: StringEnum(errorCodes, 'Stable; branch on this.'),
  details: Type.Optional(Type.Union([
    Type.Array(Type.Union([Problem, DocumentDiagnostic])),
    Type.Record(Type.String(), Type.Unknown()),
  ], { description: 'Validation problems (`[{ path, message }]`), document diagnostics (`[{ line, col, code, message }]`), or why a change was refused (`{ code }` of the incident model, `{ reason, … }`).' })),
}, { additionalProperties: false });

/** `{ success: true, data, message? }` around a route's data schema. */
export const successEnvelope = (data: TSchema) => Type.Object({
  success: Type.Literal(true),
  data,
  message: Type.Optional(Type.String()),
}, { additionalProperties: false });

export const NoQuery = Strict({});
export const NoBody = Strict({}, 'No fields; the body may be empty.');
