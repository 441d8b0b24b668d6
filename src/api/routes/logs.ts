// An execution's logs: as one JSON list (from an index), or followed live as server-sent events
// until the execution finishes (sse.ts).
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors.ts';
import { defineRoute, streamed } from '../route.ts';
import { FromQuery, LogRecord } from '../schemas/executions.ts';
import { followExecution, startIndex } from '../sse.ts';

export const logRoutes = [
  defineRoute({
    method: 'GET', path: '/api/executions/{id}/logs', access: 'read', tag: 'executions', operationId: 'getExecutionLogs',
    summary: 'An execution\'s log records',
    description: 'Records `{ timestamp, level, step?, message }` in order, from index `from` (0-based). Secrets are masked.',
    query: FromQuery,
    answer: { status: 200, description: 'The records from `from` on.', data: Type.Array(LogRecord) },
    errors: ['notFound'],
    async handle({ deps, params, query }) {
      if (!(await deps.store.get(params.id))) throw new ApiError('notFound', `no execution \`${params.id}\``);
      const from = query.from ?? 0;
      const logs = await deps.store.logs(params.id, from);
      return { data: logs, message: `${logs.length} record${logs.length === 1 ? '' : 's'} from ${from}` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/executions/{id}/logs/stream', access: 'read', tag: 'executions', operationId: 'streamExecutionLogs',
    summary: 'Follow an execution as server-sent events',
    description: 'Honours `Last-Event-ID` (continues after that record) and `from`. The stream closes after `event: end`.',
    query: FromQuery,
    answer: {
      status: 200, stream: 'text/event-stream', description: 'An event stream.',
      events: '`event: status` (`{ status, currentStep? }`) first and on each change; `event: log` with `id: <index>` and a log record as data; `event: end` (`{ status }`) when the execution has finished, then the stream closes.',
    },
    errors: ['notFound'],
    async handle({ deps, params, query, req, res, mask, signal }) {
      if (!(await deps.store.get(params.id))) throw new ApiError('notFound', `no execution \`${params.id}\``);
      const lastEventId = req.headers['last-event-id'];
      await followExecution(res, {
        store: deps.store, id: params.id, mask, signal,
        from: startIndex(typeof lastEventId === 'string' ? lastEventId : undefined, query.from),
      });
      return streamed;
    },
  }),
];
