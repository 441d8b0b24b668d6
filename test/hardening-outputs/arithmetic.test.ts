// What is guaranteed and what is not: an expression's value reaches a `run:` script as an
// environment variable and is never parsed as shell text — but bash evaluates the text of a
// variable it expands in an arithmetic context, and arithmetic can run commands. These tests
// show both in real bash, and that `validate` warns (W_ARITHMETIC, file:line:col, exit 0) where
// an expression sits in such a context.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { arithmeticUses } from '../../src/expressions/arithmetic.ts';
import { cli, project } from '../cli/helpers.ts';
import { planWorkflow, removeTempDirs, runReal, tempDir } from '../engine/helpers.ts';

test.after(removeTempDirs);

test('bash evaluates a value in $(( )) as arithmetic, which runs commands; in plain use the same value is data', async () => {
  const trap = tempDir('pluginops-arith-');
  const value = `a[$(touch ${trap}/ran)]`;
  const plain = planWorkflow(`
    parameters: { v: { type: string } }
    steps:
      - { id: a, run: "echo \${{ params.v }}; [ \${{ params.v }} = x ] || true" }
  `);
  const arithmetic = planWorkflow(`
    parameters: { v: { type: string } }
    steps:
      - { id: a, run: "echo $(( \${{ params.v }} + 1 ))" }
  `);

  await runReal(plain, { params: { v: value } });
  const safe = !existsSync(join(trap, 'ran'));
  await runReal(arithmetic, { params: { v: value } });

  assert.ok(safe, 'as data, the value ran nothing');
  assert.ok(existsSync(join(trap, 'ran')), 'in $(( )) bash ran the command in the value');
});

const contexts: Array<[string, string | undefined]> = [
  ['echo $(( ${{ params.v }} + 1 ))', '$(( ))'],
  ['echo "total: $(( (2 + 3) * ${{ params.v }} ))"', '$(( ))'],
  ['if (( ${{ params.v }} > 3 )); then echo big; fi', '(( ))'],
  ['let n=${{ params.v }}+1', 'let'],
  ['[[ ${{ params.v }} -gt 3 ]] && echo big', '[[ … -eq … ]]'],
  ['[[ $A == b && "${{ params.v }}" -le 2 ]]', '[[ … -eq … ]]'],
  ['echo "${arr[${{ params.v }}]}"', 'an array subscript'],
  ['arr[${{ params.v }}]=1', 'an array subscript'],
  ['cat <<EOF\n$(( ${{ params.v }} ))\nEOF', '$(( ))'],
  ['for ((i=0; i<${{ params.v }}; i++)); do :; done', '(( ))'],
  ['echo "${s:${{ params.v }}}"', 'a substring offset'],
  ['echo "${s:1:${{ params.v }}}"', 'a substring offset'],
  ['echo $[ ${{ params.v }} + 1 ]', '$[ ]'],
  ['echo "${#arr[${{ params.v }}]}"', 'an array subscript'],
  ['echo "${s:-${{ params.v }}}"', undefined],
  ['echo "${s:+${{ params.v }}}"', undefined],
  ['echo "${{ params.v }}"', undefined],
  ["echo '$(( ${{ params.v }} ))'", undefined],
  ['[[ ${{ params.v }} == yes ]]', undefined],
  ['[ ${{ params.v }} -gt 3 ]', undefined],
  ['echo $((1 + 2)) ${{ params.v }}', undefined],
  ["cat <<'EOF'\n$(( ${{ params.v }} ))\nEOF", undefined],
  ['echo ${{ params.v }} # $(( ', undefined],
];

test('arithmeticUses, table-driven: the contexts found, and the look-alikes that are not', () => {
  for (const [script, expected] of contexts) assert.is(arithmeticUses(script)[0]?.context, expected, script);
});

test('validate warns with file:line:col and W_ARITHMETIC, and still exits 0', async () => {
  const text = [
    'apiVersion: pluginops/v1',
    'kind: ActionPlan',
    'metadata: { id: count }',
    'spec:',
    '  parameters: { n: { type: string, default: "3" } }',
    '  steps:',
    '    - id: a',
    '      run: |',
    '        echo "n is ${{ params.n }}"',
    '        echo $(( ${{ params.n }} * 2 ))',
  ].join('\n') + '\n';
  const dir = project({ 'pipelines/count.yml': text });

  const r = await cli(['validate'], dir);
  const json = await cli(['validate', '--format', 'json'], dir);

  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /^pipelines\/count.yml:10:18: warning W_ARITHMETIC `\$\{\{ params.n \}\}` is read by bash in `\$\(\( \)\)`, which evaluates the value as arithmetic/m);
  assert.is(r.stderr.trim().split('\n').length, 1, 'the quoted use on line 9 is not warned about');
  assert.match(r.stdout, '1 document valid, 1 warning');
  assert.is(json.code, 0);
  const out = JSON.parse(json.stdout) as { valid: boolean; diagnostics: unknown[]; warnings: Array<{ line: number; col: number; code: string; severity: string }> };
  assert.is(out.valid, true);
  assert.equal(out.diagnostics, []);
  assert.equal(out.warnings.map((w) => [w.line, w.col, w.code, w.severity]), [[10, 18, 'W_ARITHMETIC', 'warning']]);
});

test('the shipped runbooks validate without warnings', async () => {
  const r = await cli(['validate', join(import.meta.dirname, '..', '..', 'pipelines')], tempDir());

  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
});

test.run();
