// /optimization/{id}: one suggestion (GET /api/optimization/suggestions/{id}) — its state, change
// and description, the full evidence chart (every bucket), its facts with the runbook and its
// revert, Apply / Dismiss while it is open and the caller may write, its runs, the verification
// and the timeline of its states. An unknown id answers the 404 page. Live on `optimization`.
import { html } from '../html.ts';
import { translator } from '../i18n.ts';
import type { Page } from '../page.ts';
import { readOnlyNote } from '../parts.ts';
import { suggestionActions } from '../optimization/actions.ts';
import { changeLine, evidenceFigure } from '../optimization/card.ts';
import { runsSection, timelineSection, verificationSection } from '../optimization/detail.ts';
import { suggestionFacts } from '../optimization/facts.ts';
import { suggestionApi, type SuggestionView } from '../optimization/model.ts';
import { text } from '../optimization/text.ts';
import { stateBadge } from '../optimization/words.ts';

export const suggestionPage: Page = {
  path: '/optimization/{id}', nav: 'optimization', live: ['optimization'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const s = (await ctx.api<SuggestionView>(suggestionApi(ctx.params.id!))).data;
    const title = t('detailTitle', { plugin: s.plugin, type: s.type });
    return {
      title,
      main: html`<p><a href="/optimization">← ${t('back')}</a></p>
        <h1 class="suggestion-title">${title} ${stateBadge(ctx.locale, s.state)}</h1>
        <article class="suggestion-detail" data-suggestion="${s.id}" data-state="${s.state}">
          ${changeLine(ctx, s)}
          <p class="description" lang="${ctx.locale}">${s.description[ctx.locale]}</p>
          ${s.state === 'active' && readOnlyNote(ctx)}
          ${suggestionActions(ctx, s, 0)}
          ${s.reason && !s.verification && html`<p class="reason">${s.reason}</p>`}
          <div class="suggestion-body wide">
            ${evidenceFigure(ctx, s, 240)}
            ${suggestionFacts(ctx.locale, s, { full: true })}
          </div>
          ${verificationSection(ctx.locale, s)}
          ${runsSection(ctx.locale, s)}
          ${timelineSection(ctx.locale, s)}
        </article>`,
    };
  },
};
