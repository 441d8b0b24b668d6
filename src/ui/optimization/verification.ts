// A verification in numbers and as a chart: the median, p90 and sample count before the change
// and after its warm-up, the relative change of the median, the p-value of the rank-sum test,
// and the verdict in words.
import { html, type Html } from '../html.ts';
import { formatNumber, translator, type Locale, type Messages } from '../i18n.ts';
import { beforeAfterChart } from './charts.ts';
import type { VerificationView } from './model.ts';
import { num, pValue, signedPercent } from './words.ts';

type Outcome = VerificationView['outcome'];

const text: Messages<Outcome | 'before' | 'after' | 'side' | 'change' | 'chart'> = {
  en: {
    better: 'Better', worse: 'Worse', 'no-change': 'No measurable change', insufficient: 'Too little data',
    before: 'Before', after: 'After', side: 'median {median} · p90 {p90} · n {n}', change: 'median {change}, {p}',
    chart: 'Before and after the change: {metric}',
  },
  ko: {
    better: '개선됨', worse: '나빠짐', 'no-change': '측정 가능한 변화 없음', insufficient: '데이터 부족',
    before: '이전', after: '이후', side: '중앙값 {median} · p90 {p90} · n {n}', change: '중앙값 {change}, {p}',
    chart: '변경 전후: {metric}',
  },
};

const outcomeIcons: Readonly<Record<Outcome, string>> = { better: '▲', worse: '▼', 'no-change': '=', insufficient: '…' };

export const verdictText = (locale: Locale, v: VerificationView): string => translator(text, locale)(v.outcome);

/** "Before: median 300 · p90 340 · n 12" and the same after, as a list. */
export function measuredList(locale: Locale, v: VerificationView): Html {
  const t = translator(text, locale);
  const side = (m: VerificationView['before']) => t('side', { median: num(locale, m.median), p90: num(locale, m.p90), n: formatNumber(locale, m.n) });
  return html`<ul class="plain measured">
    <li data-side="before"><strong>${t('before')}</strong>: ${side(v.before)}</li>
    <li data-side="after"><strong>${t('after')}</strong>: ${side(v.after)}</li>
  </ul>`;
}

/** "median +25.3%, p = 0.012" with the verdict's icon and word. */
export function changeSummary(locale: Locale, v: VerificationView): Html {
  const t = translator(text, locale);
  return html`<span class="verdict" data-outcome="${v.outcome}"><span aria-hidden="true">${outcomeIcons[v.outcome]}</span> ${t(v.outcome)}</span><br>
    <span class="change-value">${t('change', { change: signedPercent(locale, v.change), p: pValue(locale, v.p) })}</span>`;
}

export const verificationChart = (locale: Locale, v: VerificationView): Html =>
  beforeAfterChart(locale, v, { label: translator(text, locale)('chart', { metric: v.metric }) });
