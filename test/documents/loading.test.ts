// Loading files and directories into a DocumentSet: what is read, what is skipped, and that
// realistic documents of every kind load with no diagnostic at all.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { allDocuments, type DocumentSet } from '../../src/documents/document-set.ts';
import { loadDocuments, loadText } from '../../src/documents/load.ts';
import { assertDiagnostics, tempTree, yaml } from './helpers.ts';

const release = yaml(
  '# Builds the plugin, publishes it, and checks that the new version answers.',
  'apiVersion: pluginops/v1',
  'kind: Workflow',
  'metadata:',
  '  id: release',
  '  name: Release the plugin',
  '  labels:',
  '    team: platform',
  'spec:',
  '  timeout: 30m',
  '  maxParallel: 2',
  '  autoRollback: true',
  '  parameters:',
  '    version:',
  '      type: string',
  '      required: true',
  '      description: Version to release, e.g. 1.4.0',
  '    channel:',
  '      type: string',
  '      default: stable',
  '      enum: [stable, beta]',
  '  env:',
  '    PLUGIN: acme-plugin',
  '    VERSION: ${{ params.version }}',
  '  steps:',
  '    - id: build',
  '      name: Build the archive',
  '      run: |',
  '        npm ci',
  '        npm run build -- --version "$VERSION"',
  '        echo "archive=dist/$PLUGIN-$VERSION.tgz" >> "$PLUGINOPS_OUTPUT"',
  '      timeout: 10m',
  '      retry:',
  '        limit: 2',
  '        backoff: exponential',
  '        delay: 5s',
  '        on: [failure]',
  '        exitCodes: [75]',
  '    - id: publish',
  '      needs: [build]',
  "      if: ${{ params.channel == 'stable' }}",
  '      uses: http',
  '      with:',
  '        url: https://registry.example.com/plugins',
  '        method: POST',
  '        headers:',
  '          Authorization: Bearer ${{ secrets.REGISTRY_TOKEN }}',
  '        body:',
  '          archive: ${{ steps.build.outputs.archive }}',
  '          channel: ${{ params.channel }}',
  '        expect:',
  '          status: [200, 201]',
  '      retry: {limit: 3, delay: 2s, maxDelay: 30s, jitter: 0.1}',
  '    - id: settle',
  '      needs: [publish]',
  '      uses: wait',
  '      with:',
  '        duration: 30s',
  '    - id: smoke',
  '      needs: [settle]',
  '      uses: http',
  '      continueOnError: true',
  '      env:',
  '        EXPECTED: ${{ params.version }}',
  '      with:',
  '        url: https://api.example.com/plugins/acme-plugin',
  '        expect:',
  '          status: 200',
  '          json: {version: "${{ params.version }}"}',
  '          maxResponseTime: 2s',
);

const restartPlan = yaml(
  'apiVersion: pluginops/v1',
  'kind: ActionPlan',
  'metadata:',
  '  id: restart-api',
  '  description: Restart the API and wait until it answers.',
  'spec:',
  '  category: system',
  '  timeout: 5m',
  '  parameters:',
  '    service: {type: string, default: api}',
  '  steps:',
  '    - id: restart',
  '      run: systemctl restart "$SERVICE"',
  '      shell: bash',
  '      env:',
  '        SERVICE: ${{ params.service }}',
  '    - id: pause',
  '      needs: [restart]',
  '      uses: wait',
  '      with: {duration: 10s}',
  '    - id: check',
  '      needs: [pause]',
  '      uses: http',
  '      with:',
  '        url: http://localhost:8080/health',
);

const apiCheck = yaml(
  'apiVersion: pluginops/v1',
  'kind: HealthCheck',
  'metadata:',
  '  id: api',
  'spec:',
  '  type: http',
  '  url: https://api.example.com/health',
  '  interval: 30s',
  '  timeout: 5s',
  '  conditions:',
  '    - status == 200',
  '  failureThreshold: 3',
  '  successThreshold: 1',
  '  remediate:',
  '    plan: restart-api',
  '    cooldown: 10m',
);

const apiDown = yaml(
  'apiVersion: pluginops/v1',
  'kind: AlertRule',
  'metadata:',
  '  id: api-slow',
  'spec:',
  '  source:',
  '    healthCheck: api',
  '    field: responseTime',
  '  levels: {warning: 500, danger: 1000, critical: 2000}',
  '  direction: above',
  '  for: 2m',
  '  keepFiringFor: 5m',
  '  notify:',
  '    escalate: true',
  '    channels: [slack-ops]',
  '  remediate:',
  '    plan: restart-api',
  '    cooldown: 15m',
  '    with: {service: api}',
);

const workflow = (id: string) => yaml('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', `  id: ${id}`, 'spec:', '  steps:', '    - id: build', '      run: make');
const project = yaml('apiVersion: pluginops/v1', 'kind: Project', 'documents: [pipelines]', 'store: {path: .pluginops}');
/** Content that gives diagnostics if it is ever read. */
const broken = yaml('kind: Nope', 'metadata: [');

const ids = (set: DocumentSet) => ({
  Workflow: [...set.Workflow.keys()].sort(),
  ActionPlan: [...set.ActionPlan.keys()].sort(),
  HealthCheck: [...set.HealthCheck.keys()].sort(),
  AlertRule: [...set.AlertRule.keys()].sort(),
});

test('realistic documents of all four kinds load with zero diagnostics', async () => {
  const dir = tempTree({ 'workflows/release.yml': release, 'ops/restart-api.yaml': restartPlan, 'ops/checks/api.yml': apiCheck, 'ops/alerts/api-slow.yml': apiDown });

  const { set, diagnostics } = await loadDocuments([dir], dir, { registry });

  assertDiagnostics(diagnostics, [], 'valid documents');
  assert.equal(ids(set), { Workflow: ['release'], ActionPlan: ['restart-api'], HealthCheck: ['api'], AlertRule: ['api-slow'] });
  const flow = set.Workflow.get('release')!;
  assert.equal(flow.doc.spec.steps.map((s) => [s.id, s.uses ?? 'run', s.needs ?? []]), [
    ['build', 'run', []], ['publish', 'http', ['build']], ['settle', 'wait', ['publish']], ['smoke', 'http', ['settle']],
  ]);
  assert.equal(flow.doc.spec.steps[0]!.retry, { limit: 2, backoff: 'exponential', delay: '5s', on: ['failure'], exitCodes: [75] });
  assert.is(flow.doc.spec.steps[0]!.run, 'npm ci\nnpm run build -- --version "$VERSION"\necho "archive=dist/$PLUGIN-$VERSION.tgz" >> "$PLUGINOPS_OUTPUT"\n');
  assert.equal(flow.doc.spec.parameters?.channel, { type: 'string', default: 'stable', enum: ['stable', 'beta'] });
  assert.is(flow.src.file, join('workflows', 'release.yml'));
  assert.is(set.AlertRule.get('api-slow')!.doc.spec.remediate?.plan, 'restart-api');
});

test('a directory is searched recursively for .yml and .yaml, skipping dotfiles, dot-folders, node_modules and other files', async () => {
  const dir = tempTree({
    'a.yml': workflow('top'),
    'nested/b.yaml': workflow('nested'),
    'nested/deeper/still/c.yml': workflow('deep'),
    'UPPER.YML': workflow('upper'),
    '.hidden.yml': broken,
    '.github/workflows/ci.yml': broken,
    'node_modules/some-plugin/pipeline.yml': broken,
    'README.md': '# not a document\n',
    'notes.yml.txt': broken,
  });

  const { set, diagnostics } = await loadDocuments([dir], dir, { registry });

  assertDiagnostics(diagnostics, [], 'directory walk');
  assert.equal(ids(set).Workflow, ['deep', 'nested', 'top', 'upper']);
  assert.equal(allDocuments(set).map((d) => d.src.file).sort(), ['UPPER.YML', 'a.yml', join('nested', 'b.yaml'), join('nested', 'deeper', 'still', 'c.yml')].sort());
});

test('a multi-document file loads every document into the set by kind and id', async () => {
  const dir = tempTree({ 'ops.yml': [restartPlan, apiCheck, apiDown].join('---\n') });

  const { set, diagnostics } = await loadDocuments([join(dir, 'ops.yml')], dir, { registry });

  assertDiagnostics(diagnostics, [], 'multi-document');
  assert.equal(ids(set), { Workflow: [], ActionPlan: ['restart-api'], HealthCheck: ['api'], AlertRule: ['api-slow'] });
  assert.equal(allDocuments(set).map((d) => [d.kind, d.src.file, d.src.index]), [['ActionPlan', 'ops.yml', 0], ['HealthCheck', 'ops.yml', 1], ['AlertRule', 'ops.yml', 2]]);
});

test('files and directories given together load together; references resolve across files', async () => {
  const dir = tempTree({ 'plans/restart.yml': restartPlan, 'checks/api.yml': apiCheck, 'alerts.yml': apiDown });

  const { set, diagnostics } = await loadDocuments([join(dir, 'alerts.yml'), join(dir, 'plans'), join(dir, 'checks', 'api.yml')], dir, { registry });

  assertDiagnostics(diagnostics, [], 'files and directories');
  assert.equal(ids(set), { Workflow: [], ActionPlan: ['restart-api'], HealthCheck: ['api'], AlertRule: ['api-slow'] });
});

test('pluginops.yml (kind: Project) among the documents is skipped, in a directory or named directly', async () => {
  const dir = tempTree({ 'pluginops.yml': project, 'pipelines/deploy.yml': workflow('deploy') });

  const fromDir = await loadDocuments([dir], dir, { registry });
  const direct = await loadDocuments([join(dir, 'pluginops.yml')], dir, { registry });

  assertDiagnostics(fromDir.diagnostics, [], 'project in directory');
  assert.equal(ids(fromDir.set), { Workflow: ['deploy'], ActionPlan: [], HealthCheck: [], AlertRule: [] });
  assertDiagnostics(direct.diagnostics, [], 'project named directly');
  assert.is(allDocuments(direct.set).length, 0);
});

const emptyFiles: Array<{ name: string; content: string }> = [
  { name: 'an empty file', content: '' },
  { name: 'a file of comments only', content: '# nothing here yet\n# (documents come later)\n' },
  { name: 'a file of blank lines', content: '\n\n   \n' },
];
for (const c of emptyFiles) {
  test(`${c.name} is fine and adds nothing`, async () => {
    const dir = tempTree({ 'empty.yml': c.content, 'deploy.yml': workflow('deploy') });

    const { set, diagnostics } = await loadDocuments([dir], dir, { registry });

    assertDiagnostics(diagnostics, [], c.name);
    assert.equal(allDocuments(set).map((d) => d.src.file), ['deploy.yml']);
  });
}

test('a missing path gives E_FILE_NOT_FOUND while the other paths still load', async () => {
  const dir = tempTree({ 'deploy.yml': workflow('deploy') });
  const missing = join(dir, 'no-such-dir');

  const { set, diagnostics } = await loadDocuments([missing, join(dir, 'deploy.yml')], dir, { registry });

  assertDiagnostics(diagnostics, [{ line: 1, col: 1, code: 'E_FILE_NOT_FOUND', message: 'no such file or directory; expected a YAML file or a directory of them' }], 'missing');
  assert.ok(diagnostics[0]!.file.endsWith('no-such-dir'), diagnostics[0]!.file);
  assert.equal(ids(set).Workflow, ['deploy']);
});

test('a file that cannot be read gives E_FILE_UNREADABLE at 1:1', async () => {
  const dir = tempTree({ 'deploy.yml': workflow('deploy') });
  symlinkSync(join(dir, 'gone.yml'), join(dir, 'dangling.yml'));

  const { set, diagnostics } = await loadDocuments([dir], dir, { registry });

  assertDiagnostics(diagnostics, [{ file: 'dangling.yml', line: 1, col: 1, code: 'E_FILE_UNREADABLE', message: /^cannot read the file: ENOENT/ }], 'dangling link');
  assert.equal(ids(set).Workflow, ['deploy']);
});

test('the same path given twice is read once', async () => {
  const dir = tempTree({ 'deploy.yml': workflow('deploy') });

  const { set, diagnostics } = await loadDocuments([dir, join(dir, 'deploy.yml'), dir], dir, { registry });

  assertDiagnostics(diagnostics, [], 'same path');
  assert.equal(ids(set).Workflow, ['deploy']);
});

test('an invalid document is left out of the set while its valid neighbours load', () => {
  const text = [workflow('good'), yaml('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: bad', 'spec:', '  steps: []'), workflow('also-good')].join('---\n');

  const { set, diagnostics } = loadText('mixed.yml', text, registry);

  assert.equal(diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`), ['15:10 E_VALUE']);
  assert.equal(ids(set).Workflow, ['also-good', 'good']);
});

test('of two documents with the same kind and id, the first stays in the set', () => {
  const first = workflow('deploy');
  const second = first.replace('run: make', 'run: make release');

  const { set, diagnostics } = loadText('twice.yml', `${first}---\n${second}`, registry);

  assert.equal(diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`), ['13:7 E_DUPLICATE_ID']);
  assert.is(set.Workflow.get('deploy')!.doc.spec.steps[0]!.run, 'make');
});

test.run();
