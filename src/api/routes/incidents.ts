// Incidents: list (by status, or `active` = not resolved), show one with its timeline, and the
// two things people do to them — acknowledge (escalation stops, optionally for a while) and
// resolve (with a resolution text). The incident model refuses mistakes as typed results; they
// answer 409 (the incident's state forbids it) or 422 (the request is wrong), with the model's
// code in `details.code`. The token's name is recorded as who did it.
import { Type } from '@sinclair/typebox';
import { parseDuration } from '../../engine/duration.ts';
import type { ChangeResult, Incident as IncidentModel } from '../../monitor/incidents/incident.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import type { Describes } from '../schemas/describes.ts';
import { Acknowledge, Incident, IncidentSummary, IncidentsQuery, Resolve } from '../schemas/monitor.ts';

/** An incident as the API shows it: without the escalation's bookkeeping. */
const shown = ({ escalation: _e, escalationStartedAt: _s, ...rest }: IncidentModel) => rest;
/** In lists, without the timeline and the evidence too. */
const summarize = (incident: IncidentModel) => { const { timeline: _t, evidence: _e, ...rest } = shown(incident); return rest; };
true satisfies Describes<typeof Incident, ReturnType<typeof shown>>;
true satisfies Describes<typeof IncidentSummary, ReturnType<typeof summarize>>;

function changed(r: ChangeResult | undefined, id: string): IncidentModel {
  if (!r) throw new ApiError('notFound', `no incident \`${id}\``);
  if (!r.ok) throw new ApiError(r.error.code === 'already-resolved' ? 'conflict' : 'invalid', r.error.message, { code: r.error.code });
  return r.incident;
}

export const incidentRoutes = [
  defineRoute({
    method: 'GET', path: '/api/incidents', access: 'read', tag: 'incidents', operationId: 'listIncidents',
    summary: 'List incidents',
    description: '`status=active` lists those not resolved. Resolved incidents are kept up to a bound (the newest 500).',
    query: IncidentsQuery,
    answer: { status: 200, description: 'Incidents, oldest first, without their timelines.', data: Type.Array(IncidentSummary) },
    async handle({ deps, query }) {
      const all = deps.monitor().incidents();
      const list = query.status === undefined ? all : all.filter((i) => (query.status === 'active' ? i.status !== 'resolved' : i.status === query.status));
      return { data: list.map(summarize), message: `${list.length} incident${list.length === 1 ? '' : 's'}` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/incidents/{id}', access: 'read', tag: 'incidents', operationId: 'getIncident',
    summary: 'One incident with its timeline',
    answer: { status: 200, description: 'The incident.', data: Incident },
    errors: ['notFound'],
    async handle({ deps, params }) {
      const incident = deps.monitor().incident(params.id);
      if (!incident) throw new ApiError('notFound', `no incident \`${params.id}\``);
      return { data: shown(incident) };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/incidents/{id}/acknowledge', access: 'write', tag: 'incidents', operationId: 'acknowledgeIncident',
    summary: 'Acknowledge an incident',
    body: { kind: 'json', schema: Acknowledge, description: 'Optionally, how long the acknowledgement holds.' },
    answer: { status: 200, description: 'The acknowledged incident.', data: Incident },
    errors: ['notFound', 'conflict'],
    async handle({ deps, params, body, caller }) {
      const by = caller.name ?? 'api';
      const timeoutMs = body.timeout === undefined ? undefined : parseDuration(body.timeout);
      const incident = changed(await deps.monitor().acknowledge(params.id, by, timeoutMs), params.id);
      deps.log(`incident ${params.id} acknowledged by ${by}`, 'info', { incident: params.id, by });
      return { data: shown(incident), message: `acknowledged by ${by}` };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/incidents/{id}/resolve', access: 'write', tag: 'incidents', operationId: 'resolveIncident',
    summary: 'Resolve an incident by hand',
    body: { kind: 'json', schema: Resolve, description: 'What was done.' },
    answer: { status: 200, description: 'The resolved incident; channels that were told it fired are told it is resolved.', data: Incident },
    errors: ['notFound', 'conflict'],
    async handle({ deps, params, body, caller }) {
      const by = caller.name ?? 'api';
      const incident = changed(await deps.monitor().resolve(params.id, by, body.resolution), params.id);
      deps.log(`incident ${params.id} resolved by ${by}`, 'info', { incident: params.id, by });
      return { data: shown(incident), message: `resolved by ${by}` };
    },
  }),
];
