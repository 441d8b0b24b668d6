// The check charts as SVG text: the axis top, one point per bucket that ran with its tooltip and
// data, the bar's cell tones, the sparkline's line, and labels that cannot become markup.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cellTone, niceCeil, responseChart, sparkline, upDownBar, type SeriesBucket } from '../../src/ui/checks/charts.ts';

const h = 3_600_000;
const t0 = Date.UTC(2026, 11, 7, 0);
const b = (i: number, count: number, ok: number, avgMs?: number, maxMs?: number): SeriesBucket =>
  ({ start: t0 + i * h, count, ok, ...(avgMs === undefined ? {} : { avgMs, maxMs: maxMs ?? avgMs }) });

for (const [v, top] of [[0, 1], [-3, 1], [0.4, 0.5], [1, 1], [3, 5], [12, 20], [50, 50], [51, 100], [999, 1000], [1001, 2000]] as const) {
  test(`niceCeil(${v}) = ${top}`, () => { assert.is(niceCeil(v), top); });
}

for (const [bucket, tone] of [[b(0, 0, 0), 'idle'], [b(0, 4, 4, 10), 'ok'], [b(0, 4, 1, 10), 'warn'], [b(0, 4, 0, 10), 'bad']] as const) {
  test(`cellTone: ${bucket.ok}/${bucket.count} is ${tone}`, () => { assert.is(cellTone(bucket), tone); });
}

test('responseChart: one point per bucket that ran, each with data and a tooltip; failures drawn apart', () => {
  const buckets = [b(0, 2, 2, 100, 150), b(1, 0, 0), b(2, 3, 1, 250, 400), b(3, 1, 1, 50)];
  const svg = responseChart('en', buckets, { daily: false }).text;
  const points = svg.match(/<circle class="point"[^>]*>/g) ?? [];
  assert.is(points.length, 3);
  assert.match(svg, /data-points="3"/);
  assert.match(points[1]!, /data-start="2026-12-07T02:00:00.000Z" data-avg-ms="250" data-count="3" data-ok="1"/);
  assert.match(points[1]!, /fill="var\(--chart-bad\)"/);
  assert.match(svg, /<title>7 Dec, 02:00 UTC: mean 250 ms, slowest 400 ms, 3 results<\/title>/);
  assert.match(svg, /<text[^>]*>500 ms<\/text>/, 'the axis top is the next round number above the slowest mean');
  // The first point sits on the left edge of the plot, the last on the right.
  const xs = points.map((p) => Number(/cx="([\d.]+)"/.exec(p)![1]));
  assert.ok(xs[0]! < xs[1]! && xs[1]! < xs[2]!);
  assert.match(responseChart('ko', buckets, { daily: true }).text, /평균 250 밀리초, 최대 400 밀리초, 결과 3개/);
});

test('responseChart and sparkline: nothing ran, nothing drawn', () => {
  assert.match(responseChart('en', [b(0, 0, 0), b(1, 0, 0)], { daily: false }).text, /<p class="empty">No results in this range yet.<\/p>/);
  assert.is(sparkline([b(0, 0, 0)], 'x').text, '');
});

test('sparkline: a polyline through the means; a lone point still shows', () => {
  const svg = sparkline([b(0, 1, 1, 10), b(1, 0, 0), b(2, 1, 1, 20)], 'latency of api').text;
  assert.match(svg, /aria-label="latency of api"/);
  const pts = /points="([^"]+)"/.exec(svg)![1]!.split(' ');
  assert.is(pts.length, 2);
  assert.is(pts[0]!.split(',')[0], '0');
  assert.is(pts[1]!.split(',')[0], '96');
  assert.match(sparkline([b(0, 1, 1, 10)], 'x').text, /points="-1,\d+(\.\d)? 1,/);
});

test('upDownBar: one cell per bucket with its tone and words', () => {
  const svg = upDownBar('en', [b(0, 0, 0), b(1, 4, 4, 1), b(2, 4, 3, 1), b(3, 2, 0, 1)], { daily: false, summary: 'Uptime 64%' }).text;
  assert.equal((svg.match(/data-tone="(\w+)"/g) ?? []).map((m) => m.slice(11, -1)), ['idle', 'ok', 'warn', 'bad']);
  assert.match(svg, /<title>7 Dec, 00:00 UTC: no results<\/title>/);
  assert.match(svg, /<title>7 Dec, 02:00 UTC: 75.0% up \(3 of 4\)<\/title>/);
  assert.match(svg, /aria-label="Up and down per bucket: Uptime 64%"/);
  assert.match(upDownBar('en', [b(0, 1, 1, 1)], { daily: true, summary: '' }).text, /<title>7 Dec 2026 UTC: 100.0% up/);
});

test('labels are text: markup in a label is escaped', () => {
  const svg = sparkline([b(0, 1, 1, 10)], '<script>alert(1)</script>').text;
  assert.not.match(svg, /<script>/);
  assert.match(svg, /&lt;script&gt;/);
  assert.not.match(upDownBar('en', [b(0, 1, 1, 1)], { daily: false, summary: '"><img onerror=x>' }).text, /<img/);
});

test.run();
