// Charts of a check drawn on the server as SVG from its bucketed series (GET
// /api/checks/{id}/series): a sparkline of mean response times, the response-time chart with
// one point per bucket that ran (a <title> tooltip and data attributes each), and the up/down
// bar with one cell per bucket coloured by its success ratio and named in its <title>. The
// browser gets at most 168 points per chart, never the raw results. Everything interpolated
// passes through `html`, so nothing in a label can become markup.
import { html, type Html } from '../html.ts';
import { formatDuration, formatNumber, formatPercent, translator, type Locale, type Messages } from '../i18n.ts';

export interface SeriesBucket { start: number; count: number; ok: number; avgMs?: number; maxMs?: number }

const text: Messages<'responseTime' | 'noData' | 'point' | 'cell' | 'cellEmpty' | 'bar'> = {
  en: {
    responseTime: 'Mean response time', noData: 'No results in this range yet.',
    point: '{at}: mean {avg}, slowest {max}, {count} results',
    cell: '{at}: {ratio} up ({ok} of {count})', cellEmpty: '{at}: no results', bar: 'Up and down per bucket: {summary}',
  },
  ko: {
    responseTime: '평균 응답 시간', noData: '이 기간에는 아직 결과가 없습니다.',
    point: '{at}: 평균 {avg}, 최대 {max}, 결과 {count}개',
    cell: '{at}: {ratio} 정상 ({count}개 중 {ok}개)', cellEmpty: '{at}: 결과 없음', bar: '구간별 정상/장애: {summary}',
  },
};

const r1 = (n: number) => Math.round(n * 10) / 10;

const labelFormats = {
  hour: { en: new Intl.DateTimeFormat('en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }), ko: new Intl.DateTimeFormat('ko-KR', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }) },
  day: { en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }), ko: new Intl.DateTimeFormat('ko-KR', { dateStyle: 'medium', timeZone: 'UTC' }) },
} as const;

/** A bucket's start in words: its UTC day, or its UTC day and hour. */
export const bucketLabel = (locale: Locale, ms: number, daily: boolean): string => `${labelFormats[daily ? 'day' : 'hour'][locale].format(ms)} UTC`;

/** A round number at or above `v` for the top of the axis (1, 2, 5 × 10^n). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** The polyline's points of mean response times over `w`×`h`; buckets that did not run are skipped. */
function points(buckets: readonly SeriesBucket[], w: number, h: number, top: number, pad = 0): Array<{ x: number; y: number; b: SeriesBucket }> {
  const step = buckets.length > 1 ? (w - 2 * pad) / (buckets.length - 1) : 0;
  return buckets.flatMap((b, i) => (b.count > 0 && b.avgMs !== undefined ? [{ x: r1(pad + i * step), y: r1(h - (b.avgMs / top) * h), b }] : []));
}

/** A small line of mean response times (the overview's rows); nothing when no bucket ran. */
export function sparkline(buckets: readonly SeriesBucket[], label: string): Html {
  const top = niceCeil(Math.max(0, ...buckets.map((b) => b.avgMs ?? 0)));
  const pts = points(buckets, 96, 18, top);
  if (pts.length === 0) return html``;
  const line = pts.length === 1 ? `${pts[0]!.x - 1},${pts[0]!.y} ${pts[0]!.x + 1},${pts[0]!.y}` : pts.map((p) => `${p.x},${p.y + 1}`).join(' ');
  return html`<svg class="spark" viewBox="0 0 96 20" role="img" aria-label="${label}" preserveAspectRatio="none"><polyline points="${line}" fill="none" stroke="var(--chart)" stroke-width="1.5" vector-effect="non-scaling-stroke"/></svg>`;
}

/** The response-time chart: axis, mean line, and one point per bucket that ran. */
export function responseChart(locale: Locale, buckets: readonly SeriesBucket[], o: { daily: boolean }): Html {
  const t = translator(text, locale);
  const w = 640, h = 180, left = 56, bottom = 22, top = 8;
  const max = niceCeil(Math.max(0, ...buckets.map((b) => b.avgMs ?? 0)));
  const pts = points(buckets, w - left - 8, h - top - bottom, max).map((p) => ({ ...p, x: r1(p.x + left), y: r1(p.y + top) }));
  if (pts.length === 0) return html`<p class="empty">${t('noData')}</p>`;
  const at = (ms: number) => bucketLabel(locale, ms, o.daily);
  const grid = [0, 0.5, 1].map((f) => ({ y: r1(top + (1 - f) * (h - top - bottom)), label: formatDuration(locale, max * f) }));
  const first = buckets[0]!, last = buckets.at(-1)!;
  return html`<svg class="chart response" viewBox="0 0 ${w} ${h}" role="img" aria-label="${t('responseTime')}" data-points="${pts.length}">
    ${grid.map((g) => html`<line x1="${left}" x2="${w - 8}" y1="${g.y}" y2="${g.y}" stroke="var(--line)" stroke-width="1"/><text x="${left - 6}" y="${g.y + 4}" text-anchor="end">${g.label}</text>`)}
    <text x="${left}" y="${h - 6}">${at(first.start)}</text><text x="${w - 8}" y="${h - 6}" text-anchor="end">${at(last.start)}</text>
    <polyline points="${pts.map((p) => `${p.x},${p.y}`).join(' ')}" fill="none" stroke="var(--chart)" stroke-width="2"/>
    ${pts.map((p) => html`<circle class="point" cx="${p.x}" cy="${p.y}" r="3.5" fill="${p.b.ok < p.b.count ? 'var(--chart-bad)' : 'var(--chart)'}" data-start="${new Date(p.b.start).toISOString()}" data-avg-ms="${p.b.avgMs}" data-count="${p.b.count}" data-ok="${p.b.ok}"><title>${t('point', { at: at(p.b.start), avg: formatDuration(locale, p.b.avgMs), max: formatDuration(locale, p.b.maxMs), count: formatNumber(locale, p.b.count) })}</title></circle>`)}
  </svg>`;
}

export type CellTone = 'ok' | 'warn' | 'bad' | 'idle';
/** All up, some down, all down, or nothing ran. */
export const cellTone = (b: SeriesBucket): CellTone => (b.count === 0 ? 'idle' : b.ok === b.count ? 'ok' : b.ok === 0 ? 'bad' : 'warn');

/** One cell per bucket, its colour from the success ratio and its words in a <title>. */
export function upDownBar(locale: Locale, buckets: readonly SeriesBucket[], o: { daily: boolean; summary: string }): Html {
  const t = translator(text, locale);
  const at = (ms: number) => bucketLabel(locale, ms, o.daily);
  const w = 6, gap = 1, width = buckets.length * (w + gap);
  return html`<svg class="bar updown" viewBox="0 0 ${width} 24" preserveAspectRatio="none" role="img" aria-label="${t('bar', { summary: o.summary })}">
    ${buckets.map((b, i) => html`<rect class="cell ${cellTone(b)}" x="${i * (w + gap)}" y="0" width="${w}" height="24" rx="1" data-tone="${cellTone(b)}"><title>${b.count === 0 ? t('cellEmpty', { at: at(b.start) }) : t('cell', { at: at(b.start), ratio: formatPercent(locale, b.ok / b.count, 1), ok: formatNumber(locale, b.ok), count: formatNumber(locale, b.count) })}</title></rect>`)}
  </svg>`;
}
