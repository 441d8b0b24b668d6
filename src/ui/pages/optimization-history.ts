// /optimization/history: the ended suggestions, newest first (GET /api/optimization/history),
// filtered by outcome and plugin through a plain form (a filtered list is a link): outcome,
// before/after numbers with a small chart, the change and its p-value, the runs and the reason.
// Live on `optimization`.
import { fromThrown } from '../../api/errors.ts';
import { html, queryString } from '../html.ts';
import { translator } from '../i18n.ts';
import type { Page } from '../page.ts';
import { empty } from '../parts.ts';
import { historyTable } from '../optimization/history.ts';
import type { StatusView, SuggestionView } from '../optimization/model.ts';
import { frame, text } from '../optimization/text.ts';
import { stateWords } from '../optimization/words.ts';

const outcomes = ['succeeded', 'reverted', 'inconclusive', 'failed', 'dismissed', 'expired'] as const;
const pageSize = 100;

export const optimizationHistoryPage: Page = {
  path: '/optimization/history', nav: 'optimization', live: ['optimization'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const asked = ctx.query.get('outcome');
    const outcome = outcomes.find((o) => o === asked);
    const plugin = (ctx.query.get('plugin') ?? '').trim().slice(0, 128) || undefined;
    let list: SuggestionView[], total: number, counts: StatusView['counts'];
    try {
      const [read, st] = await Promise.all([
        ctx.api<SuggestionView[]>(`/api/optimization/history${queryString({ state: outcome, plugin, limit: pageSize })}`),
        ctx.api<StatusView>('/api/optimization/status'),
      ]);
      list = read.data;
      total = Number(read.headers['x-total-count'] ?? list.length);
      counts = st.data.counts;
    } catch (e) {
      if (fromThrown(e)?.status !== 503) throw e;
      return { title: t('historyTitle'), main: html`${frame(ctx.locale, { current: 'history' })}${empty(ctx.locale, t('noEngine'))}` };
    }
    const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
    return {
      title: t('historyTitle'),
      main: html`${frame(ctx.locale, { current: 'history', counts })}
        <form method="get" action="/optimization/history" class="filters" aria-label="${t('filters')}">
          <label>${t('outcome')}<select name="outcome">${option('', t('any'), !outcome)}${outcomes.map((o) => option(o, stateWords[ctx.locale][o], o === outcome))}</select></label>
          <label>${t('plugin')}<input name="plugin" value="${plugin ?? ''}" maxlength="128" autocomplete="off"></label>
          <button type="submit">${t('show')}</button>
        </form>
        ${list.length === 0 ? empty(ctx.locale, t('noHistory')) : html`
          ${total > list.length && html`<p class="muted">${t('shown', { n: list.length, total })}</p>`}
          ${historyTable(ctx.locale, list)}`}`,
    };
  },
};
