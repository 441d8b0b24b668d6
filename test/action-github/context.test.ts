// readContext: the run's context from an environment object and an event payload file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readContext } from '../../src/action/github/context.ts';

const read = (p: string) => readFileSync(p, 'utf8');

function payloadFile(payload: unknown): string {
  const p = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
  writeFileSync(p, JSON.stringify(payload));
  return p;
}

const runnerEnv = {
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_SHA: 'mergesha',
  GITHUB_REF: 'refs/pull/42/merge',
  GITHUB_RUN_ID: '987654321',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
};

test('a pull_request event: number and head commit from the payload file', () => {
  const path = payloadFile({ action: 'synchronize', number: 42, pull_request: { number: 42, head: { sha: 'headsha', ref: 'feature' } } });

  const ctx = readContext({ ...runnerEnv, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path }, read);

  assert.equal(ctx, {
    apiUrl: 'https://api.github.com',
    serverUrl: 'https://github.com',
    runId: 987654321,
    eventName: 'pull_request',
    owner: 'acme',
    repo: 'widgets',
    sha: 'mergesha',
    ref: 'refs/pull/42/merge',
    headSha: 'headsha',
    issueNumber: 42,
    runUrl: 'https://github.com/acme/widgets/actions/runs/987654321',
  });
});

test('an issue_comment event takes the issue number', () => {
  const path = payloadFile({ issue: { number: 7, pull_request: { url: 'x' } }, comment: { id: 1 } });
  const ctx = readContext({ ...runnerEnv, GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: path }, read);
  assert.is(ctx.issueNumber, 7);
  assert.is(ctx.headSha, undefined);
});

test('an empty environment: defaults for the URLs and nothing else', () => {
  const ctx = readContext({}, () => { throw new Error('not read'); });
  assert.equal(ctx, { apiUrl: 'https://api.github.com', serverUrl: 'https://github.com', runId: undefined });
});

test('GitHub Enterprise URLs lose their trailing slash; a push has no issue number', () => {
  const path = payloadFile({ ref: 'refs/heads/main', head_commit: { id: 'x' } });
  const ctx = readContext({ ...runnerEnv, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path, GITHUB_API_URL: 'https://ghe.example/api/v3/', GITHUB_SERVER_URL: 'https://ghe.example/' }, read);
  assert.is(ctx.apiUrl, 'https://ghe.example/api/v3');
  assert.is(ctx.runUrl, 'https://ghe.example/acme/widgets/actions/runs/987654321');
  assert.is(ctx.issueNumber, undefined);
});

test('an unreadable payload is reported, not thrown', () => {
  const ctx = readContext({ ...runnerEnv, GITHUB_EVENT_PATH: '/nowhere/event.json' }, () => { throw new Error('ENOENT'); });
  assert.is(ctx.issueNumber, undefined);
  assert.match(ctx.payloadError ?? '', '/nowhere/event.json: ENOENT');
  assert.is(ctx.owner, 'acme');
});

test('a malformed GITHUB_REPOSITORY gives no owner or repo, and no run URL', () => {
  const ctx = readContext({ GITHUB_REPOSITORY: 'just-a-name', GITHUB_RUN_ID: '5' }, read);
  assert.is(ctx.owner, undefined);
  assert.is(ctx.runUrl, undefined);
  assert.is(ctx.runId, 5);
});

test.run();
