// What the statistics page's sections share: the view they draw from, the day labels of the
// x axis, a chart beside its table, and the legend of a line chart.
import type { Stats } from '../../store/types.ts';
import { html, type Html, type Value } from '../html.ts';
import type { Locale, translator } from '../i18n.ts';
import type { Line } from './charts.ts';
import type { text } from './text.ts';

export type T = ReturnType<typeof translator<keyof (typeof text)['en']>>;

export interface View {
  t: T;
  locale: Locale;
  stats: Stats;
  /** The page's range, for links. */
  range: string;
}

/** Axis labels ("7 Dec", "12월 7일"); a format is built once per language, as building one costs more than a chart. */
const dayFormats: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { month: 'short', day: 'numeric', timeZone: 'UTC' }),
  ko: new Intl.DateTimeFormat('ko-KR', { month: 'short', day: 'numeric', timeZone: 'UTC' }),
};
export const shortDay = (locale: Locale, day: string): string => dayFormats[locale].format(Date.parse(`${day}T00:00:00Z`));

export interface Pair {
  id: string;
  heading: string;
  chart: Html;
  legend: Html;
  table: Html;
  /** Under the table. */
  note?: Value;
  /** Between the heading and the chart. */
  intro?: Value;
  /** The chart above its table at every width. */
  wide?: boolean;
}

/** A chart and its table side by side (one above the other on a narrow screen). */
export function pair(p: Pair): Html {
  return html`<section class="stat-pair${p.wide ? ' wide' : ''}" aria-labelledby="${p.id}-h">
    <h2 id="${p.id}-h">${p.heading}</h2>
    ${p.intro !== undefined && html`<p class="note">${p.intro}</p>`}
    <div class="stat-body">
      <figure class="stat-chart">${p.chart}${p.legend}</figure>
      <div class="table-wrap stat-table" tabindex="0" role="region" aria-labelledby="${p.id}-h">${p.table}${p.note !== undefined && html`<p class="note">${p.note}</p>`}</div>
    </div>
  </section>`;
}

/** The keys of a line chart: each line's swatch (line, marker) and name, with its style in words. */
export function lineLegend(v: View, lines: ReadonlyArray<Pick<Line, 'name' | 'style' | 'marker'>>): Html {
  return html`<figcaption class="stat-legend"><span class="sr-only">${v.t('legend')}: </span>
    ${lines.map((line, k) => html`<span class="key"><svg class="swatch line" viewBox="0 0 28 14" aria-hidden="true"><line x1="0" y1="7" x2="28" y2="7" class="s${k}"></line>${line.marker === 'circle'
      ? html`<circle cx="14" cy="7" r="3.5" class="s${k}"></circle>`
      : html`<rect x="10.5" y="3.5" width="7" height="7" class="s${k}"></rect>`}</svg>${line.name} (${v.t(line.style)})</span>`)}
  </figcaption>`;
}
