// Values flowing through `run:` scripts. Outputs: real scripts write `name=value` and
// `name<<EOF … EOF` to $PLUGINOPS_OUTPUT; later steps read them through
// `${{ steps.a.outputs.name }}` in env:, in with: and in the script text. Injection: values in
// the script text are data, never shell code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOutputs } from '../../src/steps/run/outputs.ts';
import { eventsOf, logsOf, planWorkflow, removeTempDirs, runReal, runVirtual, statuses, tempDir } from './helpers.ts';

test.after(removeTempDirs);

test('outputs written by a real script reach env:, the script text and the step results', async () => {
  const graph = planWorkflow(`
    steps:
      - id: a
        run: |
          echo "version=1.2.3" >> "$PLUGINOPS_OUTPUT"
          echo "query=a=b&c=d" >> "$PLUGINOPS_OUTPUT"
          {
            echo "notes<<EOF"
            echo "first line"
            echo "second = line"
            echo "EOF"
          } >> "$PLUGINOPS_OUTPUT"
      - id: b
        needs: [a]
        env:
          VERSION: "v\${{ steps.a.outputs.version }}"
          NOTES: "\${{ steps.a.outputs.notes }}"
        run: |
          echo "env=$VERSION"
          echo "script=" \${{ steps.a.outputs.version }}
          printf '[%s]\\n' \${{ steps.a.outputs.notes }}
          printf '<%s>\\n' "$NOTES"
          echo "query=" \${{ steps.a.outputs.query }}
  `);

  const { result, events } = await runReal(graph);

  assert.is(result.status, 'success');
  assert.equal(result.steps.get('a')?.outputs, { version: '1.2.3', query: 'a=b&c=d', notes: 'first line\nsecond = line' });
  assert.equal(eventsOf(events, 'step.finished', 'a')[0]?.outputs, { version: '1.2.3', query: 'a=b&c=d', notes: 'first line\nsecond = line' });
  assert.equal(logsOf(events, 'b'), [
    'env=v1.2.3',
    'script= 1.2.3',
    '[first line',
    'second = line]',
    '<first line',
    'second = line>',
    'query= a=b&c=d',
  ]);
});

test('an output read in with: drives a later step (a wait of the output duration, on virtual time)', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: a, run: compute }
      - { id: pause, uses: wait, needs: [a], with: { duration: "\${{ steps.a.outputs.cooldown }}" } }
  `);

  const { result, events, clock } = await runVirtual(graph, { behaviour: () => ({ outputs: 'cooldown=2500ms\n', ms: 100 }) });

  assert.is(result.status, 'success');
  assert.equal(eventsOf(events, 'step.finished', 'pause')[0]?.durationMs, 2500);
  assert.is(clock.now(), 2600);
});

test('a with: value that is invalid once filled in fails the step with a clear message', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: a, run: compute }
      - { id: pause, uses: wait, needs: [a], with: { duration: "\${{ steps.a.outputs.cooldown }}" } }
  `);

  const { result, events } = await runVirtual(graph, { behaviour: () => ({ outputs: 'cooldown=soon\n' }) });

  const pause = eventsOf(events, 'step.finished', 'pause')[0];
  assert.is(result.status, 'failed');
  assert.is(pause?.status, 'failed');
  assert.match(pause?.error ?? '', /after expressions were filled in/);
});

test('outputs of a failing step are still recorded and readable by an always() step', async () => {
  const graph = planWorkflow(`
    steps:
      - id: a
        run: |
          echo "reason=disk full" >> "$PLUGINOPS_OUTPUT"
          exit 4
      - id: report
        needs: [a]
        if: always()
        run: echo "a failed because" \${{ steps.a.outputs.reason }} \${{ steps.a.outcome }}
  `);

  const { result, events } = await runReal(graph);

  assert.is(result.status, 'failed');
  assert.equal(statuses(events), { a: 'failed', report: 'success' });
  assert.equal(eventsOf(events, 'step.finished', 'a')[0]?.outputs, { reason: 'disk full' });
  assert.equal(logsOf(events, 'report'), ['a failed because disk full failure']);
});

test('a step environment layers base env < workflow env < step env < PLUGINOPS_* variables', async () => {
  const graph = planWorkflow(`
    parameters: { region: { type: string } }
    env: { REGION: "\${{ params.region }}", LEVEL: workflow, PATH: /nowhere }
    steps:
      - { id: a, run: x, env: { LEVEL: step, PLUGINOPS_STEP_ID: spoofed } }
  `);

  const { spawner } = await runVirtual(graph, { params: { region: 'eu-1' } });

  const env = spawner.callsOf('a')[0]?.env ?? {};
  assert.is(env.REGION, 'eu-1');
  assert.is(env.LEVEL, 'step');
  assert.is(env.PATH, '/nowhere', 'the workflow env overrides the base env');
  assert.is(env.PLUGINOPS_STEP_ID, 'a');
  assert.is(env.PLUGINOPS_EXECUTION_ID, 'exec-1');
  assert.match(env.PLUGINOPS_OUTPUT ?? '', /\/a\.1\.[0-9a-f]{16}\.out$/, 'per step and attempt, with a part no other step can guess');
});

// What the parser refuses (names set twice, stray lines) is in test/hardening-outputs/.
test('parseOutputs, table-driven', () => {
  const rows: Array<[string, string, Record<string, string>]> = [
    ['simple pairs', 'a=1\nb=two\n', { a: '1', b: 'two' }],
    ['the first = splits', 'url=http://x/?a=b\n', { url: 'http://x/?a=b' }],
    ['an empty value', 'empty=\n', { empty: '' }],
    ['heredoc keeps lines and = signs', 'n<<END\nx=1\n\ny\nEND\nafter=ok\n', { n: 'x=1\n\ny', after: 'ok' }],
    ['heredoc with an empty body', 'n<<X\nX\n', { n: '' }],
    ['blank lines are skipped', 'a=1\n\nb=2\n', { a: '1', b: '2' }],
  ];
  for (const [name, text, expected] of rows) assert.equal(parseOutputs(text), expected, name);
});

// ---- script injection: `${{ }}` in a `run:` script must reach the shell as data, never as shell
// text. Hostile parameter values must not run commands and must be printed exactly as given.
const trap = tempDir('pluginops-injection-');
const hostile = [
  { name: 'closing a double-quoted string', value: `"; touch ${trap}/pwned-quote; echo "` },
  { name: 'closing a single-quoted string', value: `'; touch ${trap}/pwned-single; echo '` },
  { name: 'command substitution', value: `$(touch ${trap}/pwned-subst)` },
  { name: 'backticks', value: `\`touch ${trap}/pwned-backtick\`` },
  { name: 'a newline and a command', value: `x\ntouch ${trap}/pwned-newline` },
  { name: 'a variable and a glob', value: `$HOME * ?` },
];

const injectable = planWorkflow(`
  parameters: { x: { type: string, required: true } }
  steps:
    - id: inline
      run: printf '%s\\n' \${{ params.x }}
    - id: viaEnv
      env: { X: "\${{ params.x }}" }
      run: printf '%s\\n' "$X"
`);

for (const h of hostile) {
  test(`a hostile parameter value (${h.name}) is printed literally and runs nothing`, async () => {
    const workspace = tempDir();
    writeFileSync(join(workspace, 'a-file-a-glob-would-find'), '');

    const { result, events } = await runReal(injectable, { params: { x: h.value }, workspace });

    assert.is(result.status, 'success');
    assert.equal(logsOf(events, 'inline'), h.value.split('\n'));
    assert.equal(logsOf(events, 'viaEnv'), h.value.split('\n'));
    assert.equal(readdirSync(trap), [], 'no file was created by the value');
  });
}

test('the script the shell receives holds no parameter text at all', async () => {
  const graph = planWorkflow(`
    parameters: { x: { type: string } }
    steps:
      - { id: show, run: "echo \${{ params.x }} && cat /proc/$$/cmdline | tr '\\\\0' '\\\\n' | tail -n 1" }
  `);

  const { events } = await runReal(graph, { params: { x: 'SECRET-VALUE' } });

  const [echoed, script] = logsOf(events, 'show');
  assert.is(echoed, 'SECRET-VALUE');
  assert.ok(script?.includes('"${PLUGINOPS_EXPR_1}"'), `script was: ${script}`);
  assert.not.ok(script?.includes('SECRET-VALUE'));
});

// Where the expression sits inside quotes in the script, the value must still arrive unchanged
// (users write `echo "version: ${{ … }}"` all the time). A value with runs of spaces and a glob
// shows word splitting and pathname expansion; the workspace holds a file the glob would match.
const quoting = [
  { name: 'unquoted', script: `printf '%s\\n' \${{ params.x }}`, expected: 'a  *  b' },
  { name: 'inside double quotes', script: `printf '%s\\n' "value: \${{ params.x }}"`, expected: 'value: a  *  b' },
  { name: 'inside double quotes, as one argument', script: `set -- "dir/\${{ params.x }}"; echo "$# argument(s)"`, expected: '1 argument(s)' },
  { name: 'inside single quotes', script: `printf '%s\\n' 'value: \${{ params.x }}'`, expected: 'value: a  *  b' },
  { name: 'in a heredoc body', script: `cat <<EOF\nvalue: \${{ params.x }}\nEOF`, expected: 'value: a  *  b' },
];

for (const q of quoting) {
  test(`an expression ${q.name} in the script arrives as the exact value`, async () => {
    const graph = planWorkflow(`
      parameters: { x: { type: string } }
      steps:
        - id: show
          run: ${JSON.stringify(q.script)}
    `);
    const workspace = tempDir();
    writeFileSync(join(workspace, 'secret.txt'), '');

    const { result, events } = await runReal(graph, { params: { x: 'a  *  b' }, workspace });

    assert.is(result.status, 'success');
    assert.equal(logsOf(events, 'show'), [q.expected]);
    assert.ok(existsSync(join(workspace, 'secret.txt')));
  });
}

test.run();
