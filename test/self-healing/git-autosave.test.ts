// The shipped `git_autosave` runbook, run by id through the CLI against temporary repositories
// with real git: only safe files are committed, on a new branch, from the scanned copies; the
// current branch, the index and the files stay as they were; hostile names are taken literally.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/helpers.ts';
import { events, finished, stepEvent } from '../delivery/helpers.ts';
import { autosaveBranches, awsKey, git, gitEnv, hostileNames, messyTree, repoWithCommit, tempDir, treeOf } from './helpers.ts';

/** A project directory with the repository in `repo/`. */
function project(): { dir: string; repo: string } {
  const dir = tempDir('autosave');
  writeFileSync(join(dir, 'pluginops.yml'), 'apiVersion: pluginops/v1\nkind: Project\n');
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  return { dir, repo };
}

async function autosave(dir: string, params: Record<string, string | number | boolean> = {}) {
  const r = await cli(['run', 'git_autosave', '--json', '-p', 'repo=repo', ...Object.entries(params).flatMap(([k, v]) => ['-p', `${k}=${v}`])], dir, { env: gitEnv as Record<string, string> });
  const evs = events(r.stdout);
  return { ...r, steps: finished(evs), outputs: (step: string) => stepEvent(evs, step)?.outputs ?? {}, log: r.stdout };
}

const stagingDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('pluginops-autosave.'));

test('safe files go on a new branch; secrets, the big file and the current branch are left alone', async () => {
  const { dir, repo } = project();
  repoWithCommit(repo);
  const { safe, secret, big } = messyTree(repo, 30);
  writeFileSync(join(repo, 'README.md'), 'base\nchanged\n');
  const head = git(repo, 'rev-parse', 'HEAD').trim();
  const statusBefore = git(repo, 'status', '--porcelain', '-z');
  const staging = stagingDirs();

  const r = await autosave(dir);
  assert.is(r.code, 0, r.stderr + r.log.slice(-3000));
  assert.equal(r.steps, { collect: 'success', scan: 'success', commit: 'success', cleanup: 'success' });
  const branch = r.outputs('commit').autosaveBranch!;
  assert.match(branch, /^pluginops\/autosave-\d{8}T\d{6}Z$/);
  assert.equal(autosaveBranches(repo), [branch]);
  assert.equal(treeOf(repo, branch), ['README.md', ...safe].sort(), 'the safe files only: no .env, no settings.py with a key, no 5 MiB file');
  for (const f of [...secret, big]) assert.not.ok(treeOf(repo, branch).includes(f), f);
  assert.is(git(repo, 'show', `${branch}:README.md`), 'base\nchanged\n');
  assert.is(git(repo, 'rev-parse', `${branch}^`).trim(), head, 'the commit sits on HEAD as it was');
  assert.is(r.outputs('commit').saved, '31');
  assert.is(r.outputs('commit').pushed, 'false');

  assert.is(git(repo, 'symbolic-ref', 'HEAD').trim(), 'refs/heads/main', 'HEAD stays on main');
  assert.is(git(repo, 'rev-parse', 'main').trim(), head, 'main did not move');
  assert.is(git(repo, 'status', '--porcelain', '-z'), statusBefore, 'the index and the working tree are as they were');
  assert.match(r.log, /left out \.env: its name looks like a secret/);
  assert.match(r.log, /left out big\.bin: 5242880 bytes, over maxBytes/);
  assert.match(r.log, /left out settings\.py: the secret scan found a secret in it/);
  assert.not.ok(r.log.includes(awsKey), 'the key itself is never logged');
  assert.equal(stagingDirs(), staging, 'the staging directory is removed');
});

test('hostile file names are committed literally: never run, never taken as options', async () => {
  const { dir, repo } = project();
  repoWithCommit(repo);
  for (const name of hostileNames) writeFileSync(join(repo, name), `name: ${name}\n`);
  const r = await autosave(dir);
  assert.is(r.code, 0, r.stderr + r.log.slice(-3000));
  const branch = r.outputs('commit').autosaveBranch!;
  assert.equal(treeOf(repo, branch), ['README.md', ...hostileNames].sort());
  for (const name of hostileNames) assert.is(git(repo, 'show', `${branch}:${name}`), `name: ${name}\n`);
  for (const p of ['pwned', 'pwned2', 'x']) {
    assert.not.ok(existsSync(join(repo, p)) || existsSync(join(dir, p)), `${p} was created: a name was executed`);
  }
  assert.is(git(repo, 'symbolic-ref', 'HEAD').trim(), 'refs/heads/main');
});

test('a deleted file and an executable keep their meaning on the branch; a nested repository is left out', async () => {
  const { dir, repo } = project();
  repoWithCommit(repo);
  git(repo, 'rm', '-q', 'README.md');
  writeFileSync(join(repo, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  mkdirSync(join(repo, 'nested'));
  git(join(repo, 'nested'), 'init', '-q');
  writeFileSync(join(repo, 'nested', 'inner.txt'), 'x\n');
  const r = await autosave(dir);
  assert.is(r.code, 0, r.stderr + r.log.slice(-3000));
  const branch = r.outputs('commit').autosaveBranch!;
  assert.equal(treeOf(repo, branch), ['run.sh']);
  assert.match(git(repo, 'ls-tree', branch, 'run.sh'), /^100755 /);
  assert.match(r.log, /left out nested\/: a directory/);
});

test('exclude: pluginops\' own state by default, and the patterns given, matched literally against the path', async () => {
  const { dir, repo } = project();
  repoWithCommit(repo);
  mkdirSync(join(repo, '.pluginops', 'executions'), { recursive: true });
  writeFileSync(join(repo, '.pluginops', 'executions', 'run.jsonl'), '{}\n');
  mkdirSync(join(repo, 'build'));
  writeFileSync(join(repo, 'build', 'out.js'), 'x\n');
  writeFileSync(join(repo, 'debug.log'), 'x\n');
  writeFileSync(join(repo, 'keep.txt'), 'x\n');
  let r = await autosave(dir);
  assert.is(r.code, 0, r.stderr + r.log.slice(-2000));
  assert.equal(treeOf(repo, r.outputs('commit').autosaveBranch!), ['README.md', 'build/out.js', 'debug.log', 'keep.txt']);
  writeFileSync(join(repo, 'keep.txt'), 'y\n');
  r = await autosave(dir, { exclude: 'build/* *.log' });
  assert.is(r.code, 0, r.stderr + r.log.slice(-2000));
  assert.equal(treeOf(repo, r.outputs('commit').autosaveBranch!), ['.pluginops/executions/run.jsonl', 'README.md', 'keep.txt']);
  assert.match(r.log, /left out debug\.log: it matches exclude/);
});

test('no changes, a detached HEAD, an unborn branch: nothing is saved and the reason is given', async () => {
  const clean = project();
  repoWithCommit(clean.repo);
  let r = await autosave(clean.dir);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.steps, { collect: 'success', scan: 'skipped', commit: 'skipped', cleanup: 'success' });
  assert.match(r.outputs('collect').reason!, /no uncommitted changes/);
  assert.equal(autosaveBranches(clean.repo), []);

  const detached = project();
  repoWithCommit(detached.repo);
  git(detached.repo, 'checkout', '-q', '--detach');
  writeFileSync(join(detached.repo, 'work.txt'), 'w\n');
  r = await autosave(detached.dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.outputs('collect').reason!, /HEAD is detached/);
  assert.equal(autosaveBranches(detached.repo), []);
  assert.is(git(detached.repo, 'status', '--porcelain'), '?? work.txt\n');

  const unborn = project();
  git(unborn.repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(unborn.repo, 'a.txt'), 'a\n');
  r = await autosave(unborn.dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.outputs('collect').reason!, /has no commit yet/);

  const secretsOnly = project();
  repoWithCommit(secretsOnly.repo);
  writeFileSync(join(secretsOnly.repo, 'id_rsa'), 'key\n');
  writeFileSync(join(secretsOnly.repo, 'notes.txt'), `token = "ghp_${'a'.repeat(36)}"\n`);
  r = await autosave(secretsOnly.dir);
  assert.is(r.code, 0, r.stderr + r.log.slice(-2000));
  assert.is(r.outputs('commit').saved, '0');
  assert.match(r.outputs('commit').reason!, /every candidate holds a secret/);
  assert.equal(autosaveBranches(secretsOnly.repo), []);
});

test('not a repository, and bad parameters, are refused before anything is written', async () => {
  const { dir } = project();
  let r = await autosave(dir);
  assert.is(r.code, 1);
  assert.match(r.log + r.stderr, /is not inside a git work tree/);

  const p = project();
  repoWithCommit(p.repo);
  writeFileSync(join(p.repo, 'a.txt'), 'a\n');
  for (const [k, v] of [['branchPrefix', '-x'], ['branchPrefix', 'a/../b'], ['branchPrefix', 'a b'], ['remote', '--upload-pack=touch pwned'], ['maxBytes', 'lots']] as const) {
    r = await autosave(p.dir, { [k]: v });
    assert.ok(r.code !== 0, `${k}=${v} was accepted`);
    assert.match(r.stderr + r.log, /E_PARAMETER|expected/, `${k}=${v}: ${r.stderr}`);
  }
  r = await autosave(p.dir, { maxBytes: 2_000_000 });
  assert.is(r.code, 1);
  assert.match(r.log + r.stderr, /maxBytes is .{0,2}2000000.{0,2}; expected a whole number of bytes from 1 to 1048576/);
  assert.equal(autosaveBranches(p.repo), []);
  assert.not.ok(existsSync(join(p.repo, 'pwned')));
});

test('push: true pushes the new branch only; without it the remote gets nothing', async () => {
  const { dir, repo } = project();
  repoWithCommit(repo);
  const remote = tempDir('remote');
  git(remote, 'init', '-q', '--bare');
  git(repo, 'remote', 'add', 'origin', remote);
  writeFileSync(join(repo, 'a.txt'), 'a\n');

  let r = await autosave(dir);
  assert.is(r.code, 0, r.stderr + r.log.slice(-2000));
  assert.is(git(remote, 'for-each-ref').trim(), '', 'nothing pushed by default');

  writeFileSync(join(repo, 'b.txt'), 'b\n');
  r = await autosave(dir, { push: true, branchPrefix: 'backup/work' });
  assert.is(r.code, 0, r.stderr + r.log.slice(-2000));
  const branch = r.outputs('commit').autosaveBranch!;
  assert.match(branch, /^backup\/work-/);
  assert.is(r.outputs('commit').pushed, 'true');
  assert.equal(git(remote, 'for-each-ref', '--format=%(refname)').trim().split('\n'), [`refs/heads/${branch}`], 'only the new branch, never main');
  assert.equal(treeOf(remote, branch), ['README.md', 'a.txt', 'b.txt']);
});

test.run();
