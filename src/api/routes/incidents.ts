// Incidents: list (by status, or `active` = not resolved; newest first, in pages behind a cursor),
// show one with its timeline, open one by hand (or join the open one with the same dedup key), and
// the two things people do to them — acknowledge (escalation stops, optionally for a while, with a
// note) and resolve (with a resolution text). The incident model refuses mistakes as typed
// results; they answer 409 (the incident's state forbids it) or 422 (the request is wrong), with
// the model's code in `details.code`. The token's name is recorded as who did it.
import { Type } from '@sinclair/typebox';
import { parseDuration } from '../../engine/duration.ts';
import type { ChangeResult, Incident as IncidentModel } from '../../monitor/incidents/incident.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import type { Describes } from '../schemas/describes.ts';
import { Acknowledge, Incident, IncidentSummary, Resolve } from '../schemas/monitor.ts';
import { defaultIncidentPage, IncidentsQuery, OpenIncident } from '../schemas/incidents.ts';
import { maxReportLogBytes } from '../../monitor/incidents/manual.ts';
import { newestFirst } from '../paging.ts';

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

type ListQuery = (typeof IncidentsQuery)['static'];

/** Whether `i` passes the list's filters (status, severity, category). */
function listed(i: IncidentModel, q: ListQuery): boolean {
  if (q.status !== undefined && (q.status === 'active' ? i.status === 'resolved' : i.status !== q.status)) return false;
  return (q.severity === undefined || i.severity === q.severity) && (q.category === undefined || i.category === q.category);
}

/** Where the next page is: its cursor, and the same request (filters kept) with it as a `Link`. */
function nextPage(query: ListQuery, cursor: string): Record<string, string> {
  const kept = (['status', 'severity', 'category', 'limit'] as const).flatMap((k) => (query[k] === undefined ? [] : [[k, String(query[k])]]));
  const next = new URLSearchParams([...kept, ['cursor', cursor]]);
  return { 'x-next-cursor': cursor, link: `</api/incidents?${next}>; rel="next"` };
}

export const incidentRoutes = [
  defineRoute({
    method: 'GET', path: '/api/incidents', access: 'read', tag: 'incidents', operationId: 'listIncidents',
    summary: 'List incidents, newest first',
    description: '`status=active` lists those not resolved; `severity` and `category` narrow the list further. Ordered by opening time, then id, newest first; at most `limit`. '
      + 'When more remain, `X-Next-Cursor` (and `Link` with `rel="next"`) gives the next page: pass it as `cursor`. Incidents opened since do not make a page repeat or skip one. '
      + 'Resolved incidents are kept up to a bound (the newest 500).',
    query: IncidentsQuery,
    answer: {
      status: 200, description: 'Incidents, newest first, without their timelines.', data: Type.Array(IncidentSummary),
      headers: { 'X-Next-Cursor': 'The `cursor` of the next page; absent on the last page.', Link: '`<…?cursor=…>; rel="next"`: the next page; absent on the last page.' },
    },
    async handle({ deps, query }) {
      const list = deps.monitor().incidents().filter((i) => listed(i, query));
      const page = newestFirst(list, (i) => ({ at: i.openedAt, id: i.id }), query.limit ?? defaultIncidentPage, query.cursor);
      return {
        data: page.items.map(summarize), message: `${page.items.length} incident${page.items.length === 1 ? '' : 's'}${page.next ? '; more remain' : ''}`,
        ...(page.next === undefined ? {} : { headers: nextPage(query, page.next) }),
      };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/incidents', access: 'write', tag: 'incidents', operationId: 'openIncident',
    summary: 'Open an incident by hand',
    description: 'A problem reported by a person. Its dedup key comes from `ruleId` (`manual` when absent) and `labels`: when an unresolved incident has the same key, '
      + 'the report joins it (200) instead of opening one (201). It notifies and escalates like an incident an alert opens, and when `ruleId` names an AlertRule with `remediate`, '
      + `remediation starts as for a firing alert. No alert stops firing for it, so it is not auto-resolved: it stays until resolved by hand (or by a remediation that verified). \`log\` (at most ${maxReportLogBytes / 1024} KiB) is kept as \`manual\` evidence, masked.`,
    body: { kind: 'json', schema: OpenIncident, description: 'What is wrong.' },
    answer: { status: 201, alsoStatus: [200], description: 'The incident: 201 when opened (`Location` names it), 200 when the report joined an open one.', data: Incident, location: '/api/incidents/{id}' },
    errors: ['notFound'],
    async handle({ deps, body, caller }) {
      const by = caller.name ?? 'api';
      if (body.log !== undefined && Buffer.byteLength(body.log, 'utf8') > maxReportLogBytes) {
        const message = `the log is ${Buffer.byteLength(body.log, 'utf8')} bytes; at most ${maxReportLogBytes} (${maxReportLogBytes / 1024} KiB) are taken`;
        throw new ApiError('invalid', message, [{ path: '/log', message }]);
      }
      const { incident, joined } = await deps.monitor().openIncident(body, by);
      deps.log(`incident ${incident.id} ${joined ? 'joined' : 'opened'} by ${by}`, 'info', { incident: incident.id, by, joined });
      return { status: joined ? 200 : 201, data: shown(incident), message: `${joined ? 'joined' : 'opened'} by ${by}` };
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
    body: { kind: 'json', schema: Acknowledge, description: 'Optionally, how long the acknowledgement holds, and a note for the timeline.' },
    answer: { status: 200, description: 'The acknowledged incident.', data: Incident },
    errors: ['notFound', 'conflict'],
    async handle({ deps, params, body, caller }) {
      const by = caller.name ?? 'api';
      const timeoutMs = body.timeout === undefined ? undefined : parseDuration(body.timeout);
      const incident = changed(await deps.monitor().acknowledge(params.id, by, timeoutMs, body.note), params.id);
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
