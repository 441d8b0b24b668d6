// Every diagnostic code that loading produces, each from a small YAML input, with the exact
// line and column counted by hand from the text (lines and columns from 1).
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic } from '../../src/documents/diagnostics.ts';
import { loadDocuments, loadText, type LoadResult } from '../../src/documents/load.ts';
import { assertDiagnostics, tempTree, yaml, type Expected } from './helpers.ts';

/** Lines 1–6 of most workflows below; the first step is on line 7. */
const head = ['apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:', '  steps:'];

const text = (...lines: string[]) => () => loadText('doc.yml', yaml(...lines), registry);

interface Case { name: string; load: () => LoadResult | Promise<LoadResult>; expected: Expected[] }

const cases: Case[] = [
  {
    name: 'a missing path',
    load: () => loadDocuments(['test/documents/no-such-folder/deploy.yml'], process.cwd(), { registry }),
    expected: [{ file: 'test/documents/no-such-folder/deploy.yml', line: 1, col: 1, code: 'E_FILE_NOT_FOUND', message: 'no such file or directory; expected a YAML file' }],
  },
  {
    name: 'a tab used as indentation',
    load: text('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '\tid: deploy'),
    expected: [{ file: 'doc.yml', line: 4, col: 1, code: 'E_YAML_SYNTAX', message: 'Tabs are not allowed as indentation' }],
  },
  {
    name: 'a step key indented one space short of its siblings',
    load: text(...head, '    - id: build', '     run: make'),
    expected: [{ line: 8, col: 1, code: 'E_YAML_SYNTAX', message: 'Sequence item without - indicator' }],
  },
  {
    name: 'a key given twice',
    load: text(...head, '    - id: build', '      run: make', '      run: make test'),
    expected: [{ line: 9, col: 7, code: 'E_YAML_SYNTAX', message: 'Map keys must be unique' }],
  },
  {
    name: 'a misspelt kind',
    load: text('apiVersion: pluginops/v1', 'kind: Workflo', 'metadata:', '  id: deploy'),
    expected: [{ line: 2, col: 7, code: 'E_UNKNOWN_KIND', message: 'found kind "Workflo"; did you mean `Workflow`? expected one of: Workflow, ActionPlan, HealthCheck, AlertRule' }],
  },
  {
    name: 'no kind at all',
    load: text('apiVersion: pluginops/v1', 'metadata:', '  id: deploy'),
    expected: [{ line: 1, col: 1, code: 'E_UNKNOWN_KIND', message: 'found no `kind`; expected one of: Workflow' }],
  },
  {
    name: 'a missing required key points at the map that lacks it',
    load: text('apiVersion: pluginops/v1', 'kind: HealthCheck', 'metadata:', '  id: api', 'spec:', '  url: https://api.example.com/health'),
    expected: [{ line: 5, col: 1, code: 'E_REQUIRED', message: '`spec` is missing the required key `type`' }],
  },
  {
    name: 'an unknown key points at the key and suggests the near spelling',
    load: text(...head, '    - id: build', '      run: make', '      timout: 10m'),
    expected: [{ line: 9, col: 7, code: 'E_UNKNOWN_KEY', message: /^unknown key `timout` in `spec\.steps\[0\]`; did you mean `timeout`\? expected one of: id, name, uses, run,/ }],
  },
  {
    name: 'an unknown input of a step type',
    load: text(...head, '    - id: ping', '      uses: http', '      with:', '        url: https://api.example.com', '        methd: POST'),
    expected: [{ line: 11, col: 9, code: 'E_UNKNOWN_KEY', message: 'unknown key `methd` in `spec.steps[0].with`; did you mean `method`?' }],
  },
  {
    name: '`with:` on a run step',
    load: text(...head, '    - id: build', '      run: make', '      with: {target: all}'),
    expected: [{ line: 9, col: 7, code: 'E_UNKNOWN_KEY', message: 'a `run` step takes no `with:`; expected `env:`' }],
  },
  {
    name: 'a wrong type says what was found and what was expected',
    load: text('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:', '  maxParallel: four', '  steps:', '    - id: build', '      run: make'),
    expected: [{ line: 6, col: 16, code: 'E_TYPE', message: '`spec.maxParallel` is "four", expected an integer' }],
  },
  {
    name: '`yes` is text in YAML 1.2, not a boolean',
    load: text(...head, '    - id: build', '      run: make', '      continueOnError: yes'),
    expected: [{ line: 9, col: 24, code: 'E_TYPE', message: '`spec.steps[0].continueOnError` is "yes", expected a boolean' }],
  },
  {
    name: 'a value outside a pattern names the expected form',
    load: text(...head, '    - id: build', '      run: make', '      timeout: soon'),
    expected: [{ line: 9, col: 16, code: 'E_VALUE', message: '`spec.steps[0].timeout` is "soon", expected a duration such as `500ms`, `30s`' }],
  },
  {
    name: 'a value outside an enum lists the allowed values',
    load: text('apiVersion: pluginops/v1', 'kind: HealthCheck', 'metadata:', '  id: api', 'spec:', '  type: htttp'),
    expected: [{ line: 6, col: 9, code: 'E_VALUE', message: '`spec.type` is "htttp", expected one of: http, tcp, command, prometheus, loki, plugin' }],
  },
  {
    name: 'a wrong apiVersion',
    load: text('apiVersion: v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:', '  steps:', '    - id: build', '      run: make'),
    expected: [{ line: 1, col: 13, code: 'E_VALUE', message: '`apiVersion` is "v1", expected "pluginops/v1"' }],
  },
  {
    name: 'a step with both `uses` and `run`',
    load: text(...head, '    - id: build', '      uses: wait', '      run: make'),
    expected: [{ line: 7, col: 7, code: 'E_STEP_SHAPE', message: '`spec.steps[0]`: a step needs exactly one of `uses` or `run` (found keys id, uses, run)' }],
  },
  {
    name: 'a step with neither `uses` nor `run`',
    load: text(...head, '    - id: build', '      name: Build'),
    expected: [{ line: 7, col: 7, code: 'E_STEP_SHAPE', message: '(found keys id, name)' }],
  },
  {
    name: 'the same document id in two files names the other file:line:col',
    load: () => {
      const dir = tempTree({
        'a.yml': yaml('# the first definition', 'apiVersion: pluginops/v1', 'kind: Workflow', 'metadata: {id: deploy}', 'spec:', '  steps:', '    - id: build', '      run: make'),
        'b.yml': yaml(...head, '    - id: build', '      run: make'),
      });
      return loadDocuments([dir], dir, { registry });
    },
    expected: [{ file: 'b.yml', line: 4, col: 7, code: 'E_DUPLICATE_ID', message: 'Workflow id `deploy` is also defined at a.yml:4:16; expected ids unique per kind' }],
  },
  {
    name: 'the same step id twice',
    load: text(...head, '    - id: build', '      run: make', '    - id: build', '      run: make test'),
    expected: [{ line: 9, col: 11, code: 'E_DUPLICATE_STEP', message: 'step id `build` is used twice (first at line 7)' }],
  },
  {
    name: 'needs naming no step, with the near spelling',
    load: text(...head, '    - id: build', '      run: make', '    - id: test', '      run: make test', '      needs: [buld]'),
    expected: [{ line: 11, col: 15, code: 'E_UNKNOWN_NEEDS', message: 'step `test` needs `buld`, which is not a step here; did you mean `build`? expected one of: build' }],
  },
  {
    name: 'a cycle prints its path',
    load: text(...head, '    - id: a', '      run: echo a', '      needs: [b]', '    - id: b', '      run: echo b', '      needs: [a]'),
    expected: [{ line: 9, col: 15, code: 'E_CYCLE', message: 'steps form a cycle through needs: a → b → a' }],
  },
  {
    name: 'an expression error inside a `run: |` block points at its `${{`',
    load: text(...head, '    - id: build', '      run: |', '        echo "building"', '        make VERSION=${{ params.version == }}', '        echo done'),
    expected: [{ line: 10, col: 22, code: 'E_EXPRESSION', message: /^in `params\.version ==`: / }],
  },
  {
    name: 'an unclosed `${{` in an env value',
    load: text(...head, '    - id: build', '      run: make', '      env:', '        VERSION: v${{ params.version'),
    expected: [{ line: 10, col: 19, code: 'E_EXPRESSION', message: 'found `${{` without a closing `}}`' }],
  },
  {
    name: 'an unknown context in an `if:` written without braces',
    load: text(...head, '    - id: build', '      run: make', "      if: github.ref == 'refs/heads/main'"),
    expected: [{ line: 9, col: 11, code: 'E_EXPRESSION', message: 'unknown name `github`; expected a context (params, env, steps,' }],
  },
  {
    name: '`steps.X.outputs.Y` where X is not upstream',
    load: text(...head, '    - id: build', '      run: make', '    - id: publish', '      uses: http', '      with:',
      '        url: https://registry.example.com/upload', "        body: 'version=${{ steps.build.outputs.version }}'"),
    expected: [{ line: 13, col: 24, code: 'E_NOT_UPSTREAM', message: '`steps.build.outputs.version` reads step `build`, but `build` is not upstream of `publish` (add it to needs)' }],
  },
  {
    name: 'a step reading its own outputs',
    load: text(...head, '    - id: build', '      run: echo ${{ steps.build.outputs.version }}'),
    expected: [{ line: 8, col: 17, code: 'E_NOT_UPSTREAM', message: 'a step cannot read its own outputs' }],
  },
  {
    name: 'document-level env reading a step',
    load: text('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:', '  env:', '    VERSION: ${{ steps.build.outputs.version }}', '  steps:', '    - id: build', '      run: make'),
    expected: [{ line: 7, col: 14, code: 'E_NOT_UPSTREAM', message: 'document-level values are evaluated before any step runs' }],
  },
  {
    name: 'an unknown step type with a suggestion',
    load: text(...head, '    - id: ping', '      uses: htpp', '      with:', '        url: https://api.example.com'),
    expected: [{ line: 8, col: 13, code: 'E_UNKNOWN_STEP_TYPE', message: 'unknown step type `htpp`; did you mean `http`? expected one of: http, wait' }],
  },
  {
    name: 'references to documents that are not loaded',
    load: text('apiVersion: pluginops/v1', 'kind: AlertRule', 'metadata:', '  id: api-down', 'spec:', '  source:', '    healthCheck: api', '  remediate:', '    plan: restart-api'),
    expected: [
      { line: 7, col: 18, code: 'E_UNKNOWN_REFERENCE', message: 'HealthCheck `api` is not defined; expected one of: (no HealthCheck documents loaded)' },
      { line: 9, col: 11, code: 'E_UNKNOWN_REFERENCE', message: 'ActionPlan `restart-api` is not defined' },
    ],
  },
  {
    name: 'an undeclared parameter',
    load: text('apiVersion: pluginops/v1', 'kind: ActionPlan', 'metadata:', '  id: restart', 'spec:', '  parameters:', '    target: {type: string, required: true}',
      '  steps:', '    - id: restart', '      run: ./restart.sh', '      env:', '        TARGET: ${{ params.taget }}'),
    expected: [{ line: 12, col: 17, code: 'E_PARAMETER', message: '`params.taget` reads parameter `taget`, which is not declared; expected one of: target' }],
  },
  {
    name: 'a HealthCheck with both interval and cron, at the cron key',
    load: text('apiVersion: pluginops/v1', 'kind: HealthCheck', 'metadata:', '  id: api', 'spec:', '  type: http', '  url: https://api.example.com/health',
      '  interval: 30s', '  cron: "*/5 * * * *"'),
    expected: [{ line: 9, col: 3, code: 'E_CADENCE', message: 'found both `interval: 30s` and `cron: "*/5 * * * *"`; expected one of them' }],
  },
  {
    name: 'every schema error in a file, sorted by position',
    load: text('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', '  nme: Deploy', 'spec:', '  maxParallel: 0', '  steps:',
      '    - id: build', '      run: make', '      timout: 10m', '      retry: {limit: three}'),
    expected: [
      { line: 5, col: 3, code: 'E_UNKNOWN_KEY', message: 'unknown key `nme` in `metadata`; did you mean `name`?' },
      { line: 7, col: 16, code: 'E_VALUE', message: '`spec.maxParallel` is 0' },
      { line: 11, col: 7, code: 'E_UNKNOWN_KEY', message: 'did you mean `timeout`?' },
      { line: 12, col: 22, code: 'E_TYPE', message: '`spec.steps[0].retry.limit` is "three", expected an integer' },
    ],
  },
  {
    name: 'every rule error in a file, sorted by position (the rules find them in another order)',
    load: text(...head, '    - id: notify', '      run: echo ${{ steps.build.outputs.version }}', '    - id: build', '      uses: make',
      '    - id: build', '      run: make', '      needs: [tset]'),
    expected: [
      { line: 8, col: 17, code: 'E_NOT_UPSTREAM', message: '`build` is not upstream of `notify`' },
      { line: 10, col: 13, code: 'E_UNKNOWN_STEP_TYPE', message: 'unknown step type `make`' },
      { line: 11, col: 11, code: 'E_DUPLICATE_STEP', message: 'step id `build` is used twice (first at line 9)' },
      { line: 13, col: 15, code: 'E_UNKNOWN_NEEDS', message: 'step `build` needs `tset`' },
    ],
  },
  {
    name: 'errors of every document in a multi-document file',
    load: text(...head, '    - id: build', '      run: make', '      timout: 10m', '---', 'apiVersion: pluginops/v1', 'kind: HealthCheck', 'metadata:', '  id: api', 'spec:', '  type: http', '  port: 0'),
    expected: [
      { line: 9, col: 7, code: 'E_UNKNOWN_KEY', message: 'unknown key `timout`' },
      { line: 17, col: 9, code: 'E_VALUE', message: '`spec.port` is 0' },
    ],
  },
];

for (const c of cases) {
  test(c.name, async () => {
    const { diagnostics } = await c.load();
    assertDiagnostics(diagnostics, c.expected, c.name);
  });
}

test('every code that loading can produce is covered by the table', async () => {
  const seen = new Set<string>();
  for (const c of cases) for (const d of (await c.load()).diagnostics) seen.add(d.code);
  assert.equal([...seen].sort(), [
    'E_CADENCE', 'E_CYCLE', 'E_DUPLICATE_ID', 'E_DUPLICATE_STEP', 'E_EXPRESSION', 'E_FILE_NOT_FOUND', 'E_NOT_UPSTREAM', 'E_PARAMETER', 'E_REQUIRED',
    'E_STEP_SHAPE', 'E_TYPE', 'E_UNKNOWN_KEY', 'E_UNKNOWN_KIND', 'E_UNKNOWN_NEEDS', 'E_UNKNOWN_REFERENCE', 'E_UNKNOWN_STEP_TYPE', 'E_VALUE', 'E_YAML_SYNTAX',
  ]);
});

test('diagnostics across files are sorted by file, then position', async () => {
  const dir = tempTree({
    'b.yml': yaml(...head, '    - id: build', '      run: make', '      timout: 10m'),
    'a.yml': yaml(...head, '    - id: build', '      run: make', '      needs: [nope]'),
  });

  const { diagnostics } = await loadDocuments([dir], dir, { registry });

  assert.equal(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`), ['a.yml:9:15 E_UNKNOWN_NEEDS', 'b.yml:9:7 E_UNKNOWN_KEY']);
});

test('formatDiagnostic prints file:line:col, the code and the message', () => {
  const { diagnostics } = loadText('pipelines/deploy.yml', yaml(...head, '    - id: build', '      run: make', '      timout: 10m'), registry);

  assert.is(diagnostics.length, 1);
  assert.match(formatDiagnostic(diagnostics[0]!), /^pipelines\/deploy\.yml:9:7: E_UNKNOWN_KEY unknown key `timout` in `spec\.steps\[0\]`; did you mean `timeout`\?/);
});

test.run();
