// The action as GitHub's runner starts it, from action.yml rather than from what the tests know:
// the metadata is parsed, every declared input becomes INPUT_<NAME> with the metadata's default
// unless the workflow sets it (`${{ github.token }}` standing for the job's token), the runner's
// files and variables are in place, and `node <runs.main>` runs in the workspace. A plugin with a
// Python syntax error must come back as an annotation at the workspace-relative file, line and
// column, with the `status` output written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGitHub } from '../action-github/fake-github.ts';
import { root } from '../cli/helpers.ts';
import { inputVariable, loadActionMetadata, type ActionMetadata } from '../first-contact/action-metadata.ts';
import { annotations, runnerFiles, spawnAction, workspace } from './helpers.ts';

const token = 'ghs_FakeJobToken0123456789abcdefABCDEF';

/** The values the runner gives the expressions action.yml's defaults may use; any other fails the test. */
const contexts: Record<string, string> = { 'github.token': token };

function defaultOf(meta: ActionMetadata, name: string): string {
  return (meta.inputs[name]!.default ?? '').replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    const value = contexts[expr];
    if (value === undefined) throw new Error(`input \`${name}\`: the default uses \`${expr}\`, which this simulated runner does not provide`);
    return value;
  });
}

/** INPUT_* for every input the metadata declares: the workflow's `with:` value, else the default. */
function inputEnv(meta: ActionMetadata, withValues: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(withValues)) if (!(name in meta.inputs)) throw new Error(`\`with: ${name}\` is not an input of action.yml`);
  return Object.fromEntries(Object.keys(meta.inputs).map((name) => [inputVariable(name), withValues[name] ?? defaultOf(meta, name)]));
}

test('node <runs.main> in a simulated runner: a syntax error is annotated at plugins/x/…:6:28, status is written, the PR gets its comment', async () => {
  const meta = loadActionMetadata(root);
  const gh = await startFakeGitHub();
  const dir = workspace('hello');
  const source = join(dir, 'plugins/hello/backend/plugin.py');
  const lines = readFileSync(source, 'utf8').split('\n');
  assert.is(lines[5], '    return f"hello, {name}"');
  lines[5] += '(';
  writeFileSync(source, lines.join('\n'));

  const files = runnerFiles({ pull_request: { number: 7, head: { sha: 'feedfacefeedfacefeedfacefeedfacefeedface' } } });
  const inputs = inputEnv(meta, { workflow: 'testing_only', plugin: './plugins/hello/' });
  const env: Record<string, string> = {
    PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', CI: 'true', GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir, GITHUB_EVENT_PATH: files.event, GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, GITHUB_STATE: files.state, GITHUB_ENV: files.env, GITHUB_PATH: files.path,
    GITHUB_REPOSITORY: 'acme/plugins', GITHUB_REPOSITORY_OWNER: 'acme', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/pull/7/merge', GITHUB_SERVER_URL: 'https://github.example', GITHUB_API_URL: gh.url, GITHUB_GRAPHQL_URL: `${gh.url}/graphql`,
    GITHUB_RUN_ID: '42', GITHUB_RUN_NUMBER: '3', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'validate', GITHUB_ACTOR: 'octocat', GITHUB_ACTION: 'pluginops',
    RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64', RUNNER_TEMP: join(files.event, '..'), ...inputs,
  };
  assert.equal(Object.keys(inputs).sort(), Object.keys(meta.inputs).map(inputVariable).sort());
  assert.is(inputs['INPUT_GITHUB-TOKEN'], token, 'the default `${{ github.token }}` stands for the job\'s token');

  const r = await spawnAction(join(root, meta.runs.main), dir, env, files);
  await gh.close();

  assert.is(r.code, 1, r.stdout.slice(-2000) + r.stderr);
  assert.match(r.stdout, /^::error (?=[^\n]*\bfile=plugins\/hello\/backend\/plugin\.py\b)(?=[^\n]*\bline=6\b)(?=[^\n]*\bcol=28\b)[^\n]*::SyntaxError: '\(' was never closed$/m);
  const [a] = annotations(r.stdout).filter((x) => x.props.file);
  assert.equal([a?.level, a?.props.file, a?.props.line, a?.props.col], ['error', 'plugins/hello/backend/plugin.py', '6', '28']);
  assert.is(r.outputs.status, 'failed');
  assert.match(r.summary, /`plugins\/hello\/backend\/plugin\.py:6:28`/);
  assert.is(gh.comments(7).length, 1, 'comment defaults to true and the default token reaches the API');
  assert.match(gh.comments(7)[0]!.body, /validation \| ❌ failed/);
  assert.not.ok(r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n').includes(token), 'the token is masked');
  assert.is(r.stderr.includes('    at '), false, 'no stack trace');
});

test.run();
