// The Slack endpoint of a real `pluginops serve` (loopback): a signed request taken once is
// refused when replayed after a restart, and by another process on the same state directory at
// the same moment; approvers are matched by Slack user id — a user who took an approver's name
// is refused — and by name only when the project opts in with `approvals.slack.matchNames`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { slackSignature } from '../../src/runs/approvals/signature.ts';
import { eventually, readToken, serveWorld, slackSigningSecret, writeToken, type ServeWorld } from '../serve/helpers.ts';
import { cliCommand } from '../cli/helpers.ts';

const plan = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: gate }
spec:
  approval: { required: true, approvers: [alice], channels: [ops-slack] }
  steps:
    - id: go
      run: echo go > went.txt
`;

function press(user: { id: string; name: string }, runId: string, responseUrl: string): string {
  const payload = {
    type: 'block_actions', user: { id: user.id, username: user.name, name: user.name, team_id: 'T0TEAM' },
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0OPS' }, channel: { id: 'C0OPS' }, response_url: responseUrl,
    actions: [{ type: 'button', block_id: 'pluginops.decision', action_id: 'pluginops.approve', value: runId }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function signed(body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1_000));
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(slackSigningSecret, timestamp, body) };
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/slack/interactions`, { method: 'POST', headers, body });
  const text = await res.text();
  try { return { status: res.status, body: JSON.parse(text) }; } catch { return { status: res.status, body: text }; }
}

async function restart(w: ServeWorld): Promise<void> {
  w.proc!.child.kill('SIGTERM');
  assert.equal(await w.proc!.exited, { code: 0, signal: null });
  await w.start([]);
}

async function waitingRun(w: ServeWorld): Promise<string> {
  const started = await w.api('POST', '/api/runs', { token: writeToken, body: { templateId: 'gate' } });
  assert.is(started.status, 202, JSON.stringify(started.body));
  const id = started.body.data.id as string;
  await eventually(async () => (await w.api('GET', `/api/runs/${id}`, { token: readToken })).body.data.status === 'waiting', { what: 'the run to wait' });
  return id;
}

let w: ServeWorld;
/** The run the impostor could not approve: still waiting for a real approver. */
let gated = '';
test.before(async () => {
  w = await serveWorld({ documents: plan, monitoring: ['historySize: 10'], slackSigning: true });
  await w.start([]);
});
test.after(async () => { await w.close(); });

test('a signed request taken before a restart is refused as a replay after it', async () => {
  const body = press({ id: 'U0BOB', name: 'bob' }, 'no-such-run', `${w.receiver.url}/respond-1`);
  const headers = signed(body);
  assert.is((await post(w.proc!.url, body, headers)).status, 200);
  await restart(w);
  const again = await post(w.proc!.url, body, headers);
  assert.is(again.status, 401, JSON.stringify(again.body));
  assert.is(again.body.details.reason, 'E_SIGNATURE_REPLAY');
  assert.match(readFileSync(join(w.dir, '.pluginops', 'slack-replay.log'), 'utf8'), /^\d+ [0-9a-f]{64}\n$/);
});

test('a Slack user named like an approver, with another id, is refused; the run keeps waiting', async () => {
  const id = gated = await waitingRun(w);
  const body = press({ id: 'U0MALLORY', name: 'alice' }, id, `${w.receiver.url}/respond-2`);
  assert.is((await post(w.proc!.url, body, signed(body))).status, 200);
  const answer = await eventually(() => w.got('/respond-2')[0], { what: 'the answer' });
  assert.match(answer.text, /^Not recorded: U0MALLORY is not an approver/);
  const rec = (await w.api('GET', `/api/runs/${id}`, { token: readToken })).body.data;
  assert.is(rec.status, 'waiting');
  assert.equal(rec.approvals.approval.decisions, []);
});

test('with approvals.slack.matchNames the name is enough', async () => {
  const file = join(w.dir, 'pluginops.yml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}\napprovals: { slack: { matchNames: true } }\n`);
  await restart(w);
  const id = gated;
  const body = press({ id: 'U0ALICE', name: 'alice' }, id, `${w.receiver.url}/respond-3`);
  assert.is((await post(w.proc!.url, body, signed(body))).status, 200);
  const rec = await eventually(async () => { const r = (await w.api('GET', `/api/runs/${id}`, { token: readToken })).body.data; return r.status === 'success' && r; }, { what: 'the run to succeed' });
  assert.equal(rec.approvals.approval.decisions.map((d: { by: string; via: string }) => [d.by, d.via]), [['alice', 'slack']]);
});

test('processes sharing the state directory take the same request once', async () => {
  const path = join(w.dir, '.pluginops', 'slack-replay.log');
  const script = `import { fileReplayCache } from ${JSON.stringify(join(process.cwd(), 'src/runs/approvals/replay-cache.ts'))};
const now = Date.now();
process.stdout.write(String(await fileReplayCache(process.argv[1]).take('v0=same-signature', now + 300000, now)));`;
  const results = await Promise.all([1, 2, 3, 4].map(() => new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [cliCommand[0]!, cliCommand[1]!, '--input-type=module', '-e', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  })));
  assert.equal(results.sort(), ['false', 'false', 'false', 'true']);
});

test.run();
