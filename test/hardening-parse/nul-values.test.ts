// A NUL can reach a value through a YAML escape (`"a\0b"`), or through a parameter given with
// --data: refused where it is written, with its place or its name, instead of failing later in
// Node's spawn without a place in the user's file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, project } from '../cli/helpers.ts';

const flow = (extra: string) => `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: nul }
spec:
  parameters:
    p: { type: string, default: "ok" }
  steps:
    - id: s
${extra}`;

test('an escaped NUL in run text, env or a default is a located E_CONTROL_CHARACTER at validate', async () => {
  for (const [extra, line, col] of [
    ['      run: "echo a\\0b"\n', 9, 12],
    ['      env: { P: "x\\0y" }\n      run: echo "$P"\n', 9, 17],
  ] as const) {
    const dir = project({ 'pipelines/nul.yml': flow(extra) });
    const r = await cli(['validate'], dir);
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr + r.stdout, new RegExp(`pipelines/nul\\.yml:${line}:${col}: E_CONTROL_CHARACTER`));
  }
  const withDefault = project({ 'pipelines/nul.yml': flow('      run: echo hi\n').replace('default: "ok"', 'default: "o\\0k"') });
  const r = await cli(['validate'], withDefault);
  assert.is(r.code, 1);
  assert.match(r.stderr + r.stdout, /pipelines\/nul\.yml:6:\d+: E_CONTROL_CHARACTER/);
});

test('a parameter holding a NUL, given with --data or -p, is refused by name (E_PARAMETER), and nothing runs', async () => {
  const dir = project({ 'pipelines/nul.yml': flow('      run: echo ran > ran.txt\n') });
  for (const args of [['--data', '{"p":"x\\u0000z"}']]) {
    const r = await cli(['run', 'nul', ...args], dir);
    assert.is(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /E_PARAMETER: parameter `p` holds a NUL character/);
  }
});

test.run();
