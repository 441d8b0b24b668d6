// Below the suggestions, what optimization is doing (GET /api/optimization/status): what is
// analysed and when next, the metric sources whose last read failed (which metric of which
// plugin, the error, when data last came), and why analyzers suggested nothing (too little data
// says how much there is and how much is needed; the message is the engine's, in English).
import { html, prose, type Html } from '../html.ts';
import { formatDuration, translator, type Locale, type Messages } from '../i18n.ts';
import { empty, time } from '../parts.ts';
import type { StatusView } from './model.ts';
import { reasonBadge } from './words.ts';

const text: Messages<'analysed' | 'optimization' | 'plugins' | 'every' | 'next' | 'sources' | 'sourcesOk' | 'noSources' | 'plugin' | 'metric'
  | 'error' | 'lastGood' | 'never' | 'checked' | 'notes' | 'notesIntro' | 'noNotes' | 'noAnalyses' | 'analyzer' | 'reason' | 'message' | 'at'> = {
  en: {
    analysed: 'What is analysed', optimization: 'Optimization', plugins: 'Plugins', every: 'Every', next: 'Next analysis',
    sources: 'Sources in error', sourcesOk: 'Every metric source answered at its last read ({n}).', noSources: 'No metric source has been read yet.',
    plugin: 'Plugin', metric: 'Metric', error: 'Error', lastGood: 'Last good data', never: 'never', checked: 'Last tried',
    notes: 'Why nothing is suggested', notesIntro: 'Analyzers that found nothing to change at their last run, and why.',
    noNotes: 'Every analyzer that ran found something to suggest.', noAnalyses: 'No analysis has run yet: analyses run on their schedule while `serve --cron` runs.',
    analyzer: 'Analyzer', reason: 'Reason', message: 'In detail', at: 'Analysed',
  },
  ko: {
    analysed: '분석 대상', optimization: '최적화', plugins: '플러그인', every: '주기', next: '다음 분석',
    sources: '오류가 난 소스', sourcesOk: '모든 메트릭 소스가 마지막 읽기에 응답했습니다({n}개).', noSources: '아직 읽은 메트릭 소스가 없습니다.',
    plugin: '플러그인', metric: '메트릭', error: '오류', lastGood: '마지막 정상 데이터', never: '없음', checked: '마지막 시도',
    notes: '제안이 없는 이유', notesIntro: '마지막 실행에서 바꿀 것을 찾지 못한 분석기와 그 이유입니다.',
    noNotes: '실행된 모든 분석기가 제안을 찾았습니다.', noAnalyses: '아직 분석이 실행되지 않았습니다. `serve --cron`이 실행되는 동안 주기마다 분석합니다.',
    analyzer: '분석기', reason: '이유', message: '자세히', at: '분석 시각',
  },
};

const cell = (label: string, content: Html | string) => html`<td data-label="${label}">${content}</td>`;
const section = (id: string, heading: string, body: Html, intro?: string) =>
  html`<section aria-labelledby="${id}"><h2 id="${id}">${heading}</h2>${intro && html`<p class="muted">${intro}</p>`}${body}</section>`;

function analysedTable(locale: Locale, st: StatusView): Html {
  const t = translator(text, locale);
  return html`<div class="table-wrap"><table class="responsive optimizations">
    <thead><tr><th scope="col">${t('optimization')}</th><th scope="col">${t('plugins')}</th><th scope="col">${t('every')}</th><th scope="col">${t('next')}</th></tr></thead>
    <tbody>${st.optimizations.map((o) => html`<tr>
      ${cell(t('optimization'), html`<code>${o.id}</code>`)}
      ${cell(t('plugins'), o.plugins.join(', '))}
      ${cell(t('every'), formatDuration(locale, o.everyMs))}
      ${cell(t('next'), o.nextAt !== undefined ? time(locale, o.nextAt) : '—')}
    </tr>`)}</tbody>
  </table></div>`;
}

function sourcesBody(locale: Locale, st: StatusView): Html {
  const t = translator(text, locale);
  const failing = st.sources.filter((s) => !s.ok);
  if (st.sources.length === 0) return empty(locale, t('noSources'));
  if (failing.length === 0) return html`<p class="muted sources-ok">✓ ${t('sourcesOk', { n: st.sources.length })}</p>`;
  return html`<div class="table-wrap"><table class="responsive sources">
    <thead><tr><th scope="col">${t('plugin')}</th><th scope="col">${t('metric')}</th><th scope="col">${t('error')}</th><th scope="col">${t('lastGood')}</th><th scope="col">${t('checked')}</th></tr></thead>
    <tbody>${failing.map((s) => html`<tr data-metric="${s.metric}">
      ${cell(t('plugin'), html`${s.plugin} <span class="muted">(${s.optimization})</span>`)}
      ${cell(t('metric'), html`<code>${s.metric}</code>`)}
      ${cell(t('error'), html`<span class="reason">✕ ${s.error ?? ''}</span>`)}
      ${cell(t('lastGood'), s.lastGoodAt !== undefined ? time(locale, s.lastGoodAt) : t('never'))}
      ${cell(t('checked'), time(locale, s.checkedAt))}
    </tr>`)}</tbody>
  </table></div>`;
}

function notesBody(locale: Locale, st: StatusView): Html {
  const t = translator(text, locale);
  if (st.analyses.length === 0) return html`<p class="empty">${prose(t('noAnalyses'))}</p>`;
  const rows = st.analyses.flatMap((a) => a.notes.map((n) => ({ a, n })));
  if (rows.length === 0) return empty(locale, t('noNotes'));
  return html`<div class="table-wrap"><table class="responsive notes">
    <thead><tr><th scope="col">${t('plugin')}</th><th scope="col">${t('analyzer')}</th><th scope="col">${t('reason')}</th><th scope="col">${t('message')}</th><th scope="col">${t('at')}</th></tr></thead>
    <tbody>${rows.map(({ a, n }) => html`<tr data-reason="${n.reason}">
      ${cell(t('plugin'), html`${a.plugin} <span class="muted">(${a.optimization})</span>`)}
      ${cell(t('analyzer'), html`<code>${n.analyzer}</code>`)}
      ${cell(t('reason'), reasonBadge(locale, n.reason))}
      ${cell(t('message'), html`<span class="reason" lang="en">${n.message}</span>`)}
      ${cell(t('at'), time(locale, a.at))}
    </tr>`)}</tbody>
  </table></div>`;
}

export function statusSections(locale: Locale, st: StatusView): Html {
  const t = translator(text, locale);
  return html`${section('opt-analysed', t('analysed'), analysedTable(locale, st))}
    ${section('opt-sources', t('sources'), sourcesBody(locale, st))}
    ${section('opt-notes', t('notes'), notesBody(locale, st), t('notesIntro'))}`;
}
