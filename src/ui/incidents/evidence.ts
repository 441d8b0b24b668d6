// An incident's evidence as the API answers it (capped and masked): per piece, where it came
// from (Loki, Prometheus, the check, a person), when, the query, its log lines (as text, in a
// scrollable block) and its samples (a table of labels and values).
import type { Evidence } from '../../monitor/incidents/evidence.ts';
import { html, type Html } from '../html.ts';
import { formatNumber, translator, type Locale, type Messages } from '../i18n.ts';
import { badge, time } from '../parts.ts';

const text: Messages<'heading' | 'none' | 'query' | 'lines' | 'samples' | 'labels' | 'value' | 'at' | 'truncated' | 'by'
  | 'loki' | 'prometheus' | 'check' | 'manual'> = {
  en: {
    heading: 'Evidence', none: 'No evidence was kept for this incident.', query: 'Query', lines: 'Log lines', samples: 'Samples',
    labels: 'Labels', value: 'Value', at: 'Time', truncated: 'Cut to stay within the limits: the newest lines are kept.', by: 'attached by {by}',
    loki: 'Loki logs', prometheus: 'Prometheus query', check: 'Health check', manual: 'Reported by hand',
  },
  ko: {
    heading: '증거', none: '이 인시던트에 보관된 증거가 없습니다.', query: '쿼리', lines: '로그 줄', samples: '샘플',
    labels: '레이블', value: '값', at: '시각', truncated: '한도 안에 맞추려고 잘랐습니다. 최신 줄만 남깁니다.', by: '{by}이(가) 첨부함',
    loki: 'Loki 로그', prometheus: 'Prometheus 쿼리', check: '헬스 체크', manual: '직접 보고',
  },
};

const labelText = (labels: Readonly<Record<string, string>> | undefined): string =>
  Object.entries(labels ?? {}).map(([k, v]) => `${k}="${v}"`).join(', ');

function piece(locale: Locale, e: Evidence, n: number): Html {
  const t = translator(text, locale);
  const id = `evidence-${n}`;
  return html`<article class="card evidence" aria-labelledby="${id}">
    <h3 id="${id}">${badge(e.source === 'manual' ? 'warn' : 'info', t(e.source))} ${time(locale, e.at)}${e.by ? html` <span class="muted">${t('by', { by: e.by })}</span>` : ''}</h3>
    ${e.query && html`<p><span class="muted">${t('query')}:</span> <code class="query">${e.query}</code></p>`}
    ${e.lines && e.lines.length > 0 && html`<div class="log evidence-lines" role="region" tabindex="0" aria-label="${t('lines')}">${e.lines.map((l) => html`<div class="line">${l.at === undefined ? '' : `${new Date(l.at).toISOString().slice(11, 19)} `}${l.text}${l.labels && Object.keys(l.labels).length ? html` <span class="muted">{${labelText(l.labels)}}</span>` : ''}</div>`)}</div>`}
    ${e.samples && e.samples.length > 0 && html`<div class="table-wrap"><table><caption class="muted">${t('samples')}</caption>
      <thead><tr><th scope="col">${t('labels')}</th><th scope="col" class="num">${t('value')}</th><th scope="col">${t('at')}</th></tr></thead>
      <tbody>${e.samples.map((s) => html`<tr><td><code>${labelText(s.labels) || '{}'}</code></td><td class="num">${formatNumber(locale, s.value, Number.isInteger(s.value) ? 0 : 3)}</td><td>${time(locale, s.at)}</td></tr>`)}</tbody>
    </table></div>`}
    ${e.truncated && html`<p class="note">${t('truncated')}</p>`}
  </article>`;
}

export function evidenceSection(locale: Locale, evidence: readonly Evidence[] | undefined): Html {
  const t = translator(text, locale);
  return html`<section aria-labelledby="evidence-h"><h2 id="evidence-h">${t('heading')}</h2>
    ${evidence && evidence.length ? html`<div class="stack-cards">${evidence.map((e, i) => piece(locale, e, i))}</div>` : html`<p class="empty">${t('none')}</p>`}
  </section>`;
}
