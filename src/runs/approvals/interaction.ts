// A decision on an approval message, read from Slack's interaction request. Slack POSTs
// `application/x-www-form-urlencoded` with one `payload` field holding JSON; only `block_actions`
// payloads (a button pressed in a message) are decisions. The convention, shared with the
// message builder (messages.ts):
//   - the buttons sit in an actions block `pluginops.decision`; their action ids are
//     `pluginops.approve`, `pluginops.reject` and `pluginops.modify`, and each one's `value` is
//     the run id;
//   - every editable parameter is an input block with block id `pluginops.param.<name>` holding
//     one plain_text_input (action id `pluginops.value`) pre-filled with the current value;
//   - Modify means "approve with the values now in those inputs": its Interaction carries
//     `values` (parameter name → text; an emptied field is ''). Approve and Reject ignore the
//     inputs, so edits count only when Modify is pressed.
// Modals (`view_submission`) are not used. The payload is checked here, not trusted: every
// problem comes back as a message saying what was found and what was expected.

export type Decision = 'approve' | 'reject' | 'modify';

export interface Interaction {
  user: { id: string; name?: string };
  action: Decision;
  runId: string;
  /** Only for `modify`: the parameter inputs' text by parameter name. */
  values?: Record<string, string>;
  /** Where to post the replacement message (valid 30 minutes, 5 uses). */
  responseUrl?: string;
  messageTs?: string;
  channelId?: string;
}

export type ParsedInteraction = { ok: true; value: Interaction } | { ok: false; message: string };

export const decisionBlockId = 'pluginops.decision';
export const actionIds = {
  approve: 'pluginops.approve',
  reject: 'pluginops.reject',
  modify: 'pluginops.modify',
} as const satisfies Record<Decision, string>;
export const paramBlockPrefix = 'pluginops.param.';
export const paramActionId = 'pluginops.value';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const describe = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 60));

export const decisions = ['approve', 'reject', 'modify'] as const satisfies readonly Decision[];
const decisionOf = (actionId: string): Decision | undefined => decisions.find((d) => actionIds[d] === actionId);

/** The text of each `pluginops.param.<name>` input in `state.values`. */
function parameterValues(state: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const blocks = isObject(state) && isObject(state.values) ? state.values : {};
  for (const [blockId, elements] of Object.entries(blocks)) {
    if (!blockId.startsWith(paramBlockPrefix) || !isObject(elements)) continue;
    const input = elements[paramActionId];
    if (!isObject(input)) continue;
    values[blockId.slice(paramBlockPrefix.length)] = typeof input.value === 'string' ? input.value : '';
  }
  return values;
}

function readPayload(rawBody: string): { ok: true; payload: Json } | { ok: false; message: string } {
  const field = new URLSearchParams(rawBody).get('payload');
  if (field === null) return { ok: false, message: 'the body has no "payload" field; expected a Slack interaction (form-encoded payload=JSON)' };
  let payload: unknown;
  try {
    payload = JSON.parse(field);
  } catch (e) {
    return { ok: false, message: `the "payload" field is not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isObject(payload)) return { ok: false, message: `the "payload" field is ${describe(payload)}; expected a JSON object` };
  return { ok: true, payload };
}

export function parseInteraction(rawBody: string): ParsedInteraction {
  const read = readPayload(rawBody);
  if (!read.ok) return read;
  const p = read.payload;
  if (p.type !== 'block_actions') return { ok: false, message: `the payload type is ${describe(p.type)}; expected "block_actions"` };

  const user = isObject(p.user) ? p.user : undefined;
  const userId = str(user?.id);
  if (!user || !userId) return { ok: false, message: `the payload's user.id is ${describe(user?.id)}; expected the Slack user id` };

  const action = Array.isArray(p.actions) ? p.actions[0] : undefined;
  if (!isObject(action)) return { ok: false, message: 'the payload has no actions[0]; expected the pressed button' };
  const decision = typeof action.action_id === 'string' ? decisionOf(action.action_id) : undefined;
  if (!decision) {
    return { ok: false, message: `actions[0].action_id is ${describe(action.action_id)}; expected one of ${Object.values(actionIds).join(', ')}` };
  }
  const runId = str(action.value);
  if (!runId) return { ok: false, message: `actions[0].value is ${describe(action.value)}; expected the run id` };

  const container = isObject(p.container) ? p.container : {};
  const channel = isObject(p.channel) ? p.channel : {};
  const name = str(user.name) ?? str(user.username);
  const value: Interaction = {
    user: name ? { id: userId, name } : { id: userId },
    action: decision,
    runId,
    ...(decision === 'modify' ? { values: parameterValues(p.state) } : {}),
  };
  const responseUrl = str(p.response_url), messageTs = str(container.message_ts), channelId = str(channel.id) ?? str(container.channel_id);
  if (responseUrl) value.responseUrl = responseUrl;
  if (messageTs) value.messageTs = messageTs;
  if (channelId) value.channelId = channelId;
  return { ok: true, value };
}
