// Health checks: their state, their recent results, and running one now.
import { Type } from '@sinclair/typebox';
import type { CheckResult } from '../../monitor/checks/result.ts';
import type { CheckView } from '../../monitor/runtime/view.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import { NoBody } from '../schemas/common.ts';
import type { Describes } from '../schemas/describes.ts';
import { CheckDetail, CheckRun, CheckSummary } from '../schemas/monitor.ts';

const lastOf = (r: CheckResult) => ({
  at: r.at, ok: r.ok, durationMs: r.durationMs, ...(r.error !== undefined ? { error: r.error } : {}),
  failed: r.conditions.filter((c) => !c.ok).map((c) => c.expression),
});

export const summarizeCheck = ({ history: _h, last, ...rest }: CheckView) => ({ ...rest, ...(last ? { last: lastOf(last) } : {}) });
true satisfies Describes<typeof CheckSummary, ReturnType<typeof summarizeCheck>>;

export const checkRoutes = [
  defineRoute({
    method: 'GET', path: '/api/checks', access: 'read', tag: 'checks', operationId: 'listChecks',
    summary: 'List health checks with their health',
    answer: { status: 200, description: 'Every check of the current configuration.', data: Type.Array(CheckSummary) },
    async handle({ deps }) {
      return { data: deps.monitor().checks().map(summarizeCheck) };
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
      return { data: { ...rest, ...(last ? { last: lastOf(last) } : {}) } };
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
