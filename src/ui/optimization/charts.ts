// A suggestion's charts, SVG drawn on the server like the check charts:
// - the evidence chart from `evidence.chart` (at most 240 buckets over the window): the band from
//   each bucket's lowest to its highest sample, the mean as a line with a point per bucket (its
//   numbers in a <title> and data attributes), and the p90 as a dashed line. Lists draw it merged
//   to fewer buckets; a suggestion's page draws every bucket.
// - the before/after chart of a verification: a bar to the median and a tick at the p90 for each
//   side, each named by a word, not by its colour.
// Everything interpolated passes through `html`, so nothing in a label can become markup.
import { html, type Html } from '../html.ts';
import { formatNumber, translator, type Locale, type Messages } from '../i18n.ts';
import { bucketLabel, niceCeil } from '../checks/charts.ts';
import type { ChartBucket, VerificationView } from './model.ts';
import { num } from './words.ts';

const text: Messages<'noData' | 'point' | 'p90' | 'before' | 'after' | 'side' | 'notMeasured'> = {
  en: {
    noData: 'No samples in the window.', point: '{at}: mean {mean} (lowest {min}, highest {max}), {n} samples', p90: 'p90 {value}',
    before: 'Before', after: 'After', side: '{side}: median {median}, p90 {p90}, {n} samples', notMeasured: '{side}: not enough samples',
  },
  ko: {
    noData: '이 기간에 샘플이 없습니다.', point: '{at}: 평균 {mean} (최저 {min}, 최고 {max}), 샘플 {n}개', p90: 'p90 {value}',
    before: '이전', after: '이후', side: '{side}: 중앙값 {median}, p90 {p90}, 샘플 {n}개', notMeasured: '{side}: 샘플이 부족함',
  },
};

const r1 = (n: number) => Math.round(n * 10) / 10;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** At most `max` buckets: neighbours merged (the mean weighted by samples, the lowest low and the highest high). */
export function mergeBuckets(buckets: readonly ChartBucket[], max: number): ChartBucket[] {
  const usable = buckets.filter((b) => b.n > 0 && finite(b.mean) && finite(b.min) && finite(b.max));
  if (usable.length <= max) return usable;
  const size = Math.ceil(usable.length / max);
  const out: ChartBucket[] = [];
  for (let i = 0; i < usable.length; i += size) {
    const group = usable.slice(i, i + size);
    const n = group.reduce((a, b) => a + b.n, 0);
    out.push({
      t: group[0]!.t, n, mean: group.reduce((a, b) => a + b.mean * b.n, 0) / n,
      min: Math.min(...group.map((b) => b.min)), max: Math.max(...group.map((b) => b.max)),
    });
  }
  return out;
}

/** The evidence chart: grid, min–max band, mean line with one point per bucket, and the p90. */
export function evidenceChart(locale: Locale, buckets: readonly ChartBucket[], o: { label: string; p90?: number; maxPoints?: number }): Html {
  const t = translator(text, locale);
  const shown = mergeBuckets(buckets, o.maxPoints ?? 240);
  if (shown.length === 0) return html`<p class="empty">${t('noData')}</p>`;
  const w = 640, h = 200, left = 56, right = 12, top = 10, bottom = 24;
  const plotW = w - left - right, plotH = h - top - bottom;
  const hi = niceCeil(Math.max(...shown.map((b) => b.max), finite(o.p90) ? o.p90 : 0));
  const lo = Math.min(0, ...shown.map((b) => b.min));
  const t0 = shown[0]!.t, t1 = shown.at(-1)!.t;
  const x = (ms: number) => r1(t1 === t0 ? left + plotW / 2 : left + ((ms - t0) / (t1 - t0)) * plotW);
  const y = (v: number) => r1(top + plotH - ((v - lo) / (hi - lo)) * plotH);
  const upper = shown.map((b) => `${x(b.t)},${y(b.max)}`);
  const lower = shown.map((b) => `${x(b.t)},${y(b.min)}`).reverse();
  const band = shown.length > 1
    ? html`<polygon class="band" points="${[...upper, ...lower].join(' ')}"/>`
    : html`<rect class="band" x="${x(t0) - 3}" y="${y(shown[0]!.max)}" width="6" height="${r1(Math.max(1, y(shown[0]!.min) - y(shown[0]!.max)))}"/>`;
  const grid = [0, 0.5, 1].map((f) => ({ y: r1(top + (1 - f) * plotH), label: num(locale, lo + f * (hi - lo)) }));
  const at = (ms: number) => bucketLabel(locale, ms, false);
  return html`<svg class="chart evidence" viewBox="0 0 ${w} ${h}" role="img" aria-label="${o.label}" data-points="${shown.length}">
    <g class="grid">${grid.map((g) => html`<line x1="${left}" x2="${w - right}" y1="${g.y}" y2="${g.y}"></line>`)}</g>
    <g class="axis y">${grid.map((g) => html`<text x="${left - 6}" y="${g.y + 4}" text-anchor="end">${g.label}</text>`)}</g>
    <g class="axis x"><text x="${left}" y="${h - 6}">${at(t0)}</text>${t1 !== t0 && html`<text x="${w - right}" y="${h - 6}" text-anchor="end">${at(t1)}</text>`}</g>
    ${band}
    ${finite(o.p90) && html`<line class="p90" x1="${left}" x2="${w - right}" y1="${y(o.p90)}" y2="${y(o.p90)}"></line><text class="p90" x="${w - right - 4}" y="${y(o.p90) - 4}" text-anchor="end">${t('p90', { value: num(locale, o.p90) })}</text>`}
    <polyline class="mean" points="${shown.map((b) => `${x(b.t)},${y(b.mean)}`).join(' ')}"/>
    ${shown.map((b) => html`<circle class="point" cx="${x(b.t)}" cy="${y(b.mean)}" r="${shown.length > 80 ? 1.8 : 3}" data-t="${new Date(b.t).toISOString()}" data-mean="${b.mean}" data-n="${b.n}"><title>${t('point', { at: at(b.t), mean: num(locale, b.mean), min: num(locale, b.min), max: num(locale, b.max), n: formatNumber(locale, b.n) })}</title></circle>`)}
  </svg>`;
}

/** Before and after a change: a bar to each side's median, a tick at its p90, each side named. */
export function beforeAfterChart(locale: Locale, v: Pick<VerificationView, 'before' | 'after'>, o: { label: string }): Html {
  const t = translator(text, locale);
  const w = 260, rowH = 24, nameW = 56, right = 10, top = 4;
  const h = top * 2 + rowH * 2;
  const barW = w - nameW - right;
  const sides = [{ key: 'before' as const, m: v.before }, { key: 'after' as const, m: v.after }];
  const hi = niceCeil(Math.max(0, ...sides.flatMap((s) => [s.m.median, s.m.p90].filter(finite))));
  const x = (value: number) => r1(nameW + (Math.max(0, value) / hi) * barW);
  return html`<svg class="chart before-after" viewBox="0 0 ${w} ${h}" role="img" aria-label="${o.label}">
    ${sides.map((s, i) => {
      const y = top + i * rowH;
      const side = t(s.key);
      const measured = finite(s.m.median);
      const title = measured
        ? t('side', { side, median: num(locale, s.m.median), p90: num(locale, s.m.p90), n: formatNumber(locale, s.m.n) })
        : t('notMeasured', { side });
      return html`<g class="side ${s.key}" data-median="${measured ? s.m.median : ''}" data-p90="${finite(s.m.p90) ? s.m.p90 : ''}" data-n="${s.m.n}">
        <title>${title}</title>
        <text x="${nameW - 6}" y="${y + rowH / 2 + 4}" text-anchor="end">${side}</text>
        ${finite(s.m.median) && html`<rect class="median" x="${nameW}" y="${y + 5}" width="${r1(Math.max(1, x(s.m.median) - nameW))}" height="${rowH - 10}" rx="2"></rect>`}
        ${finite(s.m.p90) && html`<line class="p90" x1="${x(s.m.p90)}" x2="${x(s.m.p90)}" y1="${y + 2}" y2="${y + rowH - 2}"></line>`}
      </g>`;
    })}
    <line class="axis-line" x1="${nameW}" x2="${nameW}" y1="${top}" y2="${h - top}"></line>
  </svg>`;
}
