// Ids that become paths, through a real `pluginops serve`: a run whose plugin id climbs out of
// the deploy target, execution and incident ids with an encoded `../`, and workflow ids that are
// not document ids. Each is refused with a coded JSON error, and nothing outside changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../serve/helpers.ts';
import { launch, raw, stop, type Launch } from '../serve/process.ts';
import { plantedOutside, stateOf, type Planted } from './helpers.ts';

const token = 'w-hardening-0123456789abcdef0123';
let world: Planted;
let serve: Launch;
let url = '';

const api = async (method: string, path: string, body?: unknown) => {
  const r = await raw(url, method, path, {
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': typeof body === 'string' ? 'application/yaml' : 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: r.status, body: r.body as { data?: any; code?: string; message?: string; details?: any } };
};

test.before(async () => {
  world = await plantedOutside();
  writeFileSync(join(world.project, 'pluginops.yml'), [
    'apiVersion: pluginops/v1', 'kind: Project', 'documents: [pipelines]',
    'server:', '  tokens:', '    - { name: ci, token: { env: API_WRITE }, scopes: [admin] }',
  ].join('\n') + '\n');
  mkdirSync(join(world.project, 'pipelines'));
  // The shipped rollback_plugin declares `format: id`; this copy does not, so only the step's own check stands.
  writeFileSync(join(world.project, 'pipelines', 'unchecked.yml'), [
    'apiVersion: pluginops/v1', 'kind: ActionPlan', 'metadata: { id: unchecked_rollback, name: Unchecked rollback }', 'spec:',
    '  category: deploy', '  parameters:', '    plugin: { type: string, required: true }', '  steps:',
    '    - id: rollback', '      uses: plugin/rollback', '      with: { plugin: "${{ params.plugin }}" }',
  ].join('\n') + '\n');
  // What `../x` would reach from the executions folder, if an id were joined unchecked.
  mkdirSync(join(world.project, '.pluginops'), { recursive: true });
  writeFileSync(join(world.project, '.pluginops', 'x.jsonl'), '{"planted":"SECRET-PLANTED"}\n');
  serve = launch(world.project, { ...process.env, API_WRITE: token } as Record<string, string>, ['--port', '0']);
  url = await serve.listening;
});

test.after(async () => {
  if (serve) await stop({ child: serve.child, url, lines: serve.lines, exited: serve.exited }, 'SIGTERM');
});

test('POST /api/runs rollback_plugin with plugin ../../outside/fake: 422 E_PARAMETER at its parameter; nothing outside changes', async () => {
  const before = stateOf(join(world.outside, 'fake'));
  const refused = await api('POST', '/api/runs', { templateId: 'rollback_plugin', data: { plugin: '../../outside/fake' } });
  assert.is(refused.status, 422, JSON.stringify(refused.body));
  assert.is(refused.body.details?.[0]?.code, 'E_PARAMETER');
  assert.equal(stateOf(join(world.outside, 'fake')), before);
});

test('POST /api/runs of a plan without the format: the plugin/rollback step fails with E_BAD_ID, nothing outside changes', async () => {
  const before = stateOf(join(world.outside, 'fake'));
  const started = await api('POST', '/api/runs', { templateId: 'unchecked_rollback', data: { plugin: '../../outside/fake' } });
  assert.is(started.status, 202, JSON.stringify(started.body));
  const id = started.body.data.id as string;
  const run = await eventually(async () => {
    const r = await api('GET', `/api/runs/${id}`);
    return ['failed', 'success'].includes(r.body.data?.status) ? r.body.data : undefined;
  }, { what: 'the run to finish' });
  assert.is(run.status, 'failed');
  assert.match(run.steps.rollback.error, /\(E_BAD_ID\)/);
  assert.equal(stateOf(join(world.outside, 'fake')), before);
});

test('execution, run and incident ids with an encoded ../ answer 400 with a code, and read nothing', async () => {
  for (const path of ['/api/executions/..%2Fx', '/api/executions/..%2Fx/logs', '/api/runs/..%2Fx', '/api/incidents/..%2Fx', '/api/executions/%2E%2E%2Fx']) {
    const r = await api('GET', path);
    assert.is(r.status, 400, path);
    assert.is(r.body.code, 'E_VALIDATION', path);
    assert.not.match(JSON.stringify(r.body), /SECRET-PLANTED/);
  }
});

const plan = (id: string) => `apiVersion: pluginops/v1\nkind: ActionPlan\nmetadata: { id: ${JSON.stringify(id)} }\nspec:\n  steps:\n    - id: s\n      run: "true"\n`;

test('PUT /api/workflows with ../x, or an id that is not a document id, is refused with 400 and writes no file', async () => {
  for (const [path, id, reason] of [['/api/workflows/..%2Fx', '../x', undefined], ['/api/workflows/x.y', 'x.y', 'E_BAD_ID'], ['/api/workflows/a:b', 'a:b', 'E_BAD_ID']] as const) {
    const r = await api('PUT', path, plan(id));
    assert.is(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
    if (reason) assert.is(r.body.details?.reason, reason, path);
    assert.is(r.body.code, 'E_VALIDATION', path);
  }
  assert.equal(readdirSync(join(world.project, 'pipelines')), ['unchecked.yml'], 'no file beside the plan written at set-up');
  assert.not.ok(existsSync(join(world.project, 'x.yml')));
  const ok = await api('PUT', '/api/workflows/fine_plan', plan('fine_plan'));
  assert.is(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(readdirSync(join(world.project, 'pipelines')).sort(), ['plans', 'unchecked.yml']);
  assert.equal(readdirSync(join(world.project, 'pipelines', 'plans')), ['fine_plan.yml']);
});

test.run();
