// The port's pull request reads against the fake GitHub API (paging, retries, errors), and
// pullConflicts over the real port: overlapping pull requests, none, and an API that fails.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GitHubError } from '../../src/action/github/port.ts';
import { pullConflicts, type PullSource } from '../../src/risk/conflicts/github.ts';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { portFor, rejection, token } from './helpers.ts';

const test = suite<{ gh: FakeGitHub }>('pull requests', {} as { gh: FakeGitHub });
test.before.each(async (ctx) => { ctx.gh = await startFakeGitHub({ owner: 'acme', repo: 'widgets' }); });
test.after.each(async (ctx) => { await ctx.gh.close(); });

const alpha = 'plugins/alpha/backend/plugin.py';
const patch = (start: number, count: number) => `@@ -${start},${count} +${start},${count} @@ def run():\n${'-old\n'.repeat(count)}${'+new\n'.repeat(count)}`;

test('lists every open pull request across pages, newest first, in the port\'s shape', async ({ gh }) => {
  for (let n = 1; n <= 130; n++) gh.seedPull({ number: n, title: `change ${n}`, branch: `topic-${n}`, base: n % 2 ? 'main' : 'release', author: `dev${n}` });
  gh.seedPull({ number: 131, state: 'closed' });
  const { port } = portFor(gh);

  const pulls = await port.listOpenPulls();

  assert.is(pulls.length, 130);
  assert.equal(pulls[0], { number: 130, title: 'change 130', url: 'https://github.com/acme/widgets/pull/130', branch: 'topic-130', author: 'dev130', baseRef: 'release' });
  assert.is(pulls[129]?.number, 1);
  assert.equal(gh.requests.map((r) => r.path), [
    '/repos/acme/widgets/pulls?state=open&per_page=100',
    '/repositories/123456/pulls?state=open&per_page=100&page=2',
  ]);
});

test('lists a pull request\'s files across pages, without a patch where GitHub gives none', async ({ gh }) => {
  gh.seedPull({ number: 5, files: [
    { filename: 'logo.png' },
    ...Array.from({ length: 149 }, (_, i) => ({ filename: `plugins/p${i}.py`, patch: patch(i + 1, 1), status: 'added' as const })),
  ] });
  const { port } = portFor(gh);

  const files = await port.listPullFiles(5);

  assert.is(files.length, 150);
  assert.equal(files[0], { path: 'logo.png', status: 'modified' });
  assert.equal(files[1], { path: 'plugins/p0.py', status: 'added', patch: patch(1, 1) });
  assert.equal(gh.requests.map((r) => r.path), ['/repos/acme/widgets/pulls/5/files?per_page=100', '/repositories/123456/pulls/5/files?per_page=100&page=2']);
});

test('retries a rate-limited read after retry-after, then succeeds', async ({ gh }) => {
  gh.seedPull({ number: 1 });
  gh.failNext(1, 403, { 'retry-after': '5' });
  const { port, sleeps } = portFor(gh);

  const pulls = await port.listOpenPulls();

  assert.equal(pulls.map((p) => p.number), [1]);
  assert.equal(sleeps, [5000]);
  assert.equal(gh.requests.map((r) => r.status), [403, 200]);
});

test('a 404 is not retried and names the permission, never the token', async ({ gh }) => {
  const { port, sleeps } = portFor(gh);

  const error = await rejection(port.listPullFiles(404));

  assert.instance(error, GitHubError);
  const e = error as GitHubError;
  assert.equal([e.status, e.operation, e.attempts], [404, 'listPullFiles', 1]);
  assert.match(e.message, 'pull-requests: read');
  assert.not.match(e.message, token);
  assert.equal(sleeps, []);
});

test('a failure that echoes the token is redacted', async ({ gh }) => {
  gh.failNext(1, 403, {}, `Resource not accessible by ${token}`);
  const { port } = portFor(gh);

  const e = await rejection(port.listOpenPulls()) as GitHubError;

  assert.is(e.status, 403);
  assert.match(e.message, 'pull-requests: read');
  assert.not.match(e.message, token);
});

test('the port is a PullSource: two open pull requests on the same base touching our file are both reported', async ({ gh }) => {
  gh.seedPull({ number: 7, title: 'ours', base: 'main', files: [{ filename: alpha, patch: patch(10, 3) }, { filename: 'README.md', patch: patch(1, 1) }] });
  gh.seedPull({ number: 8, title: 'near', base: 'main', author: 'ann', files: [{ filename: alpha, patch: patch(11, 3) }] });
  gh.seedPull({ number: 9, title: 'far', base: 'main', files: [{ filename: alpha, patch: patch(100, 1) }, { filename: 'plugins/alpha/logo.png' }] });
  gh.seedPull({ number: 10, title: 'other base', base: 'release', files: [{ filename: alpha, patch: patch(10, 3) }] });
  gh.seedPull({ number: 11, title: 'readme only', base: 'main', files: [{ filename: 'README.md', patch: patch(1, 1) }] });
  const source: PullSource = portFor(gh).port;

  const r = await pullConflicts(source, { number: 7, paths: ['plugins/alpha'] });

  assert.is(r.source, 'github');
  assert.is(r.level, 'high');
  assert.is(r.compared, 3, '#8, #9 and #11 share the base; #10 does not');
  assert.equal(r.overlaps.map((o) => [o.other.number, o.level, o.files.map((f) => f.distance)]), [[8, 'high', [0]], [9, 'low', [87]]]);
  assert.equal(r.overlaps[0]?.other, { kind: 'pull', number: 8, title: 'near', url: 'https://github.com/acme/widgets/pull/8', branch: 'topic-8', author: 'ann' });
  assert.is(r.skipped, undefined);
});

test('no overlap: level none, with how many were compared', async ({ gh }) => {
  gh.seedPull({ number: 7, files: [{ filename: alpha, patch: patch(10, 3) }] });
  gh.seedPull({ number: 8, files: [{ filename: 'plugins/beta/plugin.py', patch: patch(10, 3) }] });
  gh.seedPull({ number: 9, files: [] });

  const r = await pullConflicts(portFor(gh).port, { number: 7 });

  assert.equal(r, { source: 'github', level: 'none', compared: 2, overlaps: [] });
});

const failing: Array<[string, (gh: FakeGitHub) => void, RegExp]> = [
  ['500s until the retries run out', (gh) => gh.failNext(10, 500), /^the conflict check was skipped: GitHub listOpenPulls failed: HTTP 500.*\(4 attempts\)/],
  ['a rate limit longer than the port waits', (gh) => gh.failNext(1, 429, { 'retry-after': '3600' }), /^the conflict check was skipped: .*rate limited/],
];
for (const [name, arrange, message] of failing) {
  test(`the API failing (${name}) skips the check without throwing`, async ({ gh }) => {
    gh.seedPull({ number: 7, files: [{ filename: alpha, patch: patch(10, 3) }] });
    arrange(gh);

    const r = await pullConflicts(portFor(gh).port, { number: 7 });

    assert.is(r.level, 'none');
    assert.equal(r.overlaps, []);
    assert.match(r.skipped ?? '', message);
    assert.not.match(r.skipped ?? '', token);
  });
}

test('our pull request not open: skipped, saying so', async ({ gh }) => {
  const r = await pullConflicts(portFor(gh).port, { number: 3 });
  assert.is(r.skipped, 'the conflict check was skipped: pull request #3 is not open');
});

test.run();
