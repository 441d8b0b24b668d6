// Self-healing end to end, through a real `pluginops serve --cron` process: a loopback service the
// test breaks → its health check fails → the alert fires and an incident opens → the shipped
// `restart_plugin` runbook runs with the alert's labels and heals the service through its
// control endpoint → the check is run again and passes → the incident resolves with the
// remediation and the verification on its timeline → the learned counts show it, feedback adds
// to them, and the git journal holds the incident's history.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../cli/helpers.ts';
import { git } from '../journal/repo.ts';
import { eventually, readToken, restartCommand, serveWorld, writeToken } from './helpers.ts';

const documents = (control: string) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: payments-health }
spec:
  type: http
  url: "{service}/health"
  interval: 300ms
  stagger: 0s
  timeout: 1s
  failureThreshold: 2
  successThreshold: 1
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: payments-down, name: Payments down }
spec:
  source: { healthCheck: payments-health }
  severity: critical
  labels: { plugin: payments }
  notify: { channels: [ops-hook] }
  remediate:
    plan: restart_plugin
    with:
      plugin: "\${{ alert.labels.plugin }}"
      command: ${restartCommand(control)}
      healthUrl: "{service}/health"
    verify: { attempts: 2, interval: 300ms }
---
apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: orphan }
spec:
  type: tcp
  host: 127.0.0.1
  port: 9
  interval: 1h
  remediate: { plan: restart_plugin }
`;

test('a broken service is healed by restart_plugin, verified, resolved; learning and the journal record it', async () => {
  const restarts: string[] = [];
  let heal: () => void = () => undefined;
  const control = createServer((req, res) => {
    req.resume();
    if (req.method === 'POST' && req.url?.startsWith('/restart/')) { restarts.push(req.url.slice('/restart/'.length)); heal(); res.end('ok'); return; }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
  const w = await serveWorld({
    documents: documents(controlUrl),
    monitoring: ['autoResolve: { critical: 1h }'],
    extraProject: ['journal:', '  git: { repo: journal, branch: main }', 'remediation: { cooldown: 1m }'],
  });
  heal = () => { w.service.mode = 'up'; };
  const repo = join(w.dir, 'journal');
  git(w.dir, 'init', '-q', '-b', 'main', 'journal');
  try {
    const p = await w.start();
    assert.ok(p.lines.some((l) => l.level === 'warn' && /HealthCheck orphan names remediate, but no AlertRule has source.healthCheck: orphan/.test(String(l.msg))), 'a remediate that can never fire is pointed out');
    await eventually(async () => (await w.api('GET', '/api/checks/payments-health', { token: readToken })).body?.data?.healthy === true, { what: 'the check to be healthy' });

    w.service.mode = 'down';
    const resolved = await eventually(async () => {
      const list = (await w.api('GET', '/api/incidents', { token: readToken })).body.data as Array<{ id: string; status: string }>;
      return list.find((i) => i.status === 'resolved');
    }, { what: 'the incident to be resolved by remediation', timeoutMs: 30_000 });
    assert.equal(restarts, ['payments'], 'the runbook restarted the plugin named by the alert label, once');
    assert.is(w.service.mode, 'up');

    const incident = (await w.api('GET', `/api/incidents/${encodeURIComponent(resolved.id)}`, { token: readToken })).body.data;
    assert.is(incident.resolvedBy, 'remediation');
    assert.match(incident.resolution, /restart_plugin/);
    const kinds = incident.timeline.map((e: { kind: string }) => e.kind);
    for (const k of ['opened', 'remediation', 'verification', 'resolved']) assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
    const verification = incident.timeline.find((e: { kind: string }) => e.kind === 'verification');
    assert.match(verification.text, /fixed/);

    const records = (await w.api('GET', `/api/remediations?incident=${encodeURIComponent(resolved.id)}`, { token: readToken })).body.data;
    assert.is(records.length, 1);
    assert.equal([records[0].plan, records[0].target, records[0].decision, records[0].outcome], ['restart_plugin', 'payments', 'run', 'fixed']);
    assert.is(records[0].params.plugin, 'payments');
    const run = (await w.api('GET', `/api/runs/${records[0].runId}`, { token: readToken })).body.data;
    assert.is(run.status, 'success');
    assert.is(run.requestedBy, 'remediation');
    assert.is(run.trigger.incident, resolved.id);
    assert.is(run.steps.restart.outputs.restarted, 'true');

    const metrics = (await w.api('GET', '/metrics')).body as string;
    assert.match(metrics, /^pluginops_remediations\{outcome="fixed"\} 1$/m);
    assert.match(metrics, /^pluginops_remediation_breakers_open 0$/m);

    const learned = async () => (await w.api('GET', '/api/remediation/patterns?scope=payments-down', { token: readToken })).body.data;
    const [pattern] = await learned();
    assert.equal([pattern.key.plan, pattern.key.plugin, pattern.successes, pattern.failures, pattern.recommended], ['restart_plugin', 'payments', 1, 0, true]);

    // Feedback: refused for unknown incidents and bad fields, counted otherwise.
    const unknown = await w.api('POST', '/api/incidents/nope/feedback', { token: writeToken, body: { positive: true } });
    assert.is(unknown.status, 404);
    assert.is(unknown.body.details.reason, 'E_UNKNOWN_INCIDENT');
    const bad = await w.api('POST', `/api/incidents/${encodeURIComponent(resolved.id)}/feedback`, { token: writeToken, body: { positive: 'yes' } });
    assert.is(bad.status, 422);
    const good = await w.api('POST', `/api/incidents/${encodeURIComponent(resolved.id)}/feedback`, { token: writeToken, body: { positive: true, reason: 'back in 5 s', expected: 'a restart' } });
    assert.is(good.status, 200, JSON.stringify(good.body));
    assert.is((await learned())[0].positive, 1);

    // The CLI reads the same log without going through serve, and its feedback reaches serve.
    const viaCli = await cli(['feedback', resolved.id, '--negative', '--reason', 'took a page', '--as', 'dana'], w.dir);
    assert.is(viaCli.code, 0, viaCli.stderr);
    await eventually(async () => (await learned())[0].negative === 1, { what: 'serve to read the CLI feedback' });
    const patterns = await cli(['remediation', 'patterns', '--json'], w.dir);
    assert.is(patterns.code, 0, patterns.stderr);
    const listed = JSON.parse(patterns.stdout) as Array<{ key: { scope: string; plan: string }; successes: number; positive: number; negative: number }>;
    assert.ok(listed.some((p) => p.key.scope === 'payments-down' && p.key.plan === 'restart_plugin' && p.successes === 1 && p.positive === 1 && p.negative === 1), patterns.stdout);
    const noIncident = await cli(['feedback', 'nope', '--positive'], w.dir);
    assert.is(noIncident.code, 1);
    assert.match(noIncident.stderr, /E_UNKNOWN_INCIDENT/);

    // The git journal: opened, remediated, resolved and both feedbacks, read back from the commits.
    await eventually(() => Number(git(repo, 'rev-list', '--count', 'HEAD').trim()) >= 5, { what: 'five journal commits' });
    const history = await cli(['incidents', 'list', '--from-git', '--incident', resolved.id, '--json'], w.dir);
    assert.is(history.code, 0, history.stderr);
    const events = (JSON.parse(history.stdout) as Array<{ event: string }>).map((e) => e.event);
    for (const e of ['opened', 'remediated', 'resolved', 'feedback']) assert.ok(events.includes(e), `${e} in ${events.join(', ')}`);
    const files = git(repo, 'ls-files').split('\n');
    assert.ok(files.some((f) => f.endsWith('/report.md')), files.join(', '));
    assert.ok(files.some((f) => f.endsWith('/feedback.md')), files.join(', '));

    w.proc!.child.kill('SIGTERM');
    assert.is((await w.proc!.exited).code, 0);
  } finally {
    await w.close();
    await new Promise((r) => control.close(r));
  }
});

test.run();
