// Executions: start one (it runs in this process, in the background), list them, show one, and
// ask one to stop. Logs and their live stream are in logs.ts.
import { Type } from '@sinclair/typebox';
import { finishedStatuses } from '../../store/types.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import { CancelAnswer, ExecutionRecord, ListQuery, StartExecution, Started } from '../schemas/executions.ts';
import { NoBody } from '../schemas/common.ts';
import { newestFirst } from '../paging.ts';

/** Where the next page is: its cursor, and the same request with it as a `Link`. */
function nextPage(query: Record<string, string | number | undefined>, cursor: string): Record<string, string> {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, cursor })) if (v !== undefined) next.set(k, String(v));
  return { 'x-next-cursor': cursor, link: `</api/executions?${next}>; rel="next"` };
}

/** A `since`/`until` time as ms; validated as date-time by the query schema. */
const ms = (at: string | undefined): number | undefined => (at === undefined ? undefined : Date.parse(at));

export const executionRoutes = [
  defineRoute({
    method: 'POST', path: '/api/executions', access: 'write', tag: 'executions', operationId: 'startExecution',
    summary: 'Run a workflow or action plan',
    description: 'Validated, recorded as `pending`, then run in the background by this server like `pluginops run ID`. Follow it with `GET /api/executions/{id}/logs/stream`.',
    body: { kind: 'json', schema: StartExecution, description: 'What to run.' },
    answer: { status: 202, description: 'Recorded; running in the background. `Location` names the execution. A workflow\'s answer carries `risk`, its failure risk assessed before it started (docs/risk.md).', data: Started, location: '/api/executions/{id}' },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, body, caller }) {
      const { id, workflow, risk } = await deps.runs.start({
        plan: body.workflow, data: body.parameters ?? {}, plugin: body.plugin, ...(caller.name ? { requestedBy: caller.name } : {}),
      });
      return {
        status: 202, data: { id, status: 'pending', workflow, ...(risk ? { risk } : {}) },
        message: `execution ${id} of ${workflow} started${caller.name ? ` by ${caller.name}` : ''}${risk ? `; risk ${risk.level}${risk.score === null ? '' : ` (${risk.score})`}` : ''}`,
      };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/executions', access: 'read', tag: 'executions', operationId: 'listExecutions',
    summary: 'List executions, newest first',
    description: '`plugin` matches the plugin\'s manifest id, its directory or a plan\'s `plugin` parameter; `since`/`until` bound the creation time. Ordered by creation time, then id, newest first; at most `limit`. '
      + 'When more remain, `X-Next-Cursor` (and `Link` with `rel="next"`) gives the next page: pass it as `cursor` with the same filters. Executions started since do not make a page repeat or skip one.',
    query: ListQuery,
    answer: {
      status: 200, description: 'Matching executions.', data: Type.Array(ExecutionRecord),
      headers: { 'X-Next-Cursor': 'The `cursor` of the next page; absent on the last page.', Link: '`<…?cursor=…>; rel="next"`: the next page; absent on the last page.' },
    },
    async handle({ deps, query }) {
      const { cursor, limit = 50, since, until, ...filter } = query;
      const all = await deps.store.list({ ...filter, since: ms(since), until: ms(until) });
      const page = newestFirst(all, (r) => ({ at: Date.parse(r.createdAt), id: r.id }), limit, cursor);
      return {
        data: page.items, message: `${page.items.length} execution${page.items.length === 1 ? '' : 's'}${page.next ? '; more remain' : ''}`,
        ...(page.next === undefined ? {} : { headers: nextPage({ ...filter, since, until, limit: query.limit }, page.next) }),
      };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/executions/{id}', access: 'read', tag: 'executions', operationId: 'getExecution',
    summary: 'Show one execution with its steps',
    answer: { status: 200, description: 'The execution.', data: ExecutionRecord },
    errors: ['notFound'],
    async handle({ deps, params }) {
      const record = await deps.store.get(params.id);
      if (!record) throw new ApiError('notFound', `no execution \`${params.id}\``);
      return { data: record };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/executions/{id}/cancel', access: 'write', tag: 'executions', operationId: 'cancelExecution',
    summary: 'Ask a pending, running or waiting execution to stop',
    description: 'Works for executions run by this server (stopped at once) and by other processes on the same store (they look for the request every 250 ms); one waiting for approval is cancelled at once.',
    body: { kind: 'json', schema: NoBody, description: 'Nothing.' },
    answer: { status: 202, description: 'The request is recorded; the status becomes `cancelled` once the steps have stopped (`Location` names the execution).', data: CancelAnswer, location: '/api/executions/{id}' },
    errors: ['notFound', 'conflict'],
    async handle({ deps, params, caller }) {
      const record = await deps.store.get(params.id);
      if (!record) throw new ApiError('notFound', `no execution \`${params.id}\``);
      if (finishedStatuses.includes(record.status)) {
        throw new ApiError('conflict', `execution ${params.id} already finished (${record.status})`, { reason: 'finished', status: record.status });
      }
      await deps.store.requestCancel(params.id, caller.name ?? 'api');
      deps.runs.cancel(params.id);
      deps.log(`execution ${params.id} cancel requested${caller.name ? ` by ${caller.name}` : ''}`, 'info', { execution: params.id, by: caller.name });
      const status = (await deps.store.get(params.id))?.status ?? record.status;
      return { status: 202, data: { id: params.id, status, cancelRequested: true }, message: `execution ${params.id}: cancel requested${caller.name ? ` by ${caller.name}` : ''}` };
    },
  }),
];
