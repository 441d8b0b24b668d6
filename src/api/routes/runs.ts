// Action plan runs: start one from a template and data, list them by status and category, show
// one, decide on one that waits for approval (the token's name is who decides), retry the
// failed steps of one. Decisions that are refused answer 403 (not an approver, four eyes), 409
// (not waiting, answered twice) or 422 (values of the wrong type), with the reason in
// `details.reason`.
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import { NoBody } from '../schemas/common.ts';
import { ExecutionRecord } from '../schemas/executions.ts';
import { Approve, Decision, RunStarted, RunsQuery, StartRun } from '../schemas/runs.ts';

const who = (name: string | undefined) => name ?? 'api';

/** Approve (with `values`: Modify) or reject a waiting run, as the token's name. */
function decisionRoute(decision: 'approve' | 'reject') {
  return defineRoute({
    method: 'POST', path: `/api/runs/{id}/${decision}`, access: 'write', tag: 'runs', operationId: `${decision}Run`,
    summary: decision === 'approve' ? 'Approve a waiting run (with `values`: Modify)' : 'Reject a waiting run; it ends failed',
    description: decision === 'approve'
      ? 'Recorded with the token\'s name, the time, the comment and the values. Once the quorum is reached the rest of the run starts in the background on this server.'
      : 'Recorded with the token\'s name, the time and the comment; the run ends failed and nothing after the approval runs.',
    body: { kind: 'json', schema: Approve, description: decision === 'approve' ? 'An optional comment and changed values.' : 'An optional comment (why); `values` are refused.' },
    answer: { status: 200, description: 'The decision and the run as it stands.', data: Decision },
    errors: ['notFound', 'forbidden', 'conflict', 'invalid'],
    async handle({ params, body, caller, deps }) {
      const { decided, record } = await deps.runs.decide(params.id, {
        decision, by: who(caller.name), via: 'api', ...(body.comment !== undefined ? { comment: body.comment } : {}),
        ...(body.values ? { values: body.values } : {}), ...(body.step ? { step: body.step } : {}),
      });
      deps.log(`run ${params.id} ${decided.outcome} by ${decided.decision.by}`, 'info', { execution: params.id, by: decided.decision.by, outcome: decided.outcome });
      return { data: { outcome: decided.outcome, decision: decided.decision, run: record }, message: `run ${params.id} ${decided.outcome}` };
    },
  });
}

export const runRoutes = [
  defineRoute({
    method: 'POST', path: '/api/runs', access: 'write', tag: 'runs', operationId: 'startRun',
    summary: 'Run an action plan from a template and data',
    description: 'Checked like `pluginops run ID --data JSON`, recorded with the token\'s name as the requester, then run in the background. A plan that requires approval stops `waiting`. A run whose concurrency key is held by another pending, running or waiting run is refused (409, `details.reason: E_CONCURRENCY`).',
    body: { kind: 'json', schema: StartRun, description: 'The template and its data.' },
    answer: { status: 202, description: 'Recorded; running in the background. `Location` names the run.', data: RunStarted, location: '/api/runs/{id}' },
    errors: ['notFound', 'conflict', 'unavailable'],
    async handle({ deps, body, caller }) {
      const { id, workflow } = await deps.runs.start({
        plan: body.templateId, data: body.data ?? {}, plugin: body.plugin, requestedBy: who(caller.name),
        ...(body.requireApproval ? { requireApproval: true } : {}),
      });
      return { status: 202, data: { id, status: 'pending', templateId: workflow }, message: `run ${id} of ${workflow} started by ${who(caller.name)}` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/runs', access: 'read', tag: 'runs', operationId: 'listRuns',
    summary: 'List action plan runs, newest first',
    query: RunsQuery,
    answer: { status: 200, description: 'Matching runs.', data: Type.Array(ExecutionRecord) },
    async handle({ deps, query }) {
      const list = await deps.store.list({ kind: 'ActionPlan', status: query.status, category: query.category, workflow: query.templateId, limit: query.limit ?? 50 });
      return { data: list, message: `${list.length} run${list.length === 1 ? '' : 's'}` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/runs/{id}', access: 'read', tag: 'runs', operationId: 'getRun',
    summary: 'One run with its steps, approvals and decisions',
    answer: { status: 200, description: 'The run.', data: ExecutionRecord },
    errors: ['notFound'],
    async handle({ deps, params }) {
      const record = await deps.store.get(params.id);
      if (!record) throw new ApiError('notFound', `no run \`${params.id}\``);
      return { data: record };
    },
  }),
  decisionRoute('approve'),
  decisionRoute('reject'),
  defineRoute({
    method: 'POST', path: '/api/runs/{id}/retry', access: 'write', tag: 'runs', operationId: 'retryRun',
    summary: 'Run the failed steps of a finished run again',
    description: 'Successful steps are kept with their outputs; failed, cancelled and skipped ones run again. Only failed, timed out, cancelled or interrupted runs (409 otherwise).',
    body: { kind: 'json', schema: NoBody, description: 'Nothing.' },
    answer: { status: 202, description: 'Taken up; running in the background. `Location` names the run.', data: RunStarted, location: '/api/runs/{id}' },
    errors: ['notFound', 'conflict', 'unavailable'],
    async handle({ deps, params, caller }) {
      const { id, workflow } = await deps.runs.retry(params.id, who(caller.name));
      return { status: 202, data: { id, status: 'pending', templateId: workflow }, message: `run ${id} retried by ${who(caller.name)}` };
    },
  }),
];
