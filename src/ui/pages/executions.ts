// The executions, newest first, a page at a time (the API's keyset cursor), filtered by status,
// workflow, plugin (manifest id or directory) and creation date.
import { executionStatuses } from '../../api/schemas/executions.ts';
import type { ExecutionRecord } from '../../store/types.ts';
import { html, queryString } from '../html.ts';
import { formatDuration } from '../i18n.ts';
import type { Page } from '../page.ts';
import { empty, pager, time } from '../parts.ts';
import { pluginOf, statusBadge } from '../executions/sections.ts';
import { executionText, statusName } from '../executions/text.ts';

export const executionsPerPage = 50;

const day = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A `YYYY-MM-DD` day (UTC) as the ISO time of its start, `days` later; undefined when it is not one. */
function dayStart(value: string, days = 0): string | undefined {
  const m = day.exec(value);
  if (!m) return undefined;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return Number.isFinite(at) && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDate() === Number(m[3]) ? new Date(at).toISOString() : undefined;
}

const field = (q: URLSearchParams, name: string, max: number): string => (q.get(name) ?? '').trim().slice(0, max);

export const executionsPage: Page = {
  path: '/executions',
  nav: 'executions',
  live: ['executions'],
  async render(ctx) {
    const t = executionText(ctx.locale);
    const status = executionStatuses.find((s) => s === ctx.query.get('status'));
    const workflow = field(ctx.query, 'workflow', 128);
    const plugin = field(ctx.query, 'plugin', 1024);
    const from = field(ctx.query, 'from', 10), to = field(ctx.query, 'to', 10);
    const cursor = field(ctx.query, 'cursor', 512);
    const since = from ? dayStart(from) : undefined;
    const until = to ? dayStart(to, 1) : undefined;
    const bad = [from && !since ? from : '', to && !until ? to : ''].filter(Boolean);
    const filters = { status, workflow, plugin, from: since ? from : undefined, to: until ? to : undefined };
    const list = await ctx.api<ExecutionRecord[]>(`/api/executions${queryString({ status, workflow, plugin, since, until, limit: executionsPerPage, cursor })}`);
    const next = list.headers['x-next-cursor'];
    const filtered = Boolean(status || workflow || plugin || since || until);

    return {
      title: t('listTitle'),
      main: html`<h1>${t('listTitle')}</h1>
        <form method="get" action="/executions" class="filters" aria-label="${t('filters')}">
          <label for="f-status">${t('status')}<select id="f-status" name="status">
            <option value="">${t('anyStatus')}</option>
            ${executionStatuses.map((s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${statusName(ctx.locale, s)}</option>`)}
          </select></label>
          <label for="f-workflow">${t('workflow')}<input id="f-workflow" name="workflow" value="${workflow}" maxlength="128"></label>
          <label for="f-plugin">${t('plugin')}<input id="f-plugin" name="plugin" value="${plugin}" maxlength="1024"></label>
          <label for="f-from">${t('from')}<input id="f-from" name="from" type="date" value="${since ? from : ''}"></label>
          <label for="f-to">${t('to')}<input id="f-to" name="to" type="date" value="${until ? to : ''}"></label>
          <button type="submit" class="primary">${t('apply')}</button>
          ${filtered && html`<a href="/executions">${t('clear')}</a>`}
        </form>
        ${bad.map((v) => html`<p class="note" role="alert">${t('badDate', { value: v })}</p>`)}
        ${list.data.length === 0 ? empty(ctx.locale, filtered ? t('noneMatch') : undefined) : html`<div class="table-wrap"><table class="responsive executions">
          <caption class="note">${t('newest')} · ${t('shown', { count: list.data.length })}</caption>
          <thead><tr><th scope="col">${t('id')}</th><th scope="col">${t('status')}</th><th scope="col">${t('workflow')}</th><th scope="col">${t('plugin')}</th><th scope="col">${t('created')}</th><th scope="col">${t('duration')}</th><th scope="col">${t('requestedBy')}</th></tr></thead>
          <tbody>${list.data.map((r) => html`<tr>
            <td data-label="${t('id')}"><a href="/executions/${encodeURIComponent(r.id)}"><code>${r.id}</code></a></td>
            <td data-label="${t('status')}">${statusBadge(ctx.locale, r.status)}</td>
            <td data-label="${t('workflow')}">${r.workflow}</td>
            <td data-label="${t('plugin')}">${pluginOf(r) ?? ''}</td>
            <td data-label="${t('created')}">${time(ctx.locale, r.createdAt)}</td>
            <td data-label="${t('duration')}">${r.durationMs !== undefined ? formatDuration(ctx.locale, r.durationMs) : ''}</td>
            <td data-label="${t('requestedBy')}">${r.requestedBy ?? ''}</td>
          </tr>`)}</tbody>
        </table></div>`}
        ${pager(ctx.locale, next ? { next: `/executions${queryString({ ...filters, cursor: next })}` } : {})}
        ${cursor && html`<p><a href="/executions${queryString(filters)}" rel="first">← ${t('backToNewest')}</a></p>`}`,
    };
  },
};
