// The risk figures of `stats` (pure, statistics.ts): per UTC day and over the window, only the
// executions with a numeric score counted, the mean probability only when some have one, and the
// observed failure rate among the assessed ones that finished; the answer fits the API's `Stats`
// schema. Table-driven.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Stats } from '../../src/api/schemas/executions.ts';
import { computeStats, riskFigures, riskInput, type RiskInput, type StatsInput } from '../../src/store/statistics.ts';
import type { RiskAssessment } from '../../src/store/risk.ts';
import type { RiskFigures } from '../../src/store/types.ts';

const now = Date.parse('2026-03-10T15:30:00Z');

const run = (status: StatsInput['status'], createdAt: string, risk?: RiskInput, workflow = 'deploy'): StatsInput =>
  ({ workflow, status, createdAt, ...(risk ? { risk } : {}) });
const scored = (score: number, level: RiskInput['level'], probability?: number): RiskInput =>
  ({ score, level, ...(probability !== undefined ? { probability } : {}) });
const unscored: RiskInput = { score: null, level: 'unknown' };
const none: RiskFigures = { assessed: 0, meanScore: null, high: 0, finished: 0, failed: 0, failureRate: null };

const figures: Array<[string, StatsInput[], RiskFigures]> = [
  ['nothing', [], none],
  ['executions without risk are not assessed', [run('failed', '2026-03-10T01:00:00Z')], none],
  ['a null score (not enough history) is left out, whatever its status', [
    run('failed', '2026-03-10T01:00:00Z', unscored), run('success', '2026-03-10T02:00:00Z', unscored),
  ], none],
  ['mean score, highs, and failed + timed out among the finished', [
    run('success', '2026-03-10T01:00:00Z', scored(0.2, 'low')),
    run('failed', '2026-03-10T02:00:00Z', scored(0.8, 'high')),
    run('timed_out', '2026-03-10T03:00:00Z', scored(0.7, 'high')),
    run('cancelled', '2026-03-10T04:00:00Z', scored(0.5, 'medium')),
    run('failed', '2026-03-10T05:00:00Z'), // not assessed: not in the rate
  ], { assessed: 4, meanScore: 0.55, high: 2, finished: 4, failed: 2, failureRate: 0.5 }],
  ['running and pending runs count as assessed but not in the rate', [
    run('running', '2026-03-10T01:00:00Z', scored(0.9, 'high')),
    run('pending', '2026-03-10T02:00:00Z', scored(0.3, 'low')),
    run('interrupted', '2026-03-10T03:00:00Z', scored(0.6, 'medium')),
  ], { assessed: 3, meanScore: 0.6, high: 1, finished: 1, failed: 0, failureRate: 0 }],
  ['the mean probability is over those that have one', [
    run('success', '2026-03-10T01:00:00Z', scored(0.4, 'medium', 0.3)),
    run('success', '2026-03-10T02:00:00Z', scored(0.2, 'low')),
    run('failed', '2026-03-10T03:00:00Z', scored(0.6, 'high', 0.5)),
  ], { assessed: 3, meanScore: 0.4, meanProbability: 0.4, high: 1, finished: 3, failed: 1, failureRate: 1 / 3 }],
];
for (const [name, records, expected] of figures) {
  test(`riskFigures: ${name}`, () => {
    const got = riskFigures(records);
    assert.equal({ ...got, meanScore: got.meanScore === null ? null : round(got.meanScore), ...(got.meanProbability !== undefined ? { meanProbability: round(got.meanProbability) } : {}) }, expected);
  });
}

function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

const window3 = [
  run('success', '2026-03-07T12:00:00Z', scored(0.9, 'high')), // before the window of 3 days
  run('success', '2026-03-08T01:00:00Z', scored(0.1, 'low')),
  run('failed', '2026-03-08T02:00:00Z', scored(0.5, 'medium', 0.4)),
  run('failed', '2026-03-08T03:00:00Z', unscored),
  run('success', '2026-03-09T01:00:00Z'), // a day with executions, none assessed
  run('timed_out', '2026-03-10T01:00:00Z', scored(0.8, 'high', 0.7), 'backup'),
  run('running', '2026-03-10T02:00:00Z', scored(0.6, 'medium'), 'backup'),
];

const days: Array<[string, Parameters<typeof computeStats>[1], Array<[string, number, number | null, number, number | null]>, Partial<RiskFigures>]> = [
  ['each day has its assessed runs; a day without any has a null mean and rate', { days: 3 }, [
    ['2026-03-08', 2, 0.3, 0, 0.5],
    ['2026-03-09', 0, null, 0, null],
    ['2026-03-10', 2, 0.7, 1, 1],
  ], { assessed: 4, high: 1, finished: 3, failed: 2 }],
  ['the workflow filter applies to the risk figures too', { days: 3, workflow: 'backup' }, [
    ['2026-03-08', 0, null, 0, null],
    ['2026-03-09', 0, null, 0, null],
    ['2026-03-10', 2, 0.7, 1, 1],
  ], { assessed: 2, high: 1, finished: 1, failed: 1, failureRate: 1 }],
  ['a wider window takes in the older run', { days: 4 }, [
    ['2026-03-07', 1, 0.9, 1, 0],
    ['2026-03-08', 2, 0.3, 0, 0.5],
    ['2026-03-09', 0, null, 0, null],
    ['2026-03-10', 2, 0.7, 1, 1],
  ], { assessed: 5, high: 2, finished: 4, failed: 2, failureRate: 0.5 }],
];
for (const [name, query, expectedDays, expectedWindow] of days) {
  test(`computeStats: ${name}`, () => {
    const s = computeStats(window3, query, now);
    const got = s.daily?.map((d) => [d.day, d.risk.assessed, d.risk.meanScore === null ? null : round(d.risk.meanScore), d.risk.high, d.risk.failureRate]);
    assert.equal(got, expectedDays);
    for (const [key, value] of Object.entries(expectedWindow)) assert.is(s.risk?.[key as keyof RiskFigures], value, key);
    assert.is(s.risk?.assessed, s.daily?.reduce((a, d) => a + d.risk.assessed, 0));
  });
}

test('computeStats: the mean probability of the window only counts runs that have one', () => {
  const s = computeStats(window3, { days: 3 }, now);
  assert.is(round(s.risk!.meanProbability!), 0.55);
  assert.is(s.daily?.[0]?.risk.meanProbability, 0.4);
  assert.is(s.daily?.[1]?.risk.meanProbability, undefined);
  assert.not.ok(Object.hasOwn(s.daily![1]!.risk, 'meanProbability'), 'absent, not undefined, so the answer has no such key');
});

test('computeStats: without a window there is no risk (nor series)', () => {
  const s = computeStats(window3, {}, now);
  assert.is(s.total, window3.length);
  assert.is(s.risk, undefined);
  assert.is(s.daily, undefined);
});

test('riskInput keeps only what the figures read, and gives the same figures as the whole assessment', () => {
  const whole: RiskAssessment = {
    score: 0.72, probability: 0.61, level: 'high', confidence: 'medium', history: 14, at: '2026-03-10T01:00:00Z',
    factors: [{ name: 'changeSize', value: 0.9, weight: 0.2, detail: '480 lines in 12 files' }],
  };
  assert.equal(riskInput(whole), { score: 0.72, level: 'high', probability: 0.61 });
  assert.equal(riskInput({ score: null, level: 'unknown' }), { score: null, level: 'unknown' });
  assert.is(riskInput(undefined), undefined);
  const records = [run('failed', '2026-03-10T01:00:00Z', whole)];
  assert.equal(riskFigures(records.map((r) => ({ ...r, risk: riskInput(r.risk) }))), riskFigures(records));
});

test('the figures fit the API\'s Stats schema, with and without assessed runs and probabilities', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  (addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  const fits = ajv.compile(Stats);
  const answers = [computeStats(window3, { days: 3 }, now), computeStats(window3, { days: 4, workflow: 'backup' }, now), computeStats([], { days: 7 }, now), computeStats(window3, {}, now)];
  for (const answer of answers) assert.ok(fits(answer), JSON.stringify(fits.errors));
  assert.not.ok(fits({ ...answers[0]!, risk: { ...answers[0]!.risk!, meanScore: 1.5 } }), 'a mean score above 1 does not fit');
});

test.run();
