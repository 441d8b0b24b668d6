// Self-healing: what remediation did (records), feedback on an incident's remediation, the
// patterns learned from outcomes and feedback with the recommended plan, and the circuit
// breakers that stopped automatic remediation of a target (a person resets them).
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../route.ts';
import { Breaker, Feedback, Pattern, RemediationRecord, RemediationsQuery, PatternsQuery, ResetBreaker } from '../schemas/remediation.ts';

export const remediationRoutes = [
  defineRoute({
    method: 'GET', path: '/api/remediations', access: 'read', tag: 'remediation', operationId: 'listRemediations',
    summary: 'Remediations, oldest first',
    query: RemediationsQuery,
    answer: { status: 200, description: 'Matching remediation records.', data: Type.Array(RemediationRecord) },
    async handle({ deps, query }) {
      const list = deps.remediation().records(query);
      return { data: list, message: `${list.length} remediation${list.length === 1 ? '' : 's'}` };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/incidents/{id}/feedback', access: 'write', tag: 'remediation', operationId: 'remediationFeedback',
    summary: 'Say whether an incident\'s remediation helped',
    description: 'Counts toward the learned record of (rule or category, plugin, plan), which orders candidate plans. 404 for an unknown incident, 409 when it had no remediation, 422 for bad fields; `details.reason` names which.',
    body: { kind: 'json', schema: Feedback, description: 'Positive or negative, why, and what was expected.' },
    answer: { status: 200, description: 'The remediation with its feedback.', data: RemediationRecord },
    errors: ['notFound', 'conflict', 'invalid'],
    async handle({ deps, params, body, caller }) {
      const by = caller.name ?? 'api';
      const record = await deps.remediation().feedback(params.id, { ...body, by });
      deps.log(`feedback on incident ${params.id} by ${by}: ${body.positive ? 'positive' : 'negative'}`, 'info', { incident: params.id, by });
      return { data: record, message: `feedback recorded for ${record.plan}` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/remediation/patterns', access: 'read', tag: 'remediation', operationId: 'remediationPatterns',
    summary: 'What was learned: successes, failures and feedback per (rule or category, plugin, plan), with the recommended plan',
    query: PatternsQuery,
    answer: { status: 200, description: 'Patterns, best first within each scope.', data: Type.Array(Pattern) },
    async handle({ deps, query }) {
      const list = deps.remediation().patterns(query);
      return { data: list, message: `${list.length} pattern${list.length === 1 ? '' : 's'}` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/remediation/breakers', access: 'read', tag: 'remediation', operationId: 'remediationBreakers',
    summary: 'Open circuit breakers: targets where automatic remediation stopped',
    answer: { status: 200, description: 'Open or half-open breakers.', data: Type.Array(Breaker) },
    async handle({ deps }) {
      const list = deps.remediation().breakers();
      return { data: list, message: `${list.length} open breaker${list.length === 1 ? '' : 's'}` };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/remediation/breakers/reset', access: 'write', tag: 'remediation', operationId: 'resetBreaker',
    summary: 'Close the breaker of a plan on a target; automatic remediation resumes there',
    body: { kind: 'json', schema: ResetBreaker, description: 'The plan and the target.' },
    answer: { status: 200, description: 'The key\'s state afterwards (null when the guard held none).', data: Type.Union([Breaker, Type.Null()]) },
    errors: ['invalid'],
    async handle({ deps, body, caller }) {
      const by = caller.name ?? 'api';
      const state = await deps.remediation().resetBreaker(body.plan, body.target, by);
      deps.log(`breaker of ${body.plan} on ${body.target} reset by ${by}`, 'info', { plan: body.plan, target: body.target, by });
      return { data: state ?? null, message: `reset by ${by}` };
    },
  }),
];
