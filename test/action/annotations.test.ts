// The bundled action annotates what the steps found in the plugin — syntax errors, missing files,
// failing tests — at their file, line and column, with paths relative to the checkout whatever
// form the `plugin` input takes, and within GitHub's caps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { annotations, runAction, workspace } from './helpers.ts';

const located = (stdout: string) => annotations(stdout).filter((a) => a.props.file);

test('a syntax error given as ./plugins/x/ is annotated at plugins/x/…:6:28, and listed in the summary', async () => {
  const dir = workspace('broken-syntax');
  const r = await runAction(dir, { workflow: 'testing_only', plugin: './plugins/broken-syntax/', comment: 'false' });
  assert.is(r.code, 1);
  assert.is(r.outputs.status, 'failed');
  assert.equal(located(r.stdout).map((a) => [a.level, a.props.file, a.props.line, a.props.col, decodeURIComponent(a.props.title ?? '')]),
    [['error', 'plugins/broken-syntax/backend/plugin.py', '6', '28', 'validation: syntax error']]);
  assert.match(r.stdout, /^::error [^\n]*::SyntaxError: '\(' was never closed$/m);
  assert.match(r.summary, /\| validation \| `plugins\/broken-syntax\/backend\/plugin\.py:6:28` \| SyntaxError: '\(' was never closed \|/);
});

test('a missing required file and a failing test are annotated where they are', async () => {
  const dir = workspace('broken-missing-entry', 'broken-tests');
  const missing = await runAction(dir, { workflow: 'testing_only', plugin: 'plugins/broken-missing-entry', comment: 'false' });
  assert.equal(located(missing.stdout).map((a) => [a.props.file, a.props.line, a.props.col]), [['plugins/broken-missing-entry/config/plugin.json', '7', '12']]);
  assert.match(missing.stdout, /::required file `backend\/plugin\.py` does not exist/);
  const failing = await runAction(dir, { workflow: 'testing_only', plugin: './plugins/broken-tests', comment: 'false' });
  const [a] = located(failing.stdout);
  assert.equal([a?.props.file, a?.props.line, a?.props.col], ['plugins/broken-tests/tests/test_plugin.py', '15', undefined]);
  assert.match(a!.message, /^test_shouts \(test_plugin\.GreetTest\.test_shouts\): AssertionError/);
});

test('several plugins: each one\'s problems are annotated; at most 10 errors, the summary counts the rest', async () => {
  const dir = workspace('hello', 'broken-syntax');
  for (let i = 0; i < 14; i++) writeFileSync(join(dir, `plugins/hello/backend/bad${String(i).padStart(2, '0')}.py`), `x = (${i}\n`);
  const r = await runAction(dir, { workflow: 'testing_only', plugin: 'plugins/*', comment: 'false' });
  assert.is(r.code, 1);
  const shown = located(r.stdout);
  assert.is(shown.length, 10);
  assert.ok(shown.every((a) => a.level === 'error' && /^plugins\/(hello|broken-syntax)\/backend\/\w+\.py$/.test(a.props.file!)), JSON.stringify(shown));
  assert.match(r.summary, /5 errors more than GitHub shows as annotations/);
  assert.match(r.summary, /`plugins\/broken-syntax\/backend\/plugin\.py:6:28`/);
});

test('security findings of a plugin given as ./plugins/x/ carry the SARIF\'s form of the path', async () => {
  const dir = workspace('broken-dangerous');
  const r = await runAction(dir, { workflow: 'security_focus', plugin: './plugins/broken-dangerous/', 'fail-on': 'high', comment: 'false' });
  assert.is(r.code, 1);
  const files = new Set(located(r.stdout).map((a) => a.props.file));
  assert.equal([...files], ['plugins/broken-dangerous/backend/plugin.py']);
  const sarif = JSON.parse(readFileSync(resolve(dir, r.outputs.sarif!), 'utf8')) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
  const uris = new Set(sarif.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri));
  assert.equal([...uris], [...files]);
});

test.run();
