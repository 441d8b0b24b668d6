// Configuration problems. What only the monitor can judge (references between the project file
// and the documents, channel names, maintenance windows, durations) is one MonitorConfigError
// listing every problem; what is wrong inside one AlertRule is a diagnostic with file:line:col,
// from loading the documents like `pluginops validate` does.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidDocumentsError, type DiagnosticCode } from '../../src/documents/diagnostics.ts';
import { loadText } from '../../src/documents/load.ts';
import type { ProjectDoc } from '../../src/documents/schema/project.ts';
import { monitorConfig, MonitorConfigError } from '../../src/monitor/runtime/config.ts';
import { loadMonitorConfig } from '../../src/monitor/runtime/load.ts';
import { loadProject } from '../../src/project/load.ts';
import { cli, project } from '../cli/helpers.ts';

const check = `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec: { type: http, url: "http://127.0.0.1:1/health" }
`;

const rule = (id: string, spec: string) => `apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: ${id} }
spec:
${spec}`;

const channels: ProjectDoc['channels'] = {
  'ops-hook': { type: 'webhook', url: 'http://127.0.0.1:1/hook' },
  'ops-mail': { type: 'email', host: '127.0.0.1', from: 'a@example.test', to: ['b@example.test'] },
};

function configFrom(documents: string, monitoring: ProjectDoc['monitoring']): { error: unknown; problems: string[] } {
  const { set } = loadText('pipelines/monitor.yml', documents, registry);
  try {
    monitorConfig({ root: '/srv/project', env: {}, killGraceMs: 1_000, documents: set, config: { apiVersion: 'pluginops/v1', kind: 'Project', channels, monitoring } });
    return { error: undefined, problems: [] };
  } catch (error) {
    return { error, problems: error instanceof MonitorConfigError ? error.problems : [] };
  }
}

test('monitorConfig: every problem in one MonitorConfigError', () => {
  const documents = [
    check,
    rule('db-down', '  source: { healthCheck: db }\n'),
    rule('api-down', '  source: { healthCheck: api }\n  notify: { channels: [ops-hook, ops-teams, email] }\n'),
  ].join('---\n');
  const { error, problems } = configFrom(documents, {
    notify: ['nobody', 'webhook'],
    escalation: { critical: { steps: [{ after: '5m', channels: ['sms', 'ops-mail'] }] } },
    autoResolve: { warning: 'a while' },
    maintenance: [
      { id: 'neither' },
      { id: 'no-duration', cron: '0 2 * * 0' },
      { id: 'no-zone', start: '2026-03-29 02:00', end: '2026-03-29T04:00:00Z' },
      { id: 'bad-cron', cron: 'every sunday', duration: '2h' },
      { id: 'bad-zone', cron: '0 2 * * 0', duration: '2h', timeZone: 'Mars/Olympus' },
      { id: 'fine', cron: '0 2 * * 0', duration: '2h', timeZone: 'Asia/Seoul' },
    ],
  });
  assert.instance(error, MonitorConfigError);
  const expected: RegExp[] = [
    /^monitoring\.autoResolve\.warning: /,
    /^AlertRule db-down \(pipelines\/monitor\.yml\): its source names HealthCheck `db`, which is not defined$/,
    /^monitoring\.maintenance\[0\] \(neither\): expected `start` and `end` \(one-off\) or `cron` and `duration` \(recurring\)$/,
    /^monitoring\.maintenance\[1\] \(no-duration\): a recurring window needs `duration`$/,
    /^monitoring\.maintenance\[2\] \(no-zone\): .*expected an ISO time with Z or an offset .*found "2026-03-29 02:00"/,
    /^monitoring\.maintenance\[3\] \(bad-cron\): .*cron "every sunday"/,
    /^monitoring\.maintenance\[4\] \(bad-zone\): .*Mars\/Olympus: Invalid timezone/,
    /^monitoring\.notify: there is no channel "nobody"; expected a name under channels: \(ops-hook, ops-mail\) or a channel type$/,
    /^AlertRule api-down notify\.channels: there is no channel "ops-teams"/,
    /^monitoring\.escalation\.critical\.steps\[0\]: there is no channel "sms"/,
  ];
  for (const e of expected) assert.ok(problems.some((p) => e.test(p)), `a problem matching ${String(e)} in:\n  ${problems.join('\n  ')}`);
  assert.is(problems.length, expected.length, `exactly these problems:\n  ${problems.join('\n  ')}`);
  assert.match((error as Error).message, /^the monitoring configuration has 10 problems:\n  - /);
});

test('monitorConfig: a good configuration compiles (channel types and names, windows, policies)', () => {
  const { error } = configFrom([check, rule('api-down', '  source: { healthCheck: api }\n  notify: { channels: [ops-hook, email] }\n')].join('---\n'), {
    notify: ['webhook'],
    escalation: { critical: { steps: [{ after: '5m', channels: ['ops-mail'] }] } },
    maintenance: [{ id: 'patching', cron: '0 2 * * 0', duration: '2h', timeZone: 'Asia/Seoul' }, { id: 'once', start: '2026-03-29T02:00:00+09:00', end: '2026-03-29T04:00:00+09:00' }],
  });
  assert.is(error, undefined);
});

const healthCheck = (id: string, spec: string) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: ${id} }
spec: { type: tcp, host: 127.0.0.1, port: 1${spec} }
`;

test('monitorConfig: each check has one cadence, every interval (1m unless given) or its cron', () => {
  const { set } = loadText('pipelines/checks.yml', [
    healthCheck('fast', ', interval: 30s'), healthCheck('plain', ''), healthCheck('nightly', ', cron: "0 3 * * *"'),
  ].join('---\n'), registry);
  const config = monitorConfig({ root: '/srv/project', env: {}, killGraceMs: 1_000, documents: set, config: { apiVersion: 'pluginops/v1', kind: 'Project' } });
  const cadences = Object.fromEntries([...config.checks.values()].map((c) => [c.id, c.cadence]));
  assert.equal(cadences, { fast: { every: 30_000 }, plain: { every: 60_000 }, nightly: { cron: '0 3 * * *' } });
});


test('loadMonitorConfig: a project whose maintenance window cannot be read is refused before anything runs', async () => {
  const dir = project({
    'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\nmonitoring:\n  maintenance: [{ id: upgrade, start: tomorrow, end: "2026-03-02T10:00:00Z" }]\n',
    'pipelines/checks.yml': check,
  });
  let thrown: unknown;
  try { await loadMonitorConfig(await loadProject(dir), dir, {}, registry); } catch (e) { thrown = e; }
  assert.instance(thrown, MonitorConfigError);
  assert.equal((thrown as MonitorConfigError).problems.length, 1);
  assert.match((thrown as MonitorConfigError).problems[0]!, /monitoring\.maintenance\[0\] \(upgrade\): .*found "tomorrow"/);
});

test('loadMonitorConfig: a rule naming an unknown health check is a document diagnostic with its position', async () => {
  const dir = project({ 'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n', 'pipelines/rules.yml': rule('db-down', '  source: { healthCheck: db }\n') });
  let thrown: unknown;
  try { await loadMonitorConfig(await loadProject(dir), dir, {}, registry); } catch (e) { thrown = e; }
  assert.instance(thrown, InvalidDocumentsError);
  const [d] = (thrown as InvalidDocumentsError).diagnostics;
  assert.equal([d?.file, d?.line, d?.col, d?.code], ['pipelines/rules.yml', 5, 26, 'E_UNKNOWN_REFERENCE']);
});

test('monitorConfig: a check given both interval and cron, past the documents\' rule, is one of the problems listed', () => {
  const { set } = loadText('pipelines/checks.yml', healthCheck('both', ', interval: 30s, cron: "*/5 * * * *"'), registry);
  const thrown = (() => { try { monitorConfig({ root: '/srv/project', env: {}, killGraceMs: 1_000, documents: set, config: { apiVersion: 'pluginops/v1', kind: 'Project' } }); return undefined; } catch (e) { return e; } })();
  assert.instance(thrown, MonitorConfigError);
  assert.equal((thrown as MonitorConfigError).problems, ['HealthCheck both interval: found both `interval` and `cron`; expected one of them']);
});

test('loadMonitorConfig: a check with both interval and cron is refused at its position (E_CADENCE), not run on cron', async () => {
  const documents = { 'pipelines/checks.yml': healthCheck('both', ', interval: 30s, cron: "*/5 * * * *"'), 'pipelines/rules.yml': rule('db-down', '  source: { healthCheck: both }\n') };
  const dir = project({ 'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n', ...documents });
  const thrown = await loadMonitorConfig(await loadProject(dir), dir, {}, registry).then(() => undefined, (e: unknown) => e);
  assert.instance(thrown, InvalidDocumentsError);
  assert.equal((thrown as InvalidDocumentsError).diagnostics.map((d) => [d.file, d.line, d.col, d.code]), [['pipelines/checks.yml', 4, 61, 'E_CADENCE']]);
});

// Lines 1–4 are the envelope; `spec:` is line 4, so the spec's first line is line 5.
const documentCases: Array<{ name: string; spec: string; line: number; col: number; code: DiagnosticCode; message: RegExp }> = [
  {
    name: 'two sources', spec: '  source: { healthCheck: api, prometheus: up }\n',
    line: 5, col: 3, code: 'E_VALUE', message: /found `healthCheck` and `prometheus`; expected exactly one of `healthCheck`, `prometheus`, `loki`, `metric`/,
  },
  {
    name: '`field` without a health check', spec: '  source: { metric: latency, field: responseTime }\n  levels: { warning: 1 }\n',
    line: 5, col: 30, code: 'E_VALUE', message: /`field` applies only with `healthCheck`/,
  },
  {
    name: 'levels out of order', spec: '  source: { metric: latency }\n  levels: { warning: 900, critical: 500 }\n',
    line: 6, col: 3, code: 'E_VALUE', message: /critical/,
  },
  {
    name: 'a trend naming a missing level', spec: '  source: { metric: disk }\n  levels: { critical: 95 }\n  trend: { level: danger, horizon: 6h }\n',
    line: 7, col: 19, code: 'E_VALUE', message: /trend level `danger` is not among levels; expected one of: critical/,
  },
  {
    name: 'a value rule without conditions', spec: '  source: { metric: latency }\n',
    line: 4, col: 1, code: 'E_REQUIRED', message: /a rule on a value needs a condition; expected `levels`, `anomaly` or `trend` under spec/,
  },
  {
    name: 'levels on a status rule', spec: '  source: { healthCheck: api }\n  levels: { warning: 1 }\n',
    line: 6, col: 3, code: 'E_VALUE', message: /takes no `levels`; add `source.field`/,
  },
];

for (const c of documentCases) {
  test(`document: ${c.name} is a diagnostic at ${c.line}:${c.col}`, () => {
    const { diagnostics } = loadText('pipelines/rules.yml', [rule('r', c.spec), check].join('---\n'), registry);
    assert.equal(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`), [`pipelines/rules.yml:${c.line}:${c.col} ${c.code}`], diagnostics.map((d) => d.message).join('; '));
    assert.match(diagnostics[0]!.message, c.message);
  });
}

test('pluginops validate prints each AlertRule problem with file:line:col and exits 1', async () => {
  const dir = project({
    'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n',
    'pipelines/rules.yml': [check, rule('two', documentCases[0]!.spec), rule('bare', documentCases[4]!.spec)].join('---\n'),
  });
  const r = await cli(['validate'], dir);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, 'pipelines/rules.yml:10:3: E_VALUE');
  assert.match(r.stderr, 'pipelines/rules.yml:15:1: E_REQUIRED');
  assert.not.match(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
});

test.run();
