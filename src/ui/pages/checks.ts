// /checks: every health check with its state, its last result (when, and why it failed) and its
// uptime over 24 h, 7 d and 30 d, in the configuration's order; filtered by state and paged by
// the API (100 a page), so thousands of checks stay a small page.
import { html, queryString } from '../html.ts';
import { formatDuration, formatNumber, translator, type Messages } from '../i18n.ts';
import type { Page } from '../page.ts';
import { empty, pager, time } from '../parts.ts';
import { checkHref, checkState, checkStates, reasonOf, stateBadge, uptimeText, words, type CheckItem, type CheckState } from '../checks/status.ts';

export const checksPerPage = 100;

const text: Messages<'title' | 'filter' | 'status' | 'all' | 'apply' | 'check' | 'type' | 'last' | 'reason' | 'summary' | 'none' | 'shown'> = {
  en: {
    title: 'Health checks', filter: 'Filter', status: 'Status', all: 'All', apply: 'Show', check: 'Check', type: 'Type',
    last: 'Last result', reason: 'Why it failed', summary: '{total} checks: {up} up, {down} down, {paused} paused, {pending} not run yet',
    none: 'No check matches.', shown: 'Showing {from}–{to} of {count}',
  },
  ko: {
    title: '헬스 체크', filter: '필터', status: '상태', all: '전체', apply: '보기', check: '체크', type: '유형',
    last: '마지막 결과', reason: '실패 이유', summary: '체크 {total}개: 정상 {up}, 장애 {down}, 일시 중지 {paused}, 아직 실행 안 됨 {pending}',
    none: '조건에 맞는 체크가 없습니다.', shown: '{count}개 중 {from}–{to}',
  },
};

const isState = (v: string | null): v is CheckState => (checkStates as readonly string[]).includes(v ?? '');

export const checksPage: Page = {
  path: '/checks',
  nav: 'checks',
  live: ['checks', 'controls', 'config'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const w = translator(words, ctx.locale);
    // The counts from the API's X-Total-Count; one page of checks read, so its cost does not grow with the project.
    const counted = await Promise.all(checkStates.map((s) => ctx.api<CheckItem[]>(`/api/checks?state=${s}&limit=1`).then((r) => [s, Number(r.headers['x-total-count'] ?? 0)] as const)));
    const counts: Record<CheckState, number> = { down: 0, up: 0, paused: 0, pending: 0 };
    for (const [s, c] of counted) counts[s] = c;
    const total = counted.reduce((sum, [, c]) => sum + c, 0);
    const status = ctx.query.get('status');
    const filter = isState(status) ? status : undefined;
    const matching = filter ? counts[filter] : total;
    const pages = Math.max(1, Math.ceil(matching / checksPerPage));
    const page = Math.min(pages, Math.max(1, Number.parseInt(ctx.query.get('page') ?? '1', 10) || 1));
    const shown = (await ctx.api<CheckItem[]>(`/api/checks${queryString({ state: filter, limit: checksPerPage, offset: (page - 1) * checksPerPage })}`)).data;
    const href = (p: number) => `/checks${queryString({ status: filter, page: p > 1 ? p : undefined })}`;
    const n = (v: number) => formatNumber(ctx.locale, v);
    return {
      title: t('title'),
      main: html`<h1>${t('title')}</h1>
      <p class="check-counts">${t('summary', { total: n(total), up: n(counts.up), down: n(counts.down), paused: n(counts.paused), pending: n(counts.pending) })}</p>
      <form method="get" action="/checks" class="filters" id="check-filter" data-keep aria-label="${t('filter')}">
        <label for="check-status">${t('status')}
          <select id="check-status" name="status">
            <option value=""${filter ? '' : html` selected`}>${t('all')}</option>
            ${checkStates.map((s) => html`<option value="${s}"${filter === s ? html` selected` : ''}>${w(s)}</option>`)}
          </select>
        </label>
        <button type="submit">${t('apply')}</button>
      </form>
      ${shown.length === 0 ? empty(ctx.locale, t('none')) : html`
      <p class="muted">${t('shown', { from: n((page - 1) * checksPerPage + 1), to: n((page - 1) * checksPerPage + shown.length), count: n(matching) })}</p>
      <div class="table-wrap"><table class="responsive checks">
        <thead><tr><th>${t('status')}</th><th>${t('check')}</th><th>${t('type')}</th><th>${t('last')}</th><th>${t('reason')}</th>
          <th class="num">${w('uptime24h')}</th><th class="num">${w('uptime7d')}</th><th class="num">${w('uptime30d')}</th></tr></thead>
        <tbody>${shown.map((c) => html`<tr data-check="${c.id}" data-state="${checkState(c)}">
          <td data-label="${t('status')}">${stateBadge(ctx.locale, checkState(c))}</td>
          <td data-label="${t('check')}"><a href="${checkHref(c.id)}">${c.id}</a></td>
          <td data-label="${t('type')}">${c.type}</td>
          <td data-label="${t('last')}">${c.last ? html`${time(ctx.locale, c.last.at)} <span class="muted">${formatDuration(ctx.locale, c.last.durationMs)}</span>` : '—'}</td>
          <td data-label="${t('reason')}" class="reason">${reasonOf(c.last)}</td>
          <td data-label="${w('uptime24h')}" class="num">${uptimeText(ctx.locale, c.uptime?.['24h'])}</td>
          <td data-label="${w('uptime7d')}" class="num">${uptimeText(ctx.locale, c.uptime?.['7d'])}</td>
          <td data-label="${w('uptime30d')}" class="num">${uptimeText(ctx.locale, c.uptime?.['30d'])}</td>
        </tr>`)}</tbody>
      </table></div>
      ${pager(ctx.locale, { ...(page > 1 ? { previous: href(page - 1) } : {}), ...(page < pages ? { next: href(page + 1) } : {}) })}`}`,
    };
  },
};
