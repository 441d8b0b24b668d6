// The history of ended suggestions (GET /api/optimization/history), newest first: when it ended,
// the plugin and change (a link to the suggestion), the outcome (an icon and a word), the
// before/after numbers with a small chart, the change of the median and its p-value, the runs
// (links to their executions) and the reason in words.
import { html, type Html } from '../html.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';
import { time } from '../parts.ts';
import { runLink } from './facts.ts';
import { suggestionPath, type SuggestionView } from './model.ts';
import { changeSummary, measuredList, verificationChart } from './verification.ts';
import { changeText, stateBadge } from './words.ts';

const text: Messages<'caption' | 'ended' | 'suggestion' | 'outcome' | 'measured' | 'change' | 'runs' | 'reason' | 'notMeasured' | 'revert' | 'noRun'> = {
  en: {
    caption: 'Ended suggestions', ended: 'Ended', suggestion: 'Suggestion', outcome: 'Outcome', measured: 'Before and after', change: 'Change',
    runs: 'Runs', reason: 'Reason', notMeasured: 'Not measured', revert: 'revert', noRun: 'none',
  },
  ko: {
    caption: '끝난 제안', ended: '종료 시각', suggestion: '제안', outcome: '결과', measured: '변경 전후', change: '변화',
    runs: '실행', reason: '이유', notMeasured: '측정 안 함', revert: '되돌리기', noRun: '없음',
  },
};

const cell = (label: string, content: Html | string, cls = '') => html`<td data-label="${label}"${cls ? html` class="${cls}"` : ''}>${content}</td>`;

export function historyTable(locale: Locale, list: readonly SuggestionView[]): Html {
  const t = translator(text, locale);
  return html`<div class="table-wrap"><table class="responsive optimization-history">
    <caption class="visually-hidden">${t('caption')}</caption>
    <thead><tr><th scope="col">${t('ended')}</th><th scope="col">${t('suggestion')}</th><th scope="col">${t('outcome')}</th><th scope="col">${t('measured')}</th><th scope="col">${t('change')}</th><th scope="col">${t('runs')}</th><th scope="col">${t('reason')}</th></tr></thead>
    <tbody>${list.map((s) => {
      const v = s.verification;
      const change = changeText(locale, s);
      return html`<tr data-suggestion="${s.id}" data-state="${s.state}">
        ${cell(t('ended'), time(locale, s.updatedAt))}
        ${cell(t('suggestion'), html`<a href="${suggestionPath(s.id)}">${s.plugin} · ${s.type}</a>${change && html`<br><span class="muted">${change}</span>`}`)}
        ${cell(t('outcome'), stateBadge(locale, s.state))}
        ${cell(t('measured'), v ? html`<div class="measured-cell">${verificationChart(locale, v)}${measuredList(locale, v)}</div>` : html`<span class="muted">${t('notMeasured')}</span>`)}
        ${cell(t('change'), v ? changeSummary(locale, v) : '—')}
        ${cell(t('runs'), s.run || s.revertRun
          ? html`<ul class="plain">${s.run && html`<li>${runLink(locale, s.run)}</li>`}${s.revertRun && html`<li><span class="muted">${t('revert')}</span> ${runLink(locale, s.revertRun)}</li>`}</ul>`
          : t('noRun'))}
        ${cell(t('reason'), s.reason ?? '—', 'reason')}
      </tr>`;
    })}</tbody>
  </table></div>`;
}
