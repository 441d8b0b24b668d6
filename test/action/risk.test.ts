// The bundled action on a pull request, in a real git checkout, against a fake GitHub API on
// loopback: the failure risk of the plugin's change since the pull request's base, and the
// merge-conflict risk against the other open pull requests, in the job summary, the comment and
// the outputs; other pull requests elsewhere; the pulls API refusing; a shallow checkout.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openFileStore } from '../../src/store/file-store.ts';
import { startFakeGitHub, type FakeGitHub } from '../action-github/fake-github.ts';
import { commit, git, write } from '../changed/repo.ts';
import { hourMs, record } from '../risk/history.ts';
import { annotations, runAction, workspace } from './helpers.ts';

const token = 'ghs_Sup3rSecretTokenValue1234567890';
const plugin = 'plugins/hello/backend/plugin.py';
/** One quick step (not one of the seeded records' steps, so the step factor stays 0). */
const check = 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: check }\nspec:\n  steps:\n    - id: lint\n      run: echo checked\n';
const inputs = { workflow: 'check.yml', plugin: 'plugins/hello', 'github-token': token };

/**
 * The hello plugin on `main`; our pull request (#7, checked out on `feature`) edits line 5, inside
 * greet(). With `history`, the store holds that many failed runs of `check` on hello.
 */
async function checkout(history = 0): Promise<{ dir: string; event: object }> {
  const dir = workspace('hello');
  write(dir, { 'check.yml': check, '.gitignore': '.pluginops/\n' });
  git(dir, 'init', '-q', '-b', 'main');
  commit(dir, 'first');
  const base = git(dir, 'rev-parse', 'HEAD').trim();
  git(dir, 'checkout', '-q', '-b', 'feature');
  write(dir, { [plugin]: git(dir, 'show', `main:${plugin}`).replace('or "world"', 'or "there"') });
  commit(dir, 'greet there');
  const head = git(dir, 'rev-parse', 'HEAD').trim();
  if (history) {
    const store = await openFileStore(join(dir, '.pluginops'));
    const first = Date.now() - (history + 1) * hourMs;
    try {
      for (let i = 0; i < history; i++) await store.create(record({ workflow: 'check', plugin: 'hello', status: 'failed', failedAt: 'test' }, first + i * hourMs, i));
    } finally {
      await store.close();
    }
  }
  const event = { pull_request: { number: 7, head: { sha: head, ref: 'feature' }, base: { sha: base, ref: 'main' } } };
  return { dir, event };
}

const hunk = (at: number, lines = 1) => `@@ -${at},${lines} +${at},${lines} @@ def greet(name: str) -> str:\n${'-    old\n'.repeat(lines)}${'+    new\n'.repeat(lines)}`.trimEnd();
const ours = (gh: FakeGitHub) => gh.seedPull({ number: 7, title: 'Greet there', branch: 'feature', files: [{ filename: plugin, patch: hunk(5) }] });
const run = (dir: string, gh: FakeGitHub, event: object, extra: Record<string, string> = {}) =>
  runAction(dir, { ...inputs, ...extra }, { api: gh.url, event, eventName: 'pull_request' });

/** `fn` with a fake GitHub API, closed whatever happens (an open server would keep the test process alive). */
async function withGitHub(fn: (gh: FakeGitHub) => Promise<void>): Promise<void> {
  const gh = await startFakeGitHub();
  try { await fn(gh); } finally { await gh.close(); }
}

test('two other open pull requests near our lines: both named in the summary and the comment, beside the failure risk', () => withGitHub(async (gh) => {
  const { dir, event } = await checkout(6);
  ours(gh);
  gh.seedPull({ number: 8, title: 'Loud greeting', author: 'mona', files: [{ filename: plugin, patch: hunk(5, 2) }] });
  gh.seedPull({ number: 9, title: 'Trim names', author: 'hubot', files: [{ filename: plugin, patch: hunk(9) }, { filename: 'README.md', patch: hunk(1) }] });
  gh.seedPull({ number: 10, title: 'Docs only', files: [{ filename: 'README.md', patch: hunk(1) }] });

  const r = await run(dir, gh, event);

  assert.is(r.code, 0, r.stdout.slice(-3000));
  assert.is(r.outputs.status, 'success');
  assert.is(r.outputs['conflict-level'], 'high');
  assert.is(r.outputs['risk-level'], 'medium');
  const section = /### Merge-conflict risk: high\n[\s\S]*?(?=\n###|$)/.exec(r.summary)?.[0] ?? '';
  assert.match(section, '2 other open pull requests touch the same plugin files (3 other open pull requests compared).');
  assert.match(section, '| [#8 Loud greeting](https://github.com/acme/plugins/pull/8) | high | plugins/hello/backend/plugin.py: lines 5 and 5–6 overlap |');
  assert.match(section, '| [#9 Trim names](https://github.com/acme/plugins/pull/9) | medium | plugins/hello/backend/plugin.py: 3 lines apart (lines 5 and 9) |');
  assert.not.match(section, '#10');
  assert.match(r.summary, /### Failure risk of plugins\/hello: medium\n\nScore \*\*0\.\d\d\*\*; confidence low, from 6 finished runs\./);
  assert.match(r.summary, '| workflow failures | 1.00 | 3 | 6 of the last 6 runs failed |');
  assert.match(r.summary, '| untested change | 1.00 | 1 | 1 source file changed, no test |');
  assert.match(r.summary, 'Change: 1 file, +1 −1; 1 source, 0 test.');
  assert.match(r.summary, '| greet | 2 | plugins/hello/backend/plugin.py:4 |');
  const summaryJson = JSON.parse(r.outputs['summary-json']!) as Array<{ risk?: { level: string; score: number } }>;
  assert.is(summaryJson[0]!.risk!.level, 'medium');
  const [comment] = gh.comments(7);
  assert.is(gh.comments(7).length, 1);
  for (const text of ['### Failure risk of plugins/hello: medium', '### Merge-conflict risk: high', '[#8 Loud greeting]', '[#9 Trim names]', '| greet | 2 |']) {
    assert.ok(comment!.body.includes(text), `the comment has ${text}`);
  }
  assert.ok(gh.requests.some((q) => q.path.startsWith('/repos/acme/plugins/pulls?')), 'the open pulls were listed');
  const filesRead = gh.requests.flatMap((q) => /\/pulls\/(\d+)\/files/.exec(q.path)?.[1] ?? []).sort();
  assert.equal(filesRead, ['10', '7', '8', '9'], 'ours and each other pull request on main, once each');
}));

test('other open pull requests touch only other files: no overlap, said in words', () => withGitHub(async (gh) => {
  const { dir, event } = await checkout();
  ours(gh);
  gh.seedPull({ number: 8, title: 'Docs', files: [{ filename: 'README.md', patch: hunk(1) }] });
  gh.seedPull({ number: 9, title: 'Node plugin', files: [{ filename: 'plugins/hello-node/src/index.js', patch: hunk(5) }] });
  gh.seedPull({ number: 11, title: 'Another base', base: 'release', files: [{ filename: plugin, patch: hunk(5) }] });

  const r = await run(dir, gh, event);

  assert.is(r.code, 0, r.stdout.slice(-3000));
  assert.is(r.outputs['conflict-level'], 'none');
  assert.is(r.outputs['risk-level'], 'unknown');
  assert.match(r.summary, '### Merge-conflict risk: none\n\nNo other open pull request touches the same plugin files (2 other open pull requests compared).\n');
  assert.match(r.summary, /### Failure risk of plugins\/hello: unknown\n\nNot enough data: 0 finished runs of check, 5 needed\./);
  assert.match(gh.comments(7)[0]!.body, 'No other open pull request touches the same plugin files');
}));

test('the pulls API rate-limits for longer than the action waits: the check is skipped with a warning, the run and the comment go on', () => withGitHub(async (gh) => {
  const { dir, event } = await checkout();
  ours(gh);
  gh.seedPull({ number: 8, title: 'Loud greeting', files: [{ filename: plugin, patch: hunk(5) }] });
  gh.failNext(1, 403, { 'retry-after': '3600' });

  const r = await run(dir, gh, event);

  assert.is(r.code, 0, r.stdout.slice(-3000));
  assert.is(r.outputs.status, 'success');
  assert.is(r.outputs['conflict-level'], 'skipped');
  assert.match(gh.requests[0]!.path, /^\/repos\/acme\/plugins\/pulls\?/);
  assert.is(gh.requests[0]!.status, 403);
  const warning = annotations(r.stdout).find((a) => a.level === 'warning' && a.message.startsWith('merge-conflict check skipped'));
  assert.ok(warning, r.stdout.slice(-2000));
  assert.match(warning!.message, 'listOpenPulls failed: HTTP 403');
  assert.match(r.summary, '### Merge-conflict risk: not checked\n\nThe conflict check was skipped: GitHub listOpenPulls failed: HTTP 403');
  assert.match(r.summary, '### Failure risk of plugins/hello: unknown');
  assert.match(gh.comments(7)[0]!.body, '### Merge-conflict risk: not checked');
  assert.not.ok(r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n').includes(token), 'the token is not shown');
}));

test('a shallow checkout without the base: a warning, the risk from history alone, the run goes on', () => withGitHub(async (gh) => {
  const { dir: origin, event } = await checkout();
  const clone = `${origin}-shallow`;
  execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin}`, clone], { stdio: 'ignore' });

  const r = await run(clone, gh, event, { conflicts: 'false' });

  assert.is(r.code, 0, r.stdout.slice(-3000));
  assert.is(r.outputs.status, 'success');
  const warning = annotations(r.stdout).find((a) => a.level === 'warning' && a.message.startsWith('risk: the change of plugins/hello'));
  assert.ok(warning, r.stdout.slice(-2000));
  assert.match(warning!.message, 'scored from history alone');
  assert.match(warning!.message, 'fetch-depth: 0');
  assert.is(r.outputs['risk-level'], 'unknown');
  assert.is(r.outputs['conflict-level'], '');
  assert.match(r.summary, '### Failure risk of plugins/hello: unknown');
  assert.not.match(r.summary, 'Change: ');
  assert.not.match(r.summary, 'Merge-conflict risk');
  assert.not.ok(gh.requests.some((q) => q.path.includes('/pulls')), 'conflicts: false asks nothing about pull requests');
}));

test('a dry run shows the risk the run would start with and the conflicts, and runs nothing', () => withGitHub(async (gh) => {
  const { dir, event } = await checkout(6);
  ours(gh);
  gh.seedPull({ number: 8, title: 'Loud greeting', author: 'mona', files: [{ filename: plugin, patch: hunk(5, 2) }] });

  const r = await run(dir, gh, event, { 'dry-run': 'true' });

  assert.is(r.code, 0, r.stdout.slice(-3000));
  assert.is(r.outputs.status, 'planned');
  assert.is(r.outputs['risk-level'], 'medium');
  assert.is(r.outputs['conflict-level'], 'high');
  assert.match(r.summary, /### Failure risk of plugins\/hello: medium\n\nScore \*\*0\.\d\d\*\*; confidence low, from 6 finished runs\./);
  assert.match(r.summary, 'Change: 1 file, +1 −1; 1 source, 0 test.');
  assert.match(r.summary, '[#8 Loud greeting]');
  const store = await openFileStore(join(dir, '.pluginops'));
  try {
    assert.is((await store.list()).length, 6, 'no execution recorded');
  } finally {
    await store.close();
  }
}));

test.run();
