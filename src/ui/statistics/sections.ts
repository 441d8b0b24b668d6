// The statistics page's charts, each beside a table of the same numbers: executions per day by
// status, success rate per day, average and p95 duration per day, the risk assessed before the
// runs beside how they ended (./risk.ts), and executions per workflow.
import type { DayFigures, ExecutionStatus, Figures } from '../../store/types.ts';
import { html, queryString, type Html } from '../html.ts';
import { formatDuration, formatNumber, formatPercent, type Locale } from '../i18n.ts';
import { badge, statusTone } from '../parts.ts';
import { lineChart, niceMax, rowBars, stackedBars, toneAttrs, type Line, type Segment } from './charts.ts';
import { lineLegend, pair, shortDay, type View } from './parts.ts';
import { riskPerDay } from './risk.ts';

/** The order statuses stack in, finished ones first. */
export const statusOrder: readonly ExecutionStatus[] = ['success', 'failed', 'timed_out', 'interrupted', 'cancelled', 'running', 'pending', 'waiting'];

/** A count on an axis: a half between ticks keeps its decimal (2.5, not 3). */
const count = (locale: Locale, n: number): string => formatNumber(locale, n, Number.isInteger(n) ? 0 : 1);

/** Statuses with executions in `figures`, in stacking order. */
const present = (figures: readonly Figures[]): ExecutionStatus[] =>
  statusOrder.filter((s) => figures.some((f) => (f.byStatus[s] ?? 0) > 0));

const segments = (v: View, f: Figures, name: string, statuses: readonly ExecutionStatus[]): Segment[] =>
  statuses.map((s) => ({ tone: statusTone(s), value: f.byStatus[s] ?? 0, title: v.t('countOf', { name, count: formatNumber(v.locale, f.byStatus[s] ?? 0), status: v.t(s) }) }));

/** The statuses' words and icons, each with a swatch filled like the bars of chart `chart`. */
function statusLegend(v: View, chart: string, statuses: readonly ExecutionStatus[]): Html {
  return html`<figcaption class="stat-legend"><span class="sr-only">${v.t('legend')}: </span>${statuses.map((s) =>
    html`<span class="key"><svg class="swatch" viewBox="0 0 14 14" aria-hidden="true"><rect width="14" height="14" ${toneAttrs(chart, statusTone(s))}></rect></svg>${badge(statusTone(s), v.t(s))}</span>`)}</figcaption>`;
}

function perDay(v: View, daily: readonly DayFigures[]): Html {
  const statuses = present(daily);
  const busy = daily.filter((d) => d.total > 0);
  const chart = stackedBars({
    id: 'chart-per-day', label: v.t('perDayLabel', { n: daily.length }), slots: daily.map((d) => shortDay(v.locale, d.day)),
    bars: daily.map((d) => segments(v, d, d.day, statuses)),
    axis: { max: niceMax(Math.max(1, ...daily.map((d) => d.total))), format: (n) => count(v.locale, n) },
  });
  const table = html`<table class="stat-days"><caption class="sr-only">${v.t('tableOf', { name: v.t('perDay') })}</caption>
    <thead><tr><th scope="col">${v.t('day')}</th><th scope="col" class="num">${v.t('total')}</th>${statuses.map((s) => html`<th scope="col" class="num">${badge(statusTone(s), v.t(s))}</th>`)}</tr></thead>
    <tbody>${busy.map((d) => html`<tr><th scope="row">${d.day}</th><td class="num">${formatNumber(v.locale, d.total)}</td>${statuses.map((s) => html`<td class="num">${formatNumber(v.locale, d.byStatus[s] ?? 0)}</td>`)}</tr>`)}</tbody>
  </table>`;
  return pair({ id: 'per-day', heading: v.t('perDay'), chart, legend: statusLegend(v, 'chart-per-day', statuses), table, note: v.t('emptyDaysLeftOut') });
}

function ratePerDay(v: View, daily: readonly DayFigures[]): Html {
  const chart = lineChart({
    id: 'chart-rate', label: v.t('ratePerDayLabel', { n: daily.length }), slots: daily.map((d) => shortDay(v.locale, d.day)),
    lines: [{
      name: v.t('successRate'), style: 'solid', marker: 'circle',
      points: daily.map((d) => ({ value: d.finished > 0 ? d.successRate : undefined, title: v.t('rateOn', { day: d.day, rate: formatPercent(v.locale, d.successRate, 1), finished: formatNumber(v.locale, d.finished) }) })),
    }],
    axis: { max: 1, format: (r) => formatPercent(v.locale, r, 0) },
  });
  const table = html`<table class="stat-rates"><caption class="sr-only">${v.t('tableOf', { name: v.t('ratePerDay') })}</caption>
    <thead><tr><th scope="col">${v.t('day')}</th><th scope="col" class="num">${v.t('finished')}</th><th scope="col" class="num">${v.t('successRate')}</th></tr></thead>
    <tbody>${daily.filter((d) => d.finished > 0).map((d) => html`<tr><th scope="row">${d.day}</th><td class="num">${formatNumber(v.locale, d.finished)}</td><td class="num">${formatPercent(v.locale, d.successRate, 1)}</td></tr>`)}</tbody>
  </table>`;
  return pair({ id: 'rate', heading: v.t('ratePerDay'), chart, legend: html``, table, note: v.t('emptyDaysLeftOut') });
}

function durationPerDay(v: View, daily: readonly DayFigures[]): Html {
  const timed = (d: DayFigures) => d.finished > 0 && d.p95DurationMs > 0;
  const point = (d: DayFigures, ms: number, what: string) => ({ value: timed(d) ? ms : undefined, title: v.t('durationOn', { day: d.day, what, duration: formatDuration(v.locale, ms) }) });
  const lines: Line[] = [
    { name: v.t('averageLine'), style: 'solid', marker: 'circle', points: daily.map((d) => point(d, d.averageDurationMs, v.t('averageLine'))) },
    { name: v.t('p95Line'), style: 'dashed', marker: 'square', points: daily.map((d) => point(d, d.p95DurationMs, v.t('p95Line'))) },
  ];
  const chart = lineChart({
    id: 'chart-duration', label: v.t('durationPerDayLabel', { n: daily.length }), slots: daily.map((d) => shortDay(v.locale, d.day)), lines,
    axis: { max: niceMax(Math.max(1, ...daily.map((d) => d.p95DurationMs))), format: (ms) => formatDuration(v.locale, ms) },
  });
  const legend = lineLegend(v, lines);
  const table = html`<table class="stat-durations"><caption class="sr-only">${v.t('tableOf', { name: v.t('durationPerDay') })}</caption>
    <thead><tr><th scope="col">${v.t('day')}</th><th scope="col" class="num">${v.t('average')}</th><th scope="col" class="num">${v.t('p95')}</th></tr></thead>
    <tbody>${daily.filter(timed).map((d) => html`<tr><th scope="row">${d.day}</th><td class="num">${formatDuration(v.locale, d.averageDurationMs)}</td><td class="num">${formatDuration(v.locale, d.p95DurationMs)}</td></tr>`)}</tbody>
  </table>`;
  return pair({ id: 'duration', heading: v.t('durationPerDay'), chart, legend, table, note: v.t('emptyDaysLeftOut') });
}

function perWorkflow(v: View): Html {
  const rows = Object.entries(v.stats.perWorkflow);
  const statuses = present(rows.map(([, f]) => f));
  const chart = rowBars({
    id: 'chart-workflows', label: v.t('perWorkflowLabel'), format: (n) => count(v.locale, n),
    rows: rows.map(([name, f]) => ({ name, segments: segments(v, f, name, statuses) })),
  });
  const table = html`<table class="stat-workflows"><caption class="sr-only">${v.t('tableOf', { name: v.t('perWorkflow') })}</caption>
    <thead><tr><th scope="col">${v.t('workflow')}</th><th scope="col" class="num">${v.t('total')}</th><th scope="col" class="num">${v.t('successRate')}</th>
      <th scope="col" class="num">${v.t('average')}</th><th scope="col" class="num">${v.t('p95')}</th><th scope="col">${v.t('statuses')}</th></tr></thead>
    <tbody>${rows.map(([name, f]) => html`<tr>
      <th scope="row"><a href="/statistics${queryString({ range: v.range, workflow: name })}">${name}</a></th>
      <td class="num">${formatNumber(v.locale, f.total)}</td><td class="num">${formatPercent(v.locale, f.successRate, 1)}</td>
      <td class="num">${formatDuration(v.locale, f.averageDurationMs)}</td><td class="num">${formatDuration(v.locale, f.p95DurationMs)}</td>
      <td class="statuses">${statusOrder.filter((s) => (f.byStatus[s] ?? 0) > 0).map((s) => html`${badge(statusTone(s), `${v.t(s)} ${formatNumber(v.locale, f.byStatus[s] ?? 0)}`)} `)}</td>
    </tr>`)}</tbody>
  </table>`;
  return pair({ id: 'workflows', heading: v.t('perWorkflow'), chart, legend: statusLegend(v, 'chart-workflows', statuses), table, wide: true });
}

/** Every chart of the page, or a note when the range has no executions. */
export function sections(v: View): Html {
  const daily = v.stats.daily ?? [];
  if (v.stats.total === 0) return html`<p class="empty">${v.t('noExecutions')}</p>`;
  return html`${perDay(v, daily)}${ratePerDay(v, daily)}${durationPerDay(v, daily)}${riskPerDay(v, daily)}${perWorkflow(v)}`;
}
