// The OpenAPI document: valid JSON, OpenAPI 3.1, public; it names exactly the routes the router
// answers (each one it lists is routed, not 404/405, and the route table lists no other); every
// operation documents its success answer and the errors it may give; and real answers validate
// against the schemas it declares for them.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openApiDocument, routes } from '../../src/api/api.ts';
import { problemKinds } from '../../src/api/errors.ts';
import { startApi, tokens, until, type Harness } from './helpers.ts';

type Operation = { operationId: string; security: unknown[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }>; 'x-pluginops-access': string };
type Doc = { openapi: string; info: { version: string }; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { type: string; scheme: string; description: string }>; schemas: Record<string, { properties: { code: { enum: string[] } } }> } };

let h: Harness;
let doc: Doc;
test.before(async () => {
  h = await startApi();
  const r = await h.call('GET', '/api/openapi.json');
  assert.is(r.status, 200);
  doc = JSON.parse(r.text) as Doc;
});
test.after(async () => { await h.close(); });

const operations = (d: Doc) => Object.entries(d.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

test('it is public, JSON, OpenAPI 3.1.0, and the same as the exported document', async () => {
  const r = await h.call('GET', '/api/openapi.json');
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.is(r.headers.get('x-content-type-options'), 'nosniff');
  assert.is(doc.openapi, '3.1.0');
  assert.equal(doc, JSON.parse(JSON.stringify(openApiDocument)));
  const bearer = doc.components.securitySchemes.bearer!;
  assert.equal([bearer.type, bearer.scheme], ['http', 'bearer']);
  assert.match(bearer.description, /`read`/);
  assert.match(bearer.description, /`write`/);
});

test('the document and the route table name the same operations', () => {
  const documented = operations(doc).map((o) => `${o.method} ${o.path}`).sort();
  const table = routes.map((r) => `${r.method} ${r.path}`).sort();
  assert.equal(documented, table);
  assert.is(new Set(operations(doc).map((o) => o.op.operationId)).size, routes.length, 'operation ids are unique');
});

test('every documented operation is routed: public ones answer, the others ask for a token', async () => {
  for (const { path, method, op } of operations(doc)) {
    const concrete = path.replace(/\{[^}]+\}/g, 'x1');
    const r = await h.call(method, concrete);
    const expected = op['x-pluginops-access'] === 'public' ? 200 : 401;
    assert.is(r.status, expected, `${method} ${path}`);
    // A method the document does not list for the path is 405.
    const listed = operations(doc).filter((o) => o.path === path).map((o) => o.method.toUpperCase());
    const unlisted = ['DELETE', 'PUT', 'POST', 'GET'].find((m) => !listed.includes(m))!;
    const other = await h.call(unlisted, concrete);
    assert.is(other.status, 405, `${unlisted} ${path}`);
  }
});

test('every operation documents its success answer, auth errors, body errors and 500', () => {
  for (const { path, method, op } of operations(doc)) {
    const statuses = Object.keys(op.responses);
    const name = `${method} ${path}`;
    assert.ok(statuses.some((s) => s.startsWith('2')), name);
    assert.ok(statuses.includes('500'), name);
    if (op['x-pluginops-access'] !== 'public') {
      assert.ok(statuses.includes('401') && statuses.includes('403'), name);
      assert.ok(op.security.length > 0, name);
    }
    if (method === 'POST' || method === 'PUT') for (const s of ['400', '413', '415', '422']) assert.ok(statuses.includes(s), `${name} ${s}`);
    if (path.includes('{')) assert.ok(statuses.includes('400'), name);
    if (path.includes('{') && method !== 'PUT') assert.ok(statuses.includes('404'), name);
  }
  const codes = doc.components.schemas.ErrorBody!.properties.code.enum;
  for (const p of Object.values(problemKinds)) assert.ok(codes.includes(p.code), p.code);
});

const addFormats = addFormatsModule as unknown as { default: (a: Ajv2020) => void };
const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

test('real answers validate against the schemas the document declares', async () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi');
  const validate = (path: string, method: string, status: number, body: unknown) => {
    const v = ajv.compile({ $ref: `openapi#/${pointer('paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema')}` });
    assert.ok(v(body), `${method.toUpperCase()} ${path} ${status}: ${JSON.stringify(v.errors?.slice(0, 3))}`);
  };
  const started = await h.call('POST', '/api/executions', { token: tokens.write, json: { workflow: 'quick' } });
  validate('/api/executions', 'post', 202, started.body);
  const id = started.body.data.id as string;
  await until(async () => (await h.call('GET', `/api/executions/${id}`, { token: tokens.read })).body.data.status === 'success');
  await h.call('POST', '/api/checks/svc/run', { token: tokens.write });
  const incident = (await h.call('GET', '/api/incidents', { token: tokens.read })).body.data[0].id as string;
  const reads: Array<[string, string]> = [
    ['/api/status', '/api/status'], ['/api/statistics', '/api/statistics'], ['/api/workflows', '/api/workflows'],
    ['/api/workflows/{id}', '/api/workflows/quick'], ['/api/executions', '/api/executions'], ['/api/executions/{id}', `/api/executions/${id}`],
    ['/api/executions/{id}/logs', `/api/executions/${id}/logs`], ['/api/checks', '/api/checks'], ['/api/checks/{id}', '/api/checks/svc'],
    ['/api/alerts', '/api/alerts'], ['/api/incidents', '/api/incidents'], ['/api/incidents/{id}', `/api/incidents/${incident}`],
  ];
  for (const [template, path] of reads) {
    const r = await h.call('GET', path, { token: tokens.read });
    assert.is(r.status, 200, path);
    validate(template, 'get', 200, r.body);
  }
  const run = await h.call('POST', '/api/checks/svc/run', { token: tokens.write });
  validate('/api/checks/{id}/run', 'post', 200, run.body);
  const ack = await h.call('POST', `/api/incidents/${incident}/acknowledge`, { token: tokens.write, json: {} });
  validate('/api/incidents/{id}/acknowledge', 'post', 200, ack.body);
  const pushed = await h.call('POST', '/api/metrics', { token: tokens.write, json: { samples: [{ metric: 'm', value: 1 }, { value: 2 }] } });
  validate('/api/metrics', 'post', 200, pushed.body);
  const refused = await h.call('POST', '/api/cleanup', { token: tokens.write, json: { days: 'x' } });
  validate('/api/cleanup', 'post', 422, refused.body);
  const diagnostics = await h.call('PUT', '/api/workflows/bad', { token: tokens.admin, body: 'kind: [', type: 'text/yaml' });
  validate('/api/workflows/{id}', 'put', 422, diagnostics.body);
  await h.call('POST', `/api/incidents/${incident}/resolve`, { token: tokens.write, json: { resolution: 'fixed' } });
  const conflict = await h.call('POST', `/api/incidents/${incident}/resolve`, { token: tokens.write, json: { resolution: 'fixed' } });
  assert.is(conflict.status, 409);
  validate('/api/incidents/{id}/resolve', 'post', 409, conflict.body);
  const anonymous = await h.call('GET', '/api/status');
  validate('/api/status', 'get', 401, anonymous.body);
});

test.run();
