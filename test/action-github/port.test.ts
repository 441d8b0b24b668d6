// octokitPort against the fake GitHub API: paging, the wire format of each call, retries, and
// errors that name the status and never the token.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GitHubError } from '../../src/action/github/port.ts';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { portFor, rejection, token } from './helpers.ts';

const test = suite<{ gh: FakeGitHub }>('octokitPort', {} as { gh: FakeGitHub });
test.before.each(async (ctx) => { ctx.gh = await startFakeGitHub({ owner: 'acme', repo: 'widgets' }); });
test.after.each(async (ctx) => { await ctx.gh.close(); });

test('lists every comment across pages by following the link header', async ({ gh }) => {
  const seeded = gh.seedComments(7, Array.from({ length: 205 }, (_, i) => `comment ${i}`));
  const { port } = portFor(gh);

  const comments = await port.listIssueComments(7);

  assert.equal(comments, seeded.map((c) => ({ id: c.id, body: c.body })));
  assert.equal(gh.requests.map((r) => r.path), [
    '/repos/acme/widgets/issues/7/comments?per_page=100',
    '/repositories/123456/issues/7/comments?per_page=100&page=2',
    '/repositories/123456/issues/7/comments?per_page=100&page=3',
  ]);
  assert.is(gh.requests[0]?.headers.authorization, `token ${token}`);
});

test('an issue without comments lists none in one request', async ({ gh }) => {
  const { port } = portFor(gh);
  assert.equal(await port.listIssueComments(3), []);
  assert.is(gh.requests.length, 1);
});

test('creates and updates a comment', async ({ gh }) => {
  const { port } = portFor(gh);

  const { id } = await port.createIssueComment(9, 'first');
  await port.updateIssueComment(id, 'second');

  assert.equal(gh.comments(9).map((c) => [c.id, c.body]), [[id, 'second']]);
  assert.equal(gh.requests.map((r) => [r.method, r.path, r.body]), [
    ['POST', '/repos/acme/widgets/issues/9/comments', { body: 'first' }],
    ['PATCH', `/repos/acme/widgets/issues/comments/${id}`, { body: 'second' }],
  ]);
});

test('creates a deployment for the ref without auto-merge or required contexts, then its statuses', async ({ gh }) => {
  const { port } = portFor(gh);

  const { id } = await port.createDeployment({ ref: 'abc123', environment: 'staging', description: 'deploy', payload: { plugin: 'p' }, transient: true, production: false });
  await port.createDeploymentStatus(id, { state: 'success', description: 'x'.repeat(200), environmentUrl: 'https://staging.example', logUrl: 'https://log.example' });

  assert.equal(gh.deployments[0]?.posted, {
    ref: 'abc123', environment: 'staging', description: 'deploy', payload: { plugin: 'p' },
    transient_environment: true, production_environment: false, auto_merge: false, required_contexts: [],
  });
  const [status] = gh.statuses(id);
  assert.is(status?.state, 'success');
  assert.is(status?.description.length, 140, 'cut to the 140 characters GitHub accepts');
  assert.is(status?.environment_url, 'https://staging.example');
  assert.is(status?.log_url, 'https://log.example');
});

test('retries a read on 500 with growing backoff', async ({ gh }) => {
  gh.seedComments(1, ['a']);
  gh.failNext(2, 500);
  const { port, sleeps } = portFor(gh);

  const comments = await port.listIssueComments(1);

  assert.equal(comments.map((c) => c.body), ['a']);
  assert.equal(gh.requests.map((r) => r.status), [500, 500, 200]);
  assert.equal(sleeps, [1000, 2000]);
});

test('retries a comment creation on a 403 secondary rate limit after retry-after, creating one comment', async ({ gh }) => {
  gh.failNext(1, 403, { 'retry-after': '7' });
  const { port, sleeps } = portFor(gh);

  await port.createIssueComment(4, 'hello');

  assert.equal(sleeps, [7000]);
  assert.equal(gh.requests.map((r) => r.status), [403, 201]);
  assert.equal(gh.comments(4).map((c) => c.body), ['hello']);
});

test('waits for x-ratelimit-reset when the primary limit is spent, and gives up on a wait too long', async ({ gh }) => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  gh.failNext(1, 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) }, 'API rate limit exceeded');
  gh.failNext(1, 429, { 'retry-after': '3600' });
  const { port, sleeps } = portFor(gh);

  const error = await rejection(port.listIssueComments(2));

  assert.equal(sleeps, [30_000]);
  assert.instance(error, GitHubError);
  assert.is((error as GitHubError).status, 429);
  assert.is((error as GitHubError).attempts, 2);
  assert.match((error as GitHubError).message, 'rate limited');
});

test('does not retry a 404, and says which permission to check', async ({ gh }) => {
  const { port, sleeps } = portFor(gh);

  const error = await rejection(port.createDeploymentStatus(999, { state: 'success' }));

  assert.instance(error, GitHubError);
  const e = error as GitHubError;
  assert.is(e.status, 404);
  assert.is(e.operation, 'createDeploymentStatus');
  assert.is(e.attempts, 1);
  assert.match(e.message, 'HTTP 404');
  assert.match(e.message, 'deployments: write');
  assert.is(gh.requests.length, 1);
  assert.equal(sleeps, []);
});

test('does not retry a 403 that is not a rate limit', async ({ gh }) => {
  gh.failNext(1, 403, {}, 'Resource not accessible by integration');
  const { port } = portFor(gh);

  const error = await rejection(port.updateIssueComment(1, 'x')) as GitHubError;

  assert.is(error.status, 403);
  assert.match(error.message, 'Resource not accessible by integration');
  assert.is(gh.requests.length, 1);
});

test('does not retry a creation after a 500: GitHub may have created it', async ({ gh }) => {
  gh.failNext(1, 500);
  const { port } = portFor(gh);

  const comment = await rejection(port.createIssueComment(4, 'once')) as GitHubError;
  gh.failNext(1, 502);
  const deployment = await rejection(port.createDeployment({ ref: 'main', environment: 'prod', description: 'd' })) as GitHubError;

  assert.equal([comment.status, deployment.status], [500, 502]);
  assert.is(gh.requests.length, 2);
});

test('does not retry a creation whose connection dropped after sending, but retries a read', async ({ gh }) => {
  const { port } = portFor(gh);

  gh.failNext(1, 'drop');
  const error = await rejection(port.createIssueComment(4, 'once')) as GitHubError;
  gh.failNext(1, 'drop');
  await port.listIssueComments(4);

  assert.is(error.status, 0);
  assert.equal(gh.requests.map((r) => [r.method, r.status]), [['POST', 'drop'], ['GET', 'drop'], ['GET', 200]]);
});

test('retries a creation refused at connect, then fails with status 0', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  const { port, sleeps } = portFor({ url });

  const error = await rejection(port.createDeployment({ ref: 'main', environment: 'prod', description: 'd' })) as GitHubError;

  assert.instance(error, GitHubError);
  assert.is(error.status, 0);
  assert.is(error.attempts, 4);
  assert.equal(sleeps, [1000, 2000, 4000]);
  assert.match(error.message, 'ECONNREFUSED');
});

test('a 2xx answer without a deployment (auto-merge 202) is an error', async ({ gh }) => {
  gh.failNext(1, 202, {}, 'Auto-merged main into topic branch.');
  const { port } = portFor(gh);

  const error = await rejection(port.createDeployment({ ref: 'topic', environment: 'prod', description: 'd' })) as GitHubError;

  assert.instance(error, GitHubError);
  assert.is(error.status, 202);
  assert.match(error.message, 'Auto-merged');
});

test('a read failing every time gives up after the bounded attempts', async ({ gh }) => {
  gh.failNext(10, 503);
  const { port, sleeps } = portFor(gh, { retry: { attempts: 3 } });

  const error = await rejection(port.listIssueComments(1)) as GitHubError;

  assert.is(error.status, 503);
  assert.is(error.attempts, 3);
  assert.is(sleeps.length, 2);
  assert.is(gh.requests.length, 3);
});

test('error messages never contain the token', async ({ gh }) => {
  gh.failNext(1, 401, {}, `Bad credentials: ${token}`);
  const { port } = portFor(gh);

  const error = await rejection(port.createIssueComment(1, 'x')) as GitHubError;

  assert.is(error.status, 401);
  assert.not.match(error.message, token);
  assert.match(error.message, '***');
});

test('the fake answers 401 without a token and accepts Bearer', async ({ gh }) => {
  const bare = await fetch(`${gh.url}/repos/acme/widgets/issues/1/comments`);
  const bearer = await fetch(`${gh.url}/repos/acme/widgets/issues/1/comments`, { headers: { authorization: 'Bearer abc' } });

  assert.is(bare.status, 401);
  assert.equal(await bare.json(), { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' });
  assert.is(bearer.status, 200);
});

test.run();
