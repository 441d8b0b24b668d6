// Health checks: their state, uptime and recent results, their bucketed response times for
// charts, and running one now.
import { Type } from '@sinclair/typebox';
import type { CheckResult } from '../../monitor/checks/result.ts';
import type { CheckView } from '../../monitor/runtime/view.ts';
import { rangeSpec, ratio, type Uptime } from '../../monitor/history/rollups.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import { NoBody } from '../schemas/common.ts';
import type { Describes } from '../schemas/describes.ts';
import { CheckDetail, CheckRun, CheckSeries, ChecksQuery, CheckSummary, SeriesQuery, type CheckState } from '../schemas/monitor.ts';

const lastOf = (r: CheckResult) => ({
  at: r.at, ok: r.ok, durationMs: r.durationMs, ...(r.error !== undefined ? { error: r.error } : {}),
  failed: r.conditions.filter((c) => !c.ok).map((c) => c.expression),
});

export const summarizeCheck = ({ history: _h, last, ...rest }: CheckView, uptime?: Uptime) => ({ ...rest, ...(last ? { last: lastOf(last) } : {}), ...(uptime ? { uptime } : {}) });
true satisfies Describes<typeof CheckSummary, ReturnType<typeof summarizeCheck>>;

/** Paused wins; a check that has not run yet is pending; else its health. */
export const checkStateOf = (c: { paused?: unknown; last?: unknown; healthy: boolean }): CheckState =>
  c.paused ? 'paused' : !c.last ? 'pending' : c.healthy ? 'up' : 'down';

export const checkRoutes = [
  defineRoute({
    method: 'GET', path: '/api/checks', access: 'read', tag: 'checks', operationId: 'listChecks',
    summary: 'List health checks with their health and uptime',
    description: 'In the configuration\'s order. `state` keeps the checks in that state; `limit` and `offset` page them, and `X-Total-Count` says how many matched.',
    query: ChecksQuery,
    answer: {
      status: 200, description: 'The checks of the current configuration that match.', data: Type.Array(CheckSummary),
      headers: { 'X-Total-Count': 'How many checks match `state`, before `limit` and `offset`.' },
    },
    async handle({ deps, query }) {
      const now = deps.now();
      const matching = deps.monitor().checks().filter((c) => query.state === undefined || checkStateOf(c) === query.state);
      const offset = query.offset ?? 0;
      const page = matching.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
      return { data: page.map((c) => summarizeCheck(c, deps.history?.uptime(c.id, now))), headers: { 'x-total-count': String(matching.length) } };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/checks/{id}', access: 'read', tag: 'checks', operationId: 'getCheck',
    summary: 'One health check with its recent results',
    answer: { status: 200, description: 'The check and its history (oldest first).', data: CheckDetail },
    errors: ['notFound'],
    async handle({ deps, params }) {
      const view = deps.monitor().checks().find((c) => c.id === params.id);
      if (!view) throw new ApiError('notFound', `no HealthCheck \`${params.id}\``);
      const { last, ...rest } = view;
      const uptime = deps.history?.uptime(view.id, deps.now());
      return { data: { ...rest, ...(last ? { last: lastOf(last) } : {}), ...(uptime ? { uptime } : {}) } };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/checks/{id}/series', access: 'read', tag: 'checks', operationId: 'getCheckSeries',
    summary: 'A health check\'s results in buckets, for charts',
    description: 'Counts, successes and mean and slowest response times per hour (24h, 7d) or per UTC day (30d), kept 30 days across restarts.',
    query: SeriesQuery,
    answer: { status: 200, description: 'The buckets of the range, oldest first.', data: CheckSeries },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, params, query }) {
      if (!deps.monitor().hasCheck(params.id)) throw new ApiError('notFound', `no HealthCheck \`${params.id}\``);
      if (!deps.history) throw new ApiError('unavailable', 'this server keeps no check history');
      const range = query.range ?? '24h';
      const buckets = deps.history.series(params.id, range, deps.now());
      const up = ratio(buckets);
      return { data: { id: params.id, range, bucketMs: rangeSpec[range].bucketMs, ...(up === undefined ? {} : { uptime: up }), buckets } };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/checks/{id}/run', access: 'write', tag: 'checks', operationId: 'runCheck',
    summary: 'Run a health check now',
    description: 'Runs the probe once, counts it toward the check\'s thresholds and evaluates the rules that read it, like a scheduled run.',
    body: { kind: 'json', schema: NoBody, description: 'Nothing.' },
    answer: { status: 200, description: 'The result, and the check\'s health after it.', data: CheckRun },
    errors: ['notFound'],
    async handle({ deps, params }) {
      const monitor = deps.monitor();
      if (!monitor.hasCheck(params.id)) throw new ApiError('notFound', `no HealthCheck \`${params.id}\``);
      // Not tied to the request: a client that leaves must not turn the probe into a failure.
      const result = await monitor.runCheck(params.id);
      const view = monitor.checks().find((c) => c.id === params.id);
      return { data: { result, check: view ? summarizeCheck(view) : undefined }, message: `check ${params.id} ${result.ok ? 'ok' : 'FAILED'} in ${Math.round(result.durationMs)}ms` };
    },
  }),
];
