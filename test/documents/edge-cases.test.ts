// Edge cases of loading and validation: inputs that once crashed the loader or produced a
// misplaced or confusing diagnostic.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadDocuments, loadText } from '../../src/documents/load.ts';
import { assertDiagnostics, attempt, tempTree, yaml } from './helpers.ts';

/** Lines 1–6 of most workflows below; the first step is on line 7. */
const head = ['apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:', '  steps:'];
const workflow = (id: string) => yaml('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', `  id: ${id}`, 'spec:', '  steps:', '    - id: build', '      run: make');

// Expressions, YAML and messages

const crashFree = (lines: string[]) => {
  const r = attempt(() => loadText('doc.yml', yaml(...lines), registry));
  if ('thrown' in r) assert.unreachable(`loading threw instead of reporting a diagnostic: ${String(r.thrown)}`);
  return 'value' in r ? r.value.diagnostics : [];
};

const emptyExpressions: Array<{ name: string; line: string; col: number }> = [
  { name: '`${{ }}` in a script', line: '      run: echo ${{ }}', col: 17 },
  { name: 'an empty `if:`', line: '      if: ""', col: 11 },
  { name: 'a blank `if:`', line: '      if: "  "', col: 11 },
];
for (const c of emptyExpressions) {
  test(`an empty expression (${c.name}) is an E_EXPRESSION, not a crash`, () => {
    const lines = c.line.includes('run:') ? [...head, '    - id: build', c.line] : [...head, '    - id: build', '      run: make', c.line];

    const diagnostics = crashFree(lines);

    assert.equal(diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`), [`${lines.length}:${c.col} E_EXPRESSION`]);
  });
}

test('an alias bomb is an E_YAML_SYNTAX, not a crash', () => {
  const diagnostics = crashFree([
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
  ]);

  assert.equal(diagnostics.map((d) => d.code), ['E_YAML_SYNTAX']);
  assert.match(diagnostics[0]!.message, /alias/i);
});

test('expressions nested inside `with:` are left for run time, like top-level ones', () => {
  const { diagnostics } = loadText('doc.yml', yaml('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:',
    '  parameters:', '    code: {type: number, default: 200}', '  steps:', '    - id: ping', '      uses: http', '      with:',
    '        url: https://api.example.com/health', '        expect:', '          status: ${{ params.code }}'), registry);

  assertDiagnostics(diagnostics, [], 'nested expression');
});

test('an unclosed `${{` is located at itself, not at an earlier closed one', () => {
  const { diagnostics } = loadText('doc.yml', yaml(...head, '    - id: build', '      run: echo ${{ params.a }} ${{ params.b'), registry);

  assertDiagnostics(diagnostics, [{ line: 8, col: 33, code: 'E_EXPRESSION', message: 'without a closing `}}`' }], 'second template');
});

test('an unclosed quote is located at the opening quote, not at the end of the file', () => {
  const { diagnostics } = loadText('doc.yml', yaml('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: "deploy', 'spec:', '  steps: []'), registry);

  assertDiagnostics(diagnostics, [{ line: 4, col: 7, code: 'E_YAML_SYNTAX', message: /quote/ }], 'unclosed quote');
});

test('a value matching none of a union gets one diagnostic naming every allowed type', () => {
  const { diagnostics } = loadText('doc.yml', yaml(...head, '    - id: build', '      run: make', '      env:', '        FLAGS: [a, b]'), registry);

  assertDiagnostics(diagnostics, [{ line: 10, col: 16, code: 'E_TYPE', message: /is a list, expected a string, a number or a boolean/ }], 'anyOf');
});

const rawAjvMessages: Array<{ name: string; lines: string[]; line: number; col: number }> = [
  { name: 'an empty step list', lines: ['apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:', '  steps: []'], line: 6, col: 10 },
  { name: 'the same need twice', lines: [...head, '    - id: build', '      run: make', '    - id: test', '      run: make test', '      needs: [build, build]'], line: 11, col: 14 },
];
for (const c of rawAjvMessages) {
  test(`${c.name} is reported in the found/expected style, not in ajv's words`, () => {
    const { diagnostics } = loadText('doc.yml', yaml(...c.lines), registry);

    assertDiagnostics(diagnostics, [{ line: c.line, col: c.col, code: 'E_VALUE', message: /expected/ }], c.name);
    assert.not.match(diagnostics[0]!.message, /must NOT|##/);
  });
}

test('a step needing itself is reported once', () => {
  const { diagnostics } = loadText('doc.yml', yaml(...head, '    - id: build', '      run: make', '      needs: [build]'), registry);

  assertDiagnostics(diagnostics, [{ line: 9, col: 15, code: 'E_UNKNOWN_NEEDS', message: 'step `build` needs itself' }], 'self need');
});

test('a reference to a document that is defined but invalid does not claim it is undefined', () => {
  const { diagnostics } = loadText('doc.yml', yaml('apiVersion: pluginops/v1', 'kind: HealthCheck', 'metadata:', '  id: api', 'spec:', '  type: http', '  urll: https://api.example.com/health',
    '---', 'apiVersion: pluginops/v1', 'kind: AlertRule', 'metadata:', '  id: api-down', 'spec:', '  source:', '    healthCheck: api'), registry);

  assertDiagnostics(diagnostics, [{ line: 7, col: 3, code: 'E_UNKNOWN_KEY', message: 'did you mean `url`?' }], 'cascade');
});

const suggestions: Array<{ name: string; lines: string[]; hint: string }> = [
  { name: 'two swapped letters in needs', lines: [...head, '    - id: build', '      run: make', '    - id: test', '      run: make test', '      needs: [biuld]'], hint: 'did you mean `build`?' },
  { name: 'two swapped letters in a key', lines: ['apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', '  nmae: Deploy', 'spec:', '  steps:', '    - id: build', '      run: make'], hint: 'did you mean `name`?' },
  { name: 'a misspelt kind', lines: ['apiVersion: pluginops/v1', 'kind: Workflo', 'metadata:', '  id: deploy'], hint: 'did you mean `Workflow`?' },
];
for (const c of suggestions) {
  test(`${c.name} gets a suggestion`, () => {
    const { diagnostics } = loadText('doc.yml', yaml(...c.lines), registry);

    assert.is(diagnostics.length, 1);
    assert.ok(diagnostics[0]!.message.includes(c.hint), diagnostics[0]!.message);
  });
}

// Files and documents

const emptyDocuments: Array<{ name: string; text: string }> = [
  { name: 'a trailing `---`', text: `${workflow('deploy')}---\n` },
  { name: 'an empty document between two separators', text: `${workflow('deploy')}---\n# retired\n---\n${workflow('other')}` },
];
for (const c of emptyDocuments) {
  test(`${c.name} is an empty document, fine like an empty file`, () => {
    const { set, diagnostics } = loadText('docs.yml', c.text, registry);

    assertDiagnostics(diagnostics, [], c.name);
    assert.ok(set.Workflow.has('deploy'));
  });
}

test('the same file named two ways is read once (no E_DUPLICATE_ID against itself)', async () => {
  const dir = tempTree({ 'pipelines/deploy.yml': workflow('deploy') });

  const { set, diagnostics } = await loadDocuments([join(dir, 'pipelines'), `${dir}/pipelines/./deploy.yml`], dir, { registry });

  assertDiagnostics(diagnostics, [], 'two spellings');
  assert.equal([...set.Workflow.keys()], ['deploy']);
});

test('a missing path is named relative to `cwd`, like every other file in diagnostics', async () => {
  const dir = tempTree({});

  const { diagnostics } = await loadDocuments([join(dir, 'pipelines', 'deploy.yml')], dir, { registry });

  assertDiagnostics(diagnostics, [{ file: join('pipelines', 'deploy.yml'), line: 1, col: 1, code: 'E_FILE_NOT_FOUND', message: 'no such file or directory' }], 'missing name');
});

test.run();
