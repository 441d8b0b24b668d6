import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidDocumentsError } from '../../src/documents/diagnostics.ts';
import { changedPlugins, GitError, type ChangedOptions, type RunGit } from '../../src/project/changed.ts';
import { change, commit, git, manifest, remove, repo, threePlugins, write } from './repo.ts';

/** What the CLI passes for a project with `plugins: [plugins]` and the default documents. */
const options = (dir: string, more: Partial<ChangedOptions> = {}): ChangedOptions => ({
  cwd: dir, base: 'main', pluginDirs: [join(dir, 'plugins')], shared: [join(dir, 'pluginops.yml'), join(dir, 'pipelines')], ...more,
});
const paths = async (o: ChangedOptions) => (await changedPlugins(o)).map((p) => p.path);

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try { await p; } catch (e) { return e as Error & { code?: string }; }
  throw new Error('expected a rejection');
}

test('a change in one plugin lists only that plugin, with its manifest and why', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'plugins/beta/backend/plugin.py': 'print("beta 2")\n', 'plugins/beta/backend/util.py': '' });

  const plugins = await changedPlugins(options(dir));

  assert.equal(plugins, [{
    id: 'beta', name: 'Plugin beta', path: 'plugins/beta', version: '2.1.0', runtime: 'python',
    reason: '2 files changed: plugins/beta/backend/plugin.py, plugins/beta/backend/util.py',
    files: ['plugins/beta/backend/plugin.py', 'plugins/beta/backend/util.py'],
  }]);
});

test('changes in two plugins list both, sorted by path, over several commits', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'plugins/gamma/index.js': 'console.log(2)\n' });
  change(dir, { 'plugins/alpha/config/plugin.json': manifest('alpha', '1.1.0') });

  const plugins = await changedPlugins(options(dir));

  assert.equal(plugins.map((p) => [p.path, p.id, p.version, p.runtime]), [['plugins/alpha', 'alpha', '1.1.0', 'python'], ['plugins/gamma', 'gamma', '0.3.0', 'node']]);
});

test('a change outside any plugin lists none', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'README.md': '# changed\n', 'docs/guide.md': 'new\n', 'pipelines/notes.txt': 'not a document\n' });

  assert.equal(await paths(options(dir)), []);
});

for (const file of ['pluginops.yml', 'pipelines/deliver.yml', 'pipelines/ops/new.yaml']) {
  test(`a change to ${file} affects every plugin: all are listed, and the reason says so`, async () => {
    const dir = repo(threePlugins);
    change(dir, { [file]: 'apiVersion: pluginops/v1\nkind: Project\nplugins: [plugins]\n# edited\n' });

    const plugins = await changedPlugins(options(dir));

    assert.equal(plugins.map((p) => p.path), ['plugins/alpha', 'plugins/beta', 'plugins/gamma']);
    assert.is(plugins[0]!.reason, `${file} changed, which affects every plugin`);
  });
}

test('a document deleted on the branch also affects every plugin', async () => {
  const dir = repo(threePlugins);
  remove(dir, 'pipelines/deliver.yml');
  commit(dir);

  assert.equal(await paths(options(dir)), ['plugins/alpha', 'plugins/beta', 'plugins/gamma']);
});

test('a plugin deleted on the branch is not listed, nor one whose manifest is gone', async () => {
  const dir = repo(threePlugins);
  remove(dir, 'plugins/beta', 'plugins/gamma/plugin.yaml');
  change(dir, { 'plugins/gamma/index.js': 'console.log("orphan")\n' });

  assert.equal(await paths(options(dir)), []);
});

test('a plugin added on the branch is listed', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'plugins/delta/plugin.json': manifest('delta', '0.1.0'), 'plugins/delta/backend/plugin.py': '' });

  const plugins = await changedPlugins(options(dir));

  assert.equal(plugins.map((p) => [p.path, p.id, p.version]), [['plugins/delta', 'delta', '0.1.0']]);
});

test('a file moved from one plugin to another changes both', async () => {
  const dir = repo(threePlugins);
  git(dir, 'mv', 'plugins/alpha/backend/plugin.py', 'plugins/beta/backend/moved.py');
  commit(dir);

  assert.equal(await paths(options(dir)), ['plugins/alpha', 'plugins/beta']);
});

test('a changed file belongs to the nearest enclosing plugin', async () => {
  const dir = repo({ ...threePlugins, 'plugins/alpha/vendor/inner/plugin.json': manifest('inner') });
  change(dir, { 'plugins/alpha/vendor/inner/x.py': '' });

  assert.equal(await paths(options(dir)), ['plugins/alpha/vendor/inner']);
});

test('without pluginDirs the whole repository is searched, skipping hidden directories and node_modules', async () => {
  const dir = repo({ 'tools/lint/plugin.json': manifest('lint'), 'plugins/beta/plugin.json': manifest('beta'), '.github/plugin.json': manifest('hidden'), 'node_modules/dep/plugin.json': manifest('dep') });
  change(dir, { 'tools/lint/a.py': '', 'plugins/beta/a.py': '', '.github/a.py': '', 'node_modules/dep/a.py': '' });

  assert.equal(await paths({ cwd: dir, base: 'main' }), ['plugins/beta', 'tools/lint']);
});

test('plugins are read at head, not from the working tree: --head names another commit', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'plugins/delta/plugin.json': manifest('delta') });
  git(dir, 'checkout', '-q', 'main');

  assert.equal(await paths(options(dir, { head: 'feature' })), ['plugins/delta']);
  assert.equal(await paths(options(dir)), []);
});

test('an invalid manifest of a changed plugin fails with its file, line and column', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'plugins/beta/plugin.json': '{\n  "id": "Beta!"\n}\n' });

  const e = await rejection(changedPlugins(options(dir)));

  assert.instance(e, InvalidDocumentsError);
  const d = (e as InvalidDocumentsError).diagnostics;
  assert.ok(d.some((x) => x.file === 'plugins/beta/plugin.json' && x.line === 2), JSON.stringify(d));
});

test('an unknown base ref is an E_GIT error that says to fetch the history', async () => {
  const dir = repo(threePlugins);

  const e = await rejection(changedPlugins(options(dir, { base: 'origin/main' })));

  assert.instance(e, GitError);
  assert.is(e.code, 'E_GIT');
  assert.match(e.message, 'unknown base ref "origin/main"');
  assert.match(e.message, 'fetch-depth: 0');
});

test('a shallow clone without the common history is an E_GIT error that says to fetch it', async () => {
  const origin = repo(threePlugins);
  change(origin, { 'plugins/beta/a.py': '' });
  git(origin, 'checkout', '-q', 'main');
  change(origin, { 'README.md': 'main moved on\n' });
  const clone = `${origin}-clone`;
  execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', '--branch', 'feature', `file://${origin}`, clone]);

  const e = await rejection(changedPlugins(options(clone, { base: 'origin/main' })));

  assert.is(e.code, 'E_GIT');
  assert.match(e.message, 'no common ancestor');
  assert.match(e.message, 'fetch-depth: 0');
});

for (const ref of ['--output=/tmp/x', '-q', 'main..feature', 'HEAD:secret.txt', 'a b']) {
  test(`the ref "${ref}" is rejected before git runs`, async () => {
    const calls: string[][] = [];
    const spawn: RunGit = async (args) => { calls.push(args); return { code: 0, stdout: Buffer.from(''), stderr: '' }; };

    const e = await rejection(changedPlugins({ cwd: '/nowhere', base: ref, spawn }));

    assert.is(e.code, 'E_GIT');
    assert.match(e.message, `base ref "${ref}"`);
    assert.equal(calls, []);
  });
}

test('outside a git repository: E_GIT, saying so', async () => {
  const dir = repo(threePlugins);
  remove(dir, '.git');

  const e = await rejection(changedPlugins(options(dir)));

  assert.is(e.code, 'E_GIT');
  assert.match(e.message, 'not inside a git repository');
});

test.run();
