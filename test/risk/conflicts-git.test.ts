// localConflicts against real git repositories in temp dirs: our branch edits lines 10–12 of a
// plugin file; other branches edit near it, far from it, elsewhere, or were merged already.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GitError, runGit, type RunGit } from '../../src/project/changed/git.ts';
import { localConflicts } from '../../src/risk/conflicts/git.ts';
import { conflictText } from '../../src/risk/conflicts/text.ts';
import { change, git, repo } from '../changed/repo.ts';

const alpha = 'plugins/alpha/backend/plugin.py';
const lines = (edits: Record<number, string> = {}) => Array.from({ length: 120 }, (_, i) => edits[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

/**
 * main; `feature` (ours, checked out) edits alpha lines 10–12 and the README; `branch-a` edits
 * alpha 11–13; `branch-b` alpha 100; `branch-c` beta and the README; `merged` edited alpha 10–12
 * and was merged into main. `origin/branch-a` is branch-a's remote-tracking twin, `origin/HEAD`
 * points at it, and `origin/feature` is an older push of ours.
 */
function scenario(): string {
  const dir = repo({ [alpha]: lines(), 'plugins/beta/plugin.py': 'beta\n', 'README.md': '# repo\n' });
  const from = (name: string, files: Record<string, string>) => {
    git(dir, 'checkout', '-q', '-b', name, 'main');
    change(dir, files);
  };
  change(dir, { [alpha]: lines({ 10: 'ours 10' }) });
  git(dir, 'update-ref', 'refs/remotes/origin/feature', 'HEAD');
  change(dir, { [alpha]: lines({ 10: 'ours 10', 11: 'ours 11', 12: 'ours 12' }), 'README.md': '# ours\n' });
  from('branch-a', { [alpha]: lines({ 11: 'a 11', 12: 'a 12', 13: 'a 13' }) });
  from('branch-b', { [alpha]: lines({ 100: 'b 100' }) });
  from('branch-c', { 'plugins/beta/plugin.py': 'beta 2\n', 'README.md': '# theirs\n' });
  from('merged', { [alpha]: lines({ 10: 'm 10', 11: 'm 11', 12: 'm 12' }) });
  git(dir, 'checkout', '-q', 'main');
  git(dir, 'merge', '-q', '--no-ff', '-m', 'merge', 'merged');
  git(dir, 'update-ref', 'refs/remotes/origin/branch-a', 'branch-a');
  git(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/branch-a');
  git(dir, 'checkout', '-q', 'feature');
  return dir;
}

// One repository for the tests that only read it (merge-tree writes objects, never refs).
let shared = '';
test.before(() => { shared = scenario(); });
test.after(() => rmSync(shared, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected a rejection');
}

test('near edits are high and conflict, far ones do not; merged, own and symbolic branches are not compared', async () => {
  const dir = shared;

  const r = await localConflicts({ cwd: dir, base: 'main', paths: ['plugins/alpha'] });

  assert.is(r.source, 'git');
  assert.is(r.level, 'high');
  assert.is(r.compared, 3, 'branch-a (once, under its local name), branch-b, branch-c');
  assert.equal(r.overlaps.map((o) => [o.other.branch, o.level, o.conflicts]), [['branch-a', 'high', true], ['branch-b', 'low', false]]);
  const [a, b] = r.overlaps;
  assert.equal(a?.files, [{ path: alpha, distance: 0, ours: [{ start: 10, lines: 3 }], theirs: [{ start: 11, lines: 3 }] }]);
  assert.equal(a?.conflicted, [alpha]);
  assert.is(a?.other.author, 'Test');
  assert.equal(b?.files.map((f) => f.distance), [87]);
  assert.match(conflictText(r), 'branch-a by Test: high, conflicts: yes (plugins/alpha/backend/plugin.py)');
});

test('without paths every file counts: a branch sharing only the README is listed', async () => {
  const dir = shared;

  const r = await localConflicts({ cwd: dir, base: 'main' });

  assert.equal(r.overlaps.map((o) => o.other.branch), ['branch-a', 'branch-c', 'branch-b']);
  assert.equal(r.overlaps[1]?.files.map((f) => [f.path, f.distance]), [['README.md', 0]]);
});

test('from the merge commit a pull request checks out, our own branch is not compared', async () => {
  const dir = scenario();
  git(dir, 'checkout', '-q', '--detach', 'main');
  git(dir, 'merge', '-q', '--no-ff', '-X', 'theirs', '-m', 'Merge feature into main', 'feature');

  const r = await localConflicts({ cwd: dir, base: 'main', paths: ['plugins/alpha'] });

  assert.equal(r.overlaps.map((o) => [o.other.branch, o.level]), [['branch-a', 'high'], ['branch-b', 'low']]);
  assert.is(r.compared, 3, 'feature and origin/feature are reachable from HEAD');
  rmSync(dir, { recursive: true, force: true });
});

test('a git without merge-tree --write-tree leaves conflicts unknown and asks once', async () => {
  const dir = shared;
  let asked = 0;
  const oldGit: RunGit = async (args, req) => {
    if (args.includes('merge-tree')) { asked++; return { code: 129, stdout: Buffer.alloc(0), stderr: 'error: unknown option `write-tree\'' }; }
    return runGit(args, req);
  };

  const r = await localConflicts({ cwd: dir, base: 'main', paths: ['plugins/alpha'], spawn: oldGit });

  assert.equal(r.overlaps.map((o) => [o.other.branch, o.level, o.conflicts]), [['branch-a', 'high', undefined], ['branch-b', 'low', undefined]]);
  assert.is(asked, 1);
});

test('no change of ours under the paths: nothing overlaps', async () => {
  const dir = shared;

  const r = await localConflicts({ cwd: dir, base: 'main', paths: ['plugins/gamma'] });

  assert.equal([r.level, r.overlaps.length], ['none', 0]);
});

const shallowCases: Array<[string, string[], string, RegExp]> = [
  ['the base missing', ['--single-branch'], 'main', /unknown base ref "main".*fetch-depth: 0/],
  ['the common history missing', ['--no-single-branch'], 'origin/main', /no common ancestor.*fetch-depth: 0/],
];
for (const [name, flags, base, message] of shallowCases) {
  test(`a shallow clone with ${name} is a GitError that says to fetch the history`, async () => {
    const origin = scenario();
    const clone = `${origin}-clone`;
    execFileSync('git', ['clone', '-q', '--depth', '1', ...flags, '--branch', 'feature', `file://${origin}`, clone]);

    const e = await rejection(localConflicts({ cwd: clone, base }));

    assert.instance(e, GitError);
    assert.match((e as GitError).message, message);
    rmSync(origin, { recursive: true, force: true });
    rmSync(clone, { recursive: true, force: true });
  });
}

const refusedCases: Array<[string, { base: string; head?: string; paths?: string[] }, RegExp]> = [
  ['a base that git would read as an option', { base: '--output=x' }, /base ref .*starts with "-"/],
  ['a head that is a range', { base: 'main', head: 'main..x' }, /head ref .*not a plain git revision/],
  ['a path outside the repository', { base: 'main', paths: ['../elsewhere'] }, /outside the repository/],
];
for (const [name, o, message] of refusedCases) {
  test(`refused before git runs: ${name}`, async () => {
    let ran = 0;
    const e = await rejection(localConflicts({ cwd: '/', ...o, spawn: async () => { ran++; return { code: 0, stdout: Buffer.alloc(0), stderr: '' }; } }));
    assert.instance(e, GitError);
    assert.match((e as GitError).message, message);
    assert.is(ran, 0);
  });
}

test.run();
