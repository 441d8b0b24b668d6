// /runbooks: the action plans that can be run (GET /api/runbooks), with their category, typed
// parameters and whether a run waits for approval; then the recent runs by status and category
// (GET /api/runs), filtered by category and status.
import type { Static } from '@sinclair/typebox';
import { ActionPlanCategory } from '../../documents/schema/operations.ts';
import { executionStatuses } from '../../api/schemas/executions.ts';
import type { Runbook } from '../../api/schemas/runbooks.ts';
import type { ExecutionRecord } from '../../store/types.ts';
import { html, prose, queryString } from '../html.ts';
import { translator, type Messages } from '../i18n.ts';
import type { Page } from '../page.ts';
import { badge, empty } from '../parts.ts';
import { describeType } from '../runbooks/inputs.ts';
import { statusWord } from '../runbooks/plan-parts.ts';
import { runSummary, runTable } from '../runbooks/runs.ts';

const categories = ActionPlanCategory.enum as readonly string[];

const text: Messages<'title' | 'intro' | 'plan' | 'category' | 'parameters' | 'approval' | 'steps' | 'needsApproval' | 'runsAtOnce' | 'none' | 'noPlans'
  | 'recent' | 'status' | 'all' | 'filter' | 'required' | 'template' | 'filters'> = {
  en: {
    title: 'Runbooks', intro: 'Action plans you can run: open one to see what it does and to run it with your values.',
    plan: 'Plan', category: 'Category', parameters: 'Parameters', approval: 'Approval', steps: 'Steps',
    needsApproval: 'needs approval', runsAtOnce: 'runs at once', none: 'none', noPlans: 'No action plan matches.',
    recent: 'Recent runs', status: 'Status', all: 'All', filter: 'Filter', required: 'required', template: 'shipped template', filters: 'Filters',
  },
  ko: {
    title: '런북', intro: '실행할 수 있는 액션 플랜입니다. 하나를 열어 무엇을 하는지 보고 원하는 값으로 실행하세요.',
    plan: '계획', category: '분류', parameters: '매개변수', approval: '승인', steps: '단계',
    needsApproval: '승인 필요', runsAtOnce: '즉시 실행', none: '없음', noPlans: '조건에 맞는 액션 플랜이 없습니다.',
    recent: '최근 실행', status: '상태', all: '전체', filter: '적용', required: '필수', template: '기본 제공 템플릿', filters: '필터',
  },
};

export const runbooksPage: Page = {
  path: '/runbooks',
  nav: 'runbooks',
  live: ['executions', 'approvals', 'config'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const category = ctx.query.get('category') ?? '';
    const status = ctx.query.get('status') ?? '';
    const [plans, runs] = await Promise.all([
      ctx.api<Array<Static<typeof Runbook>>>(`/api/runbooks${queryString({ category })}`),
      ctx.api<ExecutionRecord[]>(`/api/runs${queryString({ category, status, limit: 100 })}`),
    ]);
    const option = (v: string, chosen: string, label: string) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${label}</option>`;
    return {
      title: t('title'),
      main: html`<h1>${t('title')}</h1>
        <p class="muted">${t('intro')}</p>
        <form class="filters" method="get" action="/runbooks" aria-label="${t('filters')}">
          <label>${t('category')}<select name="category">${option('', category, t('all'))}${categories.map((c) => option(c, category, c))}</select></label>
          <label>${t('status')}<select name="status">${option('', status, t('all'))}${executionStatuses.map((s) => option(s, status, statusWord(ctx.locale, s)))}</select></label>
          <button type="submit">${t('filter')}</button>
        </form>
        ${plans.data.length ? html`<div class="table-wrap"><table class="responsive runbooks">
          <thead><tr><th scope="col">${t('plan')}</th><th scope="col">${t('category')}</th><th scope="col">${t('parameters')}</th><th scope="col">${t('approval')}</th><th scope="col" class="num">${t('steps')}</th></tr></thead>
          <tbody>${plans.data.map((p) => html`<tr>
            <td data-label="${t('plan')}"><div><a href="/runbooks/${encodeURIComponent(p.id)}">${p.name ?? p.id}</a> <code>${p.id}</code>
              ${p.source === 'template' ? html`<span class="muted">(${t('template')})</span>` : ''}
              ${p.description && html`<span class="muted desc">${prose(p.description)}</span>`}</div></td>
            <td data-label="${t('category')}">${p.category ?? '—'}</td>
            <td data-label="${t('parameters')}">${Object.keys(p.parameters).length ? html`<ul class="plain cell">${Object.entries(p.parameters).map(([n, d]) => html`<li><code>${n}</code>${d.required ? html` <span class="req">(${t('required')})</span>` : ''} <span class="muted">${describeType(ctx.locale, d)}</span></li>`)}</ul>` : t('none')}</td>
            <td data-label="${t('approval')}">${p.approval?.required ? badge('warn', t('needsApproval')) : badge('idle', t('runsAtOnce'))}</td>
            <td data-label="${t('steps')}" class="num">${p.steps.length}</td>
          </tr>`)}</tbody>
        </table></div>` : empty(ctx.locale, t('noPlans'))}
        <h2>${t('recent')}</h2>
        ${runSummary(ctx.locale, runs.data)}
        ${runTable(ctx.locale, runs.data)}`,
    };
  },
};
