// The pure figures behind `stats` and GET /api/statistics: percentiles, summaries, per-day
// series over a window of UTC days, and the workflow and window filters. Table-driven.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeStats, dailySeries, percentile, summarize, windowOf, type StatsInput } from '../../src/store/statistics.ts';

const run = (workflow: string, status: StatsInput['status'], createdAt: string, durationMs?: number): StatsInput =>
  ({ workflow, status, createdAt, ...(durationMs !== undefined ? { durationMs } : {}) });

const percentiles: Array<[string, number[], number, number]> = [
  ['none', [], 0.95, 0],
  ['one value', [42], 0.95, 42],
  ['nearest rank of 20 values is the 19th', Array.from({ length: 20 }, (_, i) => (i + 1) * 10), 0.95, 190],
  ['nearest rank of 100 values is the 95th', Array.from({ length: 100 }, (_, i) => 100 - i), 0.95, 95],
  ['unsorted input', [5, 1, 4, 2, 3], 0.5, 3],
  ['q = 1 is the largest', [3, 9, 1], 1, 9],
  ['q = 0 is the smallest', [3, 9, 1], 0, 1],
];
for (const [name, values, q, expected] of percentiles) {
  test(`percentile: ${name}`, () => {
    assert.is(percentile(values, q), expected);
  });
}

const summaries: Array<[string, StatsInput[], ReturnType<typeof summarize>]> = [
  ['nothing', [], { total: 0, finished: 0, successRate: 0, averageDurationMs: 0, p95DurationMs: 0, byStatus: {} }],
  ['running executions count in total, not in rate or durations', [
    run('a', 'success', '2026-01-01T00:00:00Z', 100), run('a', 'running', '2026-01-01T00:00:00Z'), run('a', 'failed', '2026-01-01T00:00:00Z', 300),
  ], { total: 3, finished: 2, successRate: 0.5, averageDurationMs: 200, p95DurationMs: 300, byStatus: { success: 1, running: 1, failed: 1 } }],
  ['a finished execution without a duration counts in the rate only', [
    run('a', 'success', '2026-01-01T00:00:00Z'), run('a', 'cancelled', '2026-01-01T00:00:00Z', 50),
  ], { total: 2, finished: 2, successRate: 0.5, averageDurationMs: 50, p95DurationMs: 50, byStatus: { success: 1, cancelled: 1 } }],
  ['only waiting: no rate', [run('a', 'waiting', '2026-01-01T00:00:00Z')],
    { total: 1, finished: 0, successRate: 0, averageDurationMs: 0, p95DurationMs: 0, byStatus: { waiting: 1 } }],
];
for (const [name, records, expected] of summaries) {
  test(`summarize: ${name}`, () => {
    assert.equal(summarize(records), expected);
  });
}

const now = Date.parse('2026-03-10T15:30:00Z');

test('windowOf: N whole UTC days ending with today', () => {
  assert.equal(windowOf(1, now), { from: Date.parse('2026-03-10T00:00:00Z'), to: Date.parse('2026-03-11T00:00:00Z') });
  assert.equal(windowOf(7, now), { from: Date.parse('2026-03-04T00:00:00Z'), to: Date.parse('2026-03-11T00:00:00Z') });
});

const series: Array<[string, StatsInput[], number, Array<[string, number, number, number]>]> = [
  ['empty days are present with zero figures', [], 3, [['2026-03-08', 0, 0, 0], ['2026-03-09', 0, 0, 0], ['2026-03-10', 0, 0, 0]]],
  ['executions land on the UTC day they were created; outside the window they are left out', [
    run('a', 'success', '2026-03-07T23:59:59.999Z', 10), // before the window
    run('a', 'success', '2026-03-08T00:00:00Z', 100),
    run('a', 'failed', '2026-03-08T23:59:59Z', 300),
    run('a', 'success', '2026-03-10T15:00:00Z', 40),
    run('a', 'success', '2026-03-11T00:00:00Z', 1), // tomorrow (a clock ahead)
  ], 3, [['2026-03-08', 2, 0.5, 300], ['2026-03-09', 0, 0, 0], ['2026-03-10', 1, 1, 40]]],
];
for (const [name, records, days, expected] of series) {
  test(`dailySeries: ${name}`, () => {
    const got = dailySeries(records, days, now).map((d) => [d.day, d.total, d.successRate, d.p95DurationMs]);
    assert.equal(got, expected);
  });
}

const records = [
  run('deploy', 'success', '2026-03-10T01:00:00Z', 1000),
  run('deploy', 'failed', '2026-03-09T01:00:00Z', 3000),
  run('backup', 'success', '2026-03-01T01:00:00Z', 500),
  run('backup', 'timed_out', '2026-03-10T02:00:00Z', 9000),
];
const queries: Array<[string, Parameters<typeof computeStats>[1], { total: number; workflows: string[]; days?: number; perWorkflow: string[]; daily?: number }]> = [
  ['no query: everything, no series', {}, { total: 4, workflows: ['backup', 'deploy'], perWorkflow: ['backup', 'deploy'] }],
  ['one workflow: its executions; every workflow still listed', { workflow: 'deploy' }, { total: 2, workflows: ['backup', 'deploy'], perWorkflow: ['deploy'] }],
  ['a window of 7 days leaves out older executions and has 7 days', { days: 7 }, { total: 3, workflows: ['backup', 'deploy'], days: 7, perWorkflow: ['backup', 'deploy'], daily: 7 }],
  ['window and workflow', { days: 1, workflow: 'backup' }, { total: 1, workflows: ['backup', 'deploy'], days: 1, perWorkflow: ['backup'], daily: 1 }],
  ['an unknown workflow: nothing', { workflow: 'nope' }, { total: 0, workflows: ['backup', 'deploy'], perWorkflow: [] }],
];
for (const [name, query, expected] of queries) {
  test(`computeStats: ${name}`, () => {
    const s = computeStats(records, query, now);
    assert.is(s.total, expected.total);
    assert.equal(s.workflows, expected.workflows);
    assert.equal(Object.keys(s.perWorkflow), expected.perWorkflow);
    assert.is(s.window?.days, expected.days);
    assert.is(s.daily?.length, expected.daily);
    assert.is(s.daily?.reduce((a, d) => a + d.total, 0), expected.daily === undefined ? undefined : s.total);
  });
}

test('computeStats: per-workflow figures and the window\'s bounds', () => {
  const s = computeStats(records, { days: 2 }, now);
  assert.equal(s.window, { days: 2, from: '2026-03-09T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z' });
  assert.equal(s.perWorkflow.deploy, { total: 2, finished: 2, successRate: 0.5, averageDurationMs: 2000, p95DurationMs: 3000, byStatus: { success: 1, failed: 1 } });
  assert.equal(s.perWorkflow.backup, { total: 1, finished: 1, successRate: 0, averageDurationMs: 9000, p95DurationMs: 9000, byStatus: { timed_out: 1 } });
  assert.equal(s.daily?.map((d) => d.byStatus), [{ failed: 1 }, { success: 1, timed_out: 1 }]);
});

test.run();
