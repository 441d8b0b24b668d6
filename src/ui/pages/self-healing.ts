// /self-healing: what automatic remediation is doing and has learned — whether it is on (the
// run-time controls: self-healing off, pauses, maintenance; admins may turn it off and on), the
// circuit breakers that stopped it on a target (a write caller resets one), the learned patterns
// per rule or category, plugin and plan, and the recent remediations with their incidents and
// executions. Live on `remediation` and `controls`.
import type { Static } from '@sinclair/typebox';
import type { Controls } from '../../api/schemas/controls.ts';
import type { Breaker, Pattern } from '../../api/schemas/remediation.ts';
import { fromThrown } from '../../api/errors.ts';
import { html, type Html } from '../html.ts';
import { translator } from '../i18n.ts';
import type { Page } from '../page.ts';
import { empty } from '../parts.ts';
import { breakerTable, controlsSection, patternTable } from '../self-healing/sections.ts';
import { text } from '../self-healing/text.ts';
import { remediationTable, type Remediation } from '../self-healing/remediations.ts';

/** The newest remediations shown. */
export const recentRemediations = 50;

export const selfHealingPage: Page = {
  path: '/self-healing', nav: 'selfHealing', live: ['remediation', 'controls'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const [breakers, patterns, records] = await Promise.all([
      ctx.api<Static<typeof Breaker>[]>('/api/remediation/breakers'),
      ctx.api<Static<typeof Pattern>[]>('/api/remediation/patterns'),
      ctx.api<Remediation[]>('/api/remediations'),
    ]);
    let controls: Static<typeof Controls> | undefined;
    try { controls = (await ctx.api<Static<typeof Controls>>('/api/controls')).data; } catch (e) {
      // A process without run-time controls answers 503: the page shows the rest.
      if (fromThrown(e)?.status !== 503) throw e;
    }
    const recent = records.data.slice(-recentRemediations).reverse();
    const section = (id: string, heading: string, body: Html, intro?: string) => html`<section aria-labelledby="${id}"><h2 id="${id}">${heading}</h2>${intro && html`<p class="muted">${intro}</p>`}${body}</section>`;
    return {
      title: t('title'),
      main: html`<h1>${t('title')}</h1>
        <p class="muted">${t('intro')}</p>
        ${controls && controlsSection(ctx, controls)}
        ${section('breakers-h', t('breakers'), breakers.data.length ? breakerTable(ctx, breakers.data) : empty(ctx.locale, t('noBreakers')), t('breakersIntro'))}
        ${section('patterns-h', t('patterns'), patterns.data.length ? patternTable(ctx.locale, patterns.data) : empty(ctx.locale, t('noPatterns')), t('patternsIntro'))}
        ${section('recent-h', t('recent'), recent.length
          ? remediationTable(ctx.locale, recent, { withIncident: true, caption: t('recent') })
          : empty(ctx.locale, t('noRemediations')), records.data.length > recentRemediations ? t('recentIntro', { n: recentRemediations, total: records.data.length }) : undefined)}`,
    };
  },
};
