// One source of structure: the committed JSON Schemas are exactly what the schema sources and
// the step registry render (editor-shaped files and the kind-picking document.schema.json
// included), they compile as draft 2020-12, and the TypeScript types agree with them (typed
// examples compile and validate; examples the types reject, the schemas reject too).
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { stringify } from 'yaml';
import { loadText } from '../../src/documents/load.ts';
import {
  documentKinds, documentSchemas, schemaFiles,
  type ActionPlanDoc, type AlertRuleDoc, type OptimizationDoc, type DocumentKind, type HealthCheckDoc, type ProjectDoc, type WorkflowDoc,
} from '../../src/documents/schema/index.ts';
import { publishedSchemas } from '../../src/documents/schema/json.ts';
import type { PluginManifestDoc } from '../../src/documents/schema/plugin.ts';

const schemasDir = join(import.meta.dirname, '..', '..', 'schemas');
type SchemaFile = keyof typeof schemaFiles;
const files = Object.keys(schemaFiles) as SchemaFile[];
const published = publishedSchemas(registry.steps);
const committed = (file: string) => readFileSync(join(schemasDir, file), 'utf8');

const validators = new Map<string, ValidateFunction>();
/**
 * The committed schema compiled by a fresh Ajv2020 that knows the other committed files by name
 * (document.schema.json refers to them), once per file: compiling is the slow part.
 */
function compileCommitted(file: string): ValidateFunction {
  let v = validators.get(file);
  if (!v) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    for (const other of Object.keys(published)) if (other !== file) ajv.addSchema(JSON.parse(committed(other)) as object, other);
    v = ajv.compile(JSON.parse(committed(file)) as object);
    validators.set(file, v);
  }
  return v;
}

/** Where two texts first differ, as `line N: committed … / rendered …`. */
function firstDifference(committedText: string, renderedText: string): string {
  const a = committedText.split('\n'), b = renderedText.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const n = i >= 0 ? i : a.length;
  return `first difference at line ${n + 1}: committed ${JSON.stringify(a[n] ?? '<end>')}, rendered ${JSON.stringify(b[n] ?? '<end>')}`;
}

for (const [file, rendered] of Object.entries(published)) {
  test(`schemas/${file} is what its schema source renders, byte for byte`, () => {
    const onDisk = committed(file);

    assert.ok(rendered === onDisk, `schemas/${file} is stale: run \`npm run schemas\` and commit the result (${firstDifference(onDisk, rendered)})`);
  });
}

test('schemas/ holds exactly the published files: one per schema source and document.schema.json (no stale leftovers)', () => {
  assert.equal(readdirSync(schemasDir).filter((f) => f.endsWith('.json')).sort(), [...files, 'document.schema.json'].sort());
  assert.equal(Object.keys(published).sort(), [...files, 'document.schema.json'].sort());
});

test('every document kind has a committed schema file', () => {
  const published = Object.values(schemaFiles) as unknown[];

  assert.equal(documentKinds.filter((k) => !published.includes(documentSchemas[k])), []);
});

for (const file of Object.keys(published)) {
  test(`schemas/${file} declares draft 2020-12 and compiles with Ajv2020`, () => {
    const json = JSON.parse(committed(file)) as Record<string, unknown>;

    assert.is(json.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.type(compileCommitted(file), 'function');
  });
}

// Typed examples: `satisfies` makes the compiler check them against the inferred types; the
// tests below check the same objects against the committed JSON Schemas and the loader.

const workflow = {
  apiVersion: 'pluginops/v1',
  kind: 'Workflow',
  metadata: { id: 'release', name: 'Release the plugin', labels: { team: 'platform' } },
  spec: {
    timeout: '30m',
    maxParallel: 2,
    env: { PLUGIN: 'acme-plugin', VERSION: '${{ params.version }}', DEBUG: false },
    parameters: { version: { type: 'string', required: true }, channel: { type: 'string', default: 'stable', enum: ['stable', 'beta'] } },
    steps: [
      { id: 'build', run: 'make VERSION="$VERSION"', shell: 'bash', timeout: '10m', retry: { limit: 2, backoff: 'exponential', delay: '5s', on: ['failure'] } },
      {
        id: 'publish', needs: ['build'], if: "params.channel == 'stable'", uses: 'http', continueOnError: false,
        with: { url: 'https://registry.example.com/plugins', method: 'POST', body: { archive: '${{ steps.build.outputs.archive }}' }, expect: { status: [200, 201] } },
      },
      { id: 'settle', needs: ['publish'], uses: 'wait', with: { duration: '30s' } },
    ],
  },
} satisfies WorkflowDoc;

const actionPlan = {
  apiVersion: 'pluginops/v1',
  kind: 'ActionPlan',
  metadata: { id: 'restart-api' },
  spec: {
    category: 'system',
    maxParallel: 1,
    parameters: { service: { type: 'string', default: 'api' } },
    steps: [
      { id: 'restart', run: 'systemctl restart "$SERVICE"', env: { SERVICE: '${{ params.service }}' } },
      { id: 'check', needs: ['restart'], uses: 'http', with: { url: 'http://localhost:8080/health' } },
    ],
  },
} satisfies ActionPlanDoc;

const healthCheck = {
  apiVersion: 'pluginops/v1',
  kind: 'HealthCheck',
  metadata: { id: 'api' },
  spec: { type: 'http', url: 'https://api.example.com/health', interval: '30s', failureThreshold: 3, conditions: ['status == 200'], remediate: { plan: 'restart-api', cooldown: '10m' } },
} satisfies HealthCheckDoc;

const alertRule = {
  apiVersion: 'pluginops/v1',
  kind: 'AlertRule',
  metadata: { id: 'api-slow' },
  spec: {
    source: { healthCheck: 'api', field: 'responseTime' },
    levels: { warning: 500, critical: 2000 },
    direction: 'above',
    for: '2m',
    notify: { channels: ['slack-ops'] },
    remediate: { plan: 'restart-api', with: { service: 'api' } },
  },
} satisfies AlertRuleDoc;

const optimization = {
  apiVersion: 'pluginops/v1',
  kind: 'Optimization',
  metadata: { id: 'api-tuning' },
  spec: {
    plugins: ['api'],
    every: '15m',
    window: '7d',
    metrics: {
      latency: { healthCheck: 'api', field: 'responseTime', unit: 'ms' },
      workers: { pushed: 'workers' },
      cpu: { process: { pidFile: 'run/${{ plugin }}.pid', measure: 'cpu' } },
    },
    analyzers: {
      workers: { latency: 'latency', current: 'workers', target: 300, max: 16, apply: { runbook: 'restart-api', with: { service: '${{ plugin }}' } } },
      thresholds: [{ metric: 'cpu', levels: { warning: 2, critical: 4 }, for: '10m' }],
    },
    verify: { warmUp: '5m', window: '30m' },
    guardrails: { cooldown: '1h' },
  },
} satisfies OptimizationDoc;

const project = {
  apiVersion: 'pluginops/v1',
  kind: 'Project',
  documents: ['pipelines'],
  store: { path: '.pluginops' },
  defaults: { maxParallel: 4, killGracePeriod: '10s', notifications: ['ops'] },
  targets: { production: { type: 'directory', path: '/srv/plugins', keep: 3 }, store: { type: 'http', url: { env: 'STORE_URL' }, headers: { authorization: { env: 'STORE_TOKEN' } } } },
  channels: { ops: { type: 'webhook', url: 'http://127.0.0.1:9000/hook' }, team: { type: 'slack', webhookUrl: { env: 'SLACK_URL' } } },
  security: { failOn: 'medium', disable: ['python.input'] },
} satisfies ProjectDoc;

const plugin = {
  id: 'payments',
  name: 'Payments',
  version: '1.2.3-rc.1',
  runtime: 'python',
  entry: 'backend/plugin.py',
  requiredFiles: ['config/plugin.json'],
  test: { command: 'pytest -q', timeout: '10m', junit: 'report.xml' },
  health: { url: 'http://127.0.0.1:8080/health', expectStatus: 200 },
  exclude: ['*.log'],
} satisfies PluginManifestDoc;

const examples: Array<{ file: SchemaFile; kind?: DocumentKind; value: object }> = [
  { file: 'workflow.schema.json', kind: 'Workflow', value: workflow },
  { file: 'action-plan.schema.json', kind: 'ActionPlan', value: actionPlan },
  { file: 'health-check.schema.json', kind: 'HealthCheck', value: healthCheck },
  { file: 'alert-rule.schema.json', kind: 'AlertRule', value: alertRule },
  { file: 'optimization.schema.json', kind: 'Optimization', value: optimization },
  { file: 'project.schema.json', value: project },
  { file: 'plugin.schema.json', value: plugin },
];

test('the examples cover every schema file', () => {
  assert.equal(examples.map((e) => e.file).sort(), [...files].sort());
});

for (const e of examples) {
  test(`a typed ${e.kind ?? 'Project'} example validates against schemas/${e.file}`, () => {
    const validate = compileCommitted(e.file);

    assert.ok(validate(e.value), JSON.stringify(validate.errors));
  });
}

for (const e of examples.filter((x) => x.kind)) {
  test(`a typed ${e.kind} example validates against schemas/document.schema.json (picked by its kind)`, () => {
    const validate = compileCommitted('document.schema.json');

    assert.ok(validate(e.value), JSON.stringify(validate.errors));
  });
}

test('document.schema.json rejects a document of a known kind with the wrong shape, and an unknown kind', () => {
  const validate = compileCommitted('document.schema.json');

  assert.equal([validate(unknownKeyDoc), validate({ ...unknownKeyDoc, kind: 'Pipeline' })], [false, false]);
});

test('the typed document examples, written as YAML, load together with zero diagnostics', () => {
  const text = examples.filter((e) => e.kind).map((e) => stringify(e.value)).join('---\n');

  const { set, diagnostics } = loadText('examples.yml', text, registry);

  assert.equal(diagnostics, []);
  assert.equal(documentKinds.map((k) => [k, [...set[k].keys()]]), [['Workflow', ['release']], ['ActionPlan', ['restart-api']], ['HealthCheck', ['api']], ['AlertRule', ['api-slow']], ['Optimization', ['api-tuning']]]);
});

const unknownKeyDoc = { apiVersion: 'pluginops/v1', kind: 'Workflow', metadata: { id: 'x' }, spec: { steps: [{ id: 'a', run: 'make', colour: 'red' }] } };

// What the types reject, the schemas reject too. Each `@ts-expect-error` fails the type check if
// the type ever starts accepting the value; each case fails at run time if the schema does.
const minimal = { apiVersion: 'pluginops/v1', kind: 'Workflow', metadata: { id: 'deploy' }, spec: { steps: [{ id: 'build', run: 'make' }] } } satisfies WorkflowDoc;

// @ts-expect-error: maxParallel is a number
const wrongType = { ...minimal, spec: { ...minimal.spec, maxParallel: 'four' } } satisfies WorkflowDoc;
// @ts-expect-error: `timout` is not a step key
const unknownKey = { ...minimal, spec: { steps: [{ id: 'build', run: 'make', timout: '5m' }] } } satisfies WorkflowDoc;
// @ts-expect-error: metadata.id is required
const missingId = { ...minimal, metadata: { name: 'Deploy' } } satisfies WorkflowDoc;
// @ts-expect-error: shell is bash or sh
const wrongEnum = { ...minimal, spec: { steps: [{ id: 'build', run: 'make', shell: 'zsh' }] } } satisfies WorkflowDoc;
// @ts-expect-error: kind is a literal
const wrongKind = { ...minimal, kind: 'Pipeline' } satisfies WorkflowDoc;

const rejected: Array<{ name: string; value: object; code: string }> = [
  { name: 'a string for maxParallel', value: wrongType, code: 'E_TYPE' },
  { name: 'an unknown step key', value: unknownKey, code: 'E_UNKNOWN_KEY' },
  { name: 'a missing metadata.id', value: missingId, code: 'E_REQUIRED' },
  { name: 'a shell outside the enum', value: wrongEnum, code: 'E_VALUE' },
  { name: 'a kind that does not exist', value: wrongKind, code: 'E_UNKNOWN_KIND' },
];
for (const r of rejected) {
  test(`${r.name}: rejected by the type, the JSON schema and the loader`, () => {
    const validate = compileCommitted('workflow.schema.json');

    assert.is(validate(r.value), false);
    assert.ok(loadText('bad.yml', stringify(r.value), registry).diagnostics.some((d) => d.code === r.code), r.code);
  });
}

test('the schema checks more than a type can say: the duration pattern and "one of uses or run"', () => {
  const noAction = { ...minimal, spec: { steps: [{ id: 'build' }] } } satisfies WorkflowDoc;
  const badDuration = { ...minimal, spec: { timeout: 'soon', steps: minimal.spec.steps } } satisfies WorkflowDoc;
  const validate = compileCommitted('workflow.schema.json');

  assert.equal([validate(minimal), validate(noAction), validate(badDuration)], [true, false, false]);
});

test.run();
