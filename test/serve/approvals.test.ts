// Approvals answered from Slack against a real `pluginops serve` process (loopback only). An
// action plan that requires approval is started through the API and waits; the fake Slack
// receives the interactive message; requests to /slack/interactions that are unsigned, wrongly
// signed, stale or from someone who may not answer are refused and change nothing; the wait
// survives a restart; a signed Modify press is answered at once, replaces the message through
// the response_url, records the decision and runs the rest with the changed value; the same
// request sent again is a replay. Without a signing secret the endpoint does not exist.
// Tests run in order and share one project and its process.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { slackSignature } from '../../src/runs/approvals/signature.ts';
import { eventually, readToken, serveWorld, slackSigningSecret, writeToken, type ServeWorld } from './helpers.ts';

const plan = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: scale, name: Scale workers }
spec:
  description: Changes how many workers run.
  category: performance
  parameters:
    replicas: { type: number, default: 2 }
  approval: { required: true, approvers: [U0APPROVER, alice], fourEyes: true, channels: [ops-slack] }
  steps:
    - id: scale
      env: { N: "\${{ params.replicas }}" }
      run: echo "$N" > replicas.txt
`;

// A parameter without a value is shown as an empty input, which Slack sends back as ''.
const tunePlan = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: tune }
spec:
  category: performance
  parameters:
    workers: { type: number, default: 2 }
    limit: { type: number }
  approval: { required: true, approvers: [U0APPROVER], channels: [ops-slack] }
  steps:
    - id: tune
      env: { N: "\${{ params.workers }}" }
      run: echo "$N" > workers.txt
`;

// Two plans in one file, the first requiring approval.
const pairPlans = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: pair-first }
spec:
  approval: { required: true }
  steps:
    - id: first
      run: echo first > pair-first.txt
---
apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: pair-second }
spec:
  steps:
    - id: second
      run: echo second
`;

const slackPath = '/slack/interactions';

interface Press {
  user: { id: string; name?: string };
  action: 'approve' | 'reject' | 'modify';
  runId: string;
  values?: Record<string, string>;
  responseUrl: string;
}

/** The form-encoded body Slack sends when a button of the approval message is pressed. */
function interactionBody(p: Press): string {
  const payload = {
    type: 'block_actions',
    user: { id: p.user.id, ...(p.user.name ? { username: p.user.name, name: p.user.name } : {}), team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0OPS', is_ephemeral: false },
    channel: { id: 'C0OPS', name: 'ops' },
    response_url: p.responseUrl,
    actions: [{ type: 'button', block_id: 'pluginops.decision', action_id: `pluginops.${p.action}`, value: p.runId, action_ts: '1700000001.000200' }],
    state: {
      values: Object.fromEntries(Object.entries(p.values ?? {}).map(([name, value]) => [
        `pluginops.param.${name}`, { 'pluginops.value': { type: 'plain_text_input', value } },
      ])),
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Headers signed as Slack signs them, `secondsAgo` in the past. */
function signed(rawBody: string, o: { secondsAgo?: number; secret?: string } = {}): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1_000) - (o.secondsAgo ?? 0));
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(o.secret ?? slackSigningSecret, timestamp, rawBody) };
}

async function slackPost(w: ServeWorld, rawBody: string, headers: Record<string, string>): Promise<{ status: number; body: any; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(`${w.proc!.url}${slackPath}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: rawBody,
  });
  const ms = Date.now() - t0;
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body, ms };
}

const run = async (w: ServeWorld, id: string) => {
  const r = await w.api('GET', `/api/runs/${id}`, { token: readToken });
  assert.is(r.status, 200, JSON.stringify(r.body));
  return r.body.data;
};

async function assertUndecided(w: ServeWorld, id: string): Promise<void> {
  const rec = await run(w, id);
  assert.is(rec.status, 'waiting');
  assert.is(rec.approvals.approval.status, 'waiting');
  assert.equal(rec.approvals.approval.decisions, []);
  assert.not.ok(existsSync(join(w.dir, 'replicas.txt')), 'nothing ran');
}

let w: ServeWorld, off: ServeWorld;
let runId = '';
let approvalAsked: unknown;
/** The accepted Modify press, sent again as a replay. */
let accepted: { body: string; headers: Record<string, string> } | undefined;

test.before(async () => {
  [w, off] = await Promise.all([
    serveWorld({ documents: plan, monitoring: ['historySize: 10'], slackSigning: true }),
    serveWorld({ documents: plan, monitoring: ['historySize: 10'] }),
  ]);
  writeFileSync(join(w.dir, 'pipelines', 'tune.yml'), tunePlan);
  writeFileSync(join(w.dir, 'pipelines', 'pair.yml'), pairPlans);
  await Promise.all([w.start([]), off.start([])]);
});
test.after(async () => { await Promise.all([w.close(), off.close()]); });

test('a plan that requires approval, started through the API, waits; Slack gets buttons carrying the run id and an input for replicas', async () => {
  const started = await w.api('POST', '/api/runs', { token: writeToken, body: { templateId: 'scale', data: {} } });
  assert.is(started.status, 202, JSON.stringify(started.body));
  assert.is(started.body.data.templateId, 'scale');
  runId = started.body.data.id as string;
  assert.ok(runId);

  const rec = await eventually(async () => { const r = await run(w, runId); return r.status === 'waiting' && r; }, { what: 'the run to wait' });
  assert.is(rec.requestedBy, 'ci');
  assert.is(rec.category, 'performance');
  const approval = rec.approvals.approval;
  assert.equal(approval.approvers, ['U0APPROVER', 'alice']);
  assert.is(approval.fourEyes, true);
  assert.is(approval.parameters.replicas.default, 2);
  approvalAsked = approval;
  assert.not.ok(existsSync(join(w.dir, 'replicas.txt')));

  const message = await eventually(() => w.got('/slack').find((m) => JSON.stringify(m).includes(runId)), { what: 'the approval message' });
  const blocks = message.blocks as Array<Record<string, any>>;
  const buttons = blocks.find((b) => b.type === 'actions' && b.block_id === 'pluginops.decision');
  assert.ok(buttons, 'an actions block with the buttons');
  assert.equal((buttons!.elements as Array<Record<string, any>>).map((e) => [e.action_id, e.value]), [
    ['pluginops.approve', runId], ['pluginops.reject', runId], ['pluginops.modify', runId],
  ]);
  const input = blocks.find((b) => b.type === 'input' && b.block_id === 'pluginops.param.replicas');
  assert.ok(input, 'an input for replicas');
  assert.is(input!.element.action_id, 'pluginops.value');
  assert.is(input!.element.initial_value, '2');
  assert.match(message.text, /Scale workers/);
});

test('Slack requests that are not signed right, are stale, or come from a non-approver are refused and change nothing', async () => {
  const respond = `${w.receiver.url}/respond`;
  const press = interactionBody({ user: { id: 'U0APPROVER', name: 'approver' }, action: 'approve', runId, responseUrl: respond });

  const wrongSecret = await slackPost(w, press, signed(press, { secret: 'not-the-signing-secret-0000000000' }));
  assert.is(wrongSecret.status, 401, JSON.stringify(wrongSecret.body));
  assert.is(wrongSecret.body.details.reason, 'E_SIGNATURE_BAD');

  // Signed for one body, sent with another (the values changed on the way).
  const tampered = interactionBody({ user: { id: 'U0APPROVER' }, action: 'modify', runId, values: { replicas: '50' }, responseUrl: respond });
  const swapped = await slackPost(w, tampered, signed(press));
  assert.is(swapped.status, 401);
  assert.is(swapped.body.details.reason, 'E_SIGNATURE_BAD');

  const stale = await slackPost(w, press, signed(press, { secondsAgo: 6 * 60 }));
  assert.is(stale.status, 401, JSON.stringify(stale.body));
  assert.is(stale.body.details.reason, 'E_SIGNATURE_STALE');

  const none = await slackPost(w, press, {});
  assert.is(none.status, 401);
  assert.is(none.body.details.reason, 'E_SIGNATURE_MISSING');
  const noSignature = await slackPost(w, press, { 'x-slack-request-timestamp': signed(press)['x-slack-request-timestamp']! });
  assert.is(noSignature.status, 401);
  assert.is(noSignature.body.details.reason, 'E_SIGNATURE_MISSING');

  assert.is(w.receiver.requests.filter((r) => r.path === '/respond').length, 0, 'nothing answered through the response_url');
  await assertUndecided(w, runId);

  // Signed correctly, but mallory is not an approver: answered at once, refused afterwards.
  const mallory = interactionBody({ user: { id: 'U0MALLORY', name: 'mallory' }, action: 'approve', runId, responseUrl: respond });
  const pressed = await slackPost(w, mallory, signed(mallory));
  assert.is(pressed.status, 200, JSON.stringify(pressed.body));
  assert.equal(pressed.body, {});
  const answer = await eventually(() => w.got('/respond')[0], { what: 'the answer to the response_url' });
  assert.is(answer.response_type, 'ephemeral');
  assert.is(answer.replace_original, false);
  assert.match(answer.text, /^Not recorded: /);
  assert.match(answer.text, /U0MALLORY is not an approver/);
  await assertUndecided(w, runId);
});

test('a restart during the wait keeps the run waiting with the same approval', async () => {
  const before = await run(w, runId);
  const first = w.proc!;
  first.child.kill('SIGTERM');
  const exit = await first.exited;
  assert.equal(exit, { code: 0, signal: null });
  await w.start([]);
  assert.ok(w.proc !== first);
  const after = await run(w, runId);
  assert.is(after.status, 'waiting');
  assert.equal(after.approvals, before.approvals);
  assert.equal(after.approvals.approval, approvalAsked);
  assert.is(after.requestedBy, 'ci');
});

test('a signed Modify press by an approver is answered at once, replaces the message, records the decision and runs with the new value', async () => {
  const respond = `${w.receiver.url}/respond`;
  const answered = w.got('/respond').length;
  const body = interactionBody({ user: { id: 'U0APPROVER', name: 'approver' }, action: 'modify', runId, values: { replicas: '5' }, responseUrl: respond });
  const headers = signed(body);
  const pressed = await slackPost(w, body, headers);
  assert.is(pressed.status, 200, JSON.stringify(pressed.body));
  assert.equal(pressed.body, {});
  assert.ok(pressed.ms < 3_000, `answered in ${pressed.ms}ms (Slack waits 3 s)`);
  accepted = { body, headers };

  const replacement = await eventually(() => w.got('/respond').slice(answered).find((m) => m.replace_original === true), { what: 'the replacement message' });
  const text = JSON.stringify(replacement.blocks);
  assert.match(text, /Approved with changes/);
  assert.match(text, /<@U0APPROVER>/);
  assert.match(text, /replicas/);
  assert.not.match(text, /pluginops\.approve/, 'no buttons left');

  const rec = await eventually(async () => { const r = await run(w, runId); return r.status === 'success' && r; }, { what: 'the run to succeed' });
  assert.is(readFileSync(join(w.dir, 'replicas.txt'), 'utf8'), '5\n');
  assert.is(rec.parameters.replicas, 5);
  const approval = rec.approvals.approval;
  assert.is(approval.status, 'approved');
  assert.is(approval.decisions.length, 1);
  const d = approval.decisions[0];
  assert.equal({ by: d.by, decision: d.decision, via: d.via, values: d.values }, { by: 'U0APPROVER', decision: 'approve', via: 'slack', values: { replicas: 5 } });
  assert.ok(Math.abs(Date.parse(d.at) - Date.now()) < 60_000, `decided at ${d.at}`);
  assert.is(rec.steps.approval.outputs.approvedBy, 'U0APPROVER');
  assert.is(rec.steps.scale.status, 'success');
});

test('the same request sent again is a replay: 401 E_SIGNATURE_REPLAY, nothing changes', async () => {
  assert.ok(accepted, 'the Modify press was accepted');
  const answered = w.got('/respond').length;
  const again = await slackPost(w, accepted!.body, accepted!.headers);
  assert.is(again.status, 401, JSON.stringify(again.body));
  assert.is(again.body.details.reason, 'E_SIGNATURE_REPLAY');
  await new Promise((r) => setTimeout(r, 300));
  assert.is(w.got('/respond').length, answered, 'nothing answered');
  const rec = await run(w, runId);
  assert.is(rec.status, 'success');
  assert.is(rec.approvals.approval.decisions.length, 1);
});

// Slack sends every input of the message with a press, an untouched empty one as ''; it keeps
// its (missing) value instead of being refused as a wrong type.
test('a Modify press that changes one value while an optional parameter without a value stays empty is recorded', async () => {
  const id = (await w.api('POST', '/api/runs', { token: writeToken, body: { templateId: 'tune', data: {} } })).body.data.id as string;
  await eventually(async () => (await run(w, id)).status === 'waiting', { what: 'the tune run to wait' });
  const message = await eventually(() => w.got('/slack').find((m) => JSON.stringify(m).includes(id)), { what: 'the approval message' });
  const limitInput = (message.blocks as Array<Record<string, any>>).find((b) => b.block_id === 'pluginops.param.limit');
  assert.ok(limitInput, 'limit is shown as an input');
  assert.is(limitInput!.element.initial_value, undefined, 'empty, since it has no value');
  const respond = `${w.receiver.url}/respond-tune`;
  // Slack sends every input of the message with the press; the untouched empty one as ''.
  const body = interactionBody({ user: { id: 'U0APPROVER' }, action: 'modify', runId: id, values: { workers: '4', limit: '' }, responseUrl: respond });
  const pressed = await slackPost(w, body, signed(body));
  assert.is(pressed.status, 200);
  const answer = await eventually(() => w.got('/respond-tune')[0], { what: 'the answer' });
  assert.is(answer.replace_original, true, JSON.stringify(answer));
  const rec = await eventually(async () => { const r = await run(w, id); return r.status === 'success' && r; }, { what: 'the tune run to succeed' });
  assert.is(readFileSync(join(w.dir, 'workers.txt'), 'utf8'), '4\n');
  assert.equal(rec.approvals.approval.decisions[0].values, { workers: 4 });
});

// The run's plan is found in its file by id, also when the file holds other plans.
test('an approved run of a plan that shares its file with another plan runs the rest', async () => {
  const started = await w.api('POST', '/api/runs', { token: writeToken, body: { templateId: 'pair-first' } });
  assert.is(started.status, 202, JSON.stringify(started.body));
  const id = started.body.data.id as string;
  await eventually(async () => (await run(w, id)).status === 'waiting', { what: 'the pair-first run to wait' });
  const approved = await w.api('POST', `/api/runs/${id}/approve`, { token: writeToken, body: {} });
  assert.is(approved.status, 200, JSON.stringify(approved.body));
  assert.is(approved.body.data.outcome, 'approved');
  await eventually(async () => (await run(w, id)).status === 'success', { what: 'the pair-first run to succeed' });
  assert.is(readFileSync(join(w.dir, 'pair-first.txt'), 'utf8'), 'first\n');
});

test('without a Slack signing secret POST /slack/interactions answers 404', async () => {
  const body = interactionBody({ user: { id: 'U0APPROVER' }, action: 'approve', runId: 'any', responseUrl: `${off.receiver.url}/respond` });
  const r = await slackPost(off, body, signed(body));
  assert.is(r.status, 404, JSON.stringify(r.body));
  assert.is(r.body.success, false);
  // The API of that process answers as usual.
  assert.is((await off.api('GET', '/api/runs', { token: readToken })).status, 200);
});

test.run();
