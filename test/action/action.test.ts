// The bundled action in a simulated runner, against a fake GitHub API on loopback.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGitHub } from '../action-github/fake-github.ts';
import { annotations, runAction, workspace } from './helpers.ts';

const token = 'ghs_Sup3rSecretTokenValue1234567890';
const pr = { pull_request: { number: 7 } };

test('a pull request run: outputs, job summary, one comment created then updated, a deployment with its statuses', async () => {
  const gh = await startFakeGitHub();
  const dir = workspace('hello');
  const inputs = { workflow: 'full_deployment', plugin: 'plugins/hello', params: 'soak: 1s', environment: 'staging', 'github-token': token };
  const first = await runAction(dir, inputs, { api: gh.url, event: pr, eventName: 'pull_request' });
  assert.is(first.code, 0, first.stdout.slice(-3000));
  assert.is(first.outputs.status, 'success');
  assert.is(first.outputs.version, '1.0.0');
  assert.match(first.outputs.sha256 ?? '', /^[a-f0-9]{64}$/);
  assert.match(first.outputs.artifact ?? '', /hello-1\.0\.0\.tar\.gz$/);
  assert.match(first.outputs.sarif ?? '', /\.sarif$/);
  assert.match(first.outputs['execution-id'] ?? '', /\S/);
  const summaryJson = JSON.parse(first.outputs['summary-json']!) as Array<{ status: string; plugin: string }>;
  assert.equal(summaryJson.map((r) => [r.plugin, r.status]), [['plugins/hello', 'success']]);
  assert.match(first.summary, /\| validation \| ✅ success \|/);
  assert.match(first.summary, /\*\*Deployed\*\* 1\.0\.0 to `local`/);
  assert.match(first.summary, /\*\*Security findings:\*\* 0 critical, 0 high, 0 medium, 0 low/);
  assert.is(gh.comments(7).length, 1);
  assert.match(gh.comments(7)[0]!.body, /<!-- pluginops:/);
  assert.equal(gh.deployments.map((d) => d.environment), ['staging']);
  assert.equal(gh.statuses(gh.deployments[0]!.id).map((s) => s.state), ['in_progress', 'success']);

  const second = await runAction(dir, { ...inputs, params: 'soak: 1s\nforce: true' }, { api: gh.url, event: pr, eventName: 'pull_request' });
  assert.is(second.code, 0, second.stdout.slice(-3000));
  assert.match(second.summary, /Already live/);
  assert.is(gh.comments(7).length, 1, 'the second run updates the comment');
  assert.match(gh.comments(7)[0]!.body, /Already live/);
  await gh.close();
});

test('a rolled-back deploy: statuses in_progress, failure, inactive; the step fails', async () => {
  const gh = await startFakeGitHub();
  const dir = workspace('hello', 'broken-health');
  const base = { workflow: 'full_deployment', params: 'soak: 1s', environment: 'production', 'github-token': token, comment: 'false' };
  assert.is((await runAction(dir, { ...base, plugin: 'plugins/hello' }, { api: gh.url })).code, 0);
  const r = await runAction(dir, { ...base, plugin: 'plugins/broken-health' }, { api: gh.url });
  assert.is(r.code, 1);
  assert.is(r.outputs.status, 'failed');
  assert.match(r.stdout, /::error::full_deployment on plugins\/broken-health: failed at monitor/);
  assert.match(r.summary, /\*\*Rolled back\*\* to 1\.0\.0/);
  const second = gh.deployments[1]!;
  assert.equal(gh.statuses(second.id).map((s) => s.state), ['in_progress', 'failure', 'inactive']);
  await gh.close();
});

test('security findings become annotations at file, line and column; the summary lists them', async () => {
  const dir = workspace('broken-dangerous');
  const r = await runAction(dir, { workflow: 'security_focus', plugin: 'plugins/broken-dangerous', 'fail-on': 'high', comment: 'false' });
  assert.is(r.code, 1);
  const errors = annotations(r.stdout).filter((a) => a.props.file);
  assert.ok(errors.some((a) => a.level === 'error' && a.props.file === 'plugins/broken-dangerous/backend/plugin.py' && a.props.line === '6' && a.props.col === '24' && /python\.eval/.test(a.props.title ?? '')), JSON.stringify(errors));
  assert.ok(errors.some((a) => a.props.line === '10' && /python\.os-system/.test(a.props.title ?? '')));
  assert.match(r.summary, /\| high \| `python\.eval` \| `plugins\/broken-dangerous\/backend\/plugin\.py:6:24` \|/);
});

test('annotations stay within GitHub\'s caps and the summary says how many more there are', async () => {
  const dir = workspace('hello');
  writeFileSync(join(dir, 'plugins/hello/backend/many.py'), Array.from({ length: 30 }, (_, i) => `x${i} = eval("${i}")`).join('\n') + '\n');
  const r = await runAction(dir, { workflow: 'security_focus', plugin: 'plugins/hello', comment: 'false' });
  assert.is(r.code, 1);
  const shown = annotations(r.stdout).filter((a) => a.props.file);
  assert.is(shown.filter((a) => a.level === 'error').length, 10);
  assert.match(r.summary, /20 errors more than GitHub shows as annotations/);
});

test('an invalid workflow file is annotated at its position, without a stack trace', async () => {
  const dir = workspace('hello');
  writeFileSync(join(dir, 'bad.yml'), 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: bad }\nspec:\n  steps:\n    - id: a\n      uses: plugin/validat\n');
  const r = await runAction(dir, { workflow: 'bad.yml', plugin: 'plugins/hello', comment: 'false' });
  assert.is(r.code, 1);
  const [a] = annotations(r.stdout).filter((x) => x.props.file);
  assert.equal([a?.level, a?.props.file, a?.props.line, a?.props.col, a?.props.title], ['error', 'bad.yml', '7', '13', 'E_UNKNOWN_STEP_TYPE']);
  assert.match(a!.message, /did you mean `plugin\/validate`/);
  assert.match(r.summary, /The documents do not validate/);
  assert.not.match(r.stdout + r.stderr, /\n\s+at \S+ \(/);
});

test('secrets never reach stdout or the summary: inputs, project secrets, and their encoded forms', async () => {
  const dir = workspace();
  const secret = 'p@ss/w0rd "quoted"';
  writeFileSync(join(dir, 'pluginops.yml'), 'apiVersion: pluginops/v1\nkind: Project\nsecrets: [DEPLOY_PASSWORD]\n');
  writeFileSync(join(dir, 'leak.yml'), `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: leak }
spec:
  steps:
    - id: leak
      run: |
        echo "raw: $DEPLOY_PASSWORD"
        echo "b64: $(printf '%s' "$DEPLOY_PASSWORD" | base64)"
        node -e 'console.log("json: " + JSON.stringify(process.env.DEPLOY_PASSWORD))'
        node -e 'console.log("url: " + encodeURIComponent(process.env.DEPLOY_PASSWORD))'
        echo "token: ${token}"
`);
  const r = await runAction(dir, { workflow: 'leak.yml', 'github-token': token, comment: 'false' }, { env: { DEPLOY_PASSWORD: secret } });
  assert.is(r.code, 0, r.stdout);
  const shown = r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n') + r.summary;
  for (const form of [secret, Buffer.from(secret).toString('base64'), JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), token]) {
    assert.not.ok(shown.includes(form), `found ${form}`);
  }
  assert.match(r.stdout, /\[leak\] raw: \*\*\*/);
  assert.match(r.stdout, /\[leak\] b64: \*\*\*/);
});

test('a dry run plans only; bad inputs and a missing token fail or warn clearly', async () => {
  const dir = workspace('hello');
  const dry = await runAction(dir, { workflow: 'full_deployment', plugin: 'plugins/hello', 'dry-run': 'true' });
  assert.is(dry.code, 0, dry.stdout);
  assert.is(dry.outputs.status, 'planned');
  assert.match(dry.summary, /plan of `full_deployment` on `plugins\/hello` \(dry run\)/);
  assert.match(dry.summary, /\| 5 \| monitor \| run \|/);

  const missing = await runAction(dir, { plugin: 'plugins/hello' });
  assert.is(missing.code, 1);
  assert.match(missing.stdout, /::error::E_INPUT: input `workflow` is required/);
  const badBool = await runAction(dir, { workflow: 'testing_only', plugin: 'plugins/hello', 'dry-run': 'maybe' });
  assert.match(badBool.stdout, /input `dry-run` is "maybe"; expected true or false/);

  const noToken = await runAction(dir, { workflow: 'testing_only', plugin: 'plugins/hello' }, { event: pr, eventName: 'pull_request' });
  assert.is(noToken.code, 0, noToken.stdout);
  assert.match(noToken.stdout, /::warning::no github-token: the pull request comment is skipped/);
});

test('a GitHub API answering 500 does not lose the run\'s own result', async () => {
  const gh = await startFakeGitHub();
  gh.failNext(50, 500);
  const dir = workspace('hello');
  const r = await runAction(dir, { workflow: 'testing_only', plugin: 'plugins/hello', 'github-token': token }, { api: gh.url, event: pr, eventName: 'pull_request' });
  assert.is(r.code, 0, r.stdout);
  assert.is(r.outputs.status, 'success');
  assert.match(r.stdout, /::warning::could not write the pull request comment/);
  await gh.close();
});

test('changed-base: the matrix of changed plugins as an output', async () => {
  const dir = workspace('hello', 'hello-node');
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
  };
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'plugins');
  git('checkout', '-q', '-b', 'change');
  writeFileSync(join(dir, 'plugins/hello-node/src/index.js'), '// changed\n', { flag: 'a' });
  git('commit', '-q', '-am', 'change hello-node');
  const r = await runAction(dir, { 'changed-base': 'main' });
  assert.is(r.code, 0, r.stdout);
  assert.equal(JSON.parse(r.outputs.matrix!), { include: [{ plugin: 'plugins/hello-node', id: 'hello-node', name: 'Hello plugin for Node', version: '1.0.0' }] });
  assert.match(r.summary, /Plugins changed since `main`/);
});

test.run();
