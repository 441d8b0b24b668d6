// Confidence from span and count, the data gate's words, widening for short histories, and the
// two severity scales.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { confidence, enoughData, widen } from '../../../src/optimize/analysis/confidence.ts';
import { severityOfChange, severityOfLevel, worse } from '../../../src/optimize/analysis/severity.ts';
import type { Level } from '../../../src/monitor/math/levels.ts';
import type { Severity } from '../../../src/optimize/analysis/types.ts';
import { day, hour, minute } from './helpers.ts';

const rule = { minSamples: 100, minSpanMs: 3 * hour };
const view = (count: number, spanMs: number) => ({ count, firstAt: 1_000_000, lastAt: 1_000_000 + spanMs });

// √min(1, span / window) × √min(1, count / (4 × minSamples)), window 1 day
const confidenceCases: Array<{ count: number; spanMs: number; want: number }> = [
  { count: 400, spanMs: day, want: 1 },
  { count: 4000, spanMs: 2 * day, want: 1 },
  { count: 100, spanMs: 6 * hour, want: 0.25 }, // √0.25 × √0.25
  { count: 400, spanMs: 6 * hour, want: 0.5 },
  { count: 1, spanMs: 0, want: 0 },
  { count: 0, spanMs: 0, want: 0 },
];
for (const c of confidenceCases) {
  test(`confidence of ${c.count} samples over ${c.spanMs / hour}h in a day's window is ${c.want}`, () => {
    assert.ok(Math.abs(confidence(view(c.count, c.spanMs), rule, day) - c.want) < 1e-12);
  });
}

const gateCases: Array<{ count: number; spanMs: number; want: string | undefined }> = [
  { count: 12, spanMs: 40 * minute, want: '12 samples over 40m; needs 100 samples over 3h' },
  { count: 500, spanMs: 2 * hour, want: '500 samples over 2h; needs 100 samples over 3h' },
  { count: 99, spanMs: 5 * hour + 30 * minute, want: '99 samples over 5h 30m; needs 100 samples over 3h' },
  { count: 1, spanMs: 0, want: '1 sample over 0s; needs 100 samples over 3h' },
  { count: 100, spanMs: 3 * hour, want: undefined },
];
for (const c of gateCases) {
  test(`enough data: ${c.count} samples over ${c.spanMs / minute}m → ${c.want ?? 'enough'}`, () => {
    assert.is(enoughData(view(c.count, c.spanMs), rule), c.want);
  });
}

test('widen: the value at full confidence, 1.5 × with none, 1.25 × at one half', () => {
  assert.equal([widen(100, 1), widen(100, 0), widen(100, 0.5), widen(100, Number.NaN), widen(100, 7)], [100, 150, 125, 150, 100]);
});

const changeSeverity: Array<[number, Severity]> = [[0, 'low'], [0.1, 'low'], [-0.24, 'low'], [0.25, 'medium'], [0.49, 'medium'], [-0.5, 'high'], [0.99, 'high'], [1, 'critical'], [7, 'critical'], [Number.NaN, 'low']];
for (const [x, want] of changeSeverity) {
  test(`severity of a ${x} change is ${want}`, () => assert.is(severityOfChange(x), want));
}

const levelSeverity: Array<[Level, Severity]> = [['ok', 'low'], ['warning', 'medium'], ['danger', 'high'], ['critical', 'critical']];
for (const [level, want] of levelSeverity) {
  test(`severity of the ${level} level is ${want}`, () => assert.is(severityOfLevel(level), want));
}

test('worse picks the more severe', () => {
  assert.equal([worse('low', 'high'), worse('critical', 'medium'), worse('medium', 'medium')], ['high', 'critical', 'medium']);
});

test.run();
