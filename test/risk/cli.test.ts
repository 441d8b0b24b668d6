// The delivery risk through the CLI as users run it: `plan WORKFLOW --risk` over a store seeded
// with past runs, `plan --changed --risk --conflicts` in real git repositories (and a shallow
// clone without the base), `stats --risk` on a generated history and on an empty store, and the
// usage errors of the new flags.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ConflictReport } from '../../src/risk/types.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ChangeSummary, RiskAssessment } from '../../src/store/risk.ts';
import type { ExecutionRecord } from '../../src/store/types.ts';
import { change as commitChange, git, manifest, repo } from '../changed/repo.ts';
import { cli, project } from '../cli/helpers.ts';
import { change, generated, hourMs, record, repeat, steps, type RunSpec } from './history.ts';

const projectFile = 'apiVersion: pluginops/v1\nkind: Project\n';
/** The four steps the synthetic records have, as `run:` steps. */
const deliver = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: deliver }
spec:
  steps:
${steps.map((id, i) => `    - id: ${id}\n      run: echo ${id}\n${i ? `      needs: [${steps[i - 1]}]\n` : ''}`).join('')}`;

/** Records of `specs`, one an hour, the newest ending an hour ago. */
function past(specs: readonly RunSpec[]): ExecutionRecord[] {
  const first = Date.now() - (specs.length + 1) * hourMs;
  return specs.map((s, i) => record(s, first + i * hourMs, i));
}

/** A project with the `deliver` workflow and its store holding `records`. */
async function seeded(records: readonly ExecutionRecord[]): Promise<string> {
  const dir = project({ 'pluginops.yml': projectFile, 'pipelines/deliver.yml': deliver });
  const store = await openFileStore(join(dir, '.pluginops'));
  try {
    for (const r of records) await store.create(r);
  } finally {
    await store.close();
  }
  return dir;
}

const noTrace = (text: string) => assert.not.match(text, /\n\s+at \S/, 'no stack trace');

test('plan --risk: too little history gives no number and says why', async () => {
  const dir = await seeded(past(repeat(3, () => ({ status: 'failed' }))));

  const r = await cli(['plan', 'deliver', '--risk'], dir);

  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'Workflow deliver');
  assert.match(r.stdout, 'risk: unknown — not enough data: 3 finished runs of deliver, 5 needed\n');
});

test('plan --risk: a step that always fails is high risk, with each factor in words; --format json has the score and factors', async () => {
  const dir = await seeded(past(repeat(20, () => ({ status: 'failed', failedAt: 'test' }))));

  const text = await cli(['plan', 'deliver', '--risk'], dir);
  const json = await cli(['plan', 'deliver', '--risk', '--format', 'json'], dir);

  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /^risk: high \(score 0\.\d\d, confidence \w+, 20 finished runs\)$/m);
  assert.match(text.stdout, /^ {2}workflow failures +1\.00 × 3 +20 of the last 20 runs failed$/m);
  assert.match(text.stdout, /^ {2}step failures +1\.00 × 3 +step test failed 20 of the last 20 times it ran$/m);
  assert.match(text.stdout, /^ {2}since last success +1\.00 × 1 +never succeeded$/m);
  assert.match(text.stdout, /^ {2}off hours +[01]\.00 × 0\.5 /m);
  assert.is(json.code, 0, json.stderr);
  const { risk, steps: rows } = JSON.parse(json.stdout) as { risk: RiskAssessment; steps: Array<{ step: string }> };
  assert.equal(rows.map((s) => s.step), [...steps]);
  assert.is(risk.level, 'high');
  assert.type(risk.score, 'number');
  assert.ok(risk.score! >= 0.6, `score ${risk.score}`);
  assert.is(risk.history, 20);
  assert.equal(risk.factors.find((f) => f.name === 'stepFailures'), { name: 'stepFailures', value: 1, weight: 3, detail: 'step test failed 20 of the last 20 times it ran' });
});

// A plugin whose Python file has a branchy function (complexity 7: if, elif, and, for, if, or);
// ours and another branch edit the same line of it.
const alpha = 'plugins/alpha/backend/plugin.py';
const pluginPy = (check: string) => [
  'def route(kind, item):',
  '    if kind == "a":',
  `        return ${check}`,
  '    elif kind == "b" and item:',
  '        return 2',
  '    for x in item or []:',
  '        if x:',
  '            return x',
  '    return 0',
  '',
].join('\n');
const gitProject = {
  'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\nplugins: [plugins]\n',
  'pipelines/deliver.yml': 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: deliver }\nspec:\n  steps:\n    - id: a\n      run: echo hi\n',
  'plugins/alpha/config/plugin.json': manifest('alpha'),
  [alpha]: pluginPy('1'),
  'plugins/beta/plugin.json': manifest('beta'),
  'plugins/beta/backend/plugin.py': 'print("beta")\n',
};

/** main; `other` edits the line of route() that `feature` (ours, checked out) edits too. */
function conflicting(): string {
  const dir = repo(gitProject);
  commitChange(dir, { [alpha]: pluginPy('"ours"') });
  git(dir, 'checkout', '-q', '-b', 'other', 'main');
  commitChange(dir, { [alpha]: pluginPy('"theirs"') });
  git(dir, 'checkout', '-q', 'feature');
  return dir;
}

test('plan --changed --risk --conflicts: the other branch on the same lines is high; json has the branch, the change and its touched function', async () => {
  const dir = conflicting();

  const text = await cli(['plan', '--changed', '--base', 'main', '--risk', '--conflicts'], dir);
  const json = await cli(['plan', '--changed', '--base', 'main', '--risk', '--conflicts', '--format', 'json'], dir);

  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /^plugins\/alpha +alpha@1\.0\.0 /m);
  assert.match(text.stdout, /^ {4}complexity +7 {2}route {2}plugins\/alpha\/backend\/plugin\.py:1$/m);
  assert.match(text.stdout, /^Merge-conflict risk: high \(1 other branch compared\)$/m);
  assert.match(text.stdout, /^ {2}other by Test: high, conflicts: yes \(plugins\/alpha\/backend\/plugin\.py\)$/m);
  assert.is(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { plugins: Array<{ path: string; change: ChangeSummary }>; conflicts: ConflictReport };
  assert.equal(out.plugins.map((p) => p.path), ['plugins/alpha']);
  const c = out.plugins[0]!.change;
  assert.equal([c.files, c.linesAdded, c.linesDeleted, c.codeFiles, c.testFiles], [1, 1, 1, 1, 0]);
  assert.equal(c.functions, [{ file: alpha, name: 'route', line: 1, endLine: 9, complexity: 7, language: 'python' }]);
  assert.is(c.maxComplexity, 7);
  assert.is(c.base, git(dir, 'rev-parse', 'main').trim());
  assert.is(out.conflicts.level, 'high');
  assert.is(out.conflicts.overlaps[0]!.other.branch, 'other');
  assert.is(out.conflicts.overlaps[0]!.level, 'high');
  assert.equal(out.conflicts.overlaps[0]!.files.map((f) => [f.path, f.distance]), [[alpha, 0]]);
});

test('plan --changed --risk --conflicts in a shallow clone without the base: exit 1, fetch-depth: 0, no stack trace', async () => {
  const origin = conflicting();
  const clone = `${origin}-shallow`;
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, clone], { stdio: 'ignore' });

  const r = await cli(['plan', '--changed', '--base', 'main', '--risk', '--conflicts'], clone);

  assert.is(r.code, 1, r.stdout);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'unknown base ref "main"');
  assert.match(r.stderr, 'fetch-depth: 0');
  noTrace(r.stderr);
});


test('stats --risk: on a history whose failures follow the change, the calibration beats the base rate and is in use', async () => {
  const dir = await seeded(past(generated(7, 300)));

  const text = await cli(['stats', '--risk'], dir);
  const json = await cli(['stats', '--risk', '--json'], dir);

  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /^scored past runs: 295 \(\d+ failed, base rate \d+%\)$/m);
  assert.match(text.stdout, /^held out \(newest 89, \d+ failed\) — Brier score: calibrated 0\.\d{4}, base rate 0\.\d{4}, weighted score 0\.\d{4} \(lower is better\)$/m);
  assert.match(text.stdout, /^calibration: in use/m);
  assert.match(text.stdout, /^coefficients \(log-odds\): intercept -?\d/m);
  assert.is(json.code, 0, json.stderr);
  const { calibration: c } = JSON.parse(json.stdout) as { calibration: { usable: boolean; runs: number; heldOut: { brier: { model: number; baseRate: number } } } };
  assert.ok(c.usable);
  assert.is(c.runs, 295);
  assert.ok(c.heldOut.brier.model < c.heldOut.brier.baseRate, `${c.heldOut.brier.model} < ${c.heldOut.brier.baseRate}`);
});

test('stats --risk on an empty store: the calibration is not in use, for want of data', async () => {
  const dir = await seeded([]);

  const text = await cli(['stats', '--risk'], dir);
  const json = await cli(['stats', '--risk', '--json'], dir);

  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, 'scored past runs: 0 (0 failed, base rate 0%)\n');
  assert.match(text.stdout, /^calibration: not in use — not enough data: 0 scored runs/m);
  assert.not.match(text.stdout, 'latest assessments');
  assert.equal(JSON.parse(json.stdout), {
    calibration: { usable: false, runs: 0, failures: 0, baseRate: 0, reason: 'not enough data: 0 scored runs (0 failed, 0 succeeded); the calibration needs 50 with at least 5 of each' },
    latest: [],
  });
});

const usage: Array<[string, string[], string | RegExp]> = [
  ['--base without --risk', ['plan', 'deliver', '--base', 'main'], /^error: --base goes with .*--risk/m],
  ['--risk --base without --plugin', ['plan', 'deliver', '--risk', '--base', 'main'], "--base measures a plugin's change: add --plugin DIR"],
  ['--changed --format matrix with --conflicts', ['plan', '--changed', '--base', 'main', '--format', 'matrix', '--conflicts'], '--format matrix prints only the matrix; use text or json with --risk or --conflicts'],
];
for (const [name, argv, message] of usage) {
  test(`usage error, exit 2: ${name}`, async () => {
    const dir = repo(gitProject);

    const r = await cli(argv, dir);

    assert.equal([r.code, r.stdout], [2, '']);
    assert.match(r.stderr, typeof message === 'string' ? `error: ${message}` : message);
    noTrace(r.stderr);
  });
}

test.run();
