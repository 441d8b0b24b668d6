// One execution: its facts, the failure risk assessed before it started (when it was), the step
// graph drawn from the plan's `needs` edges, the steps with timing bars (a page of them at a
// time, so a run of thousands of steps opens at once), its logs (all steps or one; followed live
// while it runs), its artifacts, and Cancel / Retry for callers who may write. The main content
// refreshes when the execution's status changes.
import type { ExecutionRecord, LogRecord } from '../../store/types.ts';
import { finishedStatuses } from '../../store/types.ts';
import { html, queryString } from '../html.ts';
import type { Page, PageContext } from '../page.ts';
import { actionForm, pager, readOnlyNote } from '../parts.ts';
import { orderedSteps, stepGraph } from '../executions/graph.ts';
import { riskHeading, riskPanel } from '../executions/risk.ts';
import { artifactsTable, facts, logLines, stepsTable } from '../executions/sections.ts';
import { executionText } from '../executions/text.ts';

/** Steps shown per page of the steps table. */
export const stepsPerPage = 100;
/** Log lines shown when the page opens (the newest); the stream adds the ones after. */
export const logTail = 500;

const retryable: readonly ExecutionRecord['status'][] = ['failed', 'timed_out', 'cancelled', 'interrupted'];

function actions(ctx: PageContext, r: ExecutionRecord) {
  const t = executionText(ctx.locale);
  const id = encodeURIComponent(r.id);
  const active = !finishedStatuses.includes(r.status);
  const forms = [
    active && actionForm(ctx, { api: `POST /api/executions/${id}/cancel`, access: 'write', label: t('cancel'), confirm: t('cancelConfirm'), tone: 'danger', className: 'cancel' }),
    retryable.includes(r.status) && actionForm(ctx, { api: `POST /api/runs/${id}/retry`, access: 'write', label: t('retry'), confirm: t('retryConfirm'), tone: 'primary', className: 'retry' }),
  ];
  if (!forms.some(Boolean)) return html``;
  return html`<div class="exec-actions" role="group" aria-label="${t('actions')}">${forms}${readOnlyNote(ctx)}</div>`;
}

export const executionPage: Page = {
  path: '/executions/{id}',
  nav: 'executions',
  live: ['executions'],
  async render(ctx) {
    const t = executionText(ctx.locale);
    const id = ctx.params.id!;
    const api = `/api/executions/${encodeURIComponent(id)}`;
    const { data: r } = await ctx.api<ExecutionRecord>(api);
    const ordered = orderedSteps(r);
    const asked = ctx.query.get('step');
    const step = asked !== null && Object.hasOwn(r.steps, asked) ? asked : undefined;
    const pages = Math.max(1, Math.ceil(ordered.length / stepsPerPage));
    const wanted = Number.parseInt(ctx.query.get('steps') ?? '1', 10);
    const pageNo = Number.isFinite(wanted) ? Math.min(pages, Math.max(1, wanted)) : 1;
    const ids = ordered.slice((pageNo - 1) * stepsPerPage, pageNo * stepsPerPage);
    const here = (q: { steps?: number; step?: string }) => `/executions/${encodeURIComponent(r.id)}${queryString({ steps: q.steps && q.steps > 1 ? q.steps : undefined, step: q.step })}`;

    const logs = await ctx.api<LogRecord[]>(`${api}/logs${queryString({ tail: logTail, step })}`);
    const nextFrom = Number(logs.headers['x-next-from'] ?? logs.data.length);
    const live = !finishedStatuses.includes(r.status);
    const stream = live ? `${api}/logs/stream${queryString({ from: nextFrom, step })}` : undefined;
    // The log element survives refreshes (it keeps what streamed in); a retry gives it a new id,
    // so the refresh after it brings a log element that follows the new attempt.

    return {
      title: t('title', { id: r.id }),
      main: html`<h1>${t('title', { id: r.id })}</h1>
        ${actions(ctx, r)}
        <section aria-labelledby="facts-h"><h2 id="facts-h">${t('facts')}</h2>${facts(ctx.locale, r)}</section>
        ${r.risk && html`<section class="risk" aria-labelledby="risk-h"><h2 id="risk-h">${riskHeading(ctx.locale)}</h2>${riskPanel(ctx.locale, r.risk)}</section>`}
        <section aria-labelledby="graph-h"><h2 id="graph-h">${t('graph')}</h2>${stepGraph(ctx.locale, r)}</section>
        <section aria-labelledby="steps-h"><h2 id="steps-h">${t('steps')}</h2>
          ${ordered.length > stepsPerPage && html`<p class="note">${t('stepsPage', { from: (pageNo - 1) * stepsPerPage + 1, to: (pageNo - 1) * stepsPerPage + ids.length, total: ordered.length })}</p>`}
          ${stepsTable(ctx.locale, r, { ids, now: ctx.now, logsHref: (s) => `${here({ steps: pageNo, step: s })}#logs` })}
          ${pager(ctx.locale, { ...(pageNo > 1 ? { previous: here({ steps: pageNo - 1, step }) } : {}), ...(pageNo < pages ? { next: here({ steps: pageNo + 1, step }) } : {}) })}
        </section>
        <section aria-labelledby="logs"><h2 id="logs" tabindex="-1">${t('logs')}${step ? html`: <code>${step}</code>` : ''}</h2>
          <form method="get" action="/executions/${encodeURIComponent(r.id)}" class="filters log-filter">
            ${pageNo > 1 && html`<input type="hidden" name="steps" value="${pageNo}">`}
            <label>${t('logStep')} <input name="step" list="step-ids" value="${step ?? ''}" maxlength="128" autocomplete="off"></label>
            <datalist id="step-ids">${ids.map((s) => html`<option value="${s}"></option>`)}</datalist>
            <button type="submit">${t('showLogs')}</button>
            ${step && html`<a href="${here({ steps: pageNo })}#logs">${t('allSteps')}</a>`}
          </form>
          <p class="note">${t('logsUtc')} ${logs.data.length >= logTail ? t('logTail', { count: logTail }) : ''} ${live ? t('following') : ''}</p>
          <div id="log-${step ?? 'all'}-${(r.resumes ?? []).length}" class="log" role="log" tabindex="0" aria-label="${t('logs')}" data-keep${stream ? html` data-stream="${stream}"` : ''}>${logs.data.length ? logLines(logs.data) : html`<span class="empty">${t('noLogs')}</span>`}</div>
        </section>
        <section aria-labelledby="artifacts-h"><h2 id="artifacts-h">${t('artifacts')}</h2>${artifactsTable(ctx.locale, r)}</section>`,
    };
  },
};
