// `uses: approval` — pauses the run until people decide. The step records what it asks (who may
// answer, how many must, until when, which values an approver may change), tells the channels
// through the approvals edge, and the run ends `waiting` with nothing held in memory:
// `pluginops approve|reject RUN`, the API or a Slack button takes it up later, in whichever
// process answers (runs/approvals/decide.ts). Approved, the step succeeds with the approver and the values
// as outputs; rejected, it fails.
import { Type } from '@sinclair/typebox';
import { Duration, MapOf, StringEnum } from '../../documents/schema/common.ts';
import { Parameter } from '../../documents/schema/workflow.ts';
import { parseDuration } from '../../engine/duration.ts';
import type { ApprovalParameter, ApprovalRecord } from '../../store/types.ts';
import { SuspendRun, defineStep } from '../../engine/step.ts';

export const ApprovalInputs = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, description: 'What is asked (default: "Approve <plan name>").' })),
  message: Type.Optional(Type.String({ description: 'More context for the approvers.' })),
  approvers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true, description: 'Who may answer (user names, token names or Slack user ids); anyone with write access when absent.' })),
  quorum: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'Distinct approvals needed (default 1); one rejection rejects.' })),
  timeout: Type.Optional(Duration),
  onTimeout: Type.Optional(StringEnum(['reject', 'approve'] as const, 'What a wait past `timeout` becomes (default reject).')),
  fourEyes: Type.Optional(Type.Boolean({ description: 'The person who started the run may not approve it (default false).' })),
  channels: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Channels told that a decision is needed; Slack channels get Approve / Reject / Modify buttons. The project\'s default notifications when absent, else `monitoring.notify`.' })),
  parameters: Type.Optional(MapOf(Parameter, 'Values an approver may change (Modify), typed like workflow parameters; the approved values are this step\'s outputs.')),
  modifiesParameters: Type.Optional(Type.Boolean({ description: 'Approved values replace the run\'s parameters (the plan-level approval does this).' })),
  current: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The values shown to approvers, e.g. `${{ params }}`; each parameter\'s `default` otherwise.' })),
  riskAtLeast: Type.Optional(StringEnum(['medium', 'high'] as const, 'Ask only when `risk` (the run\'s assessed level, `${{ risk.level }}`) is at least this; below it, or unknown, the step passes at once.')),
  risk: Type.Optional(Type.String({ description: 'The run\'s risk level, for `riskAtLeast` (default `${{ risk.level }}`).' })),
}, { additionalProperties: false });

const riskRank: Record<string, number> = { low: 0, medium: 1, high: 2 };

export const approvalStep = defineStep({
  description: 'Pauses the run until the listed approvers approve or reject it.',
  inputs: ApprovalInputs,
  async handler(ctx) {
    const i = ctx.inputs;
    if (i.riskAtLeast && (riskRank[i.risk ?? ''] ?? -1) < riskRank[i.riskAtLeast]!) {
      ctx.log(`risk ${i.risk || 'unknown'} is below ${i.riskAtLeast}: no approval needed`);
      ctx.setOutput('decision', 'not-needed');
      return;
    }
    const now = ctx.edges.clock.now();
    const approval: ApprovalRecord = {
      step: ctx.stepId,
      status: 'waiting',
      requestedAt: new Date(now).toISOString(),
      ...(i.timeout ? { deadline: new Date(now + parseDuration(i.timeout)).toISOString() } : {}),
      onTimeout: i.onTimeout ?? 'reject',
      ...(i.approvers ? { approvers: i.approvers } : {}),
      quorum: i.quorum ?? 1,
      fourEyes: i.fourEyes ?? false,
      title: i.title ?? `Approve ${ctx.workflow.name}`,
      ...(i.message ? { message: i.message } : {}),
      parameters: shown(i.parameters ?? {}, i.current ?? {}),
      ...(i.modifiesParameters ? { modifiesParameters: true } : {}),
      decisions: [],
    };
    const config = ctx.scope.project.config;
    // Absent: the project's default notifications, else the channels incidents go to.
    const channels = i.channels ?? config.defaults?.notifications ?? config.monitoring?.notify ?? [];
    if (channels.length > 0) approval.channels = channels;
    if (channels.length > 0) {
      await ctx.edges.approvals.request({
        channels, approval, executionId: ctx.executionId, plan: ctx.workflow.id, env: ctx.env, signal: ctx.signal,
        log: (m, level) => ctx.log(m, level),
      });
    }
    throw new SuspendRun(approval);
  },
});

/** The parameters with the values approvers see as their defaults. */
function shown(parameters: Record<string, ApprovalParameter>, current: Record<string, unknown>): Record<string, ApprovalParameter> {
  const out: Record<string, ApprovalParameter> = {};
  for (const [name, p] of Object.entries(parameters)) {
    const v = current[name];
    out[name] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? { ...p, default: v } : p;
  }
  return out;
}
