// `pluginops rules test FILE... [--json]`: alert rules unit-tested against fixtures of values.
// Exit 0 when every test passes, 1 when one fails (naming the time, the rule, what was expected
// and found), 2 when a fixture or rule file does not load (file:line:col) or is missing. And the
// promtool-style value expansion on its own.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandValues, FixtureError } from '../../src/monitor/rules/fixture.ts';
import { cli, cliProcess, project, root } from '../cli/helpers.ts';

const rules = `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec: { type: http, url: "http://127.0.0.1:1/health", failureThreshold: 2, successThreshold: 1 }
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down }
spec:
  source: { healthCheck: api }
  severity: critical
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: queue-deep }
spec:
  source: { metric: queue_depth }
  levels: { warning: 100, critical: 500 }
`;

const fixture = (tests: string) => `rules: [../pipelines/rules.yml]
interval: 1m
tests:
${tests}`;

const good = `  - name: the API fires on the second failure
    series:
      - source: { healthCheck: api }
        values: "1 0 0 1"
    expect:
      - { at: 1m, rule: api-down, state: ok }
      - { at: 2m, rule: api-down, state: firing, severity: critical, labels: { check: api } }
      - { at: 3m, rule: api-down, state: resolved }
`;

const wrong = `  - name: a queue that is deep
    series:
      - source: { metric: queue_depth, plugin: acme }
        values: "50 150 600"
    expect:
      - { at: 0m, rule: queue-deep, state: firing }
      - { at: 2m, rule: queue-deep, state: firing, severity: warning }
      - { at: 2m, rule: queue-shallow, state: ok }
`;

const projectWith = (files: Record<string, string>) => project({ 'pipelines/rules.yml': rules, ...files });

test('the shipped example fixture passes: exit 0, five tests', async () => {
  const r = await cli(['rules', 'test', 'examples/monitoring/tests/alerts.test.yml'], root);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(r.stdout.split('\n')[0], 'examples/monitoring/tests/alerts.test.yml');
  assert.is((r.stdout.match(/^ {2}✓ /gm) ?? []).length, 5);
  assert.ok(r.stdout.endsWith('5 passed, 0 failed\n'));
  assert.is(r.stderr, '');
});

test('as a process: the example passes with exit code 0', async () => {
  const r = await cliProcess(['rules', 'test', join(root, 'examples/monitoring/tests/alerts.test.yml')], root).done;
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, '5 passed, 0 failed');
});

test('a wrong expectation fails with exit 1, naming the time, the rule, what was expected and found', async () => {
  const dir = projectWith({ 'tests/queue.test.yml': fixture(good + wrong) });
  const r = await cli(['rules', 'test', 'tests/queue.test.yml'], dir);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, '  ✓ the API fires on the second failure\n');
  assert.match(r.stdout, '  ✗ a queue that is deep\n');
  assert.match(r.stdout, '      at 0m: queue-deep{plugin=acme}: expected firing, found ok\n');
  assert.match(r.stdout, '      at 2m: queue-deep{plugin=acme}: expected severity warning, found critical\n');
  assert.match(r.stdout, /at 2m: no AlertRule `queue-shallow` in the rule files \(found: api-down, queue-deep\)/);
  assert.ok(r.stdout.endsWith('1 passed, 1 failed\n'));
});

test('--json: the counts and every failure as data', async () => {
  const dir = projectWith({ 'tests/queue.test.yml': fixture(good + wrong) });
  const r = await cli(['rules', 'test', 'tests/queue.test.yml', '--json'], dir);
  assert.is(r.code, 1);
  const out = JSON.parse(r.stdout) as { passed: number; failed: number; files: Array<{ file: string; tests: Array<{ name: string; ok: boolean; failures: Array<{ at: string; rule: string; message: string }> }> }> };
  assert.is(out.passed, 1);
  assert.is(out.failed, 1);
  assert.is(out.files[0]!.file, 'tests/queue.test.yml');
  assert.equal(out.files[0]!.tests.map((t) => [t.name, t.ok]), [['the API fires on the second failure', true], ['a queue that is deep', false]]);
  assert.equal(out.files[0]!.tests[1]!.failures.map((f) => [f.at, f.rule]), [['2m', 'queue-shallow'], ['0m', 'queue-deep'], ['2m', 'queue-deep']]);
  assert.match(out.files[0]!.tests[1]!.failures[1]!.message, 'expected firing, found ok');
});

test('several fixtures: all are run and counted together', async () => {
  const dir = projectWith({ 'tests/a.test.yml': fixture(good), 'tests/b.test.yml': fixture(good.replace('on the second failure', 'again')) });
  const r = await cli(['rules', 'test', 'tests/a.test.yml', 'tests/b.test.yml'], dir);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, 'tests/a.test.yml\n');
  assert.match(r.stdout, 'tests/b.test.yml\n');
  assert.ok(r.stdout.endsWith('2 passed, 0 failed\n'));
});

test('`_` is no sample: the alert has no data there', async () => {
  const dir = projectWith({
    'tests/gap.test.yml': fixture(`  - name: a gap
    series:
      - source: { metric: queue_depth }
        values: "_ 150 _ 50"
    expect:
      - { at: 0m, rule: queue-deep, state: nodata }
      - { at: 1m, rule: queue-deep, state: firing, severity: warning }
      - { at: 3m, rule: queue-deep, state: ok }
`),
  });
  const r = await cli(['rules', 'test', 'tests/gap.test.yml'], dir);
  assert.is(r.code, 0, r.stdout + r.stderr);
});

const refused: Array<{ name: string; files: Record<string, string>; where: string }> = [
  {
    name: 'a fixture with a schema error',
    files: { 'tests/bad.test.yml': fixture(good.replace('state: resolved', 'state: burning')) },
    where: 'tests/bad.test.yml:11:42: E_TYPE `tests[0].expect[2].state` is "burning"',
  },
  {
    name: 'a fixture that is not YAML',
    files: { 'tests/bad.test.yml': 'rules: [../pipelines/rules.yml]\ntests: [\n' },
    where: 'tests/bad.test.yml:3:1: E_YAML_SYNTAX',
  },
  {
    name: 'a fixture with an unknown key',
    files: { 'tests/bad.test.yml': `${fixture(good)}timeout: 5m\n` },
    where: 'tests/bad.test.yml:12:1: E_',
  },
  {
    name: 'a rule file with a problem',
    files: { 'pipelines/rules.yml': rules.replace('levels: { warning: 100, critical: 500 }', 'levels: { warning: 500, critical: 100 }'), 'tests/bad.test.yml': fixture(good) },
    where: 'pipelines/rules.yml:18:3: E_VALUE',
  },
];

for (const c of refused) {
  test(`${c.name}: exit 2 with file:line:col, nothing run`, async () => {
    const dir = projectWith(c.files);
    const r = await cli(['rules', 'test', 'tests/bad.test.yml'], dir);
    assert.is(r.code, 2, r.stdout + r.stderr);
    assert.ok(r.stderr.startsWith(c.where), `stderr starts with ${c.where}:\n${r.stderr}`);
    assert.match(r.stderr, /error: 1 problem in the fixture or its rule files\n$/);
    assert.is(r.stdout, '');
  });
}

test('a missing fixture: exit 2 with a clear message', async () => {
  const dir = projectWith({});
  const r = await cli(['rules', 'test', 'tests/nope.test.yml'], dir);
  assert.is(r.code, 2);
  assert.is(r.stderr, 'error: tests/nope.test.yml: cannot read the fixture (ENOENT)\n');
});

test('no file: exit 2 with the usage', async () => {
  const r = await cli(['rules', 'test'], projectWith({}));
  assert.is(r.code, 2);
  assert.match(r.stderr, 'usage: pluginops rules test FILE... [--json]');
});

test('a series no rule reads, or a value that is not one, fails its test with the reason', async () => {
  const dir = projectWith({
    'tests/odd.test.yml': fixture(`${good}  - name: nobody reads it
    series:
      - source: { metric: nobody_reads_this }
        values: "1 2"
    expect:
      - { at: 0m, rule: queue-deep, state: ok }
  - name: a bad value
    series:
      - source: { metric: queue_depth }
        values: "1 2 three"
    expect:
      - { at: 0m, rule: queue-deep, state: ok }
`),
  });
  const r = await cli(['rules', 'test', 'tests/odd.test.yml'], dir);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /✗ nobody reads it\n {6}at -: test "nobody reads it": no rule reads the series \{"metric":"nobody_reads_this"\}/);
  assert.match(r.stdout, /✗ a bad value\n {6}at -: "three" is not a value; expected a number, _, NaN, or a\+bxn \/ axn/);
  assert.ok(r.stdout.endsWith('1 passed, 2 failed\n'));
});

const expansions: Array<[string, Array<number | undefined>]> = [
  ['1+2x3', [1, 3, 5, 7]],
  ['10-2x2', [10, 8, 6]],
  ['5x2', [5, 5, 5]],
  ['0.5x0', [0.5]],
  ['-1.5 1e2', [-1.5, 100]],
  ['_', [undefined]],
  ['1 _ 3', [1, undefined, 3]],
  ['  7   8  ', [7, 8]],
  ['', []],
];

for (const [text, expected] of expansions) {
  test(`expandValues(${JSON.stringify(text)})`, () => {
    assert.equal(expandValues(text), expected);
  });
}

test('expandValues: NaN is a NaN sample; a list keeps numbers and reads null as no sample', () => {
  const [nan] = expandValues('NaN');
  assert.ok(Number.isNaN(nan));
  assert.equal(expandValues([1, null, 3]), [1, undefined, 3]);
});

for (const bad of ['abc', '1x', 'x3', '1..2x3', '.x2', '1+.x2', '1,2']) {
  test(`expandValues refuses ${JSON.stringify(bad)}`, () => {
    assert.throws(() => expandValues(bad), (e: unknown) => e instanceof FixtureError && e.message === `"${bad}" is not a value; expected a number, _, NaN, or a+bxn / axn`);
  });
}

test('expandValues refuses an expansion past 100,000 values', () => {
  assert.throws(() => expandValues('1x100001'), (e: unknown) => e instanceof FixtureError && /expands to more than 100,000 values/.test((e as Error).message));
});

test.run();
