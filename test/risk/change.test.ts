// changeOf against real git repositories in temp directories: a feature branch that edits a
// plugin's Python and JavaScript, adds a dependency file and a test; a plugin at the repository
// root; a deletion inside a function; an unknown base; shallow clones without the history.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { changeOf, GitError } from '../../src/risk/change/index.ts';
import { change, git, manifest, repo } from '../changed/repo.ts';

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try { await p; } catch (e) { return e as Error & { code?: string }; }
  throw new Error('expected a rejection');
}

const pluginPy = (body: string) => `def simple(x):\n    return x\n\n\n${body}`;
const before = {
  'plugins/beta/plugin.json': manifest('beta'),
  'plugins/beta/README.md': '# beta\n',
  'plugins/beta/backend/plugin.py': pluginPy(
    'def branchy(x, y):\n    if x:\n        return 1\n    return 3\n\n\n' +
    'class Handler:\n    def handle(self, items):\n        for i in items:\n            yield i\n'),
  'plugins/beta/web/app.js':
    'export function untouched(a) {\n  return a ? 1 : 2;\n}\n\nexport function route(req) {\n  return 0;\n}\n',
  'plugins/other/plugin.json': manifest('other'),
  'plugins/other/x.py': 'x = 1\n',
};
const after = {
  'plugins/beta/plugin.json': manifest('beta', '1.1.0'), // +1 -1
  'plugins/beta/README.md': '# beta\n\nMore.\n', // +2
  'plugins/beta/backend/plugin.py': pluginPy( // +4 -1
    'def branchy(x, y):\n    if x:\n        return 1\n    elif y:\n        return 2\n    return 3\n\n\n' +
    'class Handler:\n    def handle(self, items):\n        for i in items:\n            if i and i.ok:\n                yield i\n'),
  'plugins/beta/web/app.js': // +5 -1
    'export function untouched(a) {\n  return a ? 1 : 2;\n}\n\nexport function route(req) {\n' +
    "  switch (req.kind) {\n    case 'a': return 1;\n    case 'b': return req.x ?? 2;\n    default: return 0;\n  }\n}\n",
  'plugins/beta/requirements.txt': 'requests==2.31.0\n', // +1
  'plugins/beta/tests/test_plugin.py': 'def test_simple():\n    assert True\n', // +2
  'plugins/beta/icon.png': 'PNG\0\0\x01\x02', // binary: 0 lines
  'plugins/other/x.py': 'x = 2\n', // another plugin: not counted
};

test('a branch that edits a plugin: counts, lines, manifests, dependency files, tests and the touched functions', async () => {
  const dir = repo(before);
  change(dir, after);

  const summary = await changeOf({ cwd: dir, base: 'main', plugin: join(dir, 'plugins/beta') });

  assert.equal({ ...summary, base: undefined, head: undefined }, {
    base: undefined, head: undefined,
    files: 7, linesAdded: 15, linesDeleted: 3,
    manifests: ['plugins/beta/plugin.json'],
    dependencyFiles: ['plugins/beta/requirements.txt'],
    codeFiles: 3, testFiles: 1,
    functions: [
      { file: 'plugins/beta/backend/plugin.py', name: 'Handler.handle', line: 14, endLine: 17, complexity: 4, language: 'python' },
      { file: 'plugins/beta/web/app.js', name: 'route', line: 5, endLine: 11, complexity: 4, language: 'javascript' },
      { file: 'plugins/beta/backend/plugin.py', name: 'branchy', line: 5, endLine: 10, complexity: 3, language: 'python' },
    ],
    maxComplexity: 4,
  });
  assert.is(summary.base, git(dir, 'rev-parse', 'main').trim());
  assert.is(summary.head, git(dir, 'rev-parse', 'HEAD').trim());
});

test('the merge base is the base: commits on main after the branch point are not part of the change', async () => {
  const dir = repo(before);
  change(dir, { 'plugins/beta/web/app.js': after['plugins/beta/web/app.js'] });
  git(dir, 'checkout', '-q', 'main');
  change(dir, { 'plugins/beta/backend/plugin.py': after['plugins/beta/backend/plugin.py'] });

  const summary = await changeOf({ cwd: dir, base: 'main', head: 'feature', plugin: join(dir, 'plugins/beta') });

  assert.is(summary.files, 1);
  assert.equal(summary.functions.map((f) => f.name), ['route']);
  assert.is(summary.head, git(dir, 'rev-parse', 'feature').trim());
});

test('a pure deletion inside a function touches it, and only it', async () => {
  const dir = repo({ 'p/plugin.yaml': 'id: p\n', 'p/a.py': 'def f(x):\n    log()\n    if x:\n        return 1\n    return 2\n\n\ndef g():\n    return 0\n' });
  change(dir, { 'p/a.py': 'def f(x):\n    if x:\n        return 1\n    return 2\n\n\ndef g():\n    return 0\n' });

  const summary = await changeOf({ cwd: dir, base: 'main', plugin: join(dir, 'p') });

  assert.equal([summary.linesAdded, summary.linesDeleted], [0, 1]);
  assert.equal(summary.functions.map((f) => [f.name, f.complexity]), [['f', 2]]);
});

test('a plugin at the repository root, asked from a subdirectory', async () => {
  const dir = repo({ 'plugin.json': manifest('root'), 'index.js': 'function a() {\n  return 1;\n}\n', 'lib/util.mjs': 'export const b = (x) => x;\n', 'docs/guide.md': 'hi\n' });
  change(dir, {
    'plugin.json': manifest('root', '2.0.0'),
    'index.js': 'function a() {\n  return x || y;\n}\n',
    'lib/util.mjs': 'export const b = (x) => x;\n\nexport const c = (x) => (x ? x : 0);\n',
    'docs/guide.md': 'hi there\n',
    'package.json': '{}\n',
  });

  const summary = await changeOf({ cwd: join(dir, 'lib'), base: 'main', plugin: dir });

  assert.equal([summary.files, summary.codeFiles, summary.testFiles], [5, 2, 0]);
  assert.equal(summary.manifests, ['plugin.json']);
  assert.equal(summary.dependencyFiles, ['package.json']);
  assert.equal(summary.functions.map((f) => [f.file, f.name, f.complexity]), [['index.js', 'a', 2], ['lib/util.mjs', 'c', 2]]);
  assert.is(summary.maxComplexity, 2);
});

test('a file that does not parse is unmeasured with the line; the others are still measured; no python3 is no error', async () => {
  const dir = repo({ 'p/plugin.yaml': 'id: p\n', 'p/ok.js': 'function f() {}\n' });
  change(dir, { 'p/broken.py': 'def f(:\n    pass\n', 'p/broken.js': 'let x = ;\n', 'p/ok.js': 'function f() {\n  return a && b;\n}\n', 'p/fine.py': 'def g():\n    pass\n' });

  const summary = await changeOf({ cwd: dir, base: 'main', plugin: join(dir, 'p') });
  const missing = await changeOf({ cwd: dir, base: 'main', plugin: join(dir, 'p'), python: '/nonexistent/python3' });

  assert.equal(summary.functions.map((f) => f.name).sort(), ['f', 'g']);
  assert.equal(summary.unmeasured?.map((u) => u.file), ['p/broken.py', 'p/broken.js']);
  assert.match(summary.unmeasured?.[0]?.reason ?? '', 'syntax error at line 1');
  assert.match(summary.unmeasured?.[1]?.reason ?? '', 'syntax error at line 1');
  assert.equal(missing.functions.map((f) => f.name), ['f']);
  assert.equal(missing.unmeasured?.map((u) => u.file), ['p/broken.py', 'p/fine.py', 'p/broken.js']);
  assert.match(missing.unmeasured?.[0]?.reason ?? '', '/nonexistent/python3 was not found');
});

test('names git quotes are read back; a file over 1 MiB is unmeasured, not read', async () => {
  const dir = repo({ 'p/plugin.yaml': 'id: p\n', 'p/tést "x".js': 'function a() {}\n' });
  change(dir, { 'p/tést "x".js': 'function a() {\n  return b || c;\n}\n', 'p/big.py': `def f():\n    pass\n# ${'x'.repeat(1024 * 1024)}\n` });

  const summary = await changeOf({ cwd: dir, base: 'main', plugin: join(dir, 'p') });

  assert.equal(summary.functions.map((f) => [f.file, f.name, f.complexity]), [['p/tést "x".js', 'a', 2]]);
  assert.equal(summary.unmeasured?.map((u) => u.file), ['p/big.py']);
  assert.match(summary.unmeasured?.[0]?.reason ?? '', 'too large');
});

test('a change with nothing in the plugin is empty', async () => {
  const dir = repo(before);
  change(dir, { 'plugins/other/x.py': 'x = 3\n' });

  const summary = await changeOf({ cwd: dir, base: 'main', plugin: join(dir, 'plugins/beta') });

  assert.equal({ ...summary, base: '', head: '' }, {
    base: '', head: '', files: 0, linesAdded: 0, linesDeleted: 0, manifests: [], dependencyFiles: [], codeFiles: 0, testFiles: 0, functions: [], maxComplexity: 0,
  });
});

test('a base that does not exist is a GitError that names it', async () => {
  const dir = repo(before);

  const e = await rejection(changeOf({ cwd: dir, base: 'no-such-branch', plugin: join(dir, 'plugins/beta') }));

  assert.instance(e, GitError);
  assert.is(e.code, 'E_GIT');
  assert.match(e.message, 'unknown base ref "no-such-branch"');
});

test('a ref that git would read as an option is refused before git runs', async () => {
  const e = await rejection(changeOf({ cwd: '/nowhere', base: '--output=/tmp/x', plugin: '/nowhere', spawn: async () => { throw new Error('git ran'); } }));

  assert.instance(e, GitError);
  assert.match(e.message, 'starts with "-"');
});

test('a shallow clone without the base is a GitError that says to fetch with fetch-depth: 0', async () => {
  const origin = repo(before);
  change(origin, after);
  const clone = `${origin}-shallow`;
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);

  const e = await rejection(changeOf({ cwd: clone, base: 'main', plugin: join(clone, 'plugins/beta') }));

  assert.instance(e, GitError);
  assert.match(e.message, 'unknown base ref "main"');
  assert.match(e.message, 'fetch-depth: 0');
  assert.not.match(e.message, /\n\s+at /);
});

test('a shallow clone that has the base but not the history is a GitError that says to fetch it', async () => {
  const origin = repo(before);
  change(origin, after);
  git(origin, 'checkout', '-q', 'main');
  change(origin, { 'README.md': 'main moved on\n' });
  const clone = `${origin}-shallow`;
  execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', '--branch', 'feature', `file://${origin}`, clone]);

  const e = await rejection(changeOf({ cwd: clone, base: 'origin/main', plugin: join(clone, 'plugins/beta') }));

  assert.instance(e, GitError);
  assert.match(e.message, 'no common ancestor');
  assert.match(e.message, 'fetch-depth: 0');
});

test('a plugin directory outside the repository is a GitError', async () => {
  const dir = repo(before);

  const e = await rejection(changeOf({ cwd: dir, base: 'main', plugin: join(dir, '..') }));

  assert.instance(e, GitError);
  assert.match(e.message, 'outside the git repository');
});

test.run();
