// Decisions on a waiting run, as a pure function of the run's record: who may answer, four
// eyes, duplicates, quorum, the values Modify carries (typed by the approval's parameters), and
// the timeout. The caller writes what comes back, under the run's lock (runs/service.ts).
import { ParameterError, resolveParameters } from '../../engine/parameters.ts';
import type { ApprovalDecision, ApprovalRecord, DecisionChannel, ExecutionRecord } from '../../store/types.ts';
import { PluginopsError } from '../../errors/base.ts';
import type { ErrorKind } from '../../errors/kinds.ts';

export interface DecisionInput {
  decision: 'approve' | 'reject';
  by: string;
  via: DecisionChannel;
  comment?: string;
  /** Modify: values for the approval's parameters (strings from a form or the command line are converted). */
  values?: Record<string, unknown>;
  /** Names the approval step when a run waits at several (rare); the only waiting one otherwise. */
  step?: string;
  /** Other names of the same person (a Slack user's id and name): four eyes and duplicates look at all. */
  aliases?: readonly string[];
}

export type DecisionErrorCode =
  | 'E_NOT_WAITING' | 'E_NOT_APPROVER' | 'E_FOUR_EYES' | 'E_DUPLICATE' | 'E_INVALID_VALUES' | 'E_BAD_DECISION';

/** Answering what does not wait (or twice) is refused; who may not answer is forbidden; bad values are unacceptable. */
const decisionKinds: Record<DecisionErrorCode, ErrorKind> = {
  E_NOT_WAITING: 'refused', E_DUPLICATE: 'refused', E_NOT_APPROVER: 'forbidden', E_FOUR_EYES: 'forbidden',
  E_INVALID_VALUES: 'unacceptable', E_BAD_DECISION: 'unacceptable',
};

export class DecisionError extends PluginopsError {
  readonly kind: ErrorKind;
  constructor(readonly code: DecisionErrorCode, message: string) {
    super(message);
    this.kind = decisionKinds[code];
  }
}

export interface Decided {
  approval: ApprovalRecord;
  decision: ApprovalDecision;
  /** `waiting` while the quorum is not reached yet. */
  outcome: 'waiting' | 'approved' | 'rejected';
  /** The step's outputs once approved: who approved, and the values. */
  outputs: Record<string, string>;
  /** The run's new parameters, when an approved plan-level approval changed them. */
  parameters?: Record<string, unknown>;
}

const maxComment = 2_000;

/** The approval a decision is about; a DecisionError when the run does not wait for one. */
export function waitingApproval(record: ExecutionRecord, step?: string): ApprovalRecord {
  if (record.status !== 'waiting') throw new DecisionError('E_NOT_WAITING', `run ${record.id} is ${record.status}, not waiting for approval`);
  const open = Object.values(record.approvals ?? {}).filter((a) => a.status === 'waiting' && (step === undefined || a.step === step));
  if (open.length === 0) throw new DecisionError('E_NOT_WAITING', `run ${record.id} has no approval waiting${step ? ` at step ${step}` : ''}`);
  if (open.length > 1) throw new DecisionError('E_NOT_WAITING', `run ${record.id} waits at ${open.map((a) => a.step).join(', ')}; name the step`);
  return open[0]!;
}

export function decide(record: ExecutionRecord, input: DecisionInput, now: number): Decided {
  const approval = waitingApproval(record, input.step);
  const by = input.by.trim();
  if (!by) throw new DecisionError('E_BAD_DECISION', 'a decision needs the name of who takes it');
  if (input.decision !== 'approve' && input.decision !== 'reject') throw new DecisionError('E_BAD_DECISION', `unknown decision ${JSON.stringify(input.decision)}; expected approve or reject`);
  if (input.comment !== undefined && input.comment.length > maxComment) throw new DecisionError('E_BAD_DECISION', `the comment is longer than ${maxComment} characters`);
  if (approval.approvers && !approval.approvers.includes(by)) {
    throw new DecisionError('E_NOT_APPROVER', `${by} is not an approver of run ${record.id}; approvers: ${approval.approvers.join(', ')}`);
  }
  const names = new Set([by, ...(input.aliases ?? [])]);
  if (approval.fourEyes && input.decision === 'approve' && record.requestedBy !== undefined && names.has(record.requestedBy)) {
    throw new DecisionError('E_FOUR_EYES', `${by} started run ${record.id} and may not approve it (four eyes)`);
  }
  if (approval.decisions.some((d) => names.has(d.by))) throw new DecisionError('E_DUPLICATE', `${by} already answered run ${record.id}`);
  let values: Record<string, unknown> | undefined;
  if (input.values && Object.keys(input.values).length > 0) {
    if (input.decision !== 'approve') throw new DecisionError('E_INVALID_VALUES', 'values can only come with an approval (Modify)');
    values = checkValues(approval, input.values);
  }
  const decision: ApprovalDecision = {
    by, at: new Date(now).toISOString(), decision: input.decision, via: input.via,
    ...(input.comment?.trim() ? { comment: input.comment.trim() } : {}), ...(values ? { values } : {}),
  };
  return conclude(record, approval, decision);
}

/** The timeout's decision, when the wait is past its deadline; undefined otherwise. */
export function expire(record: ExecutionRecord, now: number): Decided | undefined {
  if (record.status !== 'waiting') return undefined;
  const approval = Object.values(record.approvals ?? {}).find((a) => a.status === 'waiting' && a.deadline !== undefined && Date.parse(a.deadline) <= now);
  if (!approval) return undefined;
  const decision: ApprovalDecision = { by: 'timeout', at: new Date(now).toISOString(), decision: 'timeout', via: 'timeout', comment: `no decision by ${approval.deadline}; ${approval.onTimeout === 'approve' ? 'approved' : 'rejected'} as configured` };
  return conclude(record, approval, decision);
}

function conclude(record: ExecutionRecord, approval: ApprovalRecord, decision: ApprovalDecision): Decided {
  const decisions = [...approval.decisions, decision];
  const approvals = decisions.filter((d) => d.decision === 'approve');
  const rejected = decision.decision === 'reject' || (decision.decision === 'timeout' && approval.onTimeout === 'reject');
  const approved = !rejected && (decision.decision === 'timeout' || approvals.length >= approval.quorum);
  const outcome = rejected ? 'rejected' : approved ? 'approved' : 'waiting';
  const next: ApprovalRecord = { ...approval, decisions, status: outcome };
  // The values an approver changed last win; the others keep what the approvers were shown.
  const values: Record<string, unknown> = Object.fromEntries(Object.entries(approval.parameters).flatMap(([k, p]) => (p.default === undefined ? [] : [[k, p.default]])));
  for (const d of approvals) Object.assign(values, d.values);
  const outputs: Record<string, string> = outcome === 'approved'
    ? { approved: 'true', approvedBy: approvals.map((d) => d.by).join(',') || decision.by, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) }
    : {};
  const changed = approvals.some((d) => d.values);
  return {
    approval: next, decision, outcome, outputs,
    ...(outcome === 'approved' && approval.modifiesParameters && changed ? { parameters: { ...record.parameters, ...values } } : {}),
  };
}

function checkValues(approval: ApprovalRecord, given: Record<string, unknown>): Record<string, unknown> {
  const declared = approval.parameters;
  const names = Object.keys(declared);
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) {
      throw new DecisionError('E_INVALID_VALUES', names.length ? `\`${name}\` cannot be changed; an approver may change: ${names.join(', ')}` : `\`${name}\` cannot be changed; this approval has no values to modify`);
    }
  }
  try {
    // Only the given names are checked (others keep their values); required/enum/type apply.
    const only = Object.fromEntries(Object.entries(declared).filter(([k]) => Object.hasOwn(given, k)).map(([k, p]) => [k, { ...p, default: undefined }]));
    return resolveParameters(only, given);
  } catch (e) {
    if (e instanceof ParameterError) throw new DecisionError('E_INVALID_VALUES', e.message.replace(/^parameter/, 'value'));
    throw e;
  }
}
