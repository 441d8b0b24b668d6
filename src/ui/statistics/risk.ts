// The statistics page's risk trend: per day, the mean failure risk assessed before the runs
// started beside the observed failure rate of those same runs (failed or timed out, of those
// finished), so one can see whether the score tracks what happens. A table of the same numbers
// stands beside the chart; a sentence says so when no run of the range has a risk score.
import type { DayFigures, RiskFigures } from '../../store/types.ts';
import { html, type Html } from '../html.ts';
import { formatNumber, formatPercent } from '../i18n.ts';
import { lineChart, type Line } from './charts.ts';
import { lineLegend, pair, shortDay, type View } from './parts.ts';

const percent = (v: View, ratio: number | null | undefined): string => (ratio === null || ratio === undefined ? '–' : formatPercent(v.locale, ratio, 1));

function summary(v: View, risk: RiskFigures): string {
  return v.t('riskSummary', {
    assessed: formatNumber(v.locale, risk.assessed), total: formatNumber(v.locale, v.stats.total), score: percent(v, risk.meanScore),
    failed: formatNumber(v.locale, risk.failed), finished: formatNumber(v.locale, risk.finished), rate: percent(v, risk.failureRate),
  });
}

export function riskPerDay(v: View, daily: readonly DayFigures[]): Html {
  const risk = v.stats.risk;
  if (!risk || risk.assessed === 0) {
    return html`<section class="stat-pair" aria-labelledby="risk-h"><h2 id="risk-h">${v.t('riskPerDay')}</h2><p class="empty risk-none">${v.t('noRisk')}</p></section>`;
  }
  const lines: Line[] = [
    {
      name: v.t('meanScore'), style: 'solid', marker: 'circle',
      points: daily.map((d) => ({ value: d.risk.meanScore ?? undefined, title: v.t('riskOn', { day: d.day, score: percent(v, d.risk.meanScore), assessed: formatNumber(v.locale, d.risk.assessed) }) })),
    },
    {
      name: v.t('failureRate'), style: 'dashed', marker: 'square',
      points: daily.map((d) => ({
        value: d.risk.failureRate ?? undefined,
        title: v.t('failureOn', { day: d.day, failed: formatNumber(v.locale, d.risk.failed), finished: formatNumber(v.locale, d.risk.finished), rate: percent(v, d.risk.failureRate) }),
      })),
    },
  ];
  const chart = lineChart({
    id: 'chart-risk', label: v.t('riskPerDayLabel', { n: daily.length }), slots: daily.map((d) => shortDay(v.locale, d.day)), lines,
    axis: { max: 1, format: (r) => formatPercent(v.locale, r, 0) },
  });
  const probable = daily.some((d) => d.risk.meanProbability !== undefined);
  const table = html`<table class="stat-risk"><caption class="sr-only">${v.t('tableOf', { name: v.t('riskPerDay') })}</caption>
    <thead><tr><th scope="col">${v.t('day')}</th><th scope="col" class="num">${v.t('assessed')}</th><th scope="col" class="num">${v.t('meanScore')}</th>
      ${probable && html`<th scope="col" class="num">${v.t('meanProbability')}</th>`}<th scope="col" class="num">${v.t('highRisk')}</th><th scope="col" class="num">${v.t('failureRate')}</th></tr></thead>
    <tbody>${daily.filter((d) => d.risk.assessed > 0).map((d) => html`<tr><th scope="row">${d.day}</th>
      <td class="num">${formatNumber(v.locale, d.risk.assessed)}</td><td class="num">${percent(v, d.risk.meanScore)}</td>
      ${probable && html`<td class="num">${percent(v, d.risk.meanProbability)}</td>`}<td class="num">${formatNumber(v.locale, d.risk.high)}</td>
      <td class="num">${percent(v, d.risk.failureRate)}${d.risk.finished > 0 ? ` (${formatNumber(v.locale, d.risk.failed)}/${formatNumber(v.locale, d.risk.finished)})` : ''}</td></tr>`)}</tbody>
  </table>`;
  return pair({
    id: 'risk', heading: v.t('riskPerDay'), chart, legend: lineLegend(v, lines), table,
    intro: html`${v.t('riskIntro')} ${summary(v, risk)}`, note: v.t('noAssessedDaysLeftOut'),
  });
}
