// /optimization: the open suggestions (GET /api/optimization/suggestions), each with its change,
// description, evidence chart and facts, and Apply / Dismiss for a caller who may write; below,
// what is analysed, the sources in error and why analyzers suggested nothing
// (GET /api/optimization/status). With nothing configured it says what to add. Live on
// `optimization`.
import { fromThrown } from '../../api/errors.ts';
import { html } from '../html.ts';
import { translator } from '../i18n.ts';
import type { Page } from '../page.ts';
import { empty, readOnlyNote } from '../parts.ts';
import { suggestionCard } from '../optimization/card.ts';
import type { StatusView, SuggestionView } from '../optimization/model.ts';
import { statusSections } from '../optimization/status.ts';
import { frame, notConfigured, text } from '../optimization/text.ts';

/** The open suggestions shown (the API's default page). */
export const shownSuggestions = 100;

export const optimizationPage: Page = {
  path: '/optimization', nav: 'optimization', live: ['optimization'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    let status: StatusView, open: SuggestionView[], total: number;
    try {
      const [st, list] = await Promise.all([
        ctx.api<StatusView>('/api/optimization/status'),
        ctx.api<SuggestionView[]>(`/api/optimization/suggestions?state=open&limit=${shownSuggestions}`),
      ]);
      status = st.data;
      open = list.data;
      total = Number(list.headers['x-total-count'] ?? open.length);
    } catch (e) {
      // A process without optimization answers 503: the page says so.
      if (fromThrown(e)?.status !== 503) throw e;
      return { title: t('title'), main: html`${frame(ctx.locale, { current: 'open' })}${empty(ctx.locale, t('noEngine'))}` };
    }
    if (status.optimizations.length === 0 && open.length === 0) {
      return { title: t('title'), main: html`${frame(ctx.locale, { current: 'open' })}${notConfigured(ctx.locale)}` };
    }
    const anyActive = open.some((s) => s.state === 'active');
    return {
      title: t('title'),
      main: html`${frame(ctx.locale, { current: 'open', counts: status.counts })}
        <section aria-labelledby="opt-open"><h2 id="opt-open" class="visually-hidden">${t('open')}</h2>
          ${anyActive && readOnlyNote(ctx)}
          ${open.length === 0 ? empty(ctx.locale, t('noOpen')) : html`
            ${total > open.length && html`<p class="muted">${t('shown', { n: open.length, total })}</p>`}
            <div class="suggestions">${open.map((s, i) => suggestionCard(ctx, s, i))}</div>`}
        </section>
        ${statusSections(ctx.locale, status)}`,
    };
  },
};
