// /statistics: success rate, average and p95 duration and the status distribution of the
// executions created in the last 7, 30 or 90 UTC days, per day and per workflow, optionally of one
// workflow. Read from GET /api/statistics?days=&workflow= (its figures are kept a few seconds, so
// the page stays quick over tens of thousands of executions); refreshed live on `executions`.
import { ApiError } from '../../api/errors.ts';
import type { Stats } from '../../store/types.ts';
import { html, queryString } from '../html.ts';
import { formatDuration, formatNumber, formatPercent, translator } from '../i18n.ts';
import type { Page } from '../page.ts';
import { sections } from '../statistics/sections.ts';
import { text } from '../statistics/text.ts';

export const ranges = { '7d': 7, '30d': 30, '90d': 90 } as const;
type Range = keyof typeof ranges;
const isRange = (v: string): v is Range => Object.hasOwn(ranges, v);

export const statisticsPage: Page = {
  path: '/statistics',
  nav: 'statistics',
  live: ['executions'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const range = ctx.query.get('range') || '30d';
    if (!isRange(range)) throw new ApiError('badRequest', t('badRange', { range: range.slice(0, 20) }));
    const workflow = ctx.query.get('workflow') || undefined;
    const days = ranges[range];
    const stats = (await ctx.api<Stats>(`/api/statistics${queryString({ days, workflow })}`)).data;
    const from = stats.window?.from.slice(0, 10) ?? '';
    const to = stats.window ? new Date(Date.parse(stats.window.to) - 1).toISOString().slice(0, 10) : '';
    const names = workflow !== undefined && !stats.workflows.includes(workflow) ? [...stats.workflows, workflow] : stats.workflows;
    const figure = (label: string, value: string) => html`<div class="card"><h2 class="label">${label}</h2><p class="figure">${value}</p></div>`;
    return {
      title: workflow ? `${t('title')}: ${workflow}` : t('title'),
      main: html`<h1>${t('title')}</h1>
        <form class="filters" method="get" action="/statistics">
          <label>${t('range')}<select name="range">${(Object.keys(ranges) as Range[]).map((r) => html`<option value="${r}"${r === range ? html` selected` : ''}>${t('days', { n: ranges[r] })}</option>`)}</select></label>
          <label>${t('workflow')}<select name="workflow"><option value="">${t('allWorkflows')}</option>${names.map((n) => html`<option value="${n}"${n === workflow ? html` selected` : ''}>${n}</option>`)}</select></label>
          <button type="submit">${t('apply')}</button>
        </form>
        <p class="note">${workflow === undefined ? t('windowNote', { from, to }) : t('windowNoteOne', { workflow, from, to })}</p>
        <section class="grid stat-figures" aria-label="${t('title')}">
          ${figure(t('executions'), formatNumber(ctx.locale, stats.total))}
          ${figure(t('successRate'), stats.finished > 0 ? formatPercent(ctx.locale, stats.successRate, 1) : '–')}
          ${figure(t('average'), stats.finished > 0 ? formatDuration(ctx.locale, stats.averageDurationMs) : '–')}
          ${figure(t('p95'), stats.finished > 0 ? formatDuration(ctx.locale, stats.p95DurationMs) : '–')}
        </section>
        ${sections({ t, locale: ctx.locale, stats, range })}`,
    };
  },
};
