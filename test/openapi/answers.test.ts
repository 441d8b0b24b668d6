// Every route of the API, called on a real `pluginops serve --cron` process, answers only what
// its OpenAPI document (as served at /api/openapi.json) says: documented status, documented media
// type, documented headers (`Location` on 201 and 202), and a body that validates with every
// object closed, so a field the document does not name fails (contract.ts).
//
// The world is made so that answers carry their optional parts: a failing check opens an incident
// whose remediation fails and opens a circuit breaker; a run waits for approval and is approved
// with changed values, another is rejected, a third fails and is retried; an execution is
// cancelled. The list of operations exercised must equal the document's and the route table's:
// a new route without a call here fails this test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { routes } from '../../src/api/api.ts';
import { flakyPlan } from '../runs/plans.ts';
import { adminToken, apiDownDocuments, eventually, readToken, serveWorld, writeToken, type ServeWorld } from '../serve/helpers.ts';
import { Contract, type Answer, type OpenApiDoc } from './contract.ts';

/** The check `api` and the rule `api-down` over it, whose remediation fails (and opens the breaker). */
const documents = `${apiDownDocuments({ failureThreshold: 2, channels: ['ops-hook'] })}  labels: { plugin: payments }
  remediate:
    plan: restart_plugin
    with: { plugin: "\${{ alert.labels.plugin }}", command: "echo cannot restart; exit 1" }
`;

const quick = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: quick, name: Quick, description: Two short steps }
spec:
  parameters:
    who: { type: string, default: world }
  steps:
    - id: hello
      run: echo "hello $WHO" && echo "greeted=yes" >> "$PLUGINOPS_OUTPUT"
      env: { WHO: "\${{ params.who }}" }
    - id: bye
      needs: [hello]
      run: echo bye
`;

const slow = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: slow }
spec:
  steps:
    - id: wait
      run: sleep 30
`;

const approved = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: scale }
spec:
  category: performance
  parameters:
    replicas: { type: number, default: 2 }
  approval: { required: true, approvers: [ci], timeout: 1h }
  steps:
    - id: scale
      env: { N: "\${{ params.replicas }}" }
      run: echo "scaled to $N"
`;

/** Two plugins whose pushed latency is over target: one suggestion is applied (and verified), the other dismissed. */
const optimization = `apiVersion: pluginops/v1
kind: Optimization
metadata: { id: tuning }
spec:
  plugins: [payments, billing]
  every: 1h
  window: 1h
  minSamples: 10
  minSpan: 5m
  metrics:
    latency: { pushed: latency_ms, unit: ms }
    workers: { pushed: workers }
  analyzers:
    workers:
      latency: latency
      current: workers
      target: 200
      apply: { runbook: scale_workers, with: { plugin: "\${{ plugin }}", workers: "\${{ value }}" } }
  verify: { warmUp: 1s, window: 1s, minSamples: 3 }
`;

let w: ServeWorld;
let url: string;
let contract: Contract;

const call = async (method: string, path: string, o: { token?: string; json?: unknown; body?: string; type?: string; headers?: Record<string, string> } = {}): Promise<Answer> => {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const body = o.json !== undefined ? JSON.stringify(o.json) : o.body;
  if (body !== undefined) headers['content-type'] = o.type ?? 'application/json';
  const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(15_000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

/** Calls the route and checks the answer against the document; returns the parsed body. */
const checked = async (operationId: string, expected: number, method: string, path: string, o: Parameters<typeof call>[2] = {}) => {
  const answer = await call(method, path, o);
  assert.is(answer.status, expected, `${operationId}: ${method} ${path}: ${answer.text.slice(0, 500)}`);
  return { body: contract.check(operationId, answer), answer };
};
const read = { token: readToken };
const write = { token: writeToken };
const admin = { token: adminToken };
const enc = encodeURIComponent;

// uvu reports a failing hook without its error: print it.
test.before(() => start().catch((e: unknown) => { console.error(e); throw e; }));
async function start() {
  w = await serveWorld({ documents, monitoring: ['historySize: 50'], extraProject: ['remediation: { cooldown: 1h, breakerThreshold: 1 }'] });
  for (const [name, text] of Object.entries({ 'quick.yml': quick, 'slow.yml': slow, 'scale.yml': approved, 'flaky.yml': flakyPlan('', false), 'optimization.yml': optimization })) writeFileSync(join(w.dir, 'pipelines', name), text);
  url = (await w.start()).url;
  contract = new Contract(JSON.parse((await call('GET', '/api/openapi.json')).text) as OpenApiDoc);
}
test.after(async () => { await w.close(); });

test('workflows: list, show, save (201 with Location, then 200), and diagnostics', async () => {
  const list = (await checked('listWorkflows', 200, 'GET', '/api/workflows', read)).body;
  assert.ok(list.data.some((e: { id: string; source: string }) => e.id === 'restart_plugin' && e.source === 'template'));
  await checked('getWorkflow', 200, 'GET', '/api/workflows/quick', read);
  await checked('getWorkflow', 200, 'GET', '/api/workflows/restart_plugin', read);
  const created = await checked('saveWorkflow', 201, 'PUT', '/api/workflows/other', { ...admin, body: quick.replace('id: quick', 'id: other'), type: 'application/yaml' });
  assert.is(created.answer.headers.get('location'), '/api/workflows/other');
  await checked('getWorkflow', 200, 'GET', created.answer.headers.get('location')!, read);
  const replaced = await checked('saveWorkflow', 200, 'PUT', '/api/workflows/other', { ...admin, body: quick.replace('id: quick', 'id: other'), type: 'application/yaml' });
  assert.is(replaced.answer.headers.get('location'), null);
  const bad = await checked('saveWorkflow', 422, 'PUT', '/api/workflows/bad', { ...admin, body: 'kind: [', type: 'text/yaml' });
  assert.ok(bad.body.details[0].line >= 1);
  await checked('getWorkflow', 404, 'GET', '/api/workflows/nope', read);
  const runbooks = (await checked('listRunbooks', 200, 'GET', '/api/runbooks', read)).body;
  assert.ok(runbooks.data.some((r: { id: string; approval?: { required: boolean } }) => r.id === 'scale' && r.approval?.required));
  assert.ok(!runbooks.data.some((r: { id: string }) => r.id === 'quick'), 'workflows are not runbooks');
  assert.equal((await checked('listRunbooks', 200, 'GET', '/api/runbooks?category=performance', read)).body.data.map((r: { category: string }) => r.category).filter((c: string) => c !== 'performance'), []);
  await checked('listRunbooks', 400, 'GET', '/api/runbooks?category=nope', read);
  assert.equal((await checked('getRunbook', 200, 'GET', '/api/runbooks/scale', read)).body.data.parameters.replicas, { type: 'number', default: 2 });
  await checked('getRunbook', 404, 'GET', '/api/runbooks/quick', read);
});

const tcpCheck = (id: string, port: number) => `apiVersion: pluginops/v1\nkind: HealthCheck\nmetadata: { id: ${id}, name: Spare }\nspec: { type: tcp, host: 127.0.0.1, port: ${port}, interval: 1h }\n`;

test('documents: list, show, create (201 with Location, 409 again), replace, delete, and refusals', async () => {
  const list = (await checked('listDocuments', 200, 'GET', '/api/documents/HealthCheck', read)).body;
  assert.equal(list.data.map((d: { id: string }) => d.id), ['api']);
  await checked('listDocuments', 404, 'GET', '/api/documents/Nothing', read);
  await checked('getDocument', 200, 'GET', '/api/documents/AlertRule/api-down', read);
  await checked('getDocument', 404, 'GET', '/api/documents/AlertRule/nope', read);
  const created = await checked('createDocument', 201, 'POST', '/api/documents/HealthCheck', { ...admin, body: tcpCheck('spare', 1), type: 'application/yaml' });
  assert.is(created.answer.headers.get('location'), '/api/documents/HealthCheck/spare');
  assert.is((await checked('getDocument', 200, 'GET', created.answer.headers.get('location')!, read)).body.data.file, 'pipelines/checks/spare.yml');
  assert.is((await checked('createDocument', 409, 'POST', '/api/documents/HealthCheck', { ...admin, body: tcpCheck('spare', 2), type: 'application/yaml' })).body.details.reason, 'exists');
  await checked('createDocument', 403, 'POST', '/api/documents/HealthCheck', { ...write, body: tcpCheck('spare2', 2), type: 'application/yaml' });
  await checked('putDocument', 200, 'PUT', '/api/documents/HealthCheck/spare', { ...admin, body: tcpCheck('spare', 2), type: 'application/yaml' });
  await checked('putDocument', 201, 'PUT', '/api/documents/HealthCheck/spare2', { ...admin, json: { apiVersion: 'pluginops/v1', kind: 'HealthCheck', metadata: { id: 'spare2' }, spec: { type: 'tcp', host: '127.0.0.1', port: 3, interval: '1h' } } });
  const wrong = await checked('putDocument', 422, 'PUT', '/api/documents/AlertRule/spare', { ...admin, body: tcpCheck('spare', 2), type: 'application/yaml' });
  assert.is(wrong.body.details[0].line, 2);
  await checked('putDocument', 401, 'PUT', '/api/documents/HealthCheck/spare', { body: tcpCheck('spare', 2), type: 'application/yaml' });
  await checked('deleteDocument', 200, 'DELETE', '/api/documents/HealthCheck/spare', admin);
  await checked('deleteDocument', 200, 'DELETE', '/api/documents/HealthCheck/spare2', admin);
  await checked('deleteDocument', 404, 'DELETE', '/api/documents/HealthCheck/spare', admin);
  assert.is((await checked('deleteDocument', 409, 'DELETE', '/api/documents/HealthCheck/api', admin)).body.details.reason, 'file-holds-other-documents');
});

test('executions: start (202, Location), show, list, logs, stream, cancel, and refusals', async () => {
  const started = await checked('startExecution', 202, 'POST', '/api/executions', { ...write, json: { workflow: 'quick', parameters: { who: 'api' } } });
  const location = started.answer.headers.get('location')!;
  assert.is(location, `/api/executions/${started.body.data.id}`);
  await eventually(async () => JSON.parse((await call('GET', location, read)).text).data.status === 'success', { what: 'quick to finish' });
  const shown = (await checked('getExecution', 200, 'GET', location, read)).body.data;
  assert.equal([shown.kind, shown.requestedBy, shown.steps.hello.outputs.greeted], ['Workflow', 'ci', 'yes']);
  assert.type(shown.source, 'string');
  await checked('listExecutions', 200, 'GET', '/api/executions?workflow=quick&limit=5', read);
  const logs = (await checked('getExecutionLogs', 200, 'GET', `${location}/logs`, read)).body;
  assert.ok(logs.data.length > 0);
  const stream = await checked('streamExecutionLogs', 200, 'GET', `${location}/logs/stream`, read);
  assert.match(stream.body, /event: end/);

  const slowRun = await checked('startExecution', 202, 'POST', '/api/executions', { ...write, json: { workflow: 'slow' } });
  const cancel = await checked('cancelExecution', 202, 'POST', `/api/executions/${slowRun.body.data.id}/cancel`, write);
  assert.is(cancel.answer.headers.get('location'), `/api/executions/${slowRun.body.data.id}`);
  await checked('cancelExecution', 409, 'POST', `/api/executions/${started.body.data.id}/cancel`, write);

  const refused = await checked('startExecution', 422, 'POST', '/api/executions', { ...write, json: { workflow: 'quick', parameters: { nope: 1 } } });
  assert.is(refused.body.details[0].code, 'E_PARAMETER');
  await checked('startExecution', 422, 'POST', '/api/executions', { ...write, json: { workflow: 'quick', extra: true } });
  await checked('startExecution', 400, 'POST', '/api/executions', { ...write, body: '{' });
  await checked('startExecution', 415, 'POST', '/api/executions', { ...write, body: 'workflow: quick', type: 'text/plain' });
  await checked('startExecution', 404, 'POST', '/api/executions', { ...write, json: { workflow: 'nope' } });
  await checked('startExecution', 403, 'POST', '/api/executions', { ...read, json: { workflow: 'quick' } });
  const anonymous = await checked('listExecutions', 401, 'GET', '/api/executions');
  assert.match(anonymous.answer.headers.get('www-authenticate') ?? '', /^Bearer/);
  await checked('listExecutions', 400, 'GET', '/api/executions?limit=0', read);
  await checked('getExecution', 404, 'GET', '/api/executions/nope', read);
});

test('runs: approve with values, reject, retry, list, show', async () => {
  const first = await checked('startRun', 202, 'POST', '/api/runs', { ...write, json: { templateId: 'scale', data: { replicas: 2 } } });
  assert.is(first.answer.headers.get('location'), `/api/runs/${first.body.data.id}`);
  const id = first.body.data.id as string;
  await eventually(async () => JSON.parse((await call('GET', `/api/runs/${id}`, read)).text).data.status === 'waiting', { what: 'the run to wait' });
  const waiting = (await checked('getRun', 200, 'GET', `/api/runs/${id}`, read)).body.data;
  assert.ok(Object.keys(waiting.approvals).length > 0, 'the run shows its approval');
  const approved = (await checked('approveRun', 200, 'POST', `/api/runs/${id}/approve`, { ...write, json: { comment: 'go', values: { replicas: 3 } } })).body.data;
  assert.equal([approved.outcome, approved.decision.values.replicas], ['approved', 3]);
  await checked('approveRun', 409, 'POST', `/api/runs/${id}/approve`, { ...write, json: {} });
  await eventually(async () => JSON.parse((await call('GET', `/api/runs/${id}`, read)).text).data.status === 'success', { what: 'the approved run to finish' });
  const resumed = (await checked('getRun', 200, 'GET', `/api/runs/${id}`, read)).body.data;
  assert.is(resumed.resumes[0].reason, 'approved');

  const second = (await checked('startRun', 202, 'POST', '/api/runs', { ...write, json: { templateId: 'scale' } })).body.data.id as string;
  await eventually(async () => JSON.parse((await call('GET', `/api/runs/${second}`, read)).text).data.status === 'waiting', { what: 'the second run to wait' });
  const rejected = (await checked('rejectRun', 200, 'POST', `/api/runs/${second}/reject`, { ...write, json: { comment: 'not now' } })).body.data;
  assert.is(rejected.outcome, 'rejected');

  const flaky = (await checked('startRun', 202, 'POST', '/api/runs', { ...write, json: { templateId: 'flaky' } })).body.data.id as string;
  await eventually(async () => JSON.parse((await call('GET', `/api/runs/${flaky}`, read)).text).data.status === 'failed', { what: 'the flaky run to fail' });
  writeFileSync(join(w.dir, 'fixed'), '');
  const retried = await checked('retryRun', 202, 'POST', `/api/runs/${flaky}/retry`, { ...write, json: {} });
  assert.is(retried.answer.headers.get('location'), `/api/runs/${flaky}`);
  await eventually(async () => JSON.parse((await call('GET', `/api/runs/${flaky}`, read)).text).data.status === 'success', { what: 'the retried run to succeed' });
  await checked('retryRun', 409, 'POST', `/api/runs/${flaky}/retry`, { ...write, json: {} });
  const runs = (await checked('listRuns', 200, 'GET', '/api/runs?limit=10', read)).body.data;
  assert.ok(runs.length >= 3);
  await checked('startRun', 422, 'POST', '/api/runs', { ...write, json: { templateId: 'scale', data: { replicas: 'many' } } });
});

test('monitoring and self-healing: checks, alerts, incidents, remediation, breakers, metrics', async () => {
  await eventually(async () => JSON.parse((await call('GET', '/api/checks/api', read)).text).data?.healthy === true, { what: 'the check to be healthy' });
  w.service.mode = 'down';
  const record = await eventually(async () => {
    const list = JSON.parse((await call('GET', '/api/remediations', read)).text).data as Array<{ outcome?: string; incident: string; runId?: string }>;
    return list.find((r) => r.outcome === 'failed');
  }, { what: 'the remediation to fail', timeoutMs: 60_000 });
  await checked('listRemediations', 200, 'GET', `/api/remediations?incident=${enc(record.incident)}`, read);
  const run = (await checked('getRun', 200, 'GET', `/api/runs/${record.runId}`, read)).body.data;
  assert.equal([run.requestedBy, run.trigger.incident, run.kind], ['remediation', record.incident, 'ActionPlan']);
  assert.type(run.concurrencyKey, 'string');
  const breakers = (await checked('remediationBreakers', 200, 'GET', '/api/remediation/breakers', read)).body.data;
  assert.is(breakers[0].breaker.status, 'open');
  await checked('remediationFeedback', 200, 'POST', `/api/incidents/${enc(record.incident)}/feedback`, { ...write, json: { positive: false, reason: 'did not help', expected: 'a restart' } });
  await checked('remediationFeedback', 404, 'POST', '/api/incidents/nope/feedback', { ...write, json: { positive: true } });
  const patterns = (await checked('remediationPatterns', 200, 'GET', '/api/remediation/patterns?scope=api-down', read)).body.data;
  assert.is(patterns[0].negative, 1);
  const reset = (await checked('resetBreaker', 200, 'POST', '/api/remediation/breakers/reset', { ...write, json: { plan: 'restart_plugin', target: breakers[0].target } })).body.data;
  assert.is(reset.breaker.status, 'closed');

  const alerts = (await checked('listAlerts', 200, 'GET', '/api/alerts?state=firing', read)).body.data;
  assert.is(alerts.length, 1);
  await checked('listAlerts', 400, 'GET', '/api/alerts?state=bogus', read);
  await checked('listIncidents', 200, 'GET', '/api/incidents?status=active', read);
  await checked('getIncident', 200, 'GET', `/api/incidents/${enc(record.incident)}`, read);
  await checked('acknowledgeIncident', 200, 'POST', `/api/incidents/${enc(record.incident)}/acknowledge`, { ...write, json: { timeout: '1h' } });
  w.service.mode = 'up';
  const run2 = (await checked('runCheck', 200, 'POST', '/api/checks/api/run', { ...write, json: {} })).body.data;
  assert.is(run2.result.ok, true);
  const resolved = (await checked('resolveIncident', 200, 'POST', `/api/incidents/${enc(record.incident)}/resolve`, { ...write, json: { resolution: 'restarted by hand' } })).body.data;
  assert.is(resolved.status, 'resolved');
  await checked('resolveIncident', 409, 'POST', `/api/incidents/${enc(record.incident)}/resolve`, { ...write, json: { resolution: 'again' } });
  await checked('resolveIncident', 422, 'POST', `/api/incidents/${enc(record.incident)}/resolve`, { ...write, json: {} });
  const report = { title: 'disk full on db-1', severity: 'warning', category: 'system', labels: { host: 'db-1' } };
  const opened = (await checked('openIncident', 201, 'POST', '/api/incidents', { ...write, json: { ...report, log: 'ENOSPC\n' } }));
  assert.is(opened.answer.headers.get('location'), `/api/incidents/${enc(opened.body.data.id)}`);
  assert.is(opened.body.data.evidence[0].source, 'manual');
  assert.is((await checked('openIncident', 200, 'POST', '/api/incidents', { ...write, json: report })).body.data.id, opened.body.data.id);
  await checked('openIncident', 422, 'POST', '/api/incidents', { ...write, json: { ...report, severity: 'fatal' } });
  await checked('openIncident', 404, 'POST', '/api/incidents', { ...write, json: { ...report, ruleId: 'nope' } });
  const first = await checked('listIncidents', 200, 'GET', '/api/incidents?limit=1', read);
  assert.equal(first.body.data.map((i: { id: string }) => i.id), [opened.body.data.id]);
  assert.ok(first.answer.headers.get('x-next-cursor'));
  await checked('listIncidents', 400, 'GET', '/api/incidents?cursor=%25%25', read);

  const listed = (await checked('listChecks', 200, 'GET', '/api/checks', read)).body.data;
  assert.is(typeof listed[0].uptime['24h'], 'number');
  const none = await checked('listChecks', 200, 'GET', '/api/checks?state=paused&limit=5', read);
  assert.equal([none.body.data, none.answer.headers.get('x-total-count')], [[], '0']);
  await checked('listChecks', 400, 'GET', '/api/checks?state=sideways', read);
  const detail = (await checked('getCheck', 200, 'GET', '/api/checks/api', read)).body.data;
  assert.ok(detail.history.length > 1);
  assert.ok(detail.uptime['30d'] < 1);
  await checked('getCheck', 404, 'GET', '/api/checks/nope', read);
  const week = (await checked('getCheckSeries', 200, 'GET', '/api/checks/api/series?range=7d', read)).body.data;
  assert.equal([week.buckets.length, week.bucketMs], [168, 3_600_000]);
  assert.ok(week.buckets.at(-1).count > 1 && week.buckets.at(-1).avgMs >= 0);
  await checked('getCheckSeries', 400, 'GET', '/api/checks/api/series?range=1y', read);
  await checked('getCheckSeries', 404, 'GET', '/api/checks/nope/series', read);
  const pushed = (await checked('pushMetrics', 200, 'POST', '/api/metrics', { ...write, json: { samples: [{ metric: 'queue', value: 3, plugin: 'payments' }, { value: 2 }] } })).body.data;
  assert.equal([pushed.accepted, pushed.rejected.length], [1, 1]);
});

test('status, statistics, cleanup, and the document itself', async () => {
  const status = (await checked('getStatus', 200, 'GET', '/api/status', read)).body.data;
  assert.is(status.scheduler.status, 'running');
  await checked('getStatus', 400, 'GET', '/api/status?x=1', read);
  await checked('getStatistics', 200, 'GET', '/api/statistics', read);
  await checked('getStatistics', 200, 'GET', '/api/statistics?days=7&workflow=deploy', read);
  await checked('getStatistics', 400, 'GET', '/api/statistics?days=400', read);
  assert.is((await checked('cleanup', 200, 'POST', '/api/cleanup', { ...write, json: { days: 30 } })).body.data.deleted, 0);
  await checked('cleanup', 422, 'POST', '/api/cleanup', { ...write, json: { days: 'x' } });
  await checked('getOpenApi', 200, 'GET', '/api/openapi.json');
});

test('controls: pause, resume, self-healing, maintenance start and end, and refusals', async () => {
  const admin = { token: adminToken };
  const paused = (await checked('pauseMonitoring', 200, 'POST', '/api/controls/pause', { ...admin, json: { target: { check: 'api' }, reason: 'deploying', for: '1h' } })).body.data;
  assert.equal([paused.change.action, paused.change.target, paused.change.by], ['pause', 'check:api', 'ops-admin']);
  await checked('pauseMonitoring', 403, 'POST', '/api/controls/pause', { ...write, json: { target: { all: true }, reason: 'x' } });
  await checked('pauseMonitoring', 401, 'POST', '/api/controls/pause', { json: { target: { all: true }, reason: 'x' } });
  await checked('pauseMonitoring', 404, 'POST', '/api/controls/pause', { ...admin, json: { target: { rule: 'nope' }, reason: 'x' } });
  await checked('pauseMonitoring', 422, 'POST', '/api/controls/pause', { ...admin, json: { target: { all: true } } });
  await checked('pauseMonitoring', 422, 'POST', '/api/controls/pause', { ...admin, json: { target: { all: true }, reason: 'x', for: '31d' } });
  const status = (await checked('getStatus', 200, 'GET', '/api/status', read)).body.data;
  assert.equal(status.scheduler.paused.map((p: { job: string }) => p.job), ['check:api']);
  assert.is((await checked('getCheck', 200, 'GET', '/api/checks/api', read)).body.data.paused.reason, 'deploying');
  await checked('resumeMonitoring', 200, 'POST', '/api/controls/resume', { ...admin, json: { target: { check: 'api' }, reason: 'deployed' } });
  await checked('resumeMonitoring', 409, 'POST', '/api/controls/resume', { ...admin, json: { target: { check: 'api' }, reason: 'again' } });
  await checked('setSelfHealing', 200, 'POST', '/api/controls/self-healing', { ...admin, json: { enabled: false, rule: 'api-down', reason: 'flapping restarts' } });
  await checked('setSelfHealing', 409, 'POST', '/api/controls/self-healing', { ...admin, json: { enabled: true, reason: 'was never off' } });
  const started = (await checked('startMaintenance', 200, 'POST', '/api/controls/maintenance', { ...admin, json: { for: '30m', reason: 'db upgrade', rules: ['api-down'] } })).body.data;
  const id = started.controls.maintenance[0].id as string;
  await checked('startMaintenance', 422, 'POST', '/api/controls/maintenance', { ...admin, json: { for: 'soon', reason: 'x' } });
  const shown = (await checked('getControls', 200, 'GET', '/api/controls', read)).body.data;
  assert.equal([shown.maintenance.length, shown.selfHealing.off[0].rule, shown.changes.length], [1, 'api-down', 4]);
  await checked('endMaintenance', 200, 'POST', `/api/controls/maintenance/${enc(id)}/end`, { ...admin, json: { reason: 'done early' } });
  await checked('endMaintenance', 404, 'POST', `/api/controls/maintenance/${enc(id)}/end`, { ...admin, json: { reason: 'twice' } });
  await checked('setSelfHealing', 200, 'POST', '/api/controls/self-healing', { ...admin, json: { enabled: true, rule: 'api-down', reason: 'fixed' } });
});

test('optimization: analyse, list, show, dry run, apply, dismiss, history, status, and refusals', async () => {
  const now = Date.now();
  const samples = ['payments', 'billing'].flatMap((plugin) => Array.from({ length: 30 }, (_, i) => [
    { plugin, metric: 'latency_ms', value: 450 + (i % 5) * 10, timestamp: now - (30 - i) * 60_000 },
    { plugin, metric: 'workers', value: 2, timestamp: now - (30 - i) * 60_000 },
  ]).flat());
  await checked('pushMetrics', 200, 'POST', '/api/metrics', { ...write, json: { samples } });
  const open = (await checked('analyzeNow', 200, 'POST', '/api/optimization/analyze', { ...write, json: {} })).body.data;
  assert.equal(open.map((s: { plugin: string }) => s.plugin).sort(), ['billing', 'payments']);
  await checked('analyzeNow', 403, 'POST', '/api/optimization/analyze', { ...read, json: {} });
  const list = await checked('listSuggestions', 200, 'GET', '/api/optimization/suggestions?plugin=payments', read);
  assert.is(list.answer.headers.get('x-total-count'), '1');
  const s = list.body.data[0];
  await checked('listSuggestions', 400, 'GET', '/api/optimization/suggestions?state=sideways', read);
  const one = await checked('getSuggestion', 200, 'GET', `/api/optimization/suggestions/${enc(s.id)}`, read);
  assert.is(one.answer.headers.get('etag'), s.etag);
  await checked('getSuggestion', 404, 'GET', '/api/optimization/suggestions/nope', read);
  const dry = (await checked('executeSuggestion', 200, 'POST', `/api/optimization/execute/${enc(s.id)}`, { ...write, json: { dryRun: true } })).body.data;
  assert.equal([dry.dryRun, dry.runbook], [true, 'scale_workers']);
  await checked('applySuggestion', 409, 'POST', `/api/optimization/suggestions/${enc(s.id)}/apply`, { ...write, json: { etag: '"stale.0"' } });
  const long = await call('POST', `/api/optimization/suggestions/${enc(s.id)}/apply`, { ...write, json: {}, headers: { 'if-match': `"${'x'.repeat(300)}"` } });
  assert.is(long.status, 400, long.text);
  const applied = (await checked('applySuggestion', 200, 'POST', `/api/optimization/suggestions/${enc(s.id)}/apply`, { ...write, json: { etag: s.etag, key: 'once' } })).body.data;
  assert.ok(['applying', 'verifying'].includes(applied.state));
  await checked('applySuggestion', 422, 'POST', `/api/optimization/suggestions/${enc(s.id)}/apply`, { ...write, json: { now: true } });
  const billing = (await checked('listSuggestions', 200, 'GET', '/api/optimization/suggestions?plugin=billing', read)).body.data[0];
  const dismissed = (await checked('dismissSuggestion', 200, 'POST', `/api/optimization/suggestions/${enc(billing.id)}/dismiss`, { ...write, json: { reason: 'not now' } })).body.data;
  assert.is(dismissed.state, 'dismissed');
  await checked('dismissSuggestion', 409, 'POST', `/api/optimization/suggestions/${enc(billing.id)}/dismiss`, { ...write, json: {} });
  await checked('executeSuggestion', 409, 'POST', `/api/optimization/execute/${enc(billing.id)}`, { ...write, json: {} });
  // The applied one is verified within seconds (warmUp 1s, window 1s); no new samples → inconclusive.
  const ended = await eventually(async () => {
    const h = (await checked('optimizationHistory', 200, 'GET', '/api/optimization/history?plugin=payments', read)).body.data;
    return h.length ? h[0] : undefined;
  }, { timeoutMs: 30_000, what: 'the applied suggestion to end' });
  assert.ok(['succeeded', 'inconclusive', 'reverted'].includes(ended.state), ended.state);
  assert.ok(ended.verification);
  assert.equal((await checked('optimizationHistory', 200, 'GET', '/api/optimization/history?state=dismissed', read)).body.data.map((x: { id: string }) => x.id), [billing.id]);
  const status = (await checked('optimizationStatus', 200, 'GET', '/api/optimization/status', read)).body.data;
  assert.equal(status.optimizations.map((o: { id: string }) => o.id), ['tuning']);
  assert.ok(status.sources.every((x: { ok: boolean }) => x.ok));
  assert.ok(status.counts.dismissed >= 1);
});

test('tasks and workers: submit, register, claim, progress, complete, cancel, retry, drain, and refusals', async () => {
  const registered = (await checked('registerWorker', 200, 'POST', '/api/workers', { ...write, json: { name: 'builder', type: 'shell', capabilities: ['deploy'], concurrency: 1 } })).body.data;
  const wid = registered.worker.id;
  assert.is((await checked('registerWorker', 409, 'POST', '/api/workers', { ...write, json: { name: 'builder', capabilities: [] } })).body.details.reason, 'E_WORKER_NAME_TAKEN');
  await checked('registerWorker', 422, 'POST', '/api/workers', { ...write, json: { name: '../x', capabilities: [] } });
  const submitted = await checked('submitTask', 201, 'POST', '/api/tasks', { ...write, json: { type: 'quick', priority: 'high', data: { who: 'task' }, capabilities: ['deploy'] } });
  assert.is(submitted.answer.headers.get('location'), `/api/tasks/${submitted.body.data.id}`);
  await checked('submitTask', 404, 'POST', '/api/tasks', { ...write, json: { type: 'nope' } });
  await checked('submitTask', 422, 'POST', '/api/tasks', { ...write, json: { type: 'quick', data: { nope: 1 } } });
  await checked('submitTask', 422, 'POST', '/api/tasks', { ...write, json: { type: 'quick', priority: 'urgent' } });
  await checked('submitTask', 422, 'POST', '/api/tasks', { ...write, json: { type: 'quick', plugin: '../elsewhere' } });
  await checked('submitTask', 403, 'POST', '/api/tasks', { ...read, json: { type: 'quick' } });
  const claimed = (await checked('claimTask', 200, 'POST', `/api/workers/${wid}/claim`, { ...write, json: { waitMs: 1000 } })).body.data;
  assert.is(claimed.id, submitted.body.data.id);
  assert.type(claimed.claim, 'string');
  assert.type(claimed.execution, 'string', 'a workflow task is recorded as an execution when claimed');
  assert.is((await checked('claimTask', 200, 'POST', `/api/workers/${wid}/claim`, { ...write, json: { waitMs: 0 } })).body.data, null);
  await checked('claimTask', 404, 'POST', '/api/workers/wk-nope/claim', { ...write, json: {} });
  const hb = (await checked('workerHeartbeat', 200, 'POST', `/api/workers/${wid}/heartbeat`, write)).body.data;
  assert.equal(hb.cancel, []);
  await checked('workerHeartbeat', 404, 'POST', '/api/workers/wk-nope/heartbeat', write);
  const progress = { claim: claimed.claim, worker: wid, events: [{ kind: 'log', at: Date.now(), level: 'info', message: 'on the worker' }] };
  assert.equal((await checked('taskProgress', 200, 'POST', `/api/tasks/${claimed.id}/progress`, { ...write, json: progress })).body.data, { cancel: false });
  assert.is((await checked('taskProgress', 409, 'POST', `/api/tasks/${claimed.id}/progress`, { ...write, json: { ...progress, claim: 'stale' } })).body.details.reason, 'E_STALE_CLAIM');
  const ended = (await checked('completeTask', 200, 'POST', `/api/tasks/${claimed.id}/complete`, { ...write, json: { claim: claimed.claim, worker: wid, status: 'succeeded', outputs: { 'hello.greeted': 'yes' } } })).body.data;
  assert.is(ended.state, 'succeeded');
  assert.is(ended.claim, undefined, 'the claim is shown only to its worker');
  await checked('completeTask', 409, 'POST', `/api/tasks/${claimed.id}/complete`, { ...write, json: { claim: claimed.claim, worker: wid, status: 'succeeded' } });
  assert.is((await checked('getTask', 200, 'GET', `/api/tasks/${claimed.id}`, read)).body.data.state, 'succeeded');
  await checked('getTask', 404, 'GET', '/api/tasks/tk-nope', read);
  const unroutable = (await checked('submitTask', 201, 'POST', '/api/tasks', { ...write, json: { type: 'quick', priority: 'low', capabilities: ['gpu'] } })).body.data;
  assert.is(unroutable.unroutable, true);
  const listed = await checked('listTasks', 200, 'GET', '/api/tasks?state=pending&priority=low', read);
  assert.equal(listed.body.data.map((t: { id: string }) => t.id), [unroutable.id]);
  assert.is(listed.answer.headers.get('x-total-count'), '1');
  await checked('listTasks', 400, 'GET', '/api/tasks?state=nope', read);
  assert.is((await checked('cancelTask', 200, 'POST', `/api/tasks/${unroutable.id}/cancel`, write)).body.data.state, 'cancelled');
  assert.is((await checked('cancelTask', 409, 'POST', `/api/tasks/${unroutable.id}/cancel`, write)).body.details.reason, 'E_TASK_STATE');
  assert.is((await checked('retryTask', 200, 'POST', `/api/tasks/${unroutable.id}/retry`, write)).body.data.state, 'pending');
  await checked('retryTask', 409, 'POST', `/api/tasks/${unroutable.id}/retry`, write);
  const stats = (await checked('taskStats', 200, 'GET', '/api/tasks/stats', read)).body.data;
  assert.equal([stats.completedTasks, stats.unroutableTasks, stats.workers.idle], [1, 1, 1]);
  assert.equal((await checked('listWorkers', 200, 'GET', '/api/workers', read)).body.data.map((x: { name: string }) => x.name), ['builder']);
  assert.is((await checked('getWorker', 200, 'GET', '/api/workers/builder', read)).body.data.id, wid);
  await checked('getWorker', 404, 'GET', '/api/workers/nobody', read);
  assert.is((await checked('drainWorker', 200, 'POST', `/api/workers/${wid}/drain`, write)).body.data.state, 'draining');
  assert.is((await checked('deregisterWorker', 200, 'DELETE', `/api/workers/${wid}`, write)).body.data.state, 'offline');
  await checked('deregisterWorker', 404, 'DELETE', '/api/workers/wk-nope', write);
  assert.is((await checked('getStatus', 200, 'GET', '/api/status', read)).body.data.tasks.completedTasks, 1);
});

test('every operation of the document and of the route table was called and answered 2xx here', () => {
  const exercised = [
    'listWorkflows', 'getWorkflow', 'saveWorkflow', 'listRunbooks', 'getRunbook', 'listDocuments', 'getDocument', 'createDocument', 'putDocument', 'deleteDocument',
    'startExecution', 'listExecutions', 'getExecution', 'cancelExecution', 'getExecutionLogs', 'streamExecutionLogs',
    'startRun', 'listRuns', 'getRun', 'approveRun', 'rejectRun', 'retryRun',
    'getStatistics', 'cleanup', 'listChecks', 'getCheck', 'getCheckSeries', 'runCheck', 'listAlerts',
    'listIncidents', 'getIncident', 'openIncident', 'acknowledgeIncident', 'resolveIncident',
    'listRemediations', 'remediationFeedback', 'remediationPatterns', 'remediationBreakers', 'resetBreaker',
    'pushMetrics', 'getStatus', 'getOpenApi',
    'getControls', 'pauseMonitoring', 'resumeMonitoring', 'setSelfHealing', 'startMaintenance', 'endMaintenance',
    'listSuggestions', 'getSuggestion', 'applySuggestion', 'executeSuggestion', 'dismissSuggestion', 'optimizationHistory', 'optimizationStatus', 'analyzeNow',
    'submitTask', 'listTasks', 'taskStats', 'getTask', 'cancelTask', 'retryTask', 'taskProgress', 'completeTask',
    'listWorkers', 'registerWorker', 'getWorker', 'workerHeartbeat', 'claimTask', 'drainWorker', 'deregisterWorker',
  ].sort();
  assert.equal([...contract.operations.keys()].sort(), exercised, 'the document names exactly the operations this test calls');
  assert.equal(routes.map((r) => r.operationId).sort(), exercised, 'the route table names exactly the operations this test calls');
  assert.equal([...contract.succeeded].sort(), exercised, 'each answered 2xx and was checked');
});

test.run();
