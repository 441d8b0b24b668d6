// One suggestion as the list shows it: the plugin and the kind of change (a link to its page),
// its state, the change itself (`2 → 6 workers`), the description in the page's language, the
// evidence chart (merged to at most 60 buckets) beside its facts, and Apply / Dismiss for a
// caller who may write.
import { html, type Html } from '../html.ts';
import { formatDuration, translator, type Messages } from '../i18n.ts';
import type { PageContext } from '../page.ts';
import { suggestionActions } from './actions.ts';
import { evidenceChart } from './charts.ts';
import { suggestionFacts } from './facts.ts';
import { suggestionPath, type SuggestionView } from './model.ts';
import { changeText, stateBadge } from './words.ts';

const text: Messages<'change' | 'chart' | 'legend' | 'diagnosis'> = {
  en: {
    change: 'Change', chart: 'Evidence: {metric} over the last {window}', diagnosis: 'Diagnosis: nothing is set, a runbook looks into it',
    legend: 'Line and points: the mean of each interval; shaded band: its lowest to highest sample; dashed line: the p90 of the window.',
  },
  ko: {
    change: '변경', chart: '근거: 최근 {window} 동안의 {metric}', diagnosis: '진단: 값을 바꾸지 않고 런북이 원인을 살펴봅니다',
    legend: '선과 점: 구간별 평균, 음영: 구간의 최저~최고 샘플, 점선: 분석 기간의 p90.',
  },
};

export const chartLabel = (ctx: Pick<PageContext, 'locale'>, s: SuggestionView): string =>
  translator(text, ctx.locale)('chart', { metric: s.evidence.metric, window: formatDuration(ctx.locale, s.evidence.windowMs) });

/** The chart with its caption (which says how to read it). */
export function evidenceFigure(ctx: Pick<PageContext, 'locale'>, s: SuggestionView, maxPoints: number): Html {
  const t = translator(text, ctx.locale);
  return html`<figure class="evidence-chart">
    ${evidenceChart(ctx.locale, s.evidence.chart, { label: chartLabel(ctx, s), p90: s.evidence.percentiles.p90, maxPoints })}
    <figcaption class="muted">${t('legend')}</figcaption>
  </figure>`;
}

/** The change in words: `Change 2 → 6 workers`, or what a diagnosis does. */
export function changeLine(ctx: Pick<PageContext, 'locale'>, s: SuggestionView): Html {
  const t = translator(text, ctx.locale);
  const change = changeText(ctx.locale, s);
  return html`<p class="change">${change ? html`<span class="muted">${t('change')}</span> <strong>${change}</strong>` : t('diagnosis')}</p>`;
}

export function suggestionCard(ctx: PageContext, s: SuggestionView, n: number): Html {
  return html`<article class="card suggestion" data-suggestion="${s.id}" data-state="${s.state}" aria-labelledby="sg-${n}">
    <h2 id="sg-${n}"><a href="${suggestionPath(s.id)}">${s.plugin} · ${s.type}</a> ${stateBadge(ctx.locale, s.state)}</h2>
    ${changeLine(ctx, s)}
    <p class="description" lang="${ctx.locale}">${s.description[ctx.locale]}</p>
    <div class="suggestion-body">
      ${evidenceFigure(ctx, s, 60)}
      ${suggestionFacts(ctx.locale, s, { full: false })}
    </div>
    ${suggestionActions(ctx, s, n)}
  </article>`;
}
