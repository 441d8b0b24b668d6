// The `plugin/security-scan` step with a hand-built StepContext: which plugin, failOn from the
// input / the project / the default, outputs, the SARIF file, merged project rules, a bad rule
// file, and bandit through the context's spawner.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstProblem } from '../../src/documents/schema-check.ts';
import { StepFailure } from '../../src/engine/step.ts';
import { maxReportBytes, reportJson } from '../../src/steps/plugin-security-scan/report.ts';
import { securityScanStep } from '../../src/steps/plugin-security-scan/index.ts';
import type { Finding } from '../../src/plugins/scan/finding.ts';
import { FakeSpawner, banditJson, binDir, fakeSecrets, lines, removeTempDirs, stepContext, tempDir, tempTree } from './helpers.ts';

test.after(removeTempDirs);

/** A workspace holding plugins/demo with one high (eval), one medium (__import__) and one low (input) finding. */
function workspace(extra: Record<string, string> = {}): { ws: string; plugin: string } {
  const ws = tempTree({
    'plugins/demo/backend/plugin.py': lines('import os', 'mod = __import__(name)', 'value = eval(text)', 'answer = input()'),
    'plugins/demo/README.md': 'docs\n',
    ...extra,
  });
  return { ws, plugin: join(ws, 'plugins/demo') };
}

const run = async (h: ReturnType<typeof stepContext>) => securityScanStep.handler(h.ctx).then(() => undefined, (e: unknown) => e);

const failOnCases: Array<{ name: string; input?: 'low' | 'medium' | 'high' | 'critical' | 'none'; project?: 'low' | 'medium' | 'high' | 'critical'; fails?: RegExp }> = [
  { name: 'default high fails on the eval', fails: /^1 finding at or above high \(1 high\): python\.eval at backend\/plugin\.py:3:9 eval\(\) runs arbitrary code/ },
  { name: 'project critical passes', project: 'critical' },
  { name: 'input medium overrides project critical', input: 'medium', project: 'critical', fails: /^2 findings at or above medium \(1 high, 1 medium\): python\.dynamic-import at backend\/plugin\.py:2:7 .*; and 1 more$/ },
  { name: 'project low counts every finding', project: 'low', fails: /^3 findings at or above low \(1 high, 1 medium, 1 low\)/ },
  { name: 'none never fails', input: 'none', project: 'low' },
];

for (const c of failOnCases) {
  test(`failOn: ${c.name}`, async () => {
    const { ws, plugin } = workspace();
    const h = stepContext({ workspace: ws, plugin, inputs: c.input ? { failOn: c.input } : {}, ...(c.project ? { security: { failOn: c.project } } : {}) });

    const error = await run(h);

    if (c.fails) {
      assert.instance(error, StepFailure);
      assert.match((error as Error).message, c.fails);
    } else assert.is(error, undefined);
    // Outputs are set either way.
    assert.equal([h.outputs.findings, h.outputs.critical, h.outputs.high, h.outputs.medium, h.outputs.low, h.outputs.suppressed], ['3', '0', '1', '1', '1', '0']);
  });
}

test('outputs: report JSON of the findings, the SARIF path; every finding logged as severity rule file:line:col message', async () => {
  const { ws, plugin } = workspace({ 'plugins/demo/config/plugin.json': JSON.stringify({ id: 'demo-plugin' }) });
  const h = stepContext({ workspace: ws, plugin, inputs: { failOn: 'none' } });

  await securityScanStep.handler(h.ctx);

  const report = JSON.parse(h.outputs.report ?? '') as Array<Record<string, unknown>>;
  assert.equal(report.map((f) => [f.ruleId, f.file, f.line, f.col]), [
    ['python.dynamic-import', 'backend/plugin.py', 2, 7], ['python.eval', 'backend/plugin.py', 3, 9], ['python.input', 'backend/plugin.py', 4, 10],
  ]);
  assert.equal(Object.keys(report[0]!).sort(), ['col', 'cwe', 'file', 'fix', 'line', 'message', 'ruleId', 'severity', 'snippet']);
  // The manifest is invalid for plugin/validate, so its id is not trusted: the directory names the file.
  assert.is(h.outputs.sarif, join(ws, '.pluginops', 'reports', 'demo.sarif'));
  assert.equal(h.artifacts, [{ name: 'demo.sarif', path: h.outputs.sarif, size: readFileSync(h.outputs.sarif!).length }]);
  const sarif = JSON.parse(readFileSync(h.outputs.sarif!, 'utf8')) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
  assert.is(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'plugins/demo/backend/plugin.py');
  const findingLogs = h.logs.filter((l) => l.level === 'warn').map((l) => l.message);
  assert.equal(findingLogs, [
    'medium python.dynamic-import backend/plugin.py:2:7 __import__() loads a module chosen at run time',
    'high python.eval backend/plugin.py:3:9 eval() runs arbitrary code built from its argument',
    'low python.input backend/plugin.py:4:10 input() reads from the console, which a plugin running as a service does not have (and evaluates it under Python 2)',
  ]);
  assert.ok(h.logs.some((l) => /^scanned 3 files with \d+ rules: 3 findings \(0 critical, 1 high, 1 medium, 1 low\), 0 suppressed; SARIF in /.test(l.message)));
});

test('a valid manifest names the default SARIF file; `sarif` puts it elsewhere, relative to the workspace', async () => {
  const manifest = JSON.stringify({ id: 'hello-world', name: 'Hello', version: '1.0.0', runtime: 'python', entry: 'backend/plugin.py' });
  const { ws, plugin } = workspace({ 'plugins/demo/config/plugin.json': manifest });

  const byId = stepContext({ workspace: ws, plugin, inputs: { failOn: 'none' } });
  await securityScanStep.handler(byId.ctx);
  const given = stepContext({ workspace: ws, plugin, inputs: { failOn: 'none', sarif: 'out/scan.sarif' } });
  await securityScanStep.handler(given.ctx);

  assert.is(byId.outputs.sarif, join(ws, '.pluginops', 'reports', 'hello-world.sarif'));
  assert.is(given.outputs.sarif, join(ws, 'out', 'scan.sarif'));
  assert.ok(existsSync(join(ws, 'out', 'scan.sarif')));
});

test('`path` is relative to the workspace; without a path or a --plugin the step fails clearly', async () => {
  const { ws } = workspace();

  const byPath = stepContext({ workspace: ws, inputs: { path: 'plugins/demo', failOn: 'none' } });
  await securityScanStep.handler(byPath.ctx);
  const neither = await run(stepContext({ workspace: ws }));
  const missing = await run(stepContext({ workspace: ws, inputs: { path: 'plugins/nope' } }));

  assert.is(byPath.outputs.findings, '3');
  assert.instance(neither, StepFailure);
  assert.match((neither as Error).message, /no plugin: run with --plugin PATH or give the step `with: \{ path: … \}`/);
  assert.instance(missing, StepFailure);
  assert.match((missing as Error).message, /the plugin directory .*plugins\/nope does not exist/);
});

test('project rules and disable merge with the step\'s: files relative to the project root', async () => {
  const { ws, plugin } = workspace({
    'project/rules/todo.yml': lines('rules:', "  - { id: custom.os-import, severity: critical, languages: [python], pattern: '^import os$', message: os imported, fix: f }"),
    'project/rules/eval.yml': lines('rules:', "  - { id: python.eval, severity: low, languages: [python], pattern: '\\beval\\(', message: tolerated, fix: f }"),
  });
  const h = stepContext({
    workspace: ws, plugin, projectRoot: join(ws, 'project'),
    security: { rules: ['rules/todo.yml'], disable: ['python.input'] },
    inputs: { rules: ['rules/eval.yml'], disable: ['python.dynamic-import', 'suppression-without-reason'], failOn: 'none' },
  });

  await securityScanStep.handler(h.ctx);

  const report = JSON.parse(h.outputs.report ?? '') as Finding[];
  assert.equal(report.map((f) => [f.ruleId, f.severity, f.line]), [['custom.os-import', 'critical', 1], ['python.eval', 'low', 3]]);
  assert.equal([h.outputs.critical, h.outputs.low], ['1', '1']);
  assert.ok(h.logs.some((l) => l.level === 'warn' && l.message === '`suppression-without-reason` is built in and cannot be disabled'));
});

test('a malformed rule file fails the step with file:line:col', async () => {
  const { ws, plugin } = workspace({ 'rules/bad.yml': lines('rules:', '  - id: broken', '    severity: severe', '    languages: [python]', '    pattern: x', '    message: m', '    fix: f') });
  const h = stepContext({ workspace: ws, plugin, inputs: { rules: ['rules/bad.yml'] } });

  const error = await run(h);

  assert.instance(error, StepFailure);
  assert.match((error as Error).message, /^the security rules are invalid: rules\/bad\.yml:3:15: E_VALUE `rules\[0\]\.severity` is "severe"/);
  assert.ok(h.logs.some((l) => l.level === 'error' && l.message.startsWith('rules/bad.yml:3:15: E_VALUE')));
  assert.is(h.outputs.findings, undefined);
});

test('suppressed findings are counted and logged with their reason, and do not fail the step', async () => {
  const ws = tempTree({ 'p/a.py': lines('eval(x)  # pluginops: ignore[python.eval] -- x is a literal table', `# ${fakeSecrets.aws}`) });
  const h = stepContext({ workspace: ws, plugin: join(ws, 'p'), inputs: { failOn: 'high' } });

  const error = await run(h);

  assert.instance(error, StepFailure);
  assert.match((error as Error).message, /^1 finding at or above high \(1 critical\): secret\.aws-access-key at a\.py:2:3/);
  assert.equal([h.outputs.findings, h.outputs.suppressed], ['1', '1']);
  assert.ok(h.logs.some((l) => l.message === 'suppressed high python.eval a.py:1:1 eval() runs arbitrary code built from its argument -- x is a literal table'));
  assert.not.match(h.outputs.report ?? '', fakeSecrets.aws);
});

test('bandit on PATH runs through the context\'s spawner and its findings count', async () => {
  const { ws, plugin } = workspace();
  const bin = binDir('bandit');
  const fake = new FakeSpawner({ bandit: { exitCode: 1, stdout: banditJson([{ filename: join(plugin, 'backend/plugin.py'), line_number: 1, col_offset: 0, issue_severity: 'HIGH', issue_text: 'os imported', test_id: 'B999' }]) } });
  const h = stepContext({ workspace: ws, plugin, spawn: fake.spawn, env: { PATH: bin }, inputs: { failOn: 'none' } });

  await securityScanStep.handler(h.ctx);

  assert.equal(fake.requests.map((r) => r.command), [join(bin, 'bandit')]);
  assert.equal([h.outputs.findings, h.outputs.high], ['4', '2']);
  assert.ok(h.logs.some((l) => l.message === 'high bandit.B999 backend/plugin.py:1:1 os imported'));
});

test('without bandit on PATH the step says so and spawns nothing', async () => {
  const { ws, plugin } = workspace();
  const fake = new FakeSpawner({});
  const h = stepContext({ workspace: ws, plugin, spawn: fake.spawn, env: { PATH: tempDir() }, inputs: { failOn: 'none' } });

  await securityScanStep.handler(h.ctx);

  assert.equal(fake.requests, []);
  assert.ok(h.logs.some((l) => l.message === 'bandit not found on PATH; skipped'));
});

test('inputs: unknown keys and bad failOn values are rejected by the schema', () => {
  assert.is(firstProblem(securityScanStep.inputs, { failOn: 'none', exclude: ['tests/**'] }, 'with'), undefined);
  assert.match(firstProblem(securityScanStep.inputs, { failon: 'high' }, 'with') ?? '', /unknown key `failon`/);
  assert.match(firstProblem(securityScanStep.inputs, { failOn: 'severe' }, 'with') ?? '', /failOn/);
});

test('the report stays valid JSON under 64 KiB, dropping findings that do not fit', () => {
  const finding: Finding = { ruleId: 'r', severity: 'low', file: 'a.py', line: 1, col: 1, message: 'm'.repeat(500), fix: 'f', snippet: 's', lineHash: 'h' };

  const text = reportJson(Array.from({ length: 500 }, (_, i) => ({ ...finding, line: i + 1 })));

  const parsed = JSON.parse(text) as Finding[];
  assert.ok(Buffer.byteLength(text) <= maxReportBytes);
  assert.ok(parsed.length > 100 && parsed.length < 500, String(parsed.length));
  assert.is(parsed.at(-1)?.line, parsed.length);
});

test.run();
