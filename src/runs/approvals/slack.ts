// Slack approvals for action plans that wait for a human: the pure core. This module builds the
// approval message (Block Kit: the incident a self-healing run answers with an excerpt of its
// evidence, parameters as inputs, Approve / Reject / Modify buttons) and the
// message that replaces it once decided, and re-exports request verification (signature.ts) and
// interaction parsing (interaction.ts). The block and action ids follow the convention described
// in interaction.ts, so what approvalMessage renders is what parseInteraction reads back.
// Sending, HTTP and storage are the caller's: every function here is pure.
import { catalogFor, fill, type Locale } from '../../notify/catalog/index.ts';
import { escapeSlack, evidenceSections } from '../../notify/channels/slack.ts';
import { severities, type Severity } from '../../notify/message.ts';
import type { IncidentBrief } from '../../store/incident-brief.ts';
import { actionIds, decisionBlockId, paramActionId, paramBlockPrefix, type Decision } from './interaction.ts';

export { defaultMaxAgeMs, slackSignature, verifySlackRequest } from './signature.ts';
export type { SignatureCheck, SignatureErrorCode, SlackRequest } from './signature.ts';
export { actionIds, decisionBlockId, decisions, paramActionId, paramBlockPrefix, parseInteraction } from './interaction.ts';
export type { Decision, Interaction, ParsedInteraction } from './interaction.ts';

type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
type Mrkdwn = { type: 'mrkdwn'; text: string };
export type Button = { type: 'button'; action_id: string; value: string; text: PlainText; style?: 'primary' | 'danger' };
export type TextInput = { type: 'plain_text_input'; action_id: string; multiline?: boolean; initial_value?: string };
export type ApprovalBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn; fields?: Mrkdwn[] }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'input'; block_id: string; optional: true; label: PlainText; element: TextInput }
  | { type: 'actions'; block_id: string; elements: Button[] };

/** A postable message: `text` for notifications and clients without blocks, `blocks` for the rest. */
export interface ApprovalSlackMessage { text: string; blocks: ApprovalBlock[] }

interface ApprovalTexts {
  request: string; plan: string; run: string; notEditable: string; hint: string; incident: string; started: string;
  button: Record<Decision, string>; outcome: Record<Decision, string>;
  decidedBy: string; comment: string; values: string;
}

export const approvalTexts = {
  en: {
    request: '{requester} asks for approval to run {plan}.',
    plan: 'Plan', run: 'Run', incident: 'Incident', started: 'Started',
    notEditable: 'Parameters shown as they are (not editable here)',
    hint: 'Edit the values above and press *Modify* to approve the run with them; *Approve* keeps the original values.',
    button: { approve: 'Approve', reject: 'Reject', modify: 'Modify' },
    outcome: { approve: 'Approved', reject: 'Rejected', modify: 'Approved with changes' },
    decidedBy: '{decision} by {user} at {time}',
    comment: 'Comment', values: 'Parameters used',
  },
  ko: {
    request: '{requester}님이 {plan} 실행 승인을 요청했습니다.',
    plan: '플랜', run: '실행', incident: '인시던트', started: '시작',
    notEditable: '여기서 수정할 수 없는 파라미터',
    hint: '위 값을 수정한 뒤 *수정*을 누르면 수정한 값으로 승인됩니다. *승인*은 원래 값을 사용합니다.',
    button: { approve: '승인', reject: '거부', modify: '수정' },
    outcome: { approve: '승인됨', reject: '거부됨', modify: '수정 후 승인됨' },
    decidedBy: '{decision} · {user} · {time}',
    comment: '코멘트', values: '사용된 파라미터',
  },
} as const satisfies Record<Locale, ApprovalTexts>;

// Block Kit limits: header 150 characters, section text 3000, field 2000, label 2000, input value
// 3000, block id 255, 50 blocks a message. A parameter that cannot be an input within them is shown
// read-only rather than cut, so Modify never sends back a truncated value.
const maxInputs = 40;
const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const md = (text: string, max = 3000): Mrkdwn => ({ type: 'mrkdwn', text: cut(text, max) });
const plain = (text: string, max: number): PlainText => ({ type: 'plain_text', text: cut(text, max), emoji: true });
const code = (text: string): string => `\`${escapeSlack(text).replace(/`/g, "'")}\``;
const header = (title: string): ApprovalBlock => ({ type: 'header', text: plain(title, 150) });

/** The input text of a parameter, or undefined when it has to be shown read-only. */
function editableText(name: string, value: unknown): string | undefined {
  if (paramBlockPrefix.length + name.length > 255) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const text = String(value);
  return text.length <= 3000 ? text : undefined;
}

function parameterInput(name: string, text: string): ApprovalBlock {
  const element: TextInput = { type: 'plain_text_input', action_id: paramActionId };
  if (text.includes('\n')) element.multiline = true;
  if (text !== '') element.initial_value = text;
  return { type: 'input', block_id: `${paramBlockPrefix}${name}`, optional: true, label: plain(name, 2000), element };
}

function readOnlyParameters(entries: Array<[string, unknown]>, t: ApprovalTexts): ApprovalBlock {
  const lines = entries.map(([name, value]) => `${code(name)}: ${code(cut(JSON.stringify(value) ?? String(value), 300))}`);
  return { type: 'section', text: md(`*${t.notEditable}*\n${lines.join('\n')}`) };
}

function decisionButtons(runId: string, withModify: boolean, t: ApprovalTexts): ApprovalBlock {
  const button = (d: Decision, style?: Button['style']): Button =>
    ({ type: 'button', action_id: actionIds[d], value: runId, text: plain(t.button[d], 75), ...(style ? { style } : {}) });
  const elements = [button('approve', 'primary'), button('reject', 'danger'), ...(withModify ? [button('modify')] : [])];
  return { type: 'actions', block_id: decisionBlockId, elements };
}

export interface ApprovalRequest {
  runId: string;
  plan: string;
  title: string;
  requester: string;
  parameters: Record<string, unknown>;
  locale?: Locale;
  /** The incident a self-healing run answers: shown above the plan, so the approver decides with the facts. */
  incident?: IncidentBrief;
}

/** Slack shows the time in each reader's time zone; the ISO text is the fallback. */
const slackDate = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `<!date^${Math.floor(ms / 1_000)}^{date_short_pretty} {time}|${escapeSlack(iso)}>` : escapeSlack(iso);
};

function incidentBlocks(i: IncidentBrief, t: ApprovalTexts, locale: Locale | undefined): ApprovalBlock[] {
  const c = catalogFor(locale);
  const severity = (severities as readonly string[]).includes(i.severity) ? c.severity[i.severity as Severity] : i.severity;
  return [
    {
      type: 'section', text: md(`:rotating_light: *${t.incident}:* ${escapeSlack(i.title)}`),
      fields: [md(`*${c.label.severity}*\n${escapeSlack(severity)}`, 2000), md(`*${t.started}*\n${slackDate(i.openedAt)}`, 2000)],
    },
    ...evidenceSections(i.evidence, c).flatMap((b): ApprovalBlock[] => (b.type === 'section' && b.text ? [{ type: 'section', text: b.text }] : [])),
  ];
}

/**
 * The message asking for a decision. Scalar parameters become inputs pre-filled with their value
 * (at most 40; the rest, objects and values over Slack's limits are listed read-only). The Modify
 * button appears only when there is something to edit. The run id must be 1–2000 characters.
 */
export function approvalMessage(o: ApprovalRequest): ApprovalSlackMessage {
  const t: ApprovalTexts = approvalTexts[o.locale ?? 'en'];
  const inputs: ApprovalBlock[] = [];
  const readOnly: Array<[string, unknown]> = [];
  for (const [name, value] of Object.entries(o.parameters)) {
    const text = inputs.length < maxInputs ? editableText(name, value) : undefined;
    if (text === undefined) readOnly.push([name, value]);
    else inputs.push(parameterInput(name, text));
  }
  const request = fill(t.request, { requester: `*${escapeSlack(o.requester)}*`, plan: code(o.plan) });
  const blocks: ApprovalBlock[] = [
    header(o.title),
    ...(o.incident ? incidentBlocks(o.incident, t, o.locale) : []),
    { type: 'section', text: md(request), fields: [md(`*${t.plan}*\n${code(o.plan)}`, 2000), md(`*${t.run}*\n${code(o.runId)}`, 2000)] },
    ...inputs,
    ...(readOnly.length > 0 ? [readOnlyParameters(readOnly, t)] : []),
    ...(inputs.length > 0 ? [{ type: 'context', elements: [md(t.hint)] } satisfies ApprovalBlock] : []),
    decisionButtons(o.runId, inputs.length > 0, t),
  ];
  const about = o.incident ? ` (${t.incident}: ${o.incident.title})` : '';
  return { text: `${o.title}: ${fill(t.request, { requester: o.requester, plan: o.plan })}${about}`, blocks };
}

export interface ApprovalOutcome {
  runId: string;
  title: string;
  decision: Decision;
  user: { id: string; name?: string };
  /** When the decision was taken (epoch ms); Slack shows it in each reader's time zone. */
  atMs: number;
  comment?: string;
  /** For `modify`: the parameter values the run uses. */
  values?: Record<string, string>;
  locale?: Locale;
}

const mark = { approve: ':white_check_mark:', reject: ':no_entry_sign:', modify: ':pencil2:' } as const satisfies Record<Decision, string>;

/** The message that replaces the approval message once decided: no buttons left, who decided what and when. */
export function outcomeMessage(o: ApprovalOutcome): ApprovalSlackMessage {
  const t: ApprovalTexts = approvalTexts[o.locale ?? 'en'];
  const iso = new Date(o.atMs).toISOString();
  const time = `<!date^${Math.floor(o.atMs / 1_000)}^{date_short_pretty} {time}|${iso}>`;
  const user = /^[UW][A-Z0-9]+$/.test(o.user.id) ? `<@${o.user.id}>` : escapeSlack(o.user.name ?? o.user.id);
  const decided = fill(t.decidedBy, { decision: `*${t.outcome[o.decision]}*`, user, time });
  const blocks: ApprovalBlock[] = [header(o.title), { type: 'section', text: md(`${mark[o.decision]} ${decided}`) }];
  const values = Object.entries(o.values ?? {});
  if (values.length > 0) {
    blocks.push({ type: 'section', text: md(`*${t.values}*\n${values.map(([k, v]) => `${code(k)}: ${code(cut(v, 300))}`).join('\n')}`) });
  }
  if (o.comment?.trim()) {
    blocks.push({ type: 'section', text: md(`*${t.comment}*\n${escapeSlack(o.comment.trim()).replace(/^/gm, '> ')}`) });
  }
  blocks.push({ type: 'context', elements: [md(`${t.run} ${code(o.runId)}`)] });
  const who = o.user.name ?? o.user.id;
  return { text: `${o.title}: ${fill(t.decidedBy, { decision: t.outcome[o.decision], user: who, time: iso })}`, blocks };
}
