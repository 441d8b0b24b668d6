// Run-time controls through a real `pluginops serve --cron` process and the CLI as its client: a
// paused check stops running and stays paused across a restart, then runs again once resumed;
// self-healing off makes a firing rule record "skipped: self-healing off" and run nothing; every
// change shows with who, when and why on /api/status, /metrics (checked by promtool), the log and
// the git journal. Without the admin scope nothing changes; a corrupt controls file stops the start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../cli/helpers.ts';
import { git } from '../journal/repo.ts';
import { adminToken, eventually, readToken, serveWorld, slackSigningSecret, writeToken } from './helpers.ts';
import { launch, sample, sleep } from './process.ts';

const documents = `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec:
  type: http
  url: "{service}/health"
  interval: 200ms
  stagger: 0s
  timeout: 1s
  failureThreshold: 1
  successThreshold: 1
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down, name: API down }
spec:
  source: { healthCheck: api }
  severity: critical
  labels: { plugin: payments }
  notify: { channels: [ops-hook] }
  remediate:
    plan: restart_plugin
    with: { plugin: "\${{ alert.labels.plugin }}", command: "true" }
`;

test('pause survives a restart and resume runs again; self-healing off skips; every change is audited', async () => {
  const w = await serveWorld({ documents, monitoring: ['historySize: 20'], extraProject: ['journal:', '  git: { repo: journal, branch: main }', 'secrets: [SLACK_SIGNING]'] });
  git(w.dir, 'init', '-q', '-b', 'main', 'journal');
  const repo = join(w.dir, 'journal');
  const client = (token: string) => ({ env: { PLUGINOPS_URL: w.proc!.url, PLUGINOPS_TOKEN: token } });
  const runs = () => sample(w.proc!.url, 'pluginops_checks_run_total');
  try {
    await w.start();
    await eventually(async () => (await runs()) >= 2, { what: 'the check to run' });

    // Refused without the admin scope, and nothing changes.
    assert.is((await w.api('POST', '/api/controls/pause', { token: writeToken, body: { target: { check: 'api' }, reason: 'x' } })).status, 403);
    assert.is((await w.api('POST', '/api/controls/pause', { body: { target: { check: 'api' }, reason: 'x' } })).status, 401);
    const asWriter = await cli(['pause', '--check', 'api', '--reason', 'x'], w.dir, client(writeToken));
    assert.is(asWriter.code, 4, asWriter.stderr);
    assert.match(asWriter.stderr, /needs `admin`/);
    const unknown = await cli(['pause', '--rule', 'nope', '--reason', 'x'], w.dir, client(adminToken));
    assert.is(unknown.code, 1);
    assert.match(unknown.stderr, /no AlertRule `nope`/);
    assert.is((await cli(['pause', '--check', 'api'], w.dir, client(adminToken))).code, 2, 'a reason is required');
    assert.is((await w.api('GET', '/api/controls', { token: readToken })).body.data.changeCount, 0, 'nothing changed');

    const paused = await cli(['pause', '--check', 'api', '--reason', 'deploying the api'], w.dir, client(adminToken));
    assert.is(paused.code, 0, paused.stderr);
    assert.match(paused.stdout, /paused check:api \(change 1, by ops-admin\)/);
    await sleep(300);
    const frozen = await runs();
    await sleep(1_200);
    assert.is(await runs(), frozen, 'no run in six intervals');
    const status = (await w.api('GET', '/api/status', { token: readToken })).body.data;
    assert.equal(status.scheduler.paused.map((p: { job: string; by: string; reason: string }) => [p.job, p.by, p.reason]), [['check:api', 'ops-admin', 'deploying the api']]);

    // A restart reads the controls back: still paused.
    w.proc!.child.kill('SIGTERM');
    assert.is((await w.proc!.exited).code, 0);
    await w.start();
    const before = await runs();
    await sleep(1_000);
    assert.is(await runs(), before, 'still paused after the restart');
    assert.is((await w.api('GET', '/api/checks/api', { token: readToken })).body.data.paused.reason, 'deploying the api');
    const shown = await cli(['controls'], w.dir, client(readToken));
    assert.is(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /paused check:api by ops-admin at \S+: deploying the api/);

    const resumed = await w.api('POST', '/api/controls/resume', { token: adminToken, body: { target: { check: 'api' }, reason: 'deployed' } });
    assert.is(resumed.status, 200, JSON.stringify(resumed.body));
    await eventually(async () => (await runs()) > before + 1, { what: 'the check to run again' });

    // Self-healing off: the firing rule records the skip and nothing runs.
    const off = await cli(['self-healing', 'off', '--reason', 'restarts make it worse'], w.dir, client(adminToken));
    assert.is(off.code, 0, off.stderr);
    w.service.mode = 'down';
    const incident = await eventually(async () => {
      const [first] = (await w.api('GET', '/api/incidents', { token: readToken })).body.data as Array<{ id: string }>;
      if (!first) return undefined;
      const full = (await w.api('GET', `/api/incidents/${encodeURIComponent(first.id)}`, { token: readToken })).body.data as { timeline: Array<{ kind: string; text: string }> };
      return full.timeline.some((e) => /^skipped: self-healing off/.test(e.text)) ? full : undefined;
    }, { what: 'the skip on the incident timeline' });
    assert.ok(incident.timeline.some((e) => e.kind === 'remediation' && /turned off by ops-admin .*restarts make it worse/.test(e.text)));
    await sleep(500);
    assert.equal((await w.api('GET', '/api/runs', { token: readToken })).body.data, [], 'no run was started');
    assert.equal((await w.api('GET', '/api/remediations', { token: readToken })).body.data, [], 'no remediation ran');
    const logged = readFileSync(join(w.dir, '.pluginops', 'remediation.jsonl'), 'utf8');
    assert.match(logged, /"type":"skipped".*"reason":"self-healing-off"/);

    // Audited: status, metrics, log, journal.
    const controls = (await w.api('GET', '/api/status', { token: readToken })).body.data.controls;
    assert.equal(controls.changes.map((c: { action: string; target: string; by: string }) => [c.action, c.target, c.by]), [
      ['pause', 'check:api', 'ops-admin'], ['resume', 'check:api', 'ops-admin'], ['self-healing-off', 'self-healing', 'ops-admin'],
    ]);
    assert.equal(controls.changes.map((c: { reason: string }) => c.reason), ['deploying the api', 'deployed', 'restarts make it worse']);
    assert.ok(controls.changes.every((c: { at: string }) => !Number.isNaN(Date.parse(c.at))));
    assert.is(controls.selfHealing.enabled, false);

    const text = await fetch(`${w.proc!.url}/metrics`).then((r) => r.text());
    execFileSync('promtool', ['check', 'metrics'], { input: text });
    assert.is(await sample(w.proc!.url, 'pluginops_self_healing_enabled'), 0);
    assert.is(await sample(w.proc!.url, 'pluginops_monitoring_paused', 'check="api"'), 0);
    assert.is(await sample(w.proc!.url, 'pluginops_control_changes_total'), 3);
    assert.is(await sample(w.proc!.url, 'pluginops_maintenance_active', 'source="control"'), 0);

    assert.ok(w.proc!.lines.some((l) => l.msg === 'control: self-healing-off self-healing by ops-admin: restarts make it worse' && l.by === 'ops-admin'));
    await eventually(() => git(repo, 'log', '--format=%s', '--', 'controls').trim().split('\n').length === 3, { what: 'three control commits' });
    const trailers = git(repo, 'log', '--format=%(trailers:key=Control-By,valueonly)%(trailers:key=Control-Action,valueonly)', '--', 'controls');
    assert.match(trailers, /ops-admin\s+self-healing-off/);
    assert.match(git(repo, 'log', '-1', '--format=%B', '--', 'controls'), /restarts make it worse/);
    assert.match(readFileSync(join(repo, 'controls', 'changes.md'), 'utf8'), /pause check:api by ops-admin: deploying the api/);

    // Maintenance now from the CLI: started, shown, ended early; a duration past the maximum is refused.
    const tooLong = await cli(['maintenance', 'start', '--for', '31d', '--reason', 'x'], w.dir, client(adminToken));
    assert.is(tooLong.code, 1);
    assert.match(tooLong.stderr, /maxDuration|at most 30d|30d/);
    const started = await cli(['maintenance', 'start', '--for', '30m', '--reason', 'database upgrade', '--rule', 'api-down', '--json'], w.dir, client(adminToken));
    assert.is(started.code, 0, started.stderr);
    const window = JSON.parse(started.stdout).controls.maintenance[0] as { id: string; end: string; rules: string[] };
    assert.equal(window.rules, ['api-down']);
    assert.is(await sample(w.proc!.url, 'pluginops_maintenance_active', 'source="control"'), 1);
    const ended = await cli(['maintenance', 'end', window.id, '--reason', `done early, key ${slackSigningSecret}`], w.dir, client(adminToken));
    assert.is(ended.code, 0, ended.stderr);
    // A reason is masked before the controls file or the journal keeps it.
    assert.not.ok(readFileSync(join(w.dir, '.pluginops', 'controls.json'), 'utf8').includes(slackSigningSecret));
    assert.match(readFileSync(join(w.dir, '.pluginops', 'controls.json'), 'utf8'), /done early, key \*\*\*/);
    assert.is(await sample(w.proc!.url, 'pluginops_maintenance_active', 'source="control"'), 0);
    assert.is((await cli(['maintenance', 'end', window.id, '--reason', 'again'], w.dir, client(adminToken))).code, 1, 'no longer active: 404');

    // A reload keeps the controls; one naming a rule the reload removed shows it matches nothing, and can be lifted.
    assert.is((await w.api('POST', '/api/controls/pause', { token: adminToken, body: { target: { rule: 'api-down' }, reason: 'noisy' } })).status, 200);
    writeFileSync(join(w.dir, 'pipelines', 'monitor.yml'), documents.split('---')[0]!.replaceAll('{service}', w.service.url));
    w.proc!.child.kill('SIGHUP');
    await eventually(() => w.proc!.lines.some((l) => /^configuration reloaded/.test(String(l.msg))), { what: 'the reload' });
    const kept = (await w.api('GET', '/api/controls', { token: readToken })).body.data;
    assert.equal(kept.pauses.map((p: { target: string; matches: boolean }) => [p.target, p.matches]), [['rule:api-down', false]]);
    assert.is(kept.selfHealing.enabled, false, 'self-healing stays off');
    assert.is(kept.changeCount, 6, 'a reload is not a change');
    assert.is((await w.api('POST', '/api/controls/resume', { token: adminToken, body: { target: { rule: 'api-down' }, reason: 'rule gone' } })).status, 200);

    w.proc!.child.kill('SIGTERM');
    assert.is((await w.proc!.exited).code, 0);
  } finally {
    await w.close();
  }
});

test('a corrupt controls file stops the start with an error naming it', async () => {
  const w = await serveWorld({ documents, monitoring: ['historySize: 20'] });
  try {
    mkdirSync(join(w.dir, '.pluginops'), { recursive: true });
    const path = join(w.dir, '.pluginops', 'controls.json');
    writeFileSync(path, '{"version": 1, "pauses": [');
    const l = launch(w.dir, w.env, ['--cron', '--port', '0']);
    const exit = await l.exited;
    assert.is(exit.code, 1);
    assert.ok(l.stderr().includes(path), l.stderr());
    assert.match(l.stderr(), /E_CONTROLS_FILE.*not valid JSON|not valid JSON/);
    assert.not.match(l.stderr(), /\n\s+at /, 'no stack trace');
    assert.ok(existsSync(path));
  } finally {
    await w.close();
  }
});

test.run();
