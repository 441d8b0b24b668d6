// /incidents: the incidents newest first, the active ones (open or acknowledged) unless the
// filters say otherwise, by status, severity and category, one page at a time behind the API's
// cursor. Live on the `incidents` topic.
import type { Static } from '@sinclair/typebox';
import { categories, severities } from '../../documents/schema/alerting.ts';
import type { IncidentSummary } from '../../api/schemas/monitor.ts';
import { html, queryString, type Html } from '../html.ts';
import { translator, type Messages } from '../i18n.ts';
import type { Page, PageContext } from '../page.ts';
import { empty, pager, time } from '../parts.ts';
import { incidentPath } from '../incidents/paths.ts';
import { categoryWords, severityBadge, severityWords, statusBadge, statusWords } from '../incidents/words.ts';
import { cursorTrail } from '../incidents/trail.ts';

type Summary = Static<typeof IncidentSummary>;

const text: Messages<'title' | 'intro' | 'filters' | 'status' | 'severity' | 'category' | 'any' | 'active' | 'all' | 'apply'
  | 'incident' | 'opened' | 'rule' | 'none' | 'count' | 'more'> = {
  en: {
    title: 'Incidents', intro: 'Newest first. An incident opens when an alert fires (or someone reports one) and stays until it is resolved.',
    filters: 'Filters', status: 'Status', severity: 'Severity', category: 'Category', any: 'Any', active: 'Active (open or acknowledged)', all: 'All',
    apply: 'Show', incident: 'Incident', opened: 'Opened', rule: 'Rule', none: 'No incidents match.', count: '{n} on this page', more: 'more on the next page',
  },
  ko: {
    title: '인시던트', intro: '최신순입니다. 경보가 발생하거나 누군가 보고하면 인시던트가 열리고, 해결될 때까지 남아 있습니다.',
    filters: '필터', status: '상태', severity: '심각도', category: '분류', any: '전체', active: '진행 중(열림 또는 확인됨)', all: '모두',
    apply: '보기', incident: '인시던트', opened: '열린 시각', rule: '규칙', none: '조건에 맞는 인시던트가 없습니다.', count: '이 페이지에 {n}건', more: '다음 페이지에 더 있음',
  },
};

const pageSize = 50;
const statusChoices = ['active', 'all', 'open', 'acknowledged', 'resolved'] as const;
type StatusChoice = (typeof statusChoices)[number];

const oneOf = <T extends string>(choices: readonly T[], v: string | null): v is T => choices.some((c) => c === v);
const pick = <T extends string>(choices: readonly T[], v: string | null): T | undefined => (oneOf(choices, v) ? v : undefined);

function row(ctx: PageContext, i: Summary, t: ReturnType<typeof translator<keyof (typeof text)['en']>>): Html {
  return html`<tr>
    <td data-label="${t('status')}">${statusBadge(ctx.locale, i.status)}</td>
    <td data-label="${t('severity')}">${severityBadge(ctx.locale, i.severity)}</td>
    <td data-label="${t('incident')}"><a href="${incidentPath(i.id)}">${i.title}</a></td>
    <td data-label="${t('category')}">${categoryWords[ctx.locale][i.category]}</td>
    <td data-label="${t('rule')}"><code>${i.ruleId}</code></td>
    <td data-label="${t('opened')}">${time(ctx.locale, i.openedAt)}</td>
  </tr>`;
}

export const incidentsPage: Page = {
  path: '/incidents', nav: 'incidents', live: ['incidents'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const status: StatusChoice = pick(statusChoices, ctx.query.get('status')) ?? 'active';
    const severity = pick(severities, ctx.query.get('severity'));
    const category = pick(categories, ctx.query.get('category'));
    const trail = cursorTrail(ctx.query);
    const filters = { status: status === 'active' ? undefined : status, severity, category };
    const read = await ctx.api<Summary[]>(`/api/incidents${queryString({
      status: status === 'all' ? undefined : status, severity, category, limit: pageSize, cursor: trail.cursor,
    })}`);
    const list = read.data;
    const next = read.headers['x-next-cursor'];
    const select = (name: string, label: string, options: Html[]) => html`<label>${label}<select name="${name}">${options}</select></label>`;
    const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
    return {
      title: t('title'),
      main: html`<h1>${t('title')}</h1>
        <p class="muted">${t('intro')}</p>
        <form method="get" action="/incidents" class="filters" aria-label="${t('filters')}">
          ${select('status', t('status'), statusChoices.map((s) => option(s === 'active' ? '' : s, s === 'active' ? t('active') : s === 'all' ? t('all') : statusWords[ctx.locale][s], s === status)))}
          ${select('severity', t('severity'), [option('', t('any'), !severity), ...severities.map((s) => option(s, severityWords[ctx.locale][s], s === severity))])}
          ${select('category', t('category'), [option('', t('any'), !category), ...categories.map((c) => option(c, categoryWords[ctx.locale][c], c === category))])}
          <button type="submit">${t('apply')}</button>
        </form>
        ${list.length === 0 ? empty(ctx.locale, t('none')) : html`<p class="muted">${t('count', { n: list.length })}${next ? ` · ${t('more')}` : ''}</p>
        <div class="table-wrap"><table class="responsive incidents">
          <thead><tr><th scope="col">${t('status')}</th><th scope="col">${t('severity')}</th><th scope="col">${t('incident')}</th><th scope="col">${t('category')}</th><th scope="col">${t('rule')}</th><th scope="col">${t('opened')}</th></tr></thead>
          <tbody>${list.map((i) => row(ctx, i, t))}</tbody>
        </table></div>`}
        ${pager(ctx.locale, {
          ...(trail.previous ? { previous: `/incidents${queryString({ ...filters, ...trail.previous })}` } : {}),
          ...(next ? { next: `/incidents${queryString({ ...filters, ...trail.next(next) })}` } : {}),
        })}`,
    };
  },
};
