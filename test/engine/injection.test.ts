// Script injection: `${{ }}` in a `run:` script must reach the shell as data, never as shell text.
// Hostile parameter values must not run commands and must be printed exactly as given.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logsOf, planWorkflow, removeTempDirs, runReal, tempDir } from './helpers.ts';

test.after(removeTempDirs);

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
