// `type: slack` — a Slack incoming webhook. The message has `text` (used in notifications and by
// clients that cannot show blocks), Block Kit `blocks` for the content, and one secondary
// attachment whose `color` bar shows the severity. Labels and status words come from the catalog
// of the project's locale. An incident shows its recipients as mentions and an excerpt of its
// evidence in code blocks, escaped. Slack asks for at most one message a second.
import { catalogFor, localDuration, type Catalog } from '../catalog/index.ts';
import type { ExecutionFinished, Incident, Notification, Severity, StepMessage } from '../message.ts';
import { postJson, readUrl } from './http.ts';
import { summaryLine } from './plain.ts';
import { evidenceBlocks } from './evidence.ts';
import { slackMentions } from '../recipients.ts';
import type { ChannelMap, Sender } from './types.ts';

type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
type Mrkdwn = { type: 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text?: Mrkdwn; fields?: Mrkdwn[] }
  | { type: 'context'; elements: Array<Mrkdwn | PlainText> };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  attachments: Array<{ color: string; fallback: string; blocks: SlackBlock[] }>;
  channel?: string;
}

export const severityColor = {
  info: '#36c5f0', success: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a', critical: '#8b0000',
} as const satisfies Record<Severity, string>;

// Block Kit limits: header text 150 characters, section text 3000, a field 2000, 10 fields.
const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
/** Slack reads &, < and > as control characters in any text it formats. */
export const escapeSlack = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const md = (text: string, max = 3000): Mrkdwn => ({ type: 'mrkdwn', text: cut(text, max) });
const code = (text: string): string => `\`${escapeSlack(text).replace(/`/g, "'")}\``;
const header = (title: string): SlackBlock => ({ type: 'header', text: { type: 'plain_text', text: cut(title, 150), emoji: true } });

const statusMark: Record<string, string> = {
  success: ':white_check_mark:', failed: ':x:', timed_out: ':hourglass:', cancelled: ':no_entry_sign:', interrupted: ':warning:',
  skipped: ':fast_forward:',
};
const mark = (status: string): string => statusMark[status] ?? ':white_circle:';

type Content = { blocks: SlackBlock[]; detail: SlackBlock[] };

function executionBlocks(n: ExecutionFinished, c: Catalog): Content {
  const fields = [
    md(`*${c.label.workflow}*\n${escapeSlack(n.workflow)}`, 2000),
    ...(n.plugin ? [md(`*${c.label.plugin}*\n${escapeSlack(n.plugin)}`, 2000)] : []),
    md(`*${c.label.status}*\n${mark(n.status)} ${c.executionStatus[n.status]}`, 2000),
    ...(n.durationMs !== undefined ? [md(`*${c.label.duration}*\n${localDuration(n.durationMs, c)}`, 2000)] : []),
  ];
  const blocks: SlackBlock[] = [header(n.title), { type: 'section', text: md(escapeSlack(n.text)), fields }];
  if (n.failedStep || n.error) {
    const lines = [
      ...(n.failedStep ? [`*${c.label.failedStep}:* ${code(n.failedStep)}`] : []),
      ...(n.error ? [`\`\`\`${escapeSlack(cut(n.error, 2500)).replace(/```/g, "'''")}\`\`\``] : []),
    ];
    blocks.push({ type: 'section', text: md(lines.join('\n')) });
  }
  blocks.push({ type: 'context', elements: [md(`${c.label.execution} ${code(n.executionId)}${link(n.url, c)} · ${n.at}`)] });
  const steps = n.steps.map((s) => `${mark(s.status)} ${code(s.id)}${s.durationMs !== undefined ? ` ${localDuration(s.durationMs, c)}` : ''}`);
  return { blocks, detail: steps.length ? [{ type: 'context', elements: [md(steps.join('   '))] }] : [] };
}

function messageBlocks(n: StepMessage, c: Catalog): Content {
  return {
    blocks: [
      header(n.title),
      ...(n.text ? [{ type: 'section', text: md(escapeSlack(n.text)) } satisfies SlackBlock] : []),
      { type: 'context', elements: [md(`${c.label.execution} ${code(n.executionId)} · ${c.label.step} ${code(n.step)}${link(n.url, c)}`)] },
    ],
    detail: [{ type: 'context', elements: [md(`${c.label.severity}: *${c.severity[n.severity]}*`)] }],
  };
}

const incidentMark = { firing: ':rotating_light:', acknowledged: ':eyes:', resolved: ':white_check_mark:' } as const satisfies Record<Incident['status'], string>;

function incidentBlocks(n: Incident, c: Catalog): Content {
  const fields = [
    md(`*${c.label.status}*\n${incidentMark[n.status]} ${c.incidentStatus[n.status]}`, 2000),
    md(`*${c.label.severity}*\n${c.severity[n.severity]}`, 2000),
    md(`*${c.label.category}*\n${c.category[n.category]}`, 2000),
    ...(n.source ? [md(`*${c.label.source}*\n${escapeSlack(n.source)}`, 2000)] : []),
  ];
  const labels = Object.entries(n.labels).map(([k, v]) => code(`${k}=${v}`));
  const mentions = slackMentions(n.recipients, escapeSlack);
  return {
    blocks: [
      header(n.title),
      { type: 'section', ...(n.text ? { text: md(escapeSlack(n.text)) } : {}), fields },
      ...(mentions ? [{ type: 'section', text: md(`*${c.label.recipients}:* ${mentions}`) } satisfies SlackBlock] : []),
      ...evidenceSections(n.evidence, c),
      { type: 'context', elements: [md(`${code(n.dedupKey)}${link(n.url, c)} · ${n.at}`)] },
    ],
    detail: labels.length ? [{ type: 'context', elements: [md(`${c.label.labels}: ${labels.join(' ')}`)] }] : [],
  };
}

/**
 * One section per piece of evidence: its heading as code, then its lines in a code block, every
 * character Slack would read as markup escaped, and as many lines as fit in a section.
 */
export function evidenceSections(evidence: Incident['evidence'], c: Catalog): SlackBlock[] {
  return evidenceBlocks(evidence).map((b) => {
    const head = `*${c.label.evidence}* ${code(b.heading)}`;
    const lines: string[] = [];
    for (const l of b.lines) {
      const next = escapeSlack(l).replace(/```/g, "'''");
      if (head.length + [...lines, next].join('\n').length + 10 > 3000) break;
      lines.push(next);
    }
    const more = b.more || lines.length < b.lines.length ? '\n…' : '';
    return { type: 'section', text: md(lines.length ? `${head}\n\`\`\`${lines.join('\n')}\`\`\`${more}` : `${head}${more}`) };
  });
}

function contentOf(n: Notification, c: Catalog): Content {
  switch (n.kind) {
    case 'execution.finished': return executionBlocks(n, c);
    case 'step.message': return messageBlocks(n, c);
    case 'incident': return incidentBlocks(n, c);
  }
}

const link = (url: string | undefined, c: Catalog): string => (url ? ` · <${url.replace(/[|>]/g, encodeURIComponent)}|${escapeSlack(c.label.details)}>` : '');

/** The incoming-webhook message for a notification (pure; exported for tests and previews). */
export function slackMessage(n: Notification, channel?: string, catalog: Catalog = catalogFor(undefined)): SlackMessage {
  const { blocks, detail } = contentOf(n, catalog);
  const text = escapeSlack(summaryLine(n, catalog));
  return {
    text, blocks,
    attachments: [{ color: severityColor[n.severity], fallback: text, blocks: detail }],
    ...(channel ? { channel } : {}),
  };
}

export const slackSender: Sender<ChannelMap['slack']> = {
  minIntervalMs: 1_000,
  prepare(channel, notification, { env, catalog }) {
    const url = readUrl(channel.webhookUrl, env, 'the Slack webhook URL');
    return postJson(url, slackMessage(notification, channel.channel, catalog));
  },
};
