// Workflows: listing the project's documents and the shipped templates, showing one, and saving
// one as YAML or JSON — validated like a file (422 with line and column), written atomically into
// the file that defines the id or `<documents>/workflows/<id>.yml` (`plans/` for an action plan),
// refused (409) when that would destroy another document; writing needs an `admin` token.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi, tokens, workflow, type Harness } from './helpers.ts';

let h: Harness;
test.before(async () => {
  h = await startApi({
    files: {
      'pipelines/many.yml': `${workflow('shared', ['true'])}---\n${workflow('other', ['true'])}`,
      'pipelines/plans/restart.yml': 'apiVersion: pluginops/v1\nkind: ActionPlan\nmetadata: { id: restart, name: Restart }\nspec:\n  steps:\n    - { id: go, run: "true" }\n',
    },
  });
});
test.after(async () => { await h.close(); });

const put = (id: string, body: string, type = 'application/yaml') => h.call('PUT', `/api/workflows/${id}`, { token: tokens.admin, body, type });

test('the list holds the project\'s workflows and action plans, then the shipped templates', async () => {
  const r = await h.call('GET', '/api/workflows', { token: tokens.read });
  assert.is(r.status, 200);
  const byId = new Map<string, { kind: string; source: string; file: string; name?: string }>(r.body.data.map((w: { id: string }) => [w.id, w]));
  assert.equal(byId.get('quick'), { id: 'quick', kind: 'Workflow', name: 'quick workflow', file: 'pipelines/quick.yml', source: 'project' } as never);
  assert.is(byId.get('restart')?.kind, 'ActionPlan');
  assert.is(byId.get('restart')?.file, 'pipelines/plans/restart.yml');
  assert.is(byId.get('shared')?.file, 'pipelines/many.yml');
  assert.is(byId.get('full_deployment')?.source, 'template');
  assert.not.ok(byId.has('svc'), 'health checks are not listed');
});

test('one workflow is its document as JSON and its file', async () => {
  const r = await h.call('GET', '/api/workflows/quick', { token: tokens.read });
  assert.is(r.status, 200);
  assert.is(r.body.data.file, 'pipelines/quick.yml');
  assert.is(r.body.data.document.kind, 'Workflow');
  assert.equal(r.body.data.document.spec.steps.map((s: { id: string }) => s.id), ['s1', 's2']);
  const template = await h.call('GET', '/api/workflows/quick_deploy', { token: tokens.read });
  assert.is(template.body.data.source, 'template');
  const missing = await h.call('GET', '/api/workflows/nope', { token: tokens.read });
  assert.is(missing.status, 404);
  assert.is(missing.body.code, 'E_NOT_FOUND');
});

test('PUT YAML creates <documents>/workflows/<id>.yml (201), then replaces it (200); the list sees it', async () => {
  const text = 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: lite, name: Lite }\nspec:\n  steps:\n    - { id: a, run: "echo one" }\n';
  const created = await put('lite', text);
  assert.is(created.status, 201);
  assert.equal(created.body.data, { id: 'lite', kind: 'Workflow', file: 'pipelines/workflows/lite.yml', created: true });
  assert.is(readFileSync(join(h.dir, 'pipelines', 'workflows', 'lite.yml'), 'utf8'), text);
  const replaced = await put('lite', text.replace('echo one', 'echo two'));
  assert.is(replaced.status, 200);
  assert.is(replaced.body.data.created, false);
  assert.match(readFileSync(join(h.dir, 'pipelines', 'workflows', 'lite.yml'), 'utf8'), /echo two/);
  const shown = await h.call('GET', '/api/workflows/lite', { token: tokens.read });
  assert.is(shown.body.data.document.spec.steps[0].run, 'echo two');
  assert.not.ok(readdirSync(join(h.dir, 'pipelines', 'workflows')).some((f) => f.endsWith('.tmp')), 'no temp file left');
});

test('PUT JSON is validated the same way and written as YAML', async () => {
  const doc = { apiVersion: 'pluginops/v1', kind: 'ActionPlan', metadata: { id: 'flush' }, spec: { steps: [{ id: 'go', run: 'echo flush' }] } };
  const r = await h.call('PUT', '/api/workflows/flush', { token: tokens.admin, json: doc });
  assert.is(r.status, 201);
  assert.equal(parse(readFileSync(join(h.dir, 'pipelines', 'plans', 'flush.yml'), 'utf8')), doc);
  const run = await h.call('POST', '/api/executions', { token: tokens.write, json: { workflow: 'flush' } });
  assert.is(run.status, 202);
});

test('a YAML error is 422 E_VALIDATION with line and column in the body', async () => {
  const text = 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: broken }\nspec:\n  steps:\n    - id: a\n      run: "echo unclosed\n';
  const r = await put('broken', text);
  assert.is(r.status, 422);
  assert.is(r.body.code, 'E_VALIDATION');
  const d = r.body.details[0];
  assert.is(d.code, 'E_YAML_SYNTAX');
  assert.is(d.line, 7);
  assert.is(d.col, 12);
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'workflows', 'broken.yml')));
});

test('schema and step problems are 422 with each one\'s line and column', async () => {
  const schema = await put('wrong', 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: wrong }\nspec:\n  steps:\n    - id: a\n      run: "true"\n      retyr: 2\n');
  assert.is(schema.status, 422);
  assert.equal(schema.body.details.map((d: { code: string; line: number; col: number }) => `${d.code}@${d.line}:${d.col}`), ['E_UNKNOWN_KEY@8:7']);
  assert.match(schema.body.details[0].message, /did you mean `retry`/);
  const graph = await put('wrong', 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: wrong }\nspec:\n  steps:\n    - id: a\n      run: "true"\n    - id: b\n      run: "true"\n      needs: [nothere]\n');
  assert.is(graph.status, 422);
  assert.is(graph.body.details[0].code, 'E_UNKNOWN_NEEDS');
  assert.is(graph.body.details[0].line, 10);
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'workflows', 'wrong.yml')));
});

test('the id in the body must be the id in the path; one Workflow or ActionPlan only', async () => {
  const other = await put('mine', workflow('theirs', ['true']));
  assert.is(other.status, 422);
  assert.match(other.body.message, /`theirs`.*`mine`/);
  assert.is(other.body.details[0].line, 3);
  const two = await put('mine', `${workflow('mine', ['true'])}---\n${workflow('mine2', ['true'])}`);
  assert.is(two.status, 422);
  const check = await put('svc2', 'apiVersion: pluginops/v1\nkind: HealthCheck\nmetadata: { id: svc2 }\nspec: { type: tcp, host: 127.0.0.1, port: 1 }\n');
  assert.is(check.status, 422);
  assert.match(check.body.message, /HealthCheck/);
  const empty = await put('mine', '');
  assert.is(empty.status, 422);
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'workflows', 'mine.yml')));
});

test('an id defined in a file with other documents is 409 naming it, and untouched', async () => {
  const before = readFileSync(join(h.dir, 'pipelines', 'many.yml'), 'utf8');
  const elsewhere = await put('shared', workflow('shared', ['echo changed']));
  assert.is(elsewhere.status, 409);
  assert.is(elsewhere.body.code, 'E_CONFLICT');
  assert.is(elsewhere.body.details.file, 'pipelines/many.yml');
  assert.is(elsewhere.body.details.reason, 'file-holds-other-documents');
  assert.is(readFileSync(join(h.dir, 'pipelines', 'many.yml'), 'utf8'), before);
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'workflows', 'shared.yml')));
});

test('an id defined alone in its file is replaced in that file', async () => {
  const r = await put('restart', 'apiVersion: pluginops/v1\nkind: ActionPlan\nmetadata: { id: restart, name: Restart now }\nspec:\n  steps:\n    - { id: go, run: "echo again" }\n');
  assert.is(r.status, 200);
  assert.is(r.body.data.file, 'pipelines/plans/restart.yml');
  assert.match(readFileSync(join(h.dir, 'pipelines', 'plans', 'restart.yml'), 'utf8'), /echo again/);
});

test('a Workflow may not take the id of an ActionPlan (nor the reverse): 409 naming its file', async () => {
  const r = await put('restart', workflow('restart', ['true']));
  assert.is(r.status, 409);
  assert.equal(r.body.details, { reason: 'exists', file: 'pipelines/plans/restart.yml' });
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'workflows', 'restart.yml')));
});

test('a new workflow never touches a file of the same name that holds other documents', async () => {
  // ops.yml holds the health check and rule; a workflow called `ops` goes to workflows/ops.yml.
  const before = readFileSync(join(h.dir, 'pipelines', 'ops.yml'), 'utf8');
  const r = await put('ops', workflow('ops', ['true']));
  assert.is(r.status, 201);
  assert.is(r.body.data.file, 'pipelines/workflows/ops.yml');
  assert.is(readFileSync(join(h.dir, 'pipelines', 'ops.yml'), 'utf8'), before);
});

test('a write token is 403: saving documents needs `admin`', async () => {
  const r = await h.call('PUT', '/api/workflows/nope2', { token: tokens.write, body: workflow('nope2', ['true']), type: 'application/yaml' });
  assert.is(r.status, 403);
  assert.match(r.body.message, /needs `admin`/);
  assert.not.ok(existsSync(join(h.dir, 'pipelines', 'workflows', 'nope2.yml')));
});

test('a template id may be overridden by the project', async () => {
  const r = await put('quick_deploy', workflow('quick_deploy', ['echo mine']));
  assert.is(r.status, 201);
  const shown = await h.call('GET', '/api/workflows/quick_deploy', { token: tokens.read });
  assert.is(shown.body.data.source, 'project');
});

test.run();
