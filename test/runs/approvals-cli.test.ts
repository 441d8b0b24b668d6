// Action plan runs from the command line: approvals that pause a run (kept on disk, answered by
// another process), Modify values, refusals, quorum, timeouts, rejection, concurrency, retrying
// failed steps, the plan's retry policy and cancelling a waiting run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliProcess, project } from '../cli/helpers.ts';
import type { ExecutionRecord } from '../../src/store/types.ts';
import { flakyPlan } from './plans.ts';

const projectFile = 'apiVersion: pluginops/v1\nkind: Project\n';

const scalePlan = (approval: string, extra = '') => `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: scale }
spec:
  category: performance
  parameters:
    plugin: { type: string, required: true }
    replicas: { type: number, default: 2 }
  approval: ${approval}
${extra}  steps:
    - id: scale
      env: { N: "\${{ params.replicas }}", P: "\${{ params.plugin }}" }
      run: |
        echo "scaling $P to $N"
        echo "replicas=$N" >> "$PLUGINOPS_OUTPUT"
        echo "$P=$N" >> scaled.txt
`;

const as = (name: string) => ({ env: { PLUGINOPS_USER: name } });

async function runs(dir: string): Promise<ExecutionRecord[]> {
  const r = await cli(['executions', 'list', '--json', '--limit', '100'], dir);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as ExecutionRecord[];
}

async function show(dir: string, id: string): Promise<ExecutionRecord> {
  const r = await cli(['executions', 'show', id, '--json'], dir);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as ExecutionRecord;
}

/** Starts a run that stops at its approval; returns its id. */
async function startWaiting(dir: string, args: string[], who = 'alice'): Promise<string> {
  const r = await cli(['run', ...args, '--quiet'], dir, as(who));
  assert.is(r.code, 75, r.stderr + r.stdout);
  assert.match(r.stderr, /waits for approval at step approval/);
  const id = /run (\S+) waits/.exec(r.stderr)![1]!;
  const rec = await show(dir, id);
  assert.is(rec.status, 'waiting');
  return id;
}

test('a plan that requires approval waits on disk; another process approves with modified values and runs the rest', async () => {
  const dir = project({ 'pluginops.yml': projectFile, 'pipelines/scale.yml': scalePlan('{ required: true, approvers: [alice, bob] }') });
  const id = await startWaiting(dir, ['scale', '--data', '{"plugin":"search"}']);
  assert.not.ok(existsSync(join(dir, 'scaled.txt')), 'nothing ran before the approval');
  const waiting = await show(dir, id);
  assert.is(waiting.requestedBy, 'alice');
  assert.is(waiting.category, 'performance');
  assert.is(waiting.approvals!.approval!.status, 'waiting');
  assert.equal(waiting.approvals!.approval!.parameters.replicas!.default, 2, 'approvers see the current value');

  // The process that started the run is gone; a new one (as a user would) answers.
  const done = await cliProcess(['approve', id, '--as', 'bob', '--set', 'replicas=5', '--comment', 'peak traffic', '--json'], dir).done;
  assert.is(done.code, 0, done.stderr + done.stdout);
  assert.is(readFileSync(join(dir, 'scaled.txt'), 'utf8'), 'search=5\n');
  const rec = await show(dir, id);
  assert.is(rec.status, 'success');
  assert.equal(rec.parameters, { plugin: 'search', replicas: 5 });
  assert.is(rec.steps.scale!.outputs.replicas, '5');
  const d = rec.approvals!.approval!.decisions;
  assert.is(d.length, 1);
  assert.equal({ by: d[0]!.by, decision: d[0]!.decision, via: d[0]!.via, comment: d[0]!.comment, values: d[0]!.values }, { by: 'bob', decision: 'approve', via: 'cli', comment: 'peak traffic', values: { replicas: 5 } });
  assert.ok(Date.parse(d[0]!.at) > 0);
  assert.equal(rec.resumes?.map((r) => [r.reason, r.by]), [['approved', 'bob']]);
});

test('refusals: four eyes, not an approver, bad values, duplicate answers, a run that does not wait', async () => {
  const dir = project({ 'pluginops.yml': projectFile, 'pipelines/scale.yml': scalePlan('{ required: true, approvers: [alice, bob, carol], quorum: 2, fourEyes: true }') });
  const id = await startWaiting(dir, ['scale', '-p', 'plugin=a']);
  const refused = async (args: string[], who: string, code: RegExp) => {
    const r = await cli(args, dir, as(who));
    assert.is(r.code, args[1] === 'no-such-run' ? 1 : 4, r.stderr);
    assert.match(r.stderr, code);
  };
  await refused(['approve', id], 'alice', /E_FOUR_EYES: alice started run/);
  await refused(['approve', id], 'mallory', /E_NOT_APPROVER: mallory is not an approver/);
  await refused(['approve', id, '--set', 'replicas=many'], 'bob', /E_INVALID_VALUES: value `replicas` is "many", expected a number/);
  await refused(['approve', id, '--set', 'image=evil'], 'bob', /E_INVALID_VALUES: `image` cannot be changed; an approver may change: plugin, replicas/);
  await refused(['approve', 'no-such-run'], 'bob', /no run `no-such-run`/);
  const before = await show(dir, id);
  assert.is(before.approvals!.approval!.decisions.length, 0, 'refused answers change nothing');

  const first = await cli(['approve', id], dir, as('bob'));
  assert.is(first.code, 75, first.stderr);
  assert.match(first.stderr, /bob approved \(1 of 2\); it waits for more approvals/);
  await refused(['approve', id], 'bob', /E_DUPLICATE: bob already answered/);
  const second = await cli(['approve', id, '--quiet'], dir, as('carol'));
  assert.is(second.code, 0, second.stderr);
  const rec = await show(dir, id);
  assert.is(rec.status, 'success');
  assert.equal(rec.approvals!.approval!.decisions.map((d) => d.by), ['bob', 'carol']);
  assert.is(rec.steps.approval!.outputs.approvedBy, 'bob,carol');
  await refused(['approve', id], 'carol', /E_NOT_WAITING: run \S+ is success, not waiting/);
});

test('a rejection ends the run failed with who and why; nothing after it runs', async () => {
  const dir = project({ 'pluginops.yml': projectFile, 'pipelines/scale.yml': scalePlan('{ required: true }') });
  const id = await startWaiting(dir, ['scale', '-p', 'plugin=a']);
  const r = await cli(['reject', id, '-m', 'not during the sale'], dir, as('dana'));
  assert.is(r.code, 0, 'the rejection was recorded: success, unlike a refused one');
  assert.match(r.stderr, /rejected by dana: not during the sale/);
  const rec = await show(dir, id);
  assert.is(rec.status, 'failed');
  assert.is(rec.error, 'rejected by dana: not during the sale');
  assert.is(rec.steps.scale!.status, 'pending');
  assert.not.ok(existsSync(join(dir, 'scaled.txt')));
  const setOnReject = await cli(['reject', id, '--set', 'replicas=3'], dir, as('dana'));
  assert.is(setOnReject.code, 2);
  const again = await cli(['reject', id], dir, as('erin'));
  assert.is(again.code, 4, 'refused: the run no longer waits');
  assert.match(again.stderr, /E_NOT_WAITING/);
});

test('a wait past its timeout is rejected by default, or approved when onTimeout says so', async () => {
  const dir = project({ 'pluginops.yml': projectFile, 'pipelines/scale.yml': scalePlan('{ required: true, timeout: 1s }') });
  const id = await startWaiting(dir, ['scale', '-p', 'plugin=a']);
  await new Promise((ok) => setTimeout(ok, 1_100));
  const late = await cli(['approve', id], dir, as('bob'));
  assert.is(late.code, 4, late.stderr);
  assert.match(late.stderr, /waited past its deadline: rejected by the timeout, not by bob/);
  const rec = await show(dir, id);
  assert.is(rec.status, 'failed');
  assert.equal(rec.approvals!.approval!.decisions.map((d) => [d.by, d.decision]), [['timeout', 'timeout']]);

  const dir2 = project({ 'pluginops.yml': projectFile, 'pipelines/scale.yml': scalePlan('{ required: true, timeout: 1s, onTimeout: approve }') });
  const id2 = await startWaiting(dir2, ['scale', '-p', 'plugin=b']);
  await new Promise((ok) => setTimeout(ok, 1_100));
  const r2 = await cli(['approve', id2, '--quiet'], dir2, as('bob'));
  assert.is(r2.code, 0, r2.stderr);
  assert.is((await show(dir2, id2)).status, 'success');
  assert.is(readFileSync(join(dir2, 'scaled.txt'), 'utf8'), 'b=2\n');
});

test('one run at a time per target: a second run for the same plugin is refused while the first waits; another plugin is fine', async () => {
  const dir = project({ 'pluginops.yml': projectFile, 'pipelines/scale.yml': scalePlan('{ required: true }') });
  const id = await startWaiting(dir, ['scale', '-p', 'plugin=a']);
  const again = await cli(['run', 'scale', '-p', 'plugin=a', '--quiet'], dir);
  assert.is(again.code, 4);
  assert.match(again.stderr, new RegExp(`E_CONCURRENCY: scale already has a waiting run for a \\(${id}\\)`));
  await startWaiting(dir, ['scale', '-p', 'plugin=b']);
  assert.is((await runs(dir)).length, 2, 'the refused run was not recorded');
  const cancel = await cli(['executions', 'cancel', id], dir);
  assert.is(cancel.code, 0, cancel.stderr);
  assert.is((await show(dir, id)).status, 'cancelled');
  const third = await startWaiting(dir, ['scale', '-p', 'plugin=a']);
  assert.ok(third !== id);
  const waiting = (await cli(['executions', 'list', '--status', 'waiting', '--category', 'performance', '--json'], dir));
  assert.equal((JSON.parse(waiting.stdout) as ExecutionRecord[]).map((r) => r.parameters.plugin).sort(), ['a', 'b']);
});


test('retry runs the failed steps again and keeps the outputs of those that succeeded', async () => {
  const dir = project({ 'pluginops.yml': projectFile, 'pipelines/flaky.yml': flakyPlan() });
  const first = await cli(['run', 'flaky', '--quiet'], dir);
  assert.is(first.code, 1, first.stderr);
  const [rec] = await runs(dir);
  assert.equal([rec!.steps.prepare!.status, rec!.steps.apply!.status, rec!.steps.after!.status], ['success', 'failed', 'skipped']);
  const busy = await cli(['retry', 'no-such'], dir);
  assert.is(busy.code, 1);
  writeFileSync(join(dir, 'fixed'), '');
  const again = await cli(['retry', rec!.id, '--json'], dir);
  assert.is(again.code, 0, again.stderr + again.stdout);
  assert.match(again.stdout, /"type":"step.kept"[^\n]*"step":"prepare"/);
  assert.is(readFileSync(join(dir, 'prepare-runs.txt'), 'utf8'), 'x\n', 'prepare ran once');
  assert.is(readFileSync(join(dir, 'apply-runs.txt'), 'utf8'), 'x\nx\n');
  assert.is(readFileSync(join(dir, 'applied.txt'), 'utf8'), 'applied with abc\n', 'the kept output reached the retried step');
  const after = await show(dir, rec!.id);
  assert.is(after.status, 'success');
  assert.equal(after.resumes?.map((r) => r.reason), ['retry']);
  const twice = await cli(['retry', rec!.id], dir);
  assert.is(twice.code, 4);
  assert.match(twice.stderr, /E_NOT_RETRYABLE: run \S+ is success/);
});

test("a plan's retry policy takes a failed run up again by itself, failed steps only", async () => {
  const dir = project({
    'pluginops.yml': projectFile,
    'pipelines/flaky.yml': flakyPlan('  retry: { attempts: 3, delay: 100ms }\n').replace('[ -f fixed ] || { echo "not ready"; exit 3; }', '[ "$(wc -l < apply-runs.txt)" -ge 2 ] || { echo "not ready"; exit 3; }'),
  });
  const r = await cli(['run', 'flaky', '--quiet'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(join(dir, 'prepare-runs.txt'), 'utf8'), 'x\n');
  assert.is(readFileSync(join(dir, 'apply-runs.txt'), 'utf8'), 'x\nx\n');
  const [rec] = await runs(dir);
  assert.equal(rec!.resumes?.map((x) => [x.reason, x.by]), [['retry', 'retry policy']]);
});

test('an approval step in the middle of a workflow: other branches finish, dependents wait, the approved values reach them', async () => {
  const dir = project({
    'pluginops.yml': projectFile,
    'pipelines/release.yml': `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: release }
spec:
  steps:
    - id: build
      run: echo built > built.txt
    - id: docs
      run: echo docs > docs.txt
    - id: gate
      needs: [build]
      uses: approval
      with:
        approvers: [lead]
        parameters:
          channel: { type: string, enum: [stable, beta], default: beta }
    - id: ship
      needs: [gate]
      env: { CHANNEL: "\${{ steps.gate.outputs.channel }}", WHO: "\${{ steps.gate.outputs.approvedBy }}" }
      run: echo "$CHANNEL by $WHO" > shipped.txt
`,
  });
  const r = await cli(['run', 'release', '--quiet'], dir);
  assert.is(r.code, 75, r.stderr);
  assert.ok(existsSync(join(dir, 'docs.txt')) && existsSync(join(dir, 'built.txt')));
  assert.not.ok(existsSync(join(dir, 'shipped.txt')));
  const [rec] = await runs(dir);
  assert.equal(Object.fromEntries(Object.values(rec!.steps).map((s) => [s.id, s.status])), { build: 'success', docs: 'success', gate: 'waiting', ship: 'pending' });
  const bad = await cli(['approve', rec!.id, '--set', 'channel=nightly'], dir, as('lead'));
  assert.match(bad.stderr, /E_INVALID_VALUES: value `channel` is "nightly", expected one of: stable, beta/);
  const ok = await cli(['approve', rec!.id, '--set', 'channel=stable', '--quiet'], dir, as('lead'));
  assert.is(ok.code, 0, ok.stderr);
  assert.is(readFileSync(join(dir, 'shipped.txt'), 'utf8'), 'stable by lead\n');
  assert.is(readFileSync(join(dir, 'built.txt'), 'utf8'), 'built\n');
});

test.run();
