// External scanners through a fake Spawner: bandit's JSON merged (severities mapped, ids prefixed,
// columns 1-based), semgrep only with a local config, missing tools skipped with a log line, and
// failed or malformed output a warning that leaves the scan standing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { parseBandit } from '../../src/plugins/scan/external/bandit.ts';
import type { ExternalOptions } from '../../src/plugins/scan/external/types.ts';
import { scanPlugin } from '../../src/plugins/scan/scan.ts';
import type { LogLevel } from '../../src/store/types.ts';
import { FakeSpawner, banditJson, defaultRules, lines, removeTempDirs, scanTree, tempTree, where, type Canned } from './helpers.ts';

test.after(removeTempDirs);

const tree = {
  'backend/plugin.py': lines('import subprocess', 'subprocess.call(cmd, shell=True)', 'eval(x)'),
  'node_modules/dep/x.py': 'import os\n',
};

const banditResult = (file: string, line: number, col: number, severity: string, testId: string, text: string) => ({
  code: '', col_offset: col, end_col_offset: col + 4, filename: file, issue_confidence: 'HIGH',
  issue_cwe: { id: 78, link: 'https://cwe.mitre.org/data/definitions/78.html' }, issue_severity: severity, issue_text: text,
  line_number: line, line_range: [line], more_info: `https://bandit.readthedocs.io/en/latest/plugins/${testId.toLowerCase()}.html`, test_id: testId, test_name: 'x',
});

/** Scans `tree` with the given canned tools on "PATH". */
async function scanWith(canned: Record<string, Canned>, onPath: string[], extra: Partial<ExternalOptions> = {}) {
  const root = tempTree(tree);
  // Tools report paths as given on their command line: absolute here. ROOT in canned output stands for it.
  const fake = new FakeSpawner(Object.fromEntries(Object.entries(canned).map(([k, c]) => [k, { ...c, stdout: c.stdout?.replaceAll('ROOT', root) }])));
  const logs: Array<[LogLevel, string]> = [];
  const result = await scanPlugin({
    root, rules: await defaultRules(), log: (m, l) => logs.push([l, m]),
    external: {
      spawn: fake.spawn, env: { PATH: '/fake/bin' }, killGraceMs: 10, signal: new AbortController().signal,
      which: (p) => (onPath.includes(p) ? `/fake/bin/${p}` : undefined), ...extra,
    },
  });
  return { result, logs, requests: fake.requests, root };
}

test('bandit results are merged: ids prefixed, severities mapped, columns 1-based, paths made relative', async () => {
  const stdout = banditJson([
    banditResult('ROOT/backend/plugin.py', 2, 0, 'HIGH', 'B602', 'subprocess call with shell=True identified, security issue.'),
    banditResult('ROOT/backend/plugin.py', 1, 0, 'LOW', 'B404', 'Consider possible security implications associated with the subprocess module.'),
    banditResult('ROOT/node_modules/dep/x.py', 1, 0, 'LOW', 'B404', 'in a skipped directory'),
  ]);

  const { result, requests, root, logs } = await scanWith({ bandit: { stdout, exitCode: 1 } }, ['bandit']);

  assert.equal(requests.map((r) => [r.command, r.args, r.cwd]), [['/fake/bin/bandit', ['-r', '-f', 'json', '-q', root], root]]);
  assert.equal(result.findings.map((f) => [where(f), f.severity]), [
    ['bandit.B404@backend/plugin.py:1:1', 'low'],
    ['bandit.B602@backend/plugin.py:2:1', 'high'],
    ['python.subprocess-shell@backend/plugin.py:2:1', 'high'],
    ['python.eval@backend/plugin.py:3:1', 'high'],
  ]);
  const b602 = result.findings.find((f) => f.ruleId === 'bandit.B602')!;
  assert.equal([b602.cwe, b602.snippet, b602.fix], ['CWE-78', 'subprocess.call(cmd, shell=True)', 'See https://bandit.readthedocs.io/en/latest/plugins/b602.html']);
  assert.ok(result.rules.some((r) => r.id === 'bandit.B602' && r.severity === 'high'));
  assert.ok(!result.rules.some((r) => r.message === 'in a skipped directory'));
  assert.ok(logs.some(([l, m]) => l === 'info' && m === 'bandit: 3 findings'));
});

test('an inline marker suppresses an external finding too', async () => {
  const root = tempTree({ 'a.py': lines('import pickle  # pluginops: ignore[bandit.B403] -- only reads our own cache') });
  const fake = new FakeSpawner({ bandit: { stdout: banditJson([banditResult(join(root, 'a.py'), 1, 0, 'LOW', 'B403', 'pickle')]) } });

  const result = await scanPlugin({ root, rules: [], external: { spawn: fake.spawn, env: {}, killGraceMs: 10, signal: new AbortController().signal, which: () => '/bin/bandit' } });

  assert.equal(result.findings, []);
  assert.equal(result.suppressed.map((s) => [where(s), s.justification]), [['bandit.B403@a.py:1:1', 'only reads our own cache']]);
});

const broken: Array<{ name: string; canned: Canned; warning: RegExp }> = [
  { name: 'output that is not JSON', canned: { stdout: 'Traceback (most recent call last):\n  boom', stderr: 'ImportError: no module', exitCode: 2 }, warning: /^bandit \(exit 2\): output is not JSON .*; stderr: ImportError: no module; its results are left out$/ },
  { name: 'JSON of the wrong shape', canned: { stdout: JSON.stringify({ results: [{ filename: 3 }] }) }, warning: /^bandit \(exit 0\): `results\[0\]` is a map: must have required property 'line_number'; its results are left out$/ },
  { name: 'no output at all', canned: { stdout: '', exitCode: 1 }, warning: /^bandit \(exit 1\): output is not JSON/ },
  { name: 'a program that cannot start', canned: { fail: true }, warning: /^bandit could not run: could not start \/fake\/bin\/bandit/ },
];

for (const c of broken) {
  test(`bandit with ${c.name}: a warning, and the scan's own findings stand`, async () => {
    const { result, logs } = await scanWith({ bandit: c.canned }, ['bandit']);

    assert.equal(result.findings.map(where), ['python.subprocess-shell@backend/plugin.py:2:1', 'python.eval@backend/plugin.py:3:1']);
    const warnings = logs.filter(([l]) => l === 'warn').map(([, m]) => m);
    assert.is(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, c.warning);
  });
}

test('missing tools are skipped with a log line and never spawned', async () => {
  const { result, logs, requests } = await scanWith({}, []);

  assert.equal(requests, []);
  assert.ok(logs.some(([l, m]) => l === 'debug' && m === 'bandit not found on PATH; skipped'), JSON.stringify(logs));
  assert.is(result.findings.length, 2);
});

test('semgrep runs only with a local config, and its results are merged', async () => {
  const semgrepOut = JSON.stringify({
    version: '1.0.0', errors: [], paths: { scanned: [] },
    results: [{
      check_id: 'python.lang.security.audit.eval-detected', path: 'ROOT/backend/plugin.py',
      start: { line: 3, col: 1, offset: 40 }, end: { line: 3, col: 8, offset: 47 },
      extra: { message: 'Detected the use of eval().\n', severity: 'WARNING', metadata: { cwe: ['CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code'] }, lines: 'eval(x)' },
    }],
  });
  const configDir = tempTree({ 'semgrep.yml': 'rules: []\n' });

  const without = await scanWith({ semgrep: { stdout: semgrepOut } }, ['semgrep']);
  const withConfig = await scanWith({ semgrep: { stdout: semgrepOut } }, ['semgrep'], { semgrepConfig: join(configDir, 'semgrep.yml') });
  const missingConfig = await scanWith({ semgrep: { stdout: semgrepOut } }, ['semgrep'], { semgrepConfig: join(configDir, 'nope.yml') });

  assert.equal(without.requests, []);
  assert.equal(withConfig.requests.map((r) => r.args), [['--json', '--quiet', '--metrics=off', '--disable-version-check', '--config', join(configDir, 'semgrep.yml'), withConfig.root]]);
  const found = withConfig.result.findings.find((f) => f.ruleId.startsWith('semgrep.'));
  assert.equal(found && [where(found), found.severity, found.message, found.cwe], ['semgrep.python.lang.security.audit.eval-detected@backend/plugin.py:3:1', 'medium', 'Detected the use of eval().', 'CWE-95']);
  assert.equal(missingConfig.requests, []);
  assert.ok(missingConfig.logs.some(([l, m]) => l === 'warn' && /nope\.yml does not exist; skipped$/.test(m)));
});

test('parseBandit keeps relative paths relative to the root and drops paths outside it', () => {
  const out = parseBandit(banditJson([banditResult('./a.py', 4, 2, 'MEDIUM', 'B101', 'assert'), banditResult('/elsewhere/b.py', 1, 0, 'HIGH', 'B102', 'exec')]), '/plugin');

  assert.equal(out, { hits: [{ ruleId: 'bandit.B101', severity: 'medium', file: 'a.py', line: 4, col: 3, message: 'assert', fix: 'See https://bandit.readthedocs.io/en/latest/plugins/b101.html', cwe: 'CWE-78' }] });
});

test.run();
