// An execution's logs: as one JSON list (from an index), or followed live as server-sent events
// until the execution finishes (sse.ts).
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors.ts';
import { defineRoute, streamed } from '../route.ts';
import { FromQuery, LogRecord, LogsQuery } from '../schemas/executions.ts';
import { followExecution, startIndex } from '../sse.ts';
import { streamCaller } from '../stream-slots.ts';

export const logRoutes = [
  defineRoute({
    method: 'GET', path: '/api/executions/{id}/logs', access: 'read', tag: 'executions', operationId: 'getExecutionLogs',
    summary: 'An execution\'s log records',
    description: 'Records `{ timestamp, level, step?, message }` in order, from index `from` (0-based); with `step`, only that step\'s; with `tail`, only the last ones. Secrets are masked. '
      + '`X-Next-From` is the index after the last record the log holds: pass it as `from` (here or to the stream) to continue.',
    query: LogsQuery,
    answer: {
      status: 200, description: 'The records from `from` on.', data: Type.Array(LogRecord),
      headers: { 'X-Next-From': 'The index after the last record of the log (whatever `step` and `tail` left out).' },
    },
    errors: ['notFound'],
    async handle({ deps, params, query }) {
      if (!(await deps.store.get(params.id))) throw new ApiError('notFound', `no execution \`${params.id}\``);
      const from = query.from ?? 0;
      const all = await deps.store.logs(params.id, from);
      const matching = query.step === undefined ? all : all.filter((l) => l.step === query.step);
      const logs = query.tail === undefined ? matching : matching.slice(-query.tail);
      return { data: logs, message: `${logs.length} record${logs.length === 1 ? '' : 's'} from ${from}`, headers: { 'x-next-from': String(from + all.length) } };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/executions/{id}/logs/stream', access: 'read', tag: 'executions', operationId: 'streamExecutionLogs',
    summary: 'Follow an execution as server-sent events',
    description: 'Honours `Last-Event-ID` (continues after that record) and `from`; with `step`, only that step\'s records are sent (their ids still count every record). The stream closes after `event: end`.',
    query: FromQuery,
    answer: {
      status: 200, stream: 'text/event-stream', description: 'An event stream.',
      events: '`event: status` (`{ status, currentStep? }`) first and on each change; `event: log` with `id: <index>` and a log record as data; `event: end` (`{ status }`) when the execution has finished, then the stream closes.',
    },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, params, query, req, res, mask, signal, caller }) {
      if (!(await deps.store.get(params.id))) throw new ApiError('notFound', `no execution \`${params.id}\``);
      const lastEventId = req.headers['last-event-id'];
      const release = deps.streams.take(streamCaller(caller, req));
      try {
        await followExecution(res, {
          store: deps.store, id: params.id, mask, signal,
          from: startIndex(typeof lastEventId === 'string' ? lastEventId : undefined, query.from),
          ...(query.step === undefined ? {} : { step: query.step }),
        });
      } finally { release(); }
      return streamed;
    },
  }),
];
