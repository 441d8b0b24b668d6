// The optimization pages' own words (titles, tabs, empty states), in both languages, and the
// frame the list and the history share: the heading, a line of counts, and the two tabs.
import { html, prose, type Html } from '../html.ts';
import { formatNumber, translator, type Locale, type Messages } from '../i18n.ts';
import type { StatusView } from './model.ts';
import { ended, inFlight } from '../../optimize/suggestion.ts';

export const text: Messages<'title' | 'intro' | 'views' | 'open' | 'history' | 'historyTitle' | 'historyIntro' | 'counts' | 'noEngine'
  | 'notConfigured' | 'configure' | 'configureMore' | 'example' | 'noOpen' | 'noHistory' | 'outcome' | 'plugin' | 'any' | 'show'
  | 'filters' | 'shown' | 'detailTitle' | 'back'> = {
  en: {
    title: 'Optimization', intro: 'Changes suggested for each plugin from its own metrics, with the evidence behind them. Applying one runs its runbook; the effect is then measured, and a change that made things worse is undone.',
    views: 'Views', open: 'Open suggestions', history: 'History', historyTitle: 'Optimization history',
    historyIntro: 'Ended suggestions, newest first: applied ones with their verdict and the numbers before and after, then dismissed and expired ones.',
    counts: '{open} open · {inFlight} being applied or measured · {ended} ended',
    noEngine: 'Optimization does not run in this process.',
    notConfigured: 'Nothing is analysed yet.',
    configure: 'Add an `Optimization` document to the project: the plugins to analyse, the metrics to read (a Prometheus query, samples pushed to `POST /api/metrics`, a health check, or the plugin\'s process), the analyzers (`workers`, `resources`, `cache`, `errors`, `thresholds`) and, under each analyzer\'s `apply`, the runbook that makes its change. For example:',
    configureMore: 'The document, its sources and analyzers are described in `docs/optimization.md` (the schema: `schemas/optimization.schema.json`); this page in the Optimization section of `docs/dashboard.md`. Analyses run while `serve --cron` runs.',
    example: 'An Optimization document', noOpen: 'No open suggestion: nothing to change, or too little data yet (see below).',
    noHistory: 'No suggestion has ended yet.', outcome: 'Outcome', plugin: 'Plugin', any: 'Any', show: 'Show', filters: 'Filters',
    shown: '{n} shown of {total}', detailTitle: 'Suggestion {plugin} · {type}', back: 'All open suggestions',
  },
  ko: {
    title: '최적화', intro: '플러그인마다 자체 메트릭을 근거로 제안한 변경입니다. 적용하면 런북을 실행하고 그 효과를 측정하며, 나빠진 변경은 되돌립니다.',
    views: '보기', open: '열린 제안', history: '이력', historyTitle: '최적화 이력',
    historyIntro: '끝난 제안을 최신순으로 보여 줍니다. 적용한 제안은 판정과 전후 수치를, 그다음 무시했거나 만료된 제안을 보여 줍니다.',
    counts: '열림 {open} · 적용 또는 측정 중 {inFlight} · 종료 {ended}',
    noEngine: '이 프로세스에서는 최적화가 실행되지 않습니다.',
    notConfigured: '아직 분석하는 대상이 없습니다.',
    configure: '프로젝트에 `Optimization` 문서를 추가하세요. 분석할 플러그인, 읽을 메트릭(Prometheus 쿼리, `POST /api/metrics`로 보낸 샘플, 헬스 체크, 플러그인 프로세스), 분석기(`workers`, `resources`, `cache`, `errors`, `thresholds`), 그리고 각 분석기의 `apply`에 변경을 실행할 런북을 적습니다. 예:',
    configureMore: '문서와 소스, 분석기는 `docs/optimization.md`에(스키마: `schemas/optimization.schema.json`), 이 페이지는 `docs/dashboard.md`의 Optimization 절에 설명되어 있습니다. 분석은 `serve --cron`이 실행되는 동안 이루어집니다.',
    example: 'Optimization 문서 예', noOpen: '열린 제안이 없습니다. 바꿀 것이 없거나 아직 데이터가 부족합니다(아래 참고).',
    noHistory: '아직 끝난 제안이 없습니다.', outcome: '결과', plugin: '플러그인', any: '전체', show: '보기', filters: '필터',
    shown: '전체 {total}건 중 {n}건', detailTitle: '제안 {plugin} · {type}', back: '열린 제안 전체',
  },
};


/** The heading, the counts and the two tabs (`current` marked). */
export function frame(locale: Locale, o: { current: 'open' | 'history'; counts?: StatusView['counts'] }): Html {
  const t = translator(text, locale);
  const c = o.counts;
  const sum = (keys: readonly string[]) => formatNumber(locale, keys.reduce((a, k) => a + (c?.[k] ?? 0), 0));
  const tab = (key: 'open' | 'history', href: string) => html`<a href="${href}"${key === o.current ? html` aria-current="page"` : ''}>${t(key)}</a>`;
  return html`<h1>${o.current === 'open' ? t('title') : t('historyTitle')}</h1>
    <p class="muted">${o.current === 'open' ? t('intro') : t('historyIntro')}</p>
    ${c && html`<p class="opt-counts">${t('counts', { open: formatNumber(locale, c.active ?? 0), inFlight: sum([...inFlight]), ended: sum([...ended]) })}</p>`}
    <nav class="ranges opt-tabs" aria-label="${t('views')}">${tab('open', '/optimization')}${tab('history', '/optimization/history')}</nav>`;
}

const exampleYaml = `apiVersion: pluginops/v1
kind: Optimization
metadata: { id: resizer-workers }
spec:
  plugins: [resizer]
  metrics:
    latency_ms: { pushed: latency_ms, unit: ms }
    workers: { pushed: workers }
  analyzers:
    workers:
      latency: latency_ms
      current: workers
      target: 250
      apply:
        runbook: scale_workers
        with: { plugin: "\${{ plugin }}", workers: "\${{ value }}" }`;

/** What to configure when nothing is analysed. */
export function notConfigured(locale: Locale): Html {
  const t = translator(text, locale);
  return html`<section class="card opt-empty" aria-labelledby="opt-empty-h"><h2 id="opt-empty-h">${t('notConfigured')}</h2>
    <p>${prose(t('configure'))}</p>
    <figure class="example"><figcaption class="muted">${t('example')}</figcaption><pre tabindex="0"><code>${exampleYaml}</code></pre></figure>
    <p class="muted">${prose(t('configureMore'))}</p>
  </section>`;
}
