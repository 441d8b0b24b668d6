// Recent runs of action plans, as the Runbooks pages show them: how many in each status and
// category, and a table of the newest (each links to its execution page).
import type { ExecutionRecord } from '../../store/types.ts';
import { html, type Html } from '../html.ts';
import { formatNumber, translator, type Locale, type Messages } from '../i18n.ts';
import { empty, time } from '../parts.ts';
import { statusBadge } from './plan-parts.ts';

const text: Messages<'run' | 'plan' | 'category' | 'status' | 'requestedBy' | 'started' | 'none' | 'byStatus' | 'byCategory' | 'uncategorized'> = {
  en: {
    run: 'Run', plan: 'Plan', category: 'Category', status: 'Status', requestedBy: 'Asked by', started: 'Created',
    none: 'No runs yet.', byStatus: 'By status', byCategory: 'By category', uncategorized: '(none)',
  },
  ko: {
    run: '실행', plan: '계획', category: '분류', status: '상태', requestedBy: '요청자', started: '생성 시각',
    none: '아직 실행이 없습니다.', byStatus: '상태별', byCategory: '분류별', uncategorized: '(없음)',
  },
};

function counts(values: readonly string[]): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** How many of `runs` are in each status and in each category. */
export function runSummary(locale: Locale, runs: readonly ExecutionRecord[]): Html {
  if (!runs.length) return html``;
  const t = translator(text, locale);
  return html`<div class="run-summary">
    <div><h3>${t('byStatus')}</h3><ul class="counts">${counts(runs.map((r) => r.status)).map(([s, n]) => html`<li>${statusBadge(locale, s)} <strong>${formatNumber(locale, n)}</strong></li>`)}</ul></div>
    <div><h3>${t('byCategory')}</h3><ul class="counts">${counts(runs.map((r) => r.category ?? '')).map(([c, n]) => html`<li>${c || t('uncategorized')} <strong>${formatNumber(locale, n)}</strong></li>`)}</ul></div>
  </div>`;
}

export function runTable(locale: Locale, runs: readonly ExecutionRecord[]): Html {
  const t = translator(text, locale);
  if (!runs.length) return empty(locale, t('none'));
  return html`<div class="table-wrap"><table class="responsive runs">
    <thead><tr><th scope="col">${t('run')}</th><th scope="col">${t('plan')}</th><th scope="col">${t('category')}</th><th scope="col">${t('status')}</th><th scope="col">${t('requestedBy')}</th><th scope="col">${t('started')}</th></tr></thead>
    <tbody>${runs.map((r) => html`<tr>
      <td data-label="${t('run')}"><a href="/executions/${encodeURIComponent(r.id)}"><code>${r.id}</code></a></td>
      <td data-label="${t('plan')}"><a href="/runbooks/${encodeURIComponent(r.workflow)}">${r.workflow}</a></td>
      <td data-label="${t('category')}">${r.category ?? '—'}</td>
      <td data-label="${t('status')}">${statusBadge(locale, r.status)}</td>
      <td data-label="${t('requestedBy')}">${r.requestedBy ?? '—'}</td>
      <td data-label="${t('started')}">${time(locale, r.createdAt)}</td>
    </tr>`)}</tbody>
  </table></div>`;
}
