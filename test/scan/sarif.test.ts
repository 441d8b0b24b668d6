// The SARIF log: valid against the OASIS 2.1.0 schema, byte-identical for the same tree, levels
// and security-severity by severity, stable fingerprints, suppressions with their justification.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleSet } from '../../src/plugins/scan/rule-set.ts';
import { sarifText, toSarif } from '../../src/plugins/scan/sarif.ts';
import { lines, removeTempDirs, scanTree, tempTree } from './helpers.ts';

test.after(removeTempDirs);

const addFormats = addFormatsModule as unknown as { default: (a: Ajv) => void };
// The OASIS SARIF 2.1.0 schema (draft-07), as GitHub code scanning and other consumers read it.
const schemaPath = join(import.meta.dirname, '..', 'fixtures', 'sarif-2.1.0.schema.json');
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

const tree = {
  'backend/plugin.py': lines(
    'import os, pickle',
    'x = eval(a)  # pluginops: ignore[python.eval] -- constant input',
    'y = eval(b)',
    'os.system(cmd)',
    'name = input()',
    'z = eval(c)  # pluginops: ignore[python.eval]',
  ),
  'my dir/app.js': lines('eval(x);', 'eval(x);'),
  '.env': `AWS_KEY=${'AKIA' + 'Q7ZX3M2P9WLRT4VB'}\n`,
};

test('the SARIF log validates against the SARIF 2.1.0 schema', async () => {
  const scan = await scanTree(tree);

  const log = JSON.parse(sarifText(scan, { uriPrefix: 'plugins/demo' })) as unknown;

  assert.ok(validate(log), ajv.errorsText(validate.errors));
  assert.ok(scan.findings.length >= 6 && scan.suppressed.length === 1);
  // The validator bites: a wrong level is rejected.
  const broken = toSarif(scan) as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
  broken.runs[0]!.results[0]!.level = 'fatal';
  assert.not.ok(validate(broken));
});

test('the same tree gives byte-identical SARIF, wherever it lies', async () => {
  const [a, b] = [await scanTree(tree), await scanTree(tree)];
  assert.is.not(a.root, b.root);

  assert.is(sarifText(a), sarifText(b));
  assert.is(sarifText(a), sarifText(await scanTree(tree)));
});

test('run shape: tool pluginops, %SRCROOT% relative URIs (encoded, with prefix), regions, rule indexes', async () => {
  const scan = await scanTree(tree);

  const log = toSarif(scan, { uriPrefix: 'plugins/demo' });

  assert.is(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  const run = log.runs[0];
  assert.is(run.tool.driver.name, 'pluginops');
  const first = run.results.find((r) => r.ruleId === 'python.os-system')!;
  assert.equal(first.locations[0]?.physicalLocation, { artifactLocation: { uri: 'plugins/demo/backend/plugin.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 1 } });
  assert.equal(run.results.filter((r) => r.ruleId === 'js.eval').map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri), ['plugins/demo/my%20dir/app.js', 'plugins/demo/my%20dir/app.js']);
  for (const r of run.results) assert.is(run.tool.driver.rules[r.ruleIndex]?.id, r.ruleId);
  const rule = run.tool.driver.rules.find((r) => r.id === 'python.os-system')!;
  assert.equal(rule, {
    id: 'python.os-system',
    shortDescription: { text: 'os.system() / os.popen() run a command through the shell' },
    fullDescription: { text: 'os.system() / os.popen() run a command through the shell (CWE-78)' },
    help: { text: 'Use subprocess.run([...]) with a list of arguments and shell=False.' },
    defaultConfiguration: { level: 'error' },
    properties: { 'security-severity': '8.0', tags: ['security', 'external/cwe/cwe-78'] },
  });
});

test('suppressed findings are results with an inSource suppression and the justification; reasonless markers are results', async () => {
  const run = toSarif(await scanTree(tree)).runs[0];

  const suppressed = run.results.filter((r) => r.suppressions);
  assert.equal(suppressed.map((r) => [r.ruleId, r.locations[0]?.physicalLocation.region.startLine, r.suppressions]), [
    ['python.eval', 2, [{ kind: 'inSource', justification: 'constant input' }]],
  ]);
  const marker = run.results.find((r) => r.ruleId === 'suppression-without-reason');
  assert.equal([marker?.level, marker?.locations[0]?.physicalLocation.region], ['warning', { startLine: 6, startColumn: 14 }]);
});

const levels = [
  { severity: 'critical', level: 'error', score: '9.5' },
  { severity: 'high', level: 'error', score: '8.0' },
  { severity: 'medium', level: 'warning', score: '5.5' },
  { severity: 'low', level: 'note', score: '3.0' },
] as const;

test('severities become levels and security-severity scores, on rules and on results', async () => {
  const dir = tempTree({ 'rules.yml': lines('rules:', ...levels.map((l) => `  - { id: t.${l.severity}, severity: ${l.severity}, languages: [any], pattern: '\\b${l.severity}\\b', message: m, fix: f }`)) });
  const set = await loadRuleSet({ defaults: false, files: [join(dir, 'rules.yml')] });
  const scan = await scanTree({ 'a.txt': lines(...levels.map((l) => l.severity)) }, { rules: set.rules });

  const run = toSarif(scan).runs[0];

  for (const l of levels) {
    const rule = run.tool.driver.rules.find((r) => r.id === `t.${l.severity}`);
    const result = run.results.find((r) => r.ruleId === `t.${l.severity}`);
    assert.equal([rule?.defaultConfiguration.level, rule?.properties['security-severity'], rule?.properties.tags, result?.level], [l.level, l.score, ['security'], l.level], l.severity);
  }
});

test('fingerprints survive lines moving, and equal lines get distinct occurrence numbers', async () => {
  const before = toSarif(await scanTree({ 'a.py': lines('eval(x)', 'eval(x)') })).runs[0].results;
  const after = toSarif(await scanTree({ 'a.py': lines('', '# moved down', 'eval(x)', 'eval(x)') })).runs[0].results;

  const prints = (rs: typeof before) => rs.map((r) => r.partialFingerprints.primaryLocationLineHash);
  assert.equal(prints(before), prints(after));
  assert.match(prints(before)[0]!, /^[0-9a-f]{16}:1$/);
  assert.match(prints(before)[1]!, /^[0-9a-f]{16}:2$/);
  assert.is(prints(before)[0]!.split(':')[0], prints(before)[1]!.split(':')[0]);
  assert.is.not(prints(before)[0], prints(toSarif(await scanTree({ 'b.py': lines('eval(x)') })).runs[0].results)[0]);
});

test('an empty scan is still a valid log with the rule list', async () => {
  const scan = await scanTree({ 'clean.py': 'print("hello")\n' });

  const log = toSarif(scan);

  assert.ok(validate(log), ajv.errorsText(validate.errors));
  assert.equal(log.runs[0].results, []);
  assert.ok(log.runs[0].tool.driver.rules.some((r) => r.id === 'suppression-without-reason'));
});

test.run();
