// The document served at /api/openapi.json, read by the tools clients use: it validates against
// the official OpenAPI 3.1 schema (@seriousme/openapi-schema-validator), Redocly's `recommended`
// ruleset finds nothing in it (errors or warnings), and every schema in it compiles with ajv in
// strict mode (no keyword outside JSON Schema 2020-12, such as ajv's `errorMessage`). It names a
// server relative to where it is served, and documents `Location` on every 201 and 202.
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openApiDocument } from '../../src/api/api.ts';
import { publishSchema } from '../../src/api/schema-publish.ts';
import { startApi, type Harness } from '../api/helpers.ts';
import { Contract, operationsOf, type OpenApiDoc } from './contract.ts';

let h: Harness;
let text: string;
let doc: OpenApiDoc & { servers: Array<{ url: string }> };
test.before(async () => {
  h = await startApi();
  const r = await h.call('GET', '/api/openapi.json');
  assert.is(r.status, 200);
  text = r.text;
  doc = JSON.parse(text) as typeof doc;
});
test.after(async () => { await h.close(); });

test('the served document is the generated one', () => {
  assert.equal(doc, JSON.parse(JSON.stringify(openApiDocument)));
});

test('it validates against the official OpenAPI 3.1 schema', async () => {
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(text) as Record<string, unknown>);
  assert.is(validator.version, '3.1');
  assert.ok(result.valid, JSON.stringify(result.errors, null, 1)?.slice(0, 3000));
});

test('Redocly\'s recommended rules find no error and no warning', async () => {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: text, absoluteRef: `${h.url}/api/openapi.json`, config });
  const lines = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
  assert.equal(lines, []);
});

test('every schema compiles with ajv in strict mode', () => {
  const contract = new Contract(doc);
  const schemas: unknown[] = [];
  for (const { op } of operationsOf(doc)) {
    const o = op as unknown as { parameters: Array<{ schema: unknown }>; requestBody?: { content: Record<string, { schema: unknown }> } };
    schemas.push(...o.parameters.map((p) => p.schema), ...Object.values(o.requestBody?.content ?? {}).map((c) => c.schema));
    for (const response of Object.values(op.responses)) {
      schemas.push(...Object.values(response.content ?? {}).map((c) => c.schema), ...Object.values(response.headers ?? {}).map((x) => x.schema));
    }
  }
  for (const name of Object.keys(doc.components.schemas)) schemas.push({ $ref: `#/components/schemas/${name}` });
  for (const s of schemas) contract.validator(s as Record<string, unknown>);
  assert.ok(schemas.length > 100);
  assert.not.match(text, /"errorMessage"\s*:\s*"/, 'no errorMessage keyword');
});

test('servers: one, relative to where the document is served, so paths resolve on this origin', () => {
  assert.is(doc.servers.length, 1);
  const base = new URL(doc.servers[0]!.url, `${h.url}/api/openapi.json`);
  assert.is(base.href, `${h.url}/`);
  assert.is(new URL('api/status', base).href, `${h.url}/api/status`);
});

test('every 201 and 202 answer documents a required Location', () => {
  let seen = 0;
  for (const { path, method, op } of operationsOf(doc)) {
    for (const status of ['201', '202']) {
      const response = op.responses[status];
      if (!response) continue;
      seen++;
      assert.is(response.headers?.Location?.required, true, `${method} ${path} ${status}`);
    }
  }
  assert.is(seen, 9, 'startExecution, cancelExecution, startRun, retryRun, saveWorkflow (201), openIncident (201), createDocument, putDocument (201), submitTask (201)');
});

test('publishing drops keywords outside JSON Schema, keeps properties of any name, and names shared schemas', () => {
  const Shared = { type: 'string' };
  const schema = {
    type: 'object', errorMessage: 'one of a or b', 'x-internal': true,
    properties: { errorMessage: { type: 'string', errorMessage: 'x' }, shared: Shared, list: { type: 'array', items: Shared } },
    oneOf: [{ required: ['errorMessage'] }, { required: ['shared'] }], default: { errorMessage: 'kept: a value, not a keyword' },
  };
  assert.equal(publishSchema(schema, new Map([[Shared, 'Shared']])), {
    type: 'object',
    properties: { errorMessage: { type: 'string' }, shared: { $ref: '#/components/schemas/Shared' }, list: { type: 'array', items: { $ref: '#/components/schemas/Shared' } } },
    oneOf: [{ required: ['errorMessage'] }, { required: ['shared'] }], default: { errorMessage: 'kept: a value, not a keyword' },
  });
});

test.run();
