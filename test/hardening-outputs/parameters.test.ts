// `validate` agrees with `run` about parameters: a default that breaks its own type, enum,
// pattern or format is a located error (file:line:col, E_PARAMETER); a pattern that is not a
// regular expression too. Given values are held to pattern and format on every way in: the
// command line (-p, --data) and an approver's Modify (the API's POST /api/runs is in
// forged-outputs.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkParameterValue } from '../../src/documents/parameters/value.ts';
import type { ParameterFormat } from '../../src/documents/parameters/formats.ts';
import { cli, project } from '../cli/helpers.ts';

const plan = (parameters: string[], extra: string[] = []) => [
  'apiVersion: pluginops/v1',
  'kind: ActionPlan',
  'metadata: { id: p }',
  'spec:',
  '  parameters:',
  ...parameters.map((l) => `    ${l}`),
  ...extra,
  '  steps:',
  '    - id: a',
  '      env: { NAME: "${{ params.name }}" }',
  '      run: echo "$NAME" > ran.txt',
].join('\n') + '\n';

const badDefaults: Array<{ name: string; line: string; at: string; message: RegExp }> = [
  { name: 'a boolean default that is not a boolean', line: 'flag: { type: boolean, default: maybe }', at: '7:37', message: /parameter `flag` is "maybe", expected a boolean; a run that does not set it would fail/ },
  { name: 'a number default that is not a number', line: 'n: { type: number, default: lots }', at: '7:33', message: /parameter `n` is "lots", expected a number/ },
  { name: 'a default outside the enum', line: 'env: { default: qa, enum: [dev, prod] }', at: '7:21', message: /parameter `env` is "qa", expected one of: dev, prod/ },
  { name: 'a default that does not match its pattern', line: "ticket: { default: 'INC 1', pattern: '^INC-[0-9]+$' }", at: '7:24', message: /parameter `ticket` is "INC 1", expected text matching \/\^INC-\[0-9\]\+\$\// },
  { name: 'a default that does not have its format', line: 'dir: { default: /var/../etc, format: absolute-path }', at: '7:21', message: /parameter `dir` is "\/var\/..\/etc": it has a `..` segment/ },
  { name: 'a pattern that is not a regular expression', line: "x: { pattern: '([a-z' }", at: '7:19', message: /has the pattern \/\(\[a-z\/, which is not a regular expression/ },
  { name: 'a pattern on a number', line: "x: { type: number, pattern: '^1$' }", at: '7:24', message: /parameter `x` is a number, which takes no `pattern`/ },
];

for (const c of badDefaults) {
  test(`validate: ${c.name} is a located E_PARAMETER error`, async () => {
    const dir = project({ 'pipelines/p.yml': plan(['name: { default: x }', c.line]) });

    const r = await cli(['validate'], dir);

    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, `pipelines/p.yml:${c.at}: E_PARAMETER`, r.stderr);
    assert.match(r.stderr, c.message);
  });
}

test('validate: the same checks apply to an approval step\'s parameters', async () => {
  const text = [
    'apiVersion: pluginops/v1', 'kind: Workflow', 'metadata: { id: w }', 'spec:', '  steps:',
    '    - id: gate', '      uses: approval', '      with:',
    '        parameters: { channel: { default: nightly, enum: [stable, beta] } }',
  ].join('\n') + '\n';
  const dir = project({ 'pipelines/w.yml': text });

  const r = await cli(['validate'], dir);

  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /pipelines\/w.yml:9:\d+: E_PARAMETER the default does not hold: parameter `channel` is "nightly", expected one of: stable, beta/);
});

test('validate: good declarations with pattern and format are valid', async () => {
  const dir = project({ 'pipelines/p.yml': plan(['name: { default: INC-1, pattern: "^INC-[0-9]+$" }', 'dir: { default: var/log, format: relative-path }', 'url: { default: "", format: uri }']) });

  const r = await cli(['validate'], dir);

  assert.is(r.code, 0, r.stdout + r.stderr);
});

const declared = ['name: { type: string, required: true, pattern: "^[a-z]+$", format: id }'];

test('run refuses a value outside pattern or format from -p and --data, before any step', async () => {
  const dir = project({ 'pipelines/p.yml': plan(declared) });

  const p = await cli(['run', 'p', '-p', 'name=abc\nxyz'], dir);
  const data = await cli(['run', 'p', '--data', JSON.stringify({ name: 'ABC' })], dir);
  const ok = await cli(['run', 'p', '-p', 'name=abc'], dir);

  assert.is(p.code, 2, p.stderr);
  assert.match(p.stderr, /E_PARAMETER: parameter `name` is "abc\\nxyz", expected text matching \/\^\[a-z\]\+\$\//);
  assert.is(data.code, 2, data.stderr);
  assert.match(data.stderr, /E_PARAMETER: parameter `name` is "ABC", expected text matching/);
  assert.is(ok.code, 0, ok.stderr);
  assert.ok(existsSync(join(dir, 'ran.txt')));
});

test('an approver\'s Modify is held to pattern and format (E_INVALID_VALUES), and nothing runs', async () => {
  const dir = project({ 'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n', 'pipelines/p.yml': plan(declared, ['  approval: { required: true }']) });
  const started = await cli(['run', 'p', '-p', 'name=abc', '--quiet'], dir, { env: { PLUGINOPS_USER: 'alice' } });
  assert.is(started.code, 75, started.stderr + started.stdout);
  const id = /run (\S+) waits/.exec(started.stderr)![1]!;

  const r = await cli(['approve', id, '--set', 'name=../etc', '--as', 'bob'], dir);

  assert.is(r.code, 4, r.stderr + r.stdout); // a refused decision
  assert.match(r.stderr, /E_INVALID_VALUES/);
  assert.match(r.stderr, /value `name` is "..\/etc", expected text matching/);
  assert.not.ok(existsSync(join(dir, 'ran.txt')));
});

const formats: Array<[ParameterFormat, string[], string[]]> = [
  ['path', ['/', '/var/cache', 'logs/app', '.pluginops/x', 'a..b'], ['//', '/a//b', 'a/', '/a/../b', '..', './x', 'a\nb', 'a\0b', '-rf']],
  ['absolute-path', ['/', '/tmp/x'], ['tmp/x', '//', '/tmp/./x']],
  ['relative-path', ['a', 'a/b.txt'], ['/a', '../a', 'a/../../b']],
  ['id', ['payments', 'INC-42', 'a.b_c'], ['../x', '-x', 'a b', 'a/b', 'x'.repeat(129)]],
  ['uri', ['http://127.0.0.1:8080/health', 'https://example.com/a?b=c'], ['ftp://x', 'http://a b', 'not a url', 'http://x/\n']],
  ['hostname', ['example.com', 'db-1', '127.0.0.1'], ['a..b', '-a.com', 'a_b.com', 'a.com\n']],
];

test('formats, table-driven: what each accepts and refuses; the empty string passes every format', () => {
  for (const [format, good, bad] of formats) {
    for (const v of [...good, '']) assert.ok(checkParameterValue('x', { format }, v).ok, `${format} accepts ${JSON.stringify(v)}`);
    for (const v of bad) assert.not.ok(checkParameterValue('x', { format }, v).ok, `${format} refuses ${JSON.stringify(v)}`);
  }
});

test.run();
