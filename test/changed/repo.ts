// Real git repositories in temp directories: a `main` branch with a first commit, then
// branches, edits and commits, the way a pull request looks to `plan --changed`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The user's own git configuration (signing, hooks, default branch) must not change the tests.
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

export function remove(dir: string, ...paths: string[]): void {
  for (const p of paths) rmSync(join(dir, p), { recursive: true, force: true });
}

export function commit(dir: string, message = 'change'): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

/** A repository whose `main` holds `files`, checked out on a new branch `feature`. */
export function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-changed-'));
  git(dir, 'init', '-q', '-b', 'main');
  write(dir, files);
  commit(dir, 'first');
  git(dir, 'checkout', '-q', '-b', 'feature');
  return dir;
}

/** `write`, then `commit`: one commit on the current branch. */
export function change(dir: string, files: Record<string, string>): void {
  write(dir, files);
  commit(dir);
}

export const manifest = (id: string, version = '1.0.0') => JSON.stringify({
  id, name: `Plugin ${id}`, version, runtime: 'python', entry: 'backend/plugin.py',
}, null, 2);

export const yamlManifest = (id: string, version = '1.0.0') =>
  `id: ${id}\nname: Plugin ${id}\nversion: ${version}\nruntime: node\nentry: index.js\n`;

/** Three plugins, one per manifest location, with a project file and a pipelines document. */
export const threePlugins = {
  'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\nplugins: [plugins]\n',
  'pipelines/deliver.yml': 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: deliver }\nspec:\n  steps:\n    - id: a\n      run: echo hi\n',
  'README.md': '# repo\n',
  'plugins/alpha/config/plugin.json': manifest('alpha'),
  'plugins/alpha/backend/plugin.py': 'print("alpha")\n',
  'plugins/beta/plugin.json': manifest('beta', '2.1.0'),
  'plugins/beta/backend/plugin.py': 'print("beta")\n',
  'plugins/gamma/plugin.yaml': yamlManifest('gamma', '0.3.0'),
  'plugins/gamma/index.js': 'console.log("gamma")\n',
};
