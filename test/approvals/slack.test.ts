// Slack approvals: request signatures computed here with node:crypto as Slack documents them
// (Slack's published example included), block_actions payloads shaped like Slack's for each
// decision, and messages whose buttons and inputs read back through parseInteraction.
import { createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  approvalMessage, outcomeMessage, parseInteraction, verifySlackRequest,
  type ApprovalBlock, type Interaction, type SlackRequest,
} from '../../src/runs/approvals/slack.ts';

const sign = (secret: string, timestamp: string, body: string): string =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

// ---- signatures ------------------------------------------------------------------------------

test('Slack\'s published example request verifies', () => {
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V'
    + '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text='
    + '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN'
    + '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const request: SlackRequest = {
    secret: '8f742231b10e8888abcd99yyyzzz85a5', timestamp: '1531420618', rawBody: body, nowMs: 1531420618_000 + 30_000,
    signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  };
  assert.equal(verifySlackRequest(request), { ok: true });
  assert.equal(verifySlackRequest({ ...request, rawBody: body.replace('roadrunner', 'coyote') }).ok, false);
});

const secret = 'test-signing-secret';
const now = 1_700_000_000_000;
const ts = String(now / 1_000);
const body = `payload=${encodeURIComponent('{"type":"block_actions"}')}`;
const good: SlackRequest = { secret, timestamp: ts, signature: sign(secret, ts, body), rawBody: body, nowMs: now };
const old = (ms: number) => String((now - ms) / 1_000);

const refused: Array<[string, Partial<SlackRequest>, string, RegExp]> = [
  ['a tampered body', { rawBody: `${body}&x=1` }, 'E_SIGNATURE_BAD', /does not match/],
  ['a wrong secret', { secret: 'another-secret' }, 'E_SIGNATURE_BAD', /does not match/],
  ['no configured secret', { secret: '' }, 'E_SIGNATURE_BAD', /no Slack signing secret/],
  ['a stale timestamp', { timestamp: old(5 * 60_000 + 1_000), signature: sign(secret, old(301_000), body) }, 'E_SIGNATURE_STALE', /301s old/],
  ['a future timestamp', { timestamp: old(-301_000), signature: sign(secret, old(-301_000), body) }, 'E_SIGNATURE_STALE', /301s in the future/],
  ['a missing timestamp', { timestamp: undefined }, 'E_SIGNATURE_MISSING', /X-Slack-Request-Timestamp header is missing/],
  ['an empty timestamp', { timestamp: '' }, 'E_SIGNATURE_MISSING', /X-Slack-Request-Timestamp/],
  ['a missing signature', { signature: undefined }, 'E_SIGNATURE_MISSING', /X-Slack-Signature header is missing/],
  ['a non-numeric timestamp', { timestamp: '17e8' }, 'E_SIGNATURE_BAD', /is "17e8"; expected unix seconds/],
  ['a truncated signature', { signature: sign(secret, ts, body).slice(0, -1) }, 'E_SIGNATURE_BAD', /does not match/],
  ['a longer signature', { signature: `${sign(secret, ts, body)}00` }, 'E_SIGNATURE_BAD', /does not match/],
  ['an upper-cased signature', { signature: `v0=${sign(secret, ts, body).slice(3).toUpperCase()}` }, 'E_SIGNATURE_BAD', /does not match/],
  ['another signature version', { signature: sign(secret, ts, body).replace('v0=', 'v1=') }, 'E_SIGNATURE_BAD', /not a v0 signature/],
];

for (const [name, change, code, message] of refused) {
  test(`a request with ${name} is refused with ${code}`, () => {
    const result = verifySlackRequest({ ...good, ...change });
    assert.is(result.ok, false);
    if (result.ok) return;
    assert.is(result.code, code);
    assert.match(result.message, message);
  });
}

test('a correctly signed request is accepted up to the age limit either way, and the limit is configurable', () => {
  assert.equal(verifySlackRequest(good), { ok: true });
  for (const age of [300_000, -300_000]) {
    assert.equal(verifySlackRequest({ ...good, timestamp: old(age), signature: sign(secret, old(age), body) }), { ok: true }, `${age}`);
  }
  const minuteOld = { ...good, timestamp: old(60_000), signature: sign(secret, old(60_000), body) };
  assert.equal(verifySlackRequest(minuteOld), { ok: true });
  const strict = verifySlackRequest({ ...minuteOld, maxAgeMs: 30_000 });
  assert.is(strict.ok ? 'ok' : strict.code, 'E_SIGNATURE_STALE');
});

// ---- parsing ---------------------------------------------------------------------------------

type StateValues = Record<string, Record<string, { type: string; value: string | null }>>;

/** A block_actions payload shaped like the one Slack posts when a message button is pressed. */
function blockActions(actionId: string, value: string | undefined, values: StateValues = {}): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: 'U0123ABCD', username: 'jin.park', name: 'jin.park', team_id: 'T0001' },
    api_app_id: 'A0001', token: 'verification-token', trigger_id: '123.456.abc',
    team: { id: 'T0001', domain: 'example' },
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0001', is_ephemeral: false },
    channel: { id: 'C0001', name: 'deploys' },
    message: { type: 'message', ts: '1700000000.000100', text: 'Approval requested', blocks: [] },
    state: { values },
    response_url: 'https://hooks.slack.com/actions/T0001/1/abc',
    actions: [{
      type: 'button', block_id: 'pluginops.decision', action_id: actionId, action_ts: '1700000001.000200',
      text: { type: 'plain_text', text: 'Approve', emoji: true }, ...(value === undefined ? {} : { value }),
    }],
  };
}
const form = (payload: unknown): string => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

function parsed(rawBody: string): Interaction {
  const result = parseInteraction(rawBody);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

test('an Approve press reads as approve with the run id, the user and where to answer', () => {
  assert.equal(parsed(form(blockActions('pluginops.approve', 'run-42'))), {
    user: { id: 'U0123ABCD', name: 'jin.park' }, action: 'approve', runId: 'run-42',
    responseUrl: 'https://hooks.slack.com/actions/T0001/1/abc', messageTs: '1700000000.000100', channelId: 'C0001',
  });
});

test('a Reject press reads as reject and ignores edited inputs', () => {
  const state: StateValues = { 'pluginops.param.version': { 'pluginops.value': { type: 'plain_text_input', value: '9.9.9' } } };
  const value = parsed(form(blockActions('pluginops.reject', 'run-42', state)));
  assert.is(value.action, 'reject');
  assert.is(value.values, undefined);
});

test('a Modify press carries the parameter inputs by name, emptied ones as empty text, other blocks ignored', () => {
  const state: StateValues = {
    'pluginops.param.version': { 'pluginops.value': { type: 'plain_text_input', value: '2.1.0' } },
    'pluginops.param.note': { 'pluginops.value': { type: 'plain_text_input', value: null } },
    'someone.else': { whatever: { type: 'plain_text_input', value: 'x' } },
  };
  const value = parsed(form(blockActions('pluginops.modify', 'run-7', state)));
  assert.is(value.action, 'modify');
  assert.equal(value.values, { version: '2.1.0', note: '' });
});

test('a user without name falls back to username, and the channel to the container\'s', () => {
  const p = blockActions('pluginops.approve', 'r');
  p.user = { id: 'U1', username: 'kim' };
  delete p.channel;
  const value = parsed(form(p));
  assert.equal(value.user, { id: 'U1', name: 'kim' });
  assert.is(value.channelId, 'C0001');
});

const malformed: Array<[string, string, RegExp]> = [
  ['no payload field', 'token=abc', /no "payload" field/],
  ['malformed JSON', 'payload=%7Bnot-json', /not JSON/],
  ['a JSON array', form([1, 2]), /expected a JSON object/],
  ['a modal submission', form({ ...blockActions('pluginops.approve', 'r'), type: 'view_submission' }), /"view_submission"; expected "block_actions"/],
  ['no user', form({ ...blockActions('pluginops.approve', 'r'), user: undefined }), /user\.id is nothing/],
  ['no actions', form({ ...blockActions('pluginops.approve', 'r'), actions: [] }), /no actions\[0\]/],
  ['an unknown action id', form(blockActions('other.approve', 'r')), /action_id is "other\.approve"; expected one of pluginops\.approve/],
  ['no run id', form(blockActions('pluginops.approve', undefined)), /value is nothing; expected the run id/],
  ['an empty run id', form(blockActions('pluginops.approve', '')), /value is ""; expected the run id/],
];

for (const [name, rawBody, message] of malformed) {
  test(`a body with ${name} is refused with a message`, () => {
    const result = parseInteraction(rawBody);
    assert.is(result.ok, false);
    if (!result.ok) assert.match(result.message, message);
  });
}

// ---- messages --------------------------------------------------------------------------------

const request = {
  runId: 'run-2024-0042', plan: 'deploy-prod', title: 'Deploy billing to production', requester: 'ci <bot> & co',
  parameters: { version: '2.1.0', replicas: 3, dryRun: false, notes: 'line one\nline two', empty: '', targets: ['eu', 'us'] },
};

const blocksOf = <K extends ApprovalBlock['type']>(blocks: ApprovalBlock[], type: K) =>
  blocks.filter((b): b is Extract<ApprovalBlock, { type: K }> => b.type === type);

/** Presses a button of `blocks` the way Slack would report it, with the inputs as rendered. */
function press(blocks: ApprovalBlock[], actionId: string, edits: Record<string, string> = {}): string {
  const button = blocksOf(blocks, 'actions').flatMap((b) => b.elements).find((e) => e.action_id === actionId);
  if (!button) throw new Error(`no button ${actionId}`);
  const values: StateValues = {};
  for (const input of blocksOf(blocks, 'input')) {
    const name = input.block_id.replace('pluginops.param.', '');
    values[input.block_id] = { [input.element.action_id]: { type: input.element.type, value: edits[name] ?? input.element.initial_value ?? null } };
  }
  return form(blockActions(button.action_id, button.value, values));
}

test('the approval message has Approve (primary), Reject (danger) and Modify buttons carrying the run id', () => {
  const { blocks, text } = approvalMessage(request);
  const [actions] = blocksOf(blocks, 'actions');
  assert.equal(actions?.elements.map((e) => [e.action_id, e.value, e.style, e.text.text]), [
    ['pluginops.approve', 'run-2024-0042', 'primary', 'Approve'],
    ['pluginops.reject', 'run-2024-0042', 'danger', 'Reject'],
    ['pluginops.modify', 'run-2024-0042', undefined, 'Modify'],
  ]);
  assert.is(blocks.at(-1), actions);
  assert.match(text, 'Deploy billing to production');
});

test('every button reads back through parseInteraction as its decision for the same run', () => {
  const { blocks } = approvalMessage(request);
  for (const action of ['approve', 'reject', 'modify'] as const) {
    const value = parsed(press(blocks, `pluginops.${action}`));
    assert.is(value.action, action);
    assert.is(value.runId, request.runId);
  }
});

test('Modify reads back the rendered values with the edits applied', () => {
  const { blocks } = approvalMessage(request);
  const value = parsed(press(blocks, 'pluginops.modify', { version: '2.2.0', replicas: '5' }));
  assert.equal(value.values, { version: '2.2.0', replicas: '5', dryRun: 'false', notes: 'line one\nline two', empty: '' });
});

test('scalar parameters are inputs, others are read-only, and Slack control characters are escaped', () => {
  const { blocks } = approvalMessage(request);
  const inputs = blocksOf(blocks, 'input');
  assert.equal(inputs.map((b) => [b.label.text, b.element.initial_value, b.element.multiline]), [
    ['version', '2.1.0', undefined], ['replicas', '3', undefined], ['dryRun', 'false', undefined],
    ['notes', 'line one\nline two', true], ['empty', undefined, undefined],
  ]);
  const texts = blocksOf(blocks, 'section').map((b) => b.text.text).join('\n');
  assert.match(texts, '`targets`: `["eu","us"]`');
  assert.match(texts, '*ci &lt;bot&gt; &amp; co* asks for approval to run `deploy-prod`.');
});

test('without editable parameters there is no Modify button; too many parameters stay within 50 blocks', () => {
  const none = approvalMessage({ ...request, parameters: { config: { a: 1 }, big: 'x'.repeat(3001) } });
  assert.equal(blocksOf(none.blocks, 'actions')[0]?.elements.map((e) => e.action_id), ['pluginops.approve', 'pluginops.reject']);
  assert.is(blocksOf(none.blocks, 'input').length, 0);
  const many = approvalMessage({ ...request, parameters: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`p${i}`, i])) });
  assert.ok(many.blocks.length <= 50, `${many.blocks.length} blocks`);
  assert.is(blocksOf(many.blocks, 'input').length, 40);
  assert.match(blocksOf(many.blocks, 'section').map((b) => b.text.text).join('\n'), '`p79`: `79`');
});

test('the Korean approval message has Korean buttons with the same ids', () => {
  const { blocks } = approvalMessage({ ...request, locale: 'ko' });
  assert.equal(blocksOf(blocks, 'actions')[0]?.elements.map((e) => [e.action_id, e.text.text]), [
    ['pluginops.approve', '승인'], ['pluginops.reject', '거부'], ['pluginops.modify', '수정'],
  ]);
});

test('the outcome message says who decided what and when, with the comment and values, and has no buttons', () => {
  const atMs = Date.UTC(2024, 4, 1, 9, 30);
  const { blocks, text } = outcomeMessage({
    runId: 'run-7', title: 'Deploy billing', decision: 'modify', user: { id: 'U0123ABCD', name: 'jin.park' }, atMs,
    comment: 'fewer replicas <please>\nthanks', values: { replicas: '2' },
  });
  assert.is(blocksOf(blocks, 'actions').length + blocksOf(blocks, 'input').length, 0);
  const texts = blocks.map((b) => JSON.stringify(b)).join('\n');
  assert.match(texts, `:pencil2: *Approved with changes* by <@U0123ABCD> at <!date^${atMs / 1_000}^{date_short_pretty} {time}|2024-05-01T09:30:00.000Z>`);
  assert.match(texts, '`replicas`: `2`');
  assert.match(texts, '> fewer replicas &lt;please&gt;\\n> thanks');
  assert.match(texts, 'Run `run-7`');
  assert.is(text, 'Deploy billing: Approved with changes by jin.park at 2024-05-01T09:30:00.000Z');
});

test('a Korean rejection outcome without comment has only the decision and the run', () => {
  const { blocks } = outcomeMessage({ runId: 'r', title: 'T', decision: 'reject', user: { id: 'U1' }, atMs: 0, locale: 'ko' });
  assert.is(blocks.length, 3);
  assert.match(JSON.stringify(blocks[1]), ':no_entry_sign: *거부됨* · <@U1> · <!date^0^');
});

test.run();
