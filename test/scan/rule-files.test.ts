// Rule files: extra files add rules and replace default ones by id, `disable` turns rules off, and
// a bad file is reported at file:line:col with a stable code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { formatDiagnostic } from '../../src/documents/diagnostics.ts';
import { RuleFileError, parseRuleFile } from '../../src/plugins/scan/rule-file.ts';
import { loadRuleSet } from '../../src/plugins/scan/rule-set.ts';
import { lines, removeTempDirs, scanTree, tempTree, where } from './helpers.ts';

test.after(removeTempDirs);

const extra = lines(
  'rules:',
  '  - id: python.eval',
  '    severity: low',
  '    languages: [python]',
  "    pattern: '\\beval\\('",
  '    message: eval is tolerated here',
  '    fix: Prefer ast.literal_eval.',
  '  - id: custom.print',
  '    severity: medium',
  '    languages: [python, javascript]',
  '    patterns: [\'\\bprint\\(\', \'console\\.log\\(\']',
  '    message: debug output left in',
  '    fix: Use the plugin logger.',
);

test('an extra file adds rules and replaces a default rule with the same id', async () => {
  const dir = tempTree({ 'rules/extra.yml': extra });

  const set = await loadRuleSet({ files: [join(dir, 'rules/extra.yml')] });
  const scan = await scanTree({ 'p.py': lines('print(eval(x))'), 'w.js': lines('console.log(1);') }, { rules: set.rules });

  assert.equal(scan.findings.map((f) => [where(f), f.severity, f.message]), [
    ['custom.print@p.py:1:1', 'medium', 'debug output left in'],
    ['python.eval@p.py:1:7', 'low', 'eval is tolerated here'],
    ['custom.print@w.js:1:1', 'medium', 'debug output left in'],
  ]);
  assert.is(set.rules.filter((r) => r.id === 'python.eval').length, 1);
});

test('disable turns rules off and reports ids no rule has', async () => {
  const set = await loadRuleSet({ disable: ['python.input', 'python.nonexistent'] });

  const scan = await scanTree({ 'p.py': lines('name = input()', 'eval(name)') }, { rules: set.rules });

  assert.equal(scan.findings.map(where), ['python.eval@p.py:2:1']);
  assert.equal(set.unknownDisabled, ['python.nonexistent']);
  assert.not.ok(set.rules.some((r) => r.id === 'python.input'));
});

test('later files win over earlier ones; defaults can be left out', async () => {
  const dir = tempTree({
    'a.yml': lines('rules:', '  - { id: r.one, severity: low, languages: [any], pattern: one, message: first, fix: f }'),
    'b.yml': lines('rules:', '  - { id: r.one, severity: critical, languages: [any], pattern: one, message: second, fix: f }'),
  });

  const set = await loadRuleSet({ defaults: false, files: [join(dir, 'a.yml'), join(dir, 'b.yml')] });

  assert.equal(set.rules.map((r) => [r.id, r.severity, r.message]), [['r.one', 'critical', 'second']]);
});

const bad: Array<{ name: string; text: string; expected: string[] }> = [
  {
    name: 'YAML syntax',
    text: lines('rules:', '  - id: "r.one', '    severity: low'),
    expected: ['^bad\\.yml:2:9: E_YAML_SYNTAX Missing closing "quote$'],
  },
  {
    name: 'an unknown severity',
    text: lines('rules:', '  - id: r.one', '    severity: urgent', '    languages: [python]', '    pattern: x', '    message: m', '    fix: f'),
    expected: ['^bad\\.yml:3:15: E_VALUE `rules\\[0\\]\\.severity` is "urgent", expected one of: low, medium, high, critical$'],
  },
  {
    name: 'an unknown key',
    text: lines('rules:', '  - id: r.one', '    severity: low', '    languages: [python]', '    pattern: x', '    mesage: m', '    fix: f'),
    expected: ['^bad\\.yml:2:5: E_REQUIRED `rules\\[0\\]` is missing the required key `message`$', '^bad\\.yml:6:5: E_UNKNOWN_KEY unknown key `mesage` in `rules\\[0\\]`; did you mean `message`\\?'],
  },
  {
    name: 'an invalid regular expression',
    text: lines('rules:', '  - id: r.one', '    severity: low', '    languages: [any]', "    pattern: 'eval\\(('", '    message: m', '    fix: f'),
    expected: ['^bad\\.yml:5:14: E_VALUE `rules\\[0\\]\\.pattern` is not a valid regular expression \\(.*Unterminated group\\); expected a JavaScript regular expression source$'],
  },
  {
    name: 'neither pattern nor patterns',
    text: lines('rules:', '  - id: r.one', '    severity: low', '    languages: [any]', '    message: m', '    fix: f'),
    expected: ['^bad\\.yml:2:5: E_REQUIRED rule `r.one` has neither `pattern` nor `patterns`; expected one of them$'],
  },
  {
    name: 'an id used twice',
    text: lines('rules:', '  - { id: r.one, severity: low, languages: [any], pattern: a, message: m, fix: f }', '  - { id: r.one, severity: low, languages: [any], pattern: b, message: m, fix: f }'),
    expected: ['^bad\\.yml:3:11: E_DUPLICATE_ID rule id `r.one` is used twice in this file'],
  },
  {
    name: 'an empty file',
    text: '# nothing here\n',
    expected: ['^bad\\.yml:1:1: E_REQUIRED the rule file is empty'],
  },
];

for (const c of bad) {
  test(`a rule file with ${c.name} is reported at its position`, () => {
    const { rules, diagnostics } = parseRuleFile('bad.yml', c.text);

    assert.equal(rules, []);
    const shown = diagnostics.map(formatDiagnostic);
    assert.is(shown.length, c.expected.length, shown.join('\n'));
    c.expected.forEach((re, i) => assert.match(shown[i]!, new RegExp(re)));
  });
}

test('loadRuleSet throws one error naming every bad file with file:line:col; a missing file is reported too', async () => {
  const dir = tempTree({ 'rules/bad.yml': lines('rules:', '  - id: 9bad', '    severity: low') });

  const error = await loadRuleSet({ files: [join(dir, 'rules/bad.yml'), join(dir, 'rules/missing.yml')], display: (p) => p.slice(dir.length + 1) }).catch((e: unknown) => e);

  assert.instance(error, RuleFileError);
  const shown = (error as RuleFileError).diagnostics.map(formatDiagnostic);
  assert.ok(shown.some((s) => s.startsWith('rules/bad.yml:2:9: E_VALUE `rules[0].id` is "9bad"')), shown.join('\n'));
  assert.ok(shown.includes('rules/missing.yml:1:1: E_FILE_NOT_FOUND the rule file does not exist'), shown.join('\n'));
  assert.match((error as Error).message, /rules\/bad\.yml:2:9/);
});

test('the built-in suppression rule id cannot be redefined', () => {
  const { diagnostics } = parseRuleFile('r.yml', lines('rules:', '  - { id: suppression-without-reason, severity: low, languages: [any], pattern: a, message: m, fix: f }'));

  assert.equal(diagnostics.map(formatDiagnostic), ['r.yml:2:11: E_VALUE rule id `suppression-without-reason` is built in; expected another id']);
});

test.run();
