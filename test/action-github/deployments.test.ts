// The deployment tracker through octokitPort and the fake API: the statuses a run produces, and
// API failures turned into warnings instead of errors.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { deploymentTracker } from '../../src/action/github/deployments.ts';
import type { GitHubPort } from '../../src/action/github/port.ts';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { portFor } from './helpers.ts';

const test = suite<{ gh: FakeGitHub; warnings: string[] }>('deploymentTracker', {} as { gh: FakeGitHub; warnings: string[] });
test.before.each(async (ctx) => { ctx.gh = await startFakeGitHub(); ctx.warnings = []; });
test.after.each(async (ctx) => { await ctx.gh.close(); });

test('a failed deploy that is rolled back: in_progress, failure, inactive on one deployment', async ({ gh, warnings }) => {
  const { port } = portFor(gh);
  const tracker = deploymentTracker(port, { ref: 'abc123', environment: 'staging', log: (m) => warnings.push(m), logUrl: 'https://github.com/acme/widgets/actions/runs/1' });

  await tracker.started('full_deployment hello');
  await tracker.finished(false, 'deploy failed');
  await tracker.rolledBack('rolled back to 1.0.0');

  assert.equal(gh.deployments.map((d) => [d.id, d.ref, d.environment, d.description]), [[tracker.id, 'abc123', 'staging', 'full_deployment hello']]);
  assert.equal(gh.statuses(tracker.id!).map((s) => [s.state, s.description, s.log_url]), [
    ['in_progress', 'full_deployment hello', 'https://github.com/acme/widgets/actions/runs/1'],
    ['failure', 'deploy failed', 'https://github.com/acme/widgets/actions/runs/1'],
    ['inactive', 'rolled back to 1.0.0', 'https://github.com/acme/widgets/actions/runs/1'],
  ]);
  assert.equal(warnings, []);
});

test('a successful deploy ends in success with the environment URL', async ({ gh, warnings }) => {
  const { port } = portFor(gh);
  const tracker = deploymentTracker(port, { ref: 'main', environment: 'production', log: (m) => warnings.push(m), environmentUrl: 'https://example.com' });

  void tracker.started('go');
  await tracker.finished(true, 'done');

  assert.equal(gh.statuses(tracker.id!).map((s) => [s.state, s.environment_url]), [['in_progress', ''], ['success', 'https://example.com']]);
});

test('a 500 on createDeployment is a warning, and the later calls do nothing', async ({ gh, warnings }) => {
  gh.failNext(1, 500);
  const { port } = portFor(gh);
  const tracker = deploymentTracker(port, { ref: 'main', environment: 'staging', log: (m) => warnings.push(m) });

  await tracker.started('go');
  await tracker.finished(true, 'done');
  await tracker.rolledBack('back');

  assert.is(tracker.id, undefined);
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /could not create it: GitHub createDeployment failed: HTTP 500/);
  assert.equal(gh.requests.map((r) => [r.method, r.status]), [['POST', 500]]);
});

test('a 403 on a status is a warning and the next status is still sent', async ({ gh, warnings }) => {
  const { port } = portFor(gh);
  const tracker = deploymentTracker(port, { ref: 'main', environment: 'staging', log: (m) => warnings.push(m) });
  await tracker.started('go');
  gh.failNext(1, 403, {}, 'Resource not accessible by integration');

  await tracker.finished(false, 'failed');
  await tracker.rolledBack('back');

  assert.equal(gh.statuses(tracker.id!).map((s) => s.state), ['in_progress', 'inactive']);
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /could not set failure: .*HTTP 403.*deployments: write/);
});

test('never rejects, even when the port throws synchronously and the logger throws', async () => {
  const broken: GitHubPort = {
    listIssueComments: async () => [],
    createIssueComment: async () => ({ id: 1 }),
    updateIssueComment: async () => {},
    createDeployment: () => { throw new Error('boom'); },
    createDeploymentStatus: async () => {},
    listOpenPulls: async () => [],
    listPullFiles: async () => [],
  };
  const tracker = deploymentTracker(broken, { ref: 'main', environment: 'e', log: () => { throw new Error('log broke'); } });

  await tracker.started('go');
  await tracker.finished(false, 'x');

  assert.is(tracker.id, undefined);
});

test.run();
