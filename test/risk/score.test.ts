// The failure risk of a run from synthetic histories: the factors, the weighted score and its
// level, "not enough data", and the calibration on a few hundred generated runs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assessRun } from '../../src/risk/assess.ts';
import { riskConfig } from '../../src/risk/config.ts';
import { change, generated, history, hourMs, random, repeat, start, steps, type RunSpec } from './history.ts';

const config = riskConfig();
const next = (n: number) => start + n * hourMs + hourMs / 2;
const assess = (specs: RunSpec[], o: { change?: ReturnType<typeof change>; plugin?: string; cfg?: ReturnType<typeof riskConfig> } = {}) =>
  assessRun(history(specs), { workflow: 'deliver', steps, now: next(specs.length), pluginId: o.plugin, change: o.change }, o.cfg ?? config);


const score = suite('risk score');

const table: Array<{ name: string; runs: RunSpec[]; level: string; min?: number; max?: number; factor?: [string, number] }> = [
  { name: 'a workflow that always fails at the same step', runs: repeat(20, () => ({ status: 'failed', failedAt: 'test' })), level: 'high', min: 0.6, factor: ['stepFailures', 1] },
  { name: 'a steady workflow', runs: repeat(20, () => ({ status: 'success' })), level: 'low', max: 0.1, factor: ['workflowFailures', 0] },
  { name: 'every other run fails', runs: repeat(20, (i) => ({ status: i % 2 ? 'failed' : 'success' })), level: 'medium', min: 0.3, max: 0.6, factor: ['workflowFailures', 0.5] },
  { name: 'steady but every run needed a retry', runs: repeat(20, () => ({ status: 'success', retried: ['test'] })), level: 'low', factor: ['flakySteps', 1] },
];
for (const t of table) {
  score(t.name, () => {
    const { risk } = assess(t.runs);
    assert.type(risk.score, 'number');
    if (t.min !== undefined) assert.ok(risk.score! >= t.min, `${risk.score} >= ${t.min}`);
    if (t.max !== undefined) assert.ok(risk.score! <= t.max, `${risk.score} <= ${t.max}`);
    assert.is(risk.level, t.level);
    const [name, value] = t.factor!;
    assert.is(risk.factors.find((f) => f.name === name)?.value, value);
  });
}

score('the factors say what they measured, in words', () => {
  const { risk } = assess(repeat(10, (i) => ({ status: i >= 7 ? 'failed' : 'success', failedAt: 'test', plugin: 'acme.hello' })), { plugin: 'acme.hello' });
  const detail = (n: string) => risk.factors.find((f) => f.name === n)?.detail;
  assert.is(detail('workflowFailures'), '3 of the last 10 runs failed');
  assert.is(detail('stepFailures'), 'step test failed 3 of the last 10 times it ran');
  assert.is(detail('pluginFailures'), "3 of the plugin's last 10 runs failed");
  assert.match(detail('sinceLastSuccess')!, /^last success \d+ h ago$/);
  assert.match(detail('offHours')!, /UTC, (within|outside) working hours$/);
  for (const f of risk.factors) assert.ok(f.weight > 0 && f.value >= 0 && f.value <= 1);
});

score('too little history: no number, a reason', () => {
  const { risk } = assess(repeat(3, () => ({ status: 'failed' })));
  assert.is(risk.score, null);
  assert.is(risk.level, 'unknown');
  assert.is(risk.reason, 'not enough data: 3 finished runs of deliver, 5 needed');
  assert.ok(risk.factors.length > 0, 'the factors are still shown');
});

score('a change adds its factors: size, dependency files, tests, complexity', () => {
  const runs = repeat(20, () => ({ status: 'success' as const }));
  const small = assess(runs, { change: change() }).risk;
  const big = assess(runs, {
    change: change({ files: 40, linesAdded: 1800, linesDeleted: 300, dependencyFiles: ['package.json'], codeFiles: 30, testFiles: 0, maxComplexity: 25,
      functions: [{ file: 'src/a.py', name: 'handle', line: 3, endLine: 90, complexity: 25, language: 'python' }] }),
  }).risk;
  assert.ok(big.score! > small.score!, `${big.score} > ${small.score}`);
  const f = (r: typeof big, n: string) => r.factors.find((x) => x.name === n)!;
  assert.is(f(big, 'sensitiveFiles').value, 1);
  assert.is(f(big, 'untestedChange').value, 1);
  assert.is(f(big, 'complexity').value, 1);
  assert.is(f(big, 'complexity').detail, 'most complex touched function: handle (25) in src/a.py');
  assert.is(f(small, 'untestedChange').value, 0);
  assert.not.ok(assess(runs).risk.factors.some((x) => x.name === 'changeSize'), 'no change, no change factors');
});

score('weights come from the project file; 0 leaves a factor out', () => {
  const cfg = riskConfig({ weights: { workflowFailures: 10, offHours: 0 } });
  const { risk } = assess(repeat(20, (i) => ({ status: i % 2 ? 'failed' : 'success' })), { cfg });
  assert.is(risk.factors.find((f) => f.name === 'workflowFailures')?.weight, 10);
  assert.not.ok(risk.factors.some((f) => f.name === 'offHours'));
});

score('off hours in the configured time zone', () => {
  const cfg = riskConfig({ workingHours: { start: 9, end: 18, timeZone: 'Asia/Seoul' } });
  // 2026-11-02 is a Monday: 10:30 UTC is 19:30 in Seoul, after working hours.
  const { risk } = assessRun(history([]), { workflow: 'deliver', steps, now: Date.parse('2026-11-02T10:30:00Z') }, cfg);
  const f = risk.factors.find((x) => x.name === 'offHours')!;
  assert.is(f.value, 1);
  assert.is(f.detail, 'Mon 19:30 Asia/Seoul, outside working hours');
});

score.run();

const calibration = suite('risk calibration');


calibration('a few hundred runs: a Brier score better than the base rate, and a probability', () => {
  const runs = generated(7, 400);
  const { calibration: c, risk } = assess(runs, { change: change({ dependencyFiles: ['requirements.txt'], testFiles: 0, linesAdded: 1500 }) });
  assert.ok(c.usable, c.reason);
  assert.is(c.runs, 400 - config.minHistory);
  assert.ok(c.heldOut!.brier.model < c.heldOut!.brier.baseRate, `${c.heldOut!.brier.model} < ${c.heldOut!.brier.baseRate}`);
  assert.ok(c.heldOut!.buckets.reduce((a, b) => a + b.runs, 0) === c.heldOut!.runs);
  assert.ok(c.coefficients!.sensitiveFiles! > 0 && c.coefficients!.untestedChange! > 0, 'the factors that cause failures weigh');
  assert.type(risk.probability, 'number');
  assert.ok(risk.probability! > c.baseRate, 'a risky change is more likely than the base rate to fail');
  const safe = assess(runs, { change: change() }).risk;
  assert.ok(safe.probability! < risk.probability!);
});

calibration('outcomes unrelated to the factors: no better than the base rate, no probability', () => {
  const r = random(3);
  const runs = repeat(300, (): RunSpec => ({ status: r() < 0.3 ? 'failed' : 'success', change: change({ linesAdded: Math.floor(r() * 100) }) }));
  const { calibration: c, risk } = assess(runs);
  assert.ok(c.heldOut, 'judged on held-out runs');
  if (!c.usable) {
    assert.match(c.reason!, /no better than the base rate/);
    assert.is(risk.probability, undefined);
  } else {
    assert.ok(c.heldOut!.brier.model < c.heldOut!.brier.baseRate);
  }
});

calibration('too few runs or failures: the reason, no fit', () => {
  const few = assess(repeat(30, (i) => ({ status: i % 3 ? 'success' : 'failed' }))).calibration;
  assert.not.ok(few.usable);
  assert.match(few.reason!, /^not enough data: 25 scored runs \(\d+ failed, \d+ succeeded\); the calibration needs 50/);
  const noFailures = assess(repeat(80, () => ({ status: 'success' }))).calibration;
  assert.not.ok(noFailures.usable);
  assert.match(noFailures.reason!, /0 failed/);
});

calibration.run();
