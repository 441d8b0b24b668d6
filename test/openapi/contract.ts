// Real answers checked against the OpenAPI document a server serves. For each answer: its status
// is one the operation documents; its media type is one documented for that status; every header
// the document marks required is there and every documented header that is there fits its schema;
// a `Location` that is there is documented; the body validates against the documented schema.
//
// Schemas are compiled by ajv in strict mode (an unknown keyword such as `errorMessage` fails the
// compile), and every object schema with `properties` is closed first (`additionalProperties:
// false`), so a field the document does not name fails the answer: a client generated from the
// document would drop it.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import * as assert from 'uvu/assert';

type Json = Record<string, unknown>;
export interface HeaderDoc { required?: boolean; schema: Json }
export interface ResponseDoc { description: string; headers?: Record<string, HeaderDoc>; content?: Record<string, { schema: Json }> }
export interface OperationDoc { operationId: string; responses: Record<string, ResponseDoc> }
export interface OpenApiDoc { openapi: string; paths: Record<string, Record<string, OperationDoc>>; components: { schemas: Record<string, Json> } }

export interface Answer { status: number; headers: Headers; text: string }

export interface Operation { path: string; method: string; op: OperationDoc }

const addFormats = addFormatsModule as unknown as { default: (a: Ajv2020) => void };
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

const defsId = 'urn:pluginops:openapi-components';

/** A copy of `schema` where every object schema with `properties` allows no other field, and refs point to the closed components. */
export function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `${defsId}#/$defs/`) : closed(v);
  }
  if (isObject(schema.properties) && (schema.type === undefined || schema.type === 'object')) out.additionalProperties = false;
  return out;
}

export const operationsOf = (doc: OpenApiDoc): Operation[] =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

export class Contract {
  // Strict, except `strictRequired`: a step's `oneOf: [{ required: [uses] }, { required: [run] }]`
  // names properties of the enclosing schema, which is standard JSON Schema that this ajv check flags.
  readonly ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  readonly operations = new Map<string, Operation>();
  /** Operation ids with at least one 2xx answer checked. */
  readonly succeeded = new Set<string>();
  /** `operationId status` of every answer checked. */
  readonly checked = new Set<string>();
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(readonly doc: OpenApiDoc) {
    addFormats.default(this.ajv);
    for (const o of operationsOf(doc)) this.operations.set(o.op.operationId, o);
    this.ajv.addSchema({ $id: defsId, $defs: Object.fromEntries(Object.entries(doc.components.schemas).map(([name, s]) => [name, closed(s)])) });
  }

  /** The validator of `schema` (from the document), closed, with the document's named schemas. */
  validator(schema: Json): ValidateFunction {
    const key = JSON.stringify(schema);
    let v = this.#compiled.get(key);
    if (!v) {
      v = this.ajv.compile(closed(schema) as Json);
      this.#compiled.set(key, v);
    }
    return v;
  }

  /** Asserts that `answer` is one the document describes for `operationId`; returns the parsed JSON body. */
  check(operationId: string, answer: Answer): any {
    const found = this.operations.get(operationId);
    assert.ok(found, `${operationId} is in the document`);
    const name = `${found.method} ${found.path} → ${answer.status}`;
    const response = found.op.responses[String(answer.status)];
    assert.ok(response, `${name} is documented (documented: ${Object.keys(found.op.responses).join(', ')}); body ${answer.text.slice(0, 300)}`);
    for (const [header, h] of Object.entries(response.headers ?? {})) {
      const value = answer.headers.get(header);
      if (value === null) { assert.ok(!h.required, `${name}: the required header ${header} is missing`); continue; }
      const v = this.validator(h.schema);
      assert.ok(v(value), `${name}: header ${header}: ${value}: ${JSON.stringify(v.errors)}`);
    }
    if (answer.headers.get('location') !== null) assert.ok(Object.keys(response.headers ?? {}).some((k) => k.toLowerCase() === 'location'), `${name} sends Location; the document does not say so`);
    const media = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const content = response.content?.[media];
    assert.ok(content, `${name}: ${media} is not documented (documented: ${Object.keys(response.content ?? {}).join(', ')})`);
    const body: unknown = media === 'application/json' ? JSON.parse(answer.text) : answer.text;
    const validate = this.validator(content.schema);
    assert.ok(validate(body), `${name}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}\n${answer.text.slice(0, 2000)}`);
    this.checked.add(`${operationId} ${answer.status}`);
    if (answer.status >= 200 && answer.status < 300) this.succeeded.add(operationId);
    return body;
  }
}
