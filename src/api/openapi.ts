// The OpenAPI 3.1 document, generated from the route table: every route's path parameters,
// query, body, success answer and possible errors come from the same definitions the router and
// the validators use, so the document cannot describe an API that differs from the one served.
//
// Errors a route may give are derived, not listed by hand: auth errors from its access, 400 for
// parameters (every route refuses an unknown query parameter), the body errors from having a
// body, plus the route's own (404, 409, …). Schemas used in several places are named once under
// `components.schemas` and referenced; schemas are published with standard keywords only
// (schema-publish.ts). Answers of 201 and 202 document the `Location` the server sends.
import type { TSchema } from '@sinclair/typebox';
import { ActionPlan, AlertRule, HealthCheck } from '../documents/schema/operations.ts';
import { Workflow } from '../documents/schema/workflow.ts';
import { allowedRequestHeaders } from './cors.ts';
import { grants } from './auth.ts';
import { mediaNames } from './body.ts';
import { problemKinds, type ProblemKind } from './errors.ts';
import { idPattern } from './ids.ts';
import type { Route, Tag } from './route.ts';
import { DocumentDiagnostic, ErrorBody, Problem, successEnvelope } from './schemas/common.ts';
import { ExecutionRecord, LogRecord, StepRecord } from './schemas/executions.ts';
import { Alert, CheckResult, Incident, IncidentSummary } from './schemas/monitor.ts';
import { locationFields, locationStatuses } from './location.ts';
import { publishSchema } from './schema-publish.ts';

export const apiVersion = '1.0.0';

/** Schemas named once in components and referenced wherever they occur. */
const named = new Map<object, string>([
  [ErrorBody, 'ErrorBody'], [Problem, 'Problem'], [DocumentDiagnostic, 'DocumentDiagnostic'],
  [Workflow, 'Workflow'], [ActionPlan, 'ActionPlan'], [HealthCheck, 'HealthCheck'], [AlertRule, 'AlertRule'], [ExecutionRecord, 'Execution'], [StepRecord, 'StepRecord'], [LogRecord, 'LogRecord'],
  [CheckResult, 'CheckResult'], [Alert, 'Alert'], [Incident, 'Incident'], [IncidentSummary, 'IncidentSummary'],
]);

const refs = (schema: unknown, top = true) => publishSchema(schema, named, top);

const tagDescriptions = {
  workflows: 'Workflow and ActionPlan documents: the project\'s and the shipped templates.',
  documents: 'The project\'s documents of every kind (Workflow, ActionPlan, HealthCheck, AlertRule): list, show, create, replace, delete; written as files.',
  executions: 'Runs of workflows and action plans: start, follow, read logs, cancel.',
  runs: 'Action plan runs: start from a template and data, approve or reject, retry.',
  remediation: 'Self-healing: what ran for which incident, feedback, learned patterns, circuit breakers.',
  statistics: 'Figures over executions, and deleting old ones.',
  checks: 'Health checks, their recent results, running one now.',
  alerts: 'Alerts of every rule and label set.',
  incidents: 'Incidents with their timelines: acknowledge, resolve.',
  metrics: 'Metric samples pushed by plugins and scripts.',
  status: 'The state of every component of the process.',
  controls: 'Run-time controls (admin scope to change): pause and resume monitoring, self-healing off and on, maintenance now.',
  optimization: 'Optimization: suggestions per plugin with evidence and confidence, apply through a runbook, the verified effect, automatic revert, history.',
  tasks: 'Tasks: work for workers, claimed by priority (raised by waiting) and capability; cancel, retry, and the reports workers send about the tasks they run.',
  workers: 'Workers: processes that register with capabilities, heartbeat, claim tasks (a long poll) and run them; drain, and their state.',
  meta: 'This document.',
} as const satisfies Record<Tag, string>;

/** Every error a route may answer, derived from its definition. */
export function routeProblems(r: Route): ProblemKind[] {
  const kinds = new Set<ProblemKind>();
  if (r.access !== 'public') kinds.add('unauthorized').add('forbidden');
  kinds.add('badRequest');
  if (r.body) kinds.add('badJson').add('tooLarge').add('mediaType').add('invalid');
  for (const k of r.errors ?? []) kinds.add(k);
  kinds.add('internal');
  return [...kinds];
}

const errorRef = { $ref: '#/components/schemas/ErrorBody' };

function errorResponses(r: Route): Record<string, unknown> {
  const byStatus = new Map<number, ProblemKind[]>();
  for (const k of routeProblems(r)) byStatus.set(problemKinds[k].status, [...(byStatus.get(problemKinds[k].status) ?? []), k]);
  return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, kinds]) => [String(status), {
    description: kinds.map((k) => `\`${problemKinds[k].code}\`: ${problemKinds[k].meaning}`).join('\n\n'),
    ...(status === 401 ? { headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer realm="pluginops"' } } } : {}),
    content: { 'application/json': { schema: errorRef } },
  }]));
}

function successResponses(r: Route): Record<string, unknown> {
  const a = r.answer;
  if ('stream' in a) {
    return { [String(a.status)]: { description: `${a.description} ${a.events}`, content: { [a.stream]: { schema: { type: 'string' } } } } };
  }
  const required = (a.data as { required?: string[] }).required ?? [];
  const missing = locationFields(a.location ?? '').filter((f) => !required.includes(f));
  if (missing.length) throw new Error(`${r.operationId}: Location ${a.location} reads ${missing.join(', ')}, which the answer does not always have`);
  const content = { 'application/json': { schema: refs(a.bare ? a.data : successEnvelope(a.data)) } };
  return Object.fromEntries([a.status, ...(a.alsoStatus ?? [])].map((s) => {
    const location = a.location !== undefined && locationStatuses.includes(s)
      ? { Location: { required: true, description: `\`${a.location}\`, relative to the server: ${s === 201 ? 'the resource created' : 'where to follow what was accepted'}.`, schema: { type: 'string', format: 'uri-reference' } } }
      : {};
    const headers = { ...location, ...Object.fromEntries(Object.entries(a.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) };
    return [String(s), { description: a.description, ...(Object.keys(headers).length ? { headers } : {}), content }];
  }));
}

function parameters(r: Route): unknown[] {
  const path = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1], in: 'path', required: true, description: 'Decoded, then checked before anything is read.', schema: { type: 'string', pattern: idPattern },
  }));
  const q = r.query as (TSchema & { properties?: Record<string, TSchema>; required?: string[] }) | undefined;
  const query = Object.entries(q?.properties ?? {}).map(([name, schema]) => ({
    name, in: 'query', required: q?.required?.includes(name) ?? false, ...(schema.description ? { description: schema.description } : {}), schema: refs(schema),
  }));
  return [...path, ...query];
}

function requestBody(r: Route): unknown {
  const b = r.body;
  if (!b) return undefined;
  const schema = refs(b.schema, false);
  const media = b.kind === 'json' ? ['application/json'] : mediaNames(b.media);
  const required = b.kind === 'document' || ((b.schema as { required?: string[] }).required?.length ?? 0) > 0;
  return { required, description: b.description, content: Object.fromEntries(media.map((m) => [m, { schema }])) };
}

const security = (r: Route) =>
  r.access === 'public' ? [] : grants(r.access).map((scope) => ({ bearer: [scope] }));

export function buildOpenApi(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const body = requestBody(r);
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.operationId, tags: [r.tag], summary: r.summary, ...(r.description ? { description: r.description } : {}),
      security: security(r), parameters: parameters(r), ...(body ? { requestBody: body } : {}),
      responses: { ...successResponses(r), ...errorResponses(r) },
      'x-pluginops-access': r.access,
    };
  }
  const codes = Object.values(problemKinds).map((p) => `| ${p.status} | \`${p.code}\` | ${p.meaning} |`).join('\n');
  const doc = {
    openapi: '3.1.0',
    info: {
      title: 'pluginops API',
      version: apiVersion,
      license: { name: 'MIT', identifier: 'MIT' },
      description: [
        'The HTTP API of `pluginops serve`: workflows, executions and their logs, statistics, health checks, alerts, incidents, pushed metrics and the status of the process.',
        'Every JSON answer is an envelope: `{ "success": true, "data": …, "message"?: … }`, or `{ "success": false, "message": …, "code": "E_…", "details"?: … }`. Branch on `code`; messages may change. No answer carries a stack trace. Secrets of the project are replaced by `***` in every answer.',
        `Errors:\n\n| status | code | meaning |\n|---|---|---|\n${codes}`,
        'A 201 or 202 answer carries `Location`: a path, relative to the server, where to read what was created or accepted.',
        'A path that names no route answers 404 `E_NOT_FOUND`; a route called with another method answers 405 `E_METHOD` with `Allow`. Unknown query parameters and unknown body fields are refused.',
        `Browsers: only origins listed in \`server.cors.origins\` get CORS headers; preflights may send ${allowedRequestHeaders}.`,
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'The origin this document is served from (`pluginops serve`, port 8080 by default).' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name, description: tagDescriptions[name] })),
    security: [{ bearer: ['read'] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http', scheme: 'bearer',
          description: 'A token from `server.tokens` in pluginops.yml (its value is read from the environment variable it names, at each request). Scopes (the role names in each operation\'s `security`): `read` for GET routes, `write` for every route that changes something; a `write` token may also read. With `server.anonymousRead: true`, reads need no token. Writes are refused (401) while no tokens are configured.',
        },
      },
      schemas: Object.fromEntries([...named].map(([schema, name]) => [name, refs(schema)])),
    },
  };
  return JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
}
