// The shipped templates on the example plugins, through the CLI, with real processes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { cli, deliveryProject, events, finished, home, ledger, liveRelease, stepEvent, treeHashes } from './helpers.ts';

/** Runs a template on a plugin of the project; full_deployment gets a one-second soak window. */
const run = (dir: string, workflow: string, plugin: string, ...params: string[]) => {
  const all = workflow === 'full_deployment' ? ['soak=1s', ...params] : params;
  return cli(['run', workflow, '--plugin', `plugins/${plugin}`, '--json', ...all.flatMap((p) => ['-p', p])], dir);
};

test('full_deployment: the healthy Python plugin deploys and its release is live', async () => {
  const dir = deliveryProject('hello');
  const r = await run(dir, 'full_deployment', 'hello');
  const evs = events(r.stdout);
  assert.is(r.code, 0, r.stderr + r.stdout.slice(-2000));
  assert.equal(finished(evs), { validation: 'success', build: 'success', test: 'success', security_scan: 'success', deploy: 'success', monitor: 'success', 'auto-rollback': 'skipped' });
  const live = liveRelease(dir, 'hello');
  assert.match(live ?? '', /^releases\/1\.0\.0-/);
  const served = treeHashes(join(home(dir, 'hello'), 'current'));
  assert.is(served['backend/plugin.py'], treeHashes(join(dir, 'plugins', 'hello'))['backend/plugin.py']);
  assert.equal(ledger(dir, 'hello').map((l) => [l.action, l.version]), [['deploy', '1.0.0']]);
  const build = stepEvent(evs, 'build')!.outputs!;
  assert.match(build.sha256!, /^[a-f0-9]{64}$/);
  assert.is(stepEvent(evs, 'deploy')!.outputs!.release, live!.replace('releases/', ''));
});

test('full_deployment: the healthy Node plugin deploys, with JUnit counts from node --test', async () => {
  const dir = deliveryProject('hello-node');
  const r = await run(dir, 'full_deployment', 'hello-node');
  const evs = events(r.stdout);
  assert.is(r.code, 0, r.stderr + r.stdout.slice(-2000));
  const t = stepEvent(evs, 'test')!.outputs!;
  assert.equal([t.tests, t.failures, t.passed], ['2', '0', '2']);
  assert.match(liveRelease(dir, 'hello-node') ?? '', /^releases\/1\.0\.0-/);
});

const broken: Array<{ plugin: string; step: string; where: RegExp }> = [
  { plugin: 'broken-missing-entry', step: 'validation', where: /plugins\/broken-missing-entry\/config\/plugin\.json:7:\d+: required file `backend\/plugin\.py` does not exist/ },
  { plugin: 'broken-syntax', step: 'validation', where: /plugins\/broken-syntax\/backend\/plugin\.py:6:\d+: SyntaxError/ },
  { plugin: 'broken-tests', step: 'test', where: /FAIL: test_shouts|the tests failed/ },
  { plugin: 'broken-dangerous', step: 'security_scan', where: /backend\/plugin\.py:6:\d+/ },
];
for (const b of broken) {
  test(`full_deployment: ${b.plugin} fails at ${b.step} with its location, and nothing is deployed`, async () => {
    const dir = deliveryProject(b.plugin);
    const r = await run(dir, 'full_deployment', b.plugin);
    const evs = events(r.stdout);
    assert.is(r.code, 1);
    const statuses = finished(evs);
    assert.is(statuses[b.step], 'failed', JSON.stringify(statuses));
    assert.is(statuses.deploy, 'skipped');
    assert.match(r.stdout, b.where);
    assert.is(liveRelease(dir, b.plugin), undefined);
  });
}

test('full_deployment: a health failure after the deploy rolls back to the byte-identical release before', async () => {
  const dir = deliveryProject('hello', 'broken-health');
  assert.is((await run(dir, 'full_deployment', 'hello')).code, 0);
  const before = liveRelease(dir, 'hello')!;
  const servedBefore = treeHashes(join(home(dir, 'hello'), 'current'));
  const r = await run(dir, 'full_deployment', 'broken-health');
  const evs = events(r.stdout);
  assert.is(r.code, 1);
  assert.equal(finished(evs), { validation: 'success', build: 'success', test: 'success', security_scan: 'success', deploy: 'success', monitor: 'failed', 'auto-rollback': 'success' });
  assert.match(stepEvent(evs, 'monitor')!.error!, /failed health probe.*database unreachable/);
  assert.is(liveRelease(dir, 'hello'), before);
  assert.equal(treeHashes(join(home(dir, 'hello'), 'current')), servedBefore);
  assert.equal(ledger(dir, 'hello').map((l) => [l.action, l.version]), [['deploy', '1.0.0'], ['deploy', '2.0.0'], ['rollback', '1.0.0']]);
});

test('quick_deploy deploys without tests; the same version and checksum again is a no-op', async () => {
  const dir = deliveryProject('hello');
  const first = await run(dir, 'quick_deploy', 'hello');
  assert.is(first.code, 0, first.stderr);
  assert.equal(Object.keys(finished(events(first.stdout))), ['validation', 'build', 'deploy']);
  const live = liveRelease(dir, 'hello');
  const again = await run(dir, 'quick_deploy', 'hello', 'force=true');
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, /already live/);
  assert.is(stepEvent(events(again.stdout), 'deploy')!.outputs!.changed, 'false');
  assert.is(liveRelease(dir, 'hello'), live);
  assert.is(ledger(dir, 'hello').length, 1);
});

test('validation refuses a version that is not newer than the live one, unless forced', async () => {
  const dir = deliveryProject('hello');
  await run(dir, 'quick_deploy', 'hello');
  const r = await run(dir, 'quick_deploy', 'hello');
  assert.is(r.code, 1);
  assert.match(r.stdout, /config\/plugin\.json:4:\d+: version 1\.0\.0 is not newer than 1\.0\.0/);
});

test('testing_only and security_focus run their steps in the seed\'s order', async () => {
  const dir = deliveryProject('hello');
  const t = await run(dir, 'testing_only', 'hello');
  assert.is(t.code, 0, t.stderr);
  assert.equal(Object.keys(finished(events(t.stdout))), ['validation', 'build', 'test']);
  const s = await run(dir, 'security_focus', 'hello');
  assert.is(s.code, 0, s.stderr);
  assert.equal(events(s.stdout).filter((e) => e.type === 'step.started').map((e) => e.step), ['validation', 'security_scan', 'build', 'test', 'deploy']);
});

test('pluginops rollback by hand, and --to a version', async () => {
  const dir = deliveryProject('hello', 'broken-health');
  await run(dir, 'quick_deploy', 'hello');
  const v1 = liveRelease(dir, 'hello');
  await run(dir, 'quick_deploy', 'broken-health');
  const v2 = liveRelease(dir, 'hello');
  assert.is.not(v1, v2);
  const back = await cli(['rollback', 'hello'], dir);
  assert.is(back.code, 0, back.stderr + back.stdout);
  assert.is(liveRelease(dir, 'hello'), v1);
  const forward = await cli(['rollback', 'plugins/hello', '--to', '2.0.0'], dir);
  assert.is(forward.code, 0, forward.stderr + forward.stdout);
  assert.is(liveRelease(dir, 'hello'), v2);
  const none = await cli(['rollback', 'hello', '--to', '9.9.9'], dir);
  assert.is(none.code, 1);
  assert.match(none.stderr, /no release 9\.9\.9 of hello/);
  const list = JSON.parse((await cli(['executions', 'list', '--json', '--plugin', 'plugins/hello'], dir)).stdout) as unknown[];
  assert.ok(list.length >= 1);
});

test.run();
