// Action plan runs through the API: started from a template and data (202), refused when the
// template or the data is wrong or the target is busy; approved (with Modify values) or rejected
// by the token's name, with the refusals mapped to 403 (not an approver, four eyes, read-only
// token), 409 (not waiting) and 422 (values of the wrong type), each with `details.reason`;
// retried after a failure with the successful steps kept; listed by status and category; and
// cancelled at once while waiting.
import { flakyPlan } from '../runs/plans.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi, tokens, until, type Harness } from './helpers.ts';

// Token names are who decides: `ci` and `bob` may write, `dashboard` only reads.
const ci = tokens.write, bob = tokens.deploy, dashboard = tokens.read;
const project = [
  'server:',
  '  tokens:',
  '    - { name: ci, token: { env: WRITE_TOKEN }, scopes: [read, write] }',
  '    - { name: bob, token: { env: DEPLOY_TOKEN }, scopes: [read, write] }',
  '    - { name: dashboard, token: { env: READ_TOKEN }, scopes: [read] }',
];

const scale = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: scale, name: Scale workers }
spec:
  category: performance
  parameters:
    plugin: { type: string, required: true }
    replicas: { type: number, default: 2 }
  approval: { required: true, approvers: [ci, bob], fourEyes: true }
  steps:
    - id: scale
      env: { N: "\${{ params.replicas }}", P: "\${{ params.plugin }}" }
      run: echo "$P=$N" >> scaled.txt
`;

const restart = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: restart }
spec:
  category: system
  parameters:
    target: { type: string, required: true }
  approval: { required: true, approvers: [alice] }
  steps:
    - id: restart
      run: echo restarted >> restarted.txt
`;

const flaky = flakyPlan('', false);

let h: Harness;
test.before(async () => {
  h = await startApi({ project, files: { 'pipelines/scale.yml': scale, 'pipelines/restart.yml': restart, 'pipelines/flaky.yml': flaky } });
});
test.after(async () => { await h.close(); });

const get = async (id: string) => {
  const r = await h.call('GET', `/api/runs/${id}`, { token: dashboard });
  assert.is(r.status, 200, r.text);
  return r.body.data;
};
const settled = async (id: string, status: string) => {
  await until(async () => (await get(id)).status === status);
  return get(id);
};
/** Starts a run; expects 202 and returns its id. */
async function start(templateId: string, data: Record<string, unknown> = {}, token = ci): Promise<string> {
  const r = await h.call('POST', '/api/runs', { token, json: { templateId, data } });
  assert.is(r.status, 202, r.text);
  assert.is(r.body.data.status, 'pending');
  assert.is(r.body.data.templateId, templateId);
  return r.body.data.id as string;
}
const approve = (id: string, token: string, json: Record<string, unknown> = {}) => h.call('POST', `/api/runs/${id}/approve`, { token, json });
const reject = (id: string, token: string, json: Record<string, unknown> = {}) => h.call('POST', `/api/runs/${id}/reject`, { token, json });

function refused(r: { status: number; body: any; text: string }, status: number, reason: string): void {
  assert.is(r.status, status, r.text);
  assert.is(r.body.success, false);
  assert.is(r.body.details?.reason, reason, r.text);
}

let scaleA = '', restartWeb = '';

test('refusals before anything is recorded: unknown template 404, unknown or missing data 422', async () => {
  const unknown = await h.call('POST', '/api/runs', { token: ci, json: { templateId: 'no-such-plan', data: {} } });
  assert.is(unknown.status, 404, unknown.text);
  assert.match(unknown.body.message, /no-such-plan/);
  const badName = await h.call('POST', '/api/runs', { token: ci, json: { templateId: 'scale', data: { plugin: 'a', image: 'evil' } } });
  assert.is(badName.status, 422, badName.text);
  assert.match(badName.text, /image/);
  const missing = await h.call('POST', '/api/runs', { token: ci, json: { templateId: 'scale', data: { replicas: 3 } } });
  assert.is(missing.status, 422, missing.text);
  assert.match(missing.text, /plugin/);
  const readOnly = await h.call('POST', '/api/runs', { token: dashboard, json: { templateId: 'scale', data: { plugin: 'a' } } });
  assert.is(readOnly.status, 403, readOnly.text);
  const list = await h.call('GET', '/api/runs', { token: dashboard });
  assert.equal(list.body.data, [], 'nothing was recorded');
});

test('a run that requires approval waits; a second run for the same target is refused (409 E_CONCURRENCY)', async () => {
  scaleA = await start('scale', { plugin: 'a' });
  const rec = await settled(scaleA, 'waiting');
  assert.is(rec.requestedBy, 'ci');
  assert.is(rec.approvals.approval.status, 'waiting');
  assert.not.ok(existsSync(join(h.dir, 'scaled.txt')));

  const again = await h.call('POST', '/api/runs', { token: bob, json: { templateId: 'scale', data: { plugin: 'a', replicas: 4 } } });
  refused(again, 409, 'E_CONCURRENCY');
  assert.is(again.body.details.holder, scaleA);
  const runs = await h.call('GET', '/api/runs?templateId=scale', { token: dashboard });
  assert.equal(runs.body.data.map((r: { id: string }) => r.id), [scaleA], 'the refused run was not recorded');
});

test('refused decisions: read token 403, four eyes 403, not an approver 403, wrong value type 422; nothing is recorded', async () => {
  const readOnly = await approve(scaleA, dashboard);
  assert.is(readOnly.status, 403, readOnly.text);
  assert.is(readOnly.body.code, 'E_FORBIDDEN');
  const readReject = await reject(scaleA, dashboard);
  assert.is(readReject.status, 403, readReject.text);

  const fourEyes = await approve(scaleA, ci);
  refused(fourEyes, 403, 'E_FOUR_EYES');
  assert.match(fourEyes.body.message, /ci started run/);

  const badType = await approve(scaleA, bob, { values: { replicas: 'many' } });
  refused(badType, 422, 'E_INVALID_VALUES');
  assert.match(badType.body.message, /replicas/);
  const notModifiable = await approve(scaleA, bob, { values: { image: 'evil' } });
  refused(notModifiable, 422, 'E_INVALID_VALUES');

  restartWeb = await start('restart', { target: 'web' });
  await settled(restartWeb, 'waiting');
  const notApprover = await approve(restartWeb, ci);
  refused(notApprover, 403, 'E_NOT_APPROVER');
  assert.match(notApprover.body.message, /ci is not an approver/);
  const notApproverReject = await reject(restartWeb, bob);
  refused(notApproverReject, 403, 'E_NOT_APPROVER');

  const unknown = await approve('no-such-run', bob);
  assert.is(unknown.status, 404, unknown.text);

  for (const id of [scaleA, restartWeb]) {
    const rec = await get(id);
    assert.is(rec.status, 'waiting');
    assert.equal(rec.approvals.approval.decisions, []);
  }
});

test('an approval with values (Modify) runs the rest with them; approving it again is 409 E_NOT_WAITING', async () => {
  const ok = await approve(scaleA, bob, { values: { replicas: 4 }, comment: 'peak traffic' });
  assert.is(ok.status, 200, ok.text);
  assert.is(ok.body.data.outcome, 'approved');
  assert.equal({ by: ok.body.data.decision.by, via: ok.body.data.decision.via, values: ok.body.data.decision.values, comment: ok.body.data.decision.comment },
    { by: 'bob', via: 'api', values: { replicas: 4 }, comment: 'peak traffic' });
  const rec = await settled(scaleA, 'success');
  assert.is(readFileSync(join(h.dir, 'scaled.txt'), 'utf8'), 'a=4\n');
  assert.equal(rec.parameters, { plugin: 'a', replicas: 4 });
  assert.equal(rec.resumes.map((r: { reason: string; by: string }) => [r.reason, r.by]), [['approved', 'bob']]);

  const twice = await approve(scaleA, bob);
  refused(twice, 409, 'E_NOT_WAITING');
  const late = await reject(scaleA, ci);
  refused(late, 409, 'E_NOT_WAITING');
  assert.is((await get(scaleA)).approvals.approval.decisions.length, 1);
});

test('a rejection ends the run failed, naming who and why; nothing after it runs', async () => {
  const id = await start('scale', { plugin: 'b' });
  await settled(id, 'waiting');
  const r = await reject(id, bob, { comment: 'not during the sale' });
  assert.is(r.status, 200, r.text);
  assert.is(r.body.data.outcome, 'rejected');
  const rec = await get(id);
  assert.is(rec.status, 'failed');
  assert.is(rec.error, 'rejected by bob: not during the sale');
  assert.is(rec.steps.approval.status, 'failed');
  assert.is(rec.steps.scale.status, 'pending');
  assert.equal(rec.approvals.approval.decisions.map((d: { by: string; decision: string; via: string; comment: string }) => [d.by, d.decision, d.via, d.comment]),
    [['bob', 'reject', 'api', 'not during the sale']]);
  assert.is(readFileSync(join(h.dir, 'scaled.txt'), 'utf8'), 'a=4\n', 'plugin b was not scaled');
});

test('retry: a failed run is taken up again (202) and succeeds, its successful steps kept; a successful run is not retried (409)', async () => {
  const id = await start('flaky');
  const failed = await settled(id, 'failed');
  assert.equal([failed.steps.prepare.status, failed.steps.apply.status], ['success', 'failed']);

  writeFileSync(join(h.dir, 'fixed'), '');
  const r = await h.call('POST', `/api/runs/${id}/retry`, { token: bob, json: {} });
  assert.is(r.status, 202, r.text);
  assert.equal(r.body.data, { id, status: 'pending', templateId: 'flaky' });
  const rec = await settled(id, 'success');
  assert.is(readFileSync(join(h.dir, 'prepare-runs.txt'), 'utf8'), 'x\n', 'prepare ran once');
  assert.is(readFileSync(join(h.dir, 'apply-runs.txt'), 'utf8'), 'x\nx\n');
  assert.is(readFileSync(join(h.dir, 'applied.txt'), 'utf8'), 'applied with abc\n', 'the kept output reached the retried step');
  assert.is(rec.steps.prepare.outputs.token, 'abc');
  assert.equal(rec.resumes.map((x: { reason: string; by: string }) => [x.reason, x.by]), [['retry', 'bob']]);

  const again = await h.call('POST', `/api/runs/${id}/retry`, { token: bob, json: {} });
  refused(again, 409, 'E_NOT_RETRYABLE');
  const readOnly = await h.call('POST', `/api/runs/${id}/retry`, { token: dashboard, json: {} });
  assert.is(readOnly.status, 403, readOnly.text);
  const unknown = await h.call('POST', '/api/runs/no-such-run/retry', { token: bob, json: {} });
  assert.is(unknown.status, 404, unknown.text);
});

test('GET /api/runs filters by status, category and template', async () => {
  const ids = async (query: string) => {
    const r = await h.call('GET', `/api/runs${query}`, { token: dashboard });
    assert.is(r.status, 200, r.text);
    return (r.body.data as Array<{ id: string }>).map((x) => x.id);
  };
  assert.equal(await ids('?status=waiting'), [restartWeb]);
  assert.equal(await ids('?status=waiting&category=performance'), []);
  assert.equal(await ids('?status=success&category=performance'), [scaleA]);
  assert.equal(await ids('?category=system'), [restartWeb]);
  const performance = await h.call('GET', '/api/runs?category=performance', { token: dashboard });
  assert.equal(performance.body.data.map((x: { status: string }) => x.status).sort(), ['failed', 'success']);
  assert.is((await ids('?category=maintenance&status=success')).length, 1);
  assert.is((await ids('?limit=1')).length, 1);
  const bad = await h.call('GET', '/api/runs?status=sleeping', { token: dashboard });
  assert.is(bad.status, 400, bad.text);
});

test('POST /api/executions/{id}/cancel cancels a waiting run at once; it can no longer be approved', async () => {
  const r = await h.call('POST', `/api/executions/${restartWeb}/cancel`, { token: ci, json: {} });
  assert.is(r.status, 202, r.text);
  assert.is(r.body.data.status, 'cancelled');
  const rec = await get(restartWeb);
  assert.is(rec.status, 'cancelled');
  assert.match(rec.error, /cancelled by ci while waiting for approval/);
  refused(await approve(restartWeb, ci), 409, 'E_NOT_WAITING');
  assert.not.ok(existsSync(join(h.dir, 'restarted.txt')));
  // The target is free again.
  const next = await start('restart', { target: 'web' });
  await settled(next, 'waiting');
  assert.ok(next !== restartWeb);
});

test.run();
