// The statistics page's SVG charts as text: one shape per value, lines broken at days without a
// value, tooltips escaped, patterns for bad and warn tones, round axis maxima.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lineChart, niceMax, rowBars, stackedBars } from '../../src/ui/statistics/charts.ts';

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
const axis = { max: 10, format: String };

const maxima: Array<[number, number]> = [[0, 1], [-3, 1], [1, 1], [3, 5], [7, 10], [11, 20], [0.3, 0.5], [4_200, 5_000]];
for (const [n, expected] of maxima) test(`niceMax(${n}) is ${expected}`, () => assert.is(niceMax(n), expected));

test('stacked bars: a rect per non-zero segment; bad and warn tones filled with patterns; titles escaped', () => {
  const svg = stackedBars({
    id: 'c', label: 'per day', slots: ['a', 'b', 'c'], axis,
    bars: [
      [{ tone: 'ok', value: 2, title: 'a ok' }, { tone: 'bad', value: 1, title: '<script>x</script>' }],
      [{ tone: 'ok', value: 0, title: 'none' }],
      [{ tone: 'warn', value: 3, title: 'c warn' }],
    ],
  }).text;
  assert.is(count(svg, /<rect [^>]*class="seg/g), 3);
  assert.match(svg, /style="fill: url\(#c-bad\)"/);
  assert.match(svg, /style="fill: url\(#c-warn\)"/);
  assert.match(svg, /class="seg tone-ok"/);
  assert.match(svg, /&lt;script&gt;x&lt;\/script&gt;/);
  assert.not.match(svg, /<script>/);
  assert.match(svg, /role="img" aria-label="per day"/);
});

test('lines: a marker per defined point, a polyline per run of two or more, broken at gaps', () => {
  const p = (value: number | undefined) => ({ value, title: String(value) });
  const svg = lineChart({
    id: 'l', label: 'rate', slots: ['1', '2', '3', '4', '5', '6'], axis,
    lines: [
      { name: 'avg', style: 'solid', marker: 'circle', points: [p(1), p(2), p(undefined), p(4), p(5), p(undefined)] },
      { name: 'p95', style: 'dashed', marker: 'square', points: [p(undefined), p(3), p(undefined), p(undefined), p(6), p(undefined)] },
    ],
  }).text;
  assert.is(count(svg, /<circle class="point"/g), 4);
  assert.is(count(svg, /<rect class="point"/g), 2);
  assert.is(count(svg, /<polyline /g), 2); // 1–2 and 4–5 of the first line; the second has no run of two
});

test('row bars: a row per workflow, a rect per non-zero segment, long names shortened with the whole name as tooltip', () => {
  const long = 'a-very-long-workflow-name-that-goes-on';
  const svg = rowBars({
    id: 'w', label: 'by workflow', format: String,
    rows: [{ name: long, segments: [{ tone: 'ok', value: 1, title: 't' }, { tone: 'bad', value: 0, title: 't' }] }, { name: 'b', segments: [{ tone: 'bad', value: 2, title: 't' }] }],
  }).text;
  assert.is(count(svg, /<g class="row">/g), 2);
  assert.is(count(svg, /<rect [^>]*class="seg/g), 2);
  assert.match(svg, new RegExp(`<title>${long}</title>a-very-long-workflow-…`));
});

test.run();
