// The sections of one suggestion's page beyond its facts: the runs (apply and revert, links to
// their executions, with when they started and ended and their error), the verification (the
// before/after chart and numbers, the windows measured, the verdict) and the timeline of its
// states, oldest first, each with an icon and a word, when, who and the note written with it.
import { html, type Html } from '../html.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';
import { empty, time } from '../parts.ts';
import { runLink } from './facts.ts';
import type { SuggestionView } from './model.ts';
import { changeSummary, measuredList, verdictText, verificationChart } from './verification.ts';
import { stateBadge } from './words.ts';

const text: Messages<'runs' | 'apply' | 'revert' | 'started' | 'finished' | 'error' | 'noRuns' | 'verification' | 'notYet' | 'due' | 'metric'
  | 'before' | 'after' | 'verdict' | 'timeline' | 'by' | 'reason'> = {
  en: {
    runs: 'Runs', apply: 'Apply run', revert: 'Revert run', started: 'started', finished: 'ended', error: 'Error', noRuns: 'Not applied.',
    verification: 'Verification', notYet: 'Not measured.', due: 'The verdict is due {at}.', metric: 'Metric',
    before: 'Measured before', after: 'Measured after', verdict: 'Verdict', timeline: 'Timeline', by: 'by {by}', reason: 'Reason',
  },
  ko: {
    runs: '실행', apply: '적용 실행', revert: '되돌리기 실행', started: '시작', finished: '종료', error: '오류', noRuns: '적용하지 않았습니다.',
    verification: '검증', notYet: '측정하지 않았습니다.', due: '판정 예정: {at}', metric: '메트릭',
    before: '이전 측정 구간', after: '이후 측정 구간', verdict: '판정', timeline: '타임라인', by: '{by}', reason: '이유',
  },
};

const section = (id: string, heading: string, body: Html | string) => html`<section aria-labelledby="${id}"><h2 id="${id}">${heading}</h2>${body}</section>`;

function runItem(locale: Locale, label: string, run: NonNullable<SuggestionView['run']>): Html {
  const t = translator(text, locale);
  return html`<li><strong>${label}</strong>: ${runLink(locale, run)} · ${t('started')} ${time(locale, run.startedAt)}${run.finishedAt !== undefined ? html` · ${t('finished')} ${time(locale, run.finishedAt)}` : ''}
    ${run.error && html`<br><span class="step-error">${t('error')}: ${run.error}</span>`}</li>`;
}

export function runsSection(locale: Locale, s: SuggestionView): Html {
  const t = translator(text, locale);
  const items = [s.run && runItem(locale, t('apply'), s.run), s.revertRun && runItem(locale, t('revert'), s.revertRun)].filter(Boolean);
  return section('sg-runs', t('runs'), items.length ? html`<ul class="plain runs">${items}</ul>` : empty(locale, t('noRuns')));
}

export function verificationSection(locale: Locale, s: SuggestionView): Html {
  const t = translator(text, locale);
  const v = s.verification;
  if (!v) {
    if (s.state !== 'verifying' || s.verifyAt === undefined) return section('sg-verification', t('verification'), empty(locale, t('notYet')));
    // "due <time>" in the language's order.
    const [before = '', after = ''] = t('due').split('{at}');
    return section('sg-verification', t('verification'), html`<p>${before}${time(locale, s.verifyAt)}${after}</p>`);
  }
  return section('sg-verification', t('verification'), html`<div class="verification" data-outcome="${v.outcome}">
    ${verificationChart(locale, v)}
    <dl class="facts">
      <dt>${t('verdict')}</dt><dd>${stateBadge(locale, s.state)} <span class="muted">(${verdictText(locale, v)})</span></dd>
      <dt>${t('metric')}</dt><dd><code>${v.metric}</code></dd>
      <dt>${t('before')}</dt><dd>${time(locale, v.before.from)} – ${time(locale, v.before.to)}</dd>
      <dt>${t('after')}</dt><dd>${time(locale, v.after.from)} – ${time(locale, v.after.to)}</dd>
      <dt>${t('reason')}</dt><dd class="reason">${s.reason ?? '—'}</dd>
    </dl>
    ${measuredList(locale, v)}
    <p>${changeSummary(locale, v)}</p>
  </div>`);
}

export function timelineSection(locale: Locale, s: SuggestionView): Html {
  const t = translator(text, locale);
  return section('sg-timeline', t('timeline'), html`<ol class="timeline transitions">${s.transitions.map((tr) => html`<li data-state="${tr.state}">
    ${stateBadge(locale, tr.state)} ${time(locale, tr.at)}${tr.by ? html` <span class="muted">(${t('by', { by: tr.by })})</span>` : ''}
    ${tr.note && html`<br><span class="detail">${tr.note}</span>`}
  </li>`)}</ol>`);
}
