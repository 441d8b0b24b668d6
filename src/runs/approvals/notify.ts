// Telling people that a run waits for them, and what was decided. Slack channels get the
// interactive message (Approve / Reject / Modify buttons, approvals/slack.ts) posted to their
// webhook; every other channel gets a plain message naming the commands. Nothing here throws:
// a channel that cannot be reached is logged, and the run waits all the same.
import { approvalMessage, outcomeMessage, type ApprovalSlackMessage } from './slack.ts';
import type { ChannelDoc, ProjectDoc } from '../../documents/schema/project.ts';
import type { Clock } from '../../engine/clock.ts';
import { postJson, readUrl } from '../../notify/channels/http.ts';
import type { StepMessage } from '../../notify/message.ts';
import { expandChannel, sendToChannels } from '../../notify/send.ts';
import { maskDeep, projectMask } from '../../engine/mask.ts';
import type { ApprovalsEdge } from '../../engine/step.ts';
import type { ApprovalDecision, ApprovalRecord, LogLevel } from '../../store/types.ts';
import type { IncidentBrief } from '../../store/incident-brief.ts';
import { evidenceText } from '../../notify/channels/evidence.ts';

export interface ApprovalNotifyDeps {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  env: Record<string, string | undefined>;
  config: ProjectDoc;
  signal?: AbortSignal;
  log: (message: string, level?: LogLevel) => void;
}

export interface RunRef {
  executionId: string;
  plan: string;
  requestedBy?: string;
  /** The incident a self-healing run answers: approvers see it. */
  incident?: IncidentBrief;
}

const postTimeoutMs = 10_000;

/** The approvals edge of a run: the approval step's requests go out through `notifyApproval`. */
export function approvalsEdge(deps: Pick<ApprovalNotifyDeps, 'fetch' | 'clock' | 'config'> & { incident?: IncidentBrief }): ApprovalsEdge {
  const { incident, ...notify } = deps;
  return {
    request: (r) => notifyApproval(r.channels, r.approval, { executionId: r.executionId, plan: r.plan, ...(incident ? { incident } : {}) }, { ...notify, env: r.env, signal: r.signal, log: r.log }),
  };
}

export async function notifyApproval(names: readonly string[], approval: ApprovalRecord, run: RunRef, deps: ApprovalNotifyDeps): Promise<void> {
  const parameters = Object.fromEntries(Object.entries(approval.parameters).map(([k, p]) => [k, p.default ?? '']));
  const slack = approvalMessage({
    runId: run.executionId, plan: run.plan, title: approval.title, requester: run.requestedBy ?? 'pluginops',
    parameters, locale: deps.config.locale, ...(run.incident ? { incident: run.incident } : {}),
  });
  const text = [
    ...(run.incident ? [incidentLines(run.incident)] : []),
    approval.message ?? '',
    `Run ${run.executionId} of ${run.plan} waits for approval${approval.approvers ? ` by ${approval.approvers.join(', ')}` : ''}${approval.quorum > 1 ? ` (${approval.quorum} needed)` : ''}${approval.deadline ? ` until ${approval.deadline}` : ''}.`,
    `Answer with: pluginops approve ${run.executionId} (or reject).`,
  ].filter(Boolean).join('\n');
  await send(names, slack, { title: approval.title, text, severity: 'warning' }, run, deps);
}

/** The incident in plain words, for channels without the Slack message. */
function incidentLines(i: IncidentBrief): string {
  const evidence = evidenceText(i.evidence);
  return [`Incident: ${i.title} (${i.severity}, since ${i.openedAt})`, ...(evidence ? [evidence] : [])].join('\n');
}

export async function notifyDecision(names: readonly string[], approval: ApprovalRecord, decision: ApprovalDecision, run: RunRef, deps: ApprovalNotifyDeps): Promise<void> {
  const slack = decisionMessage(approval, decision, run.executionId, deps.config.locale);
  const verb = decision.decision === 'approve' ? 'approved' : decision.decision === 'reject' ? 'rejected' : 'timed out';
  const text = `Run ${run.executionId} of ${run.plan} ${verb} by ${decision.by}${decision.comment ? `: ${decision.comment}` : ''}.`;
  await send(names, slack, { title: approval.title, text, severity: decision.decision === 'approve' ? 'success' : 'danger' }, run, deps);
}

/** The Slack message that shows a decision (it replaces the buttons when answered in Slack). */
export function decisionMessage(approval: ApprovalRecord, decision: ApprovalDecision, runId: string, locale?: ProjectDoc['locale']): ApprovalSlackMessage {
  const values = decision.values ? Object.fromEntries(Object.entries(decision.values).map(([k, v]) => [k, String(v)])) : undefined;
  return outcomeMessage({
    runId, title: approval.title, decision: decision.decision === 'approve' ? (values ? 'modify' : 'approve') : 'reject',
    user: { id: decision.by, name: decision.by }, atMs: Date.parse(decision.at),
    ...(decision.comment ? { comment: decision.comment } : decision.decision === 'timeout' ? { comment: 'no decision before the deadline' } : {}),
    ...(values ? { values } : {}), locale,
  });
}

async function send(names: readonly string[], unmaskedSlack: ApprovalSlackMessage, unmaskedPlain: Pick<StepMessage, 'title' | 'text' | 'severity'>, run: RunRef, deps: ApprovalNotifyDeps): Promise<void> {
  // Parameter values and comments may hold a secret the project names: never in a message.
  const mask = projectMask(deps.config, deps.env);
  const slack = maskDeep(unmaskedSlack, mask);
  const plain = { ...unmaskedPlain, title: mask(unmaskedPlain.title), text: mask(unmaskedPlain.text) };
  const others: string[] = [];
  const posts: Array<Promise<void>> = [];
  const channels = deps.config.channels ?? {};
  // An unknown name stays as it is, so the send reports it.
  for (const name of new Set(names.flatMap((n) => { const found = expandChannel(n, channels); return found.length ? found : [n]; }))) {
    const channel = channels[name];
    if (channel?.type === 'slack') posts.push(postSlack(name, channel, slack, deps));
    else others.push(name);
  }
  if (others.length) {
    const message: StepMessage = { kind: 'step.message', ...plain, executionId: run.executionId, step: 'approval', at: new Date(deps.clock.now()).toISOString() };
    posts.push(sendToChannels(others, deps.config.channels, message, { fetch: deps.fetch, clock: deps.clock, env: deps.env, locale: deps.config.locale, publicUrl: deps.config.server?.publicUrl, log: deps.log, ...(deps.signal ? { signal: deps.signal } : {}) }).then(() => undefined));
  }
  await Promise.all(posts);
}

async function postSlack(name: string, channel: Extract<ChannelDoc, { type: 'slack' }>, message: ApprovalSlackMessage, deps: ApprovalNotifyDeps): Promise<void> {
  try {
    const url = readUrl(channel.webhookUrl, deps.env, `channels.${name}.webhookUrl`);
    await postSlackJson(url, { ...message, ...(channel.channel ? { channel: channel.channel } : {}) }, deps.fetch);
  } catch (e) {
    deps.log(`could not ask ${name} for approval: ${(e as Error).message}`, 'warn');
  }
}

/** One POST of a Slack message (a webhook, or an interaction's response_url); throws on a failure. */
export async function postSlackJson(url: string, body: unknown, fetch: typeof globalThis.fetch): Promise<void> {
  const outcome = await postJson(url, body)({ fetch, signal: AbortSignal.timeout(postTimeoutMs) });
  if (!outcome.ok) throw new Error(`Slack answered ${outcome.error}`);
}
