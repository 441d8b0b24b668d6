import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checksProject, cli, healthCheck } from './helpers.ts';

// Line 5 is `  type: …`; the spec's own lines follow.
const cases: Array<{ name: string; spec: string; expected: string[] }> = [
  {
    name: 'a condition that does not parse, at its own line:col',
    spec: '  type: http\n  url: http://127.0.0.1/\n  conditions:\n    - status == 200\n    - "status == (("\n',
    expected: ['pipelines/c.yml:9:7: E_EXPRESSION condition `status == ((`'],
  },
  {
    name: 'a condition naming a field the type does not measure',
    spec: '  type: tcp\n  host: localhost\n  port: 80\n  conditions: [connected, "status == 200"]\n',
    expected: ['pipelines/c.yml:8:27: E_EXPRESSION condition `status == 200`: unknown name `status`'],
  },
  {
    name: 'an http check without url',
    spec: '  type: http\n  conditions: [status == 200]\n',
    expected: ['pipelines/c.yml:4:1: E_REQUIRED an http check has no `url`; expected `url` under spec'],
  },
  {
    name: 'a tcp check without port',
    spec: '  type: tcp\n  host: localhost\n',
    expected: ['pipelines/c.yml:4:1: E_REQUIRED a tcp check has no `port`; expected `host` and `port` under spec'],
  },
  {
    name: 'a command check without command',
    spec: '  type: command\n  workingDirectory: .\n',
    expected: ['pipelines/c.yml:4:1: E_REQUIRED a command check has no `command`'],
  },
  {
    name: 'a cron expression that does not parse, at its value',
    spec: '  type: tcp\n  host: localhost\n  port: 80\n  cron: "61 * * * *"\n',
    expected: ['pipelines/c.yml:8:9: E_VALUE cron "61 * * * *" does not parse (the minute value 61 is out of range 0-59)'],
  },
  {
    name: 'both interval and cron, at the cron key',
    spec: '  type: tcp\n  host: localhost\n  port: 80\n  interval: 30s\n  cron: "*/5 * * * *"\n',
    expected: ['pipelines/c.yml:9:3: E_CADENCE found both `interval: 30s` and `cron: "*/5 * * * *"`; expected one of them'],
  },
  {
    name: 'a method outside the list (the schema)',
    spec: '  type: http\n  url: http://127.0.0.1/\n  method: FETCH\n',
    expected: ['pipelines/c.yml:7:11: E_VALUE'],
  },
];

for (const c of cases) {
  test(`validate HealthCheck: ${c.name}`, async () => {
    const dir = checksProject({ c: healthCheck('c', c.spec) });
    const r = await cli(['validate'], dir);
    assert.is(r.code, 1, r.stdout);
    for (const e of c.expected) assert.match(r.stderr, e);
    assert.is(r.stderr.trimEnd().split('\n').length, c.expected.length, r.stderr);
  });
}

test('validate HealthCheck: a complete document of every probed type is valid', async () => {
  const dir = checksProject({
    web: healthCheck('web', `  type: http
  url: https://example.com/health
  method: HEAD
  headers: { authorization: Bearer x }
  interval: 30s
  timeout: 5s
  stagger: 2s
  failureThreshold: 3
  successThreshold: 2
  conditions: ["status == 200", "certificateDaysLeft > 14"]
`),
    db: healthCheck('db', '  type: tcp\n  host: db.internal\n  port: 5432\n  cron: "*/5 * * * *"\n'),
    worker: healthCheck('worker', "  type: command\n  command: ./is-ready\n  workingDirectory: worker\n  conditions: [\"exitCode == 0 && contains(output, 'ready')\"]\n"),
    errors: healthCheck('errors', '  type: loki\n  query: \'{app="api"} |= "error"\'\n'),
  });
  const r = await cli(['validate'], dir);
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  assert.match(r.stdout, '4 documents valid');
});

test.run();
