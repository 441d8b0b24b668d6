// Figures over the store's executions, and deleting old ones.
import { defineRoute } from '../route.ts';
import { Cleanup, CleanupAnswer, Stats, StatsQuery } from '../schemas/executions.ts';

export const statisticsRoutes = [
  defineRoute({
    method: 'GET', path: '/api/statistics', access: 'read', tag: 'statistics', operationId: 'getStatistics',
    summary: 'Execution statistics',
    description: 'Total, success rate (successful / finished, 0 to 1), average and 95th-percentile duration of finished executions, counts by status, and the same per workflow; with `days`, over the executions created in the last N UTC days, with the same figures per day. '
      + 'The figures are kept for a few seconds: executions another process changes may show up to 5 s late.',
    query: StatsQuery,
    answer: { status: 200, description: 'The figures.', data: Stats },
    async handle({ deps, query }) {
      return { data: await deps.store.stats(query, new Date(deps.now())) };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/cleanup', access: 'write', tag: 'statistics', operationId: 'cleanup',
    summary: 'Delete finished executions older than N days',
    body: { kind: 'json', schema: Cleanup, description: 'The age, in whole days.' },
    answer: { status: 200, description: 'How many were deleted.', data: CleanupAnswer },
    async handle({ deps, body, caller }) {
      const deleted = await deps.store.cleanup(body.days, new Date(deps.now()));
      deps.log(`cleanup: ${deleted} execution${deleted === 1 ? '' : 's'} older than ${body.days} days deleted`, 'info', { deleted, days: body.days, by: caller.name });
      return { data: { deleted }, message: `${deleted} deleted` };
    },
  }),
];
