// The self-healing page's sections: the run-time controls (self-healing on or off, pauses,
// maintenance now; admin callers turn self-healing off and on), the open circuit breakers (a
// write caller resets one), and the learned patterns.
import type { Static } from '@sinclair/typebox';
import type { Controls } from '../../api/schemas/controls.ts';
import type { Breaker, Pattern } from '../../api/schemas/remediation.ts';
import { html, type Html } from '../html.ts';
import { formatNumber, formatPercent, translator, type Locale } from '../i18n.ts';
import type { PageContext } from '../page.ts';
import { actionForm, badge, time } from '../parts.ts';
import { text } from './text.ts';

type ControlsView = Static<typeof Controls>;

const cell = (label: string, content: Html | string | number) => html`<td data-label="${label}">${content}</td>`;
const numCell = (label: string, content: string) => html`<td data-label="${label}" class="num">${content}</td>`;
const byAt = (locale: Locale, by: string, at: string | number) => html`${time(locale, at)} <span class="muted">(${translator(text, locale)('byAt', { by })})</span>`;

/** "until <time>" in the language's order. */
function until(locale: Locale, at: string): Html {
  const [before = '', after = ''] = translator(text, locale)('until').split('{at}');
  return html`${before}${time(locale, at)}${after}`;
}

function healingForms(ctx: PageContext, c: ControlsView): Html {
  const t = translator(text, ctx.locale);
  const reason = (id: string) => html`<label for="${id}">${t('reason')}</label><input id="${id}" name="reason" required maxlength="1000" autocomplete="off">`;
  // Each rule turned off on its own gets its way back on.
  const ruleOn = c.selfHealing.off.flatMap((o, i) => (o.rule ? [actionForm(ctx, {
    api: 'POST /api/controls/self-healing', access: 'admin', tone: 'primary', label: t('turnOnRule', { rule: o.rule }), className: 'stack card',
    fields: html`<input type="hidden" name="enabled" value="true" data-type="boolean"><input type="hidden" name="rule" value="${o.rule}">${reason(`heal-on-rule-${i}`)}`,
  })] : []));
  return html`<div class="action-grid">${generalHealingForm(ctx, c, reason)}${ruleOn}</div>`;
}

function generalHealingForm(ctx: PageContext, c: ControlsView, reason: (id: string) => Html): Html {
  const t = translator(text, ctx.locale);
  if (c.selfHealing.enabled) {
    return actionForm(ctx, {
      api: 'POST /api/controls/self-healing', access: 'admin', tone: 'danger', label: t('turnOff'), className: 'stack card',
      fields: html`<input type="hidden" name="enabled" value="false" data-type="boolean">
        <label for="heal-off-rule">${t('rule')}</label><input id="heal-off-rule" name="rule" maxlength="128" aria-describedby="heal-off-rule-hint" autocomplete="off">
        <small id="heal-off-rule-hint" class="muted">${t('ruleHint')}</small>${reason('heal-off-reason')}`,
    });
  }
  return actionForm(ctx, {
    api: 'POST /api/controls/self-healing', access: 'admin', tone: 'primary', label: t('turnOn'), className: 'stack card',
    fields: html`<input type="hidden" name="enabled" value="true" data-type="boolean">${reason('heal-on-reason')}`,
  });
}

export function controlsSection(ctx: PageContext, c: ControlsView): Html {
  const t = translator(text, ctx.locale);
  const offs = c.selfHealing.off;
  return html`<section aria-labelledby="controls-h"><h2 id="controls-h">${t('controls')}</h2>
    <dl class="facts">
      <dt>${t('healing')}</dt><dd>${c.selfHealing.enabled ? badge('ok', t('healingOn')) : badge('bad', t('healingOff'))}
        ${offs.length > 0 && html`<ul class="plain">${offs.map((o) => html`<li>${o.rule ? t('offFor', { rule: o.rule }) : t('healingOff')}: ${o.reason} — ${byAt(ctx.locale, o.by, o.at)}</li>`)}</ul>`}</dd>
      <dt>${t('monitoring')}</dt><dd>${c.monitoring === 'running' ? badge('ok', t('running')) : badge('warn', t('paused'))}</dd>
      <dt>${t('pauses')}</dt><dd>${c.pauses.length ? html`<ul class="plain">${c.pauses.map((p) => html`<li><code>${p.target}</code>: ${p.reason} — ${byAt(ctx.locale, p.by, p.at)}${p.until ? html` · ${until(ctx.locale, p.until)}` : ''}</li>`)}</ul>` : t('none')}</dd>
      <dt>${t('maintenance')}</dt><dd>${c.maintenance.length ? html`<ul class="plain">${c.maintenance.map((m) => html`<li><code>${m.id}</code> ${time(ctx.locale, m.start)} – ${time(ctx.locale, m.end)}: ${m.reason}${m.rules ? html` <span class="muted">(${m.rules.join(', ')})</span>` : ''}${m.checks ? html` <span class="muted">(${m.checks.join(', ')})</span>` : ''} — ${t('byAt', { by: m.by })}</li>`)}</ul>` : t('none')}</dd>
    </dl>
    ${healingForms(ctx, c)}
  </section>`;
}

export function breakerTable(ctx: PageContext, breakers: readonly Static<typeof Breaker>[]): Html {
  const t = translator(text, ctx.locale);
  const canReset = ctx.may('write');
  return html`<div class="table-wrap"><table class="responsive breakers">
    <thead><tr><th scope="col">${t('plan')}</th><th scope="col">${t('target')}</th><th scope="col">${t('state')}</th><th scope="col" class="num">${t('badInRow')}</th><th scope="col">${t('lastOutcome')}</th><th scope="col">${t('lastReset')}</th>${canReset && html`<th scope="col">${t('actions')}</th>`}</tr></thead>
    <tbody>${breakers.map((b) => html`<tr>
      ${cell(t('plan'), html`<code>${b.plan}</code>`)}
      ${cell(t('target'), b.target)}
      ${cell(t('state'), b.breaker.status === 'closed' ? badge('ok', t('closed')) : html`${b.breaker.status === 'open' ? badge('bad', t('open')) : badge('warn', t('halfOpen'))} ${time(ctx.locale, b.breaker.since)}`)}
      ${numCell(t('badInRow'), formatNumber(ctx.locale, b.consecutiveBad))}
      ${cell(t('lastOutcome'), b.lastOutcome ? html`${t(b.lastOutcome.outcome)} · ${time(ctx.locale, b.lastOutcome.at)}` : '—')}
      ${cell(t('lastReset'), b.lastReset ? byAt(ctx.locale, b.lastReset.by, b.lastReset.at) : '—')}
      ${canReset && cell(t('actions'), actionForm(ctx, {
        api: 'POST /api/remediation/breakers/reset', access: 'write', label: t('reset'), confirm: t('resetConfirm'),
        fields: html`<input type="hidden" name="plan" value="${b.plan}"><input type="hidden" name="target" value="${b.target}">`,
      }))}
    </tr>`)}</tbody>
  </table></div>`;
}

export function patternTable(locale: Locale, patterns: readonly Static<typeof Pattern>[]): Html {
  const t = translator(text, locale);
  const n = (v: number) => formatNumber(locale, v);
  return html`<div class="table-wrap"><table class="responsive patterns">
    <thead><tr><th scope="col">${t('scope')}</th><th scope="col">${t('plugin')}</th><th scope="col">${t('plan')}</th><th scope="col" class="num">${t('successes')}</th><th scope="col" class="num">${t('failures')}</th><th scope="col" class="num">${t('positive')}</th><th scope="col" class="num">${t('negative')}</th><th scope="col" class="num">${t('score')}</th><th scope="col">${t('reasons')}</th></tr></thead>
    <tbody>${patterns.map((p) => html`<tr>
      ${cell(t('scope'), html`<code>${p.key.scope}</code>`)}
      ${cell(t('plugin'), p.key.plugin ?? t('any'))}
      ${cell(t('plan'), html`<code>${p.key.plan}</code>${p.recommended ? html` ${badge('ok', t('recommended'))}` : ''}`)}
      ${numCell(t('successes'), n(p.successes))}${numCell(t('failures'), n(p.failures))}${numCell(t('positive'), n(p.positive))}${numCell(t('negative'), n(p.negative))}
      ${numCell(t('score'), formatPercent(locale, p.score, 0))}
      ${cell(t('reasons'), p.lastReasons.length ? html`<ul class="plain">${p.lastReasons.slice(0, 3).map((r) => html`<li>${r}</li>`)}</ul>` : '—')}
    </tr>`)}</tbody>
  </table></div>`;
}
