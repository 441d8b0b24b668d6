// Schemas as the OpenAPI document publishes them: plain JSON with only the keywords of JSON Schema
// 2020-12 and the OpenAPI 3.1 dialect. Keywords that only our validators understand (ajv's
// `errorMessage`, anything TypeBox or a future extension adds) are left out, so strict OpenAPI
// tools and generated clients read the document without errors. Sub-schemas that have a name are
// replaced by a reference to `#/components/schemas/<name>`.
//
// The walk knows where schemas sit (under `properties`, `items`, `anyOf`, …) and where plain values
// do (`enum`, `const`, `default`, `examples`), so a property that happens to be called
// `errorMessage` is kept and only the keyword goes.

/** Keywords whose value is a map of names to schemas. */
const schemaMaps = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
/** Keywords whose value is one schema. */
const schemaOne = new Set([
  'items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema',
]);
/** Keywords whose value is a list of schemas. */
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value is data, copied as it is. */
const values = new Set([
  '$schema', '$id', '$ref', '$anchor', '$dynamicRef', '$dynamicAnchor', '$comment',
  'type', 'enum', 'const', 'default', 'examples', 'example', 'title', 'description', 'deprecated', 'readOnly', 'writeOnly',
  'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'format',
  'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties', 'minProperties', 'required', 'dependentRequired',
  'contentEncoding', 'contentMediaType', 'discriminator', 'xml', 'externalDocs',
]);

/** The keywords a published schema may hold. */
export const standardKeywords: ReadonlySet<string> = new Set([...schemaMaps, ...schemaOne, ...schemaLists, ...values]);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `schema` as published: standard keywords only, named sub-schemas (not the top one) as references. */
export function publishSchema(schema: unknown, names: ReadonlyMap<object, string>, top = true): unknown {
  if (typeof schema === 'boolean' || !isObject(schema)) return schema;
  const name = names.get(schema);
  if (name !== undefined && !top) return { $ref: `#/components/schemas/${name}` };
  const sub = (s: unknown) => publishSchema(s, names, false);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (schemaMaps.has(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, s]) => [k, sub(s)]));
    else if (schemaOne.has(key)) out[key] = sub(value);
    else if (schemaLists.has(key) && Array.isArray(value)) out[key] = value.map(sub);
    else if (values.has(key)) out[key] = JSON.parse(JSON.stringify(value)) as unknown;
  }
  return out;
}
