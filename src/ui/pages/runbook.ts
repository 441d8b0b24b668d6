// /runbooks/{id}: one action plan (GET /api/runbooks/{id}): what it does, its steps, its approval
// rules, and a Run form generated from its typed parameters (required ones marked, defaults
// filled) that starts a run with POST /api/runs and opens the new run's page; then its recent runs.
import type { Static } from '@sinclair/typebox';
import type { Runbook } from '../../api/schemas/runbooks.ts';
import type { ExecutionRecord } from '../../store/types.ts';
import { html, prose } from '../html.ts';
import { translator, type Messages } from '../i18n.ts';
import type { Page } from '../page.ts';
import { actionForm, badge, readOnlyNote } from '../parts.ts';
import { parameterField } from '../runbooks/inputs.ts';
import { approvalTerms, stepList } from '../runbooks/plan-parts.ts';
import { runTable } from '../runbooks/runs.ts';

const text: Messages<'id' | 'category' | 'file' | 'template' | 'project' | 'steps' | 'approval' | 'needsApproval' | 'runsAtOnce' | 'run' | 'runIntro'
  | 'noParameters' | 'askApproval' | 'start' | 'recent' | 'source'> = {
  en: {
    id: 'Id', category: 'Category', file: 'File', source: 'Source', template: 'shipped template', project: 'this project', steps: 'Steps', approval: 'Approval',
    needsApproval: 'A run waits for approval before its first step.', runsAtOnce: 'A run starts at once, without approval.',
    run: 'Run', runIntro: 'Runs with your name as the requester; values are checked against the declarations before anything runs.',
    noParameters: 'This plan takes no parameters.', askApproval: 'Wait for an approval before the first step', start: 'Run', recent: 'Recent runs',
  },
  ko: {
    id: 'ID', category: '분류', file: '파일', source: '출처', template: '기본 제공 템플릿', project: '이 프로젝트', steps: '단계', approval: '승인',
    needsApproval: '실행은 첫 단계 전에 승인을 기다립니다.', runsAtOnce: '실행은 승인 없이 바로 시작됩니다.',
    run: '실행', runIntro: '내 이름을 요청자로 하여 실행합니다. 실행 전에 값이 선언에 맞는지 검사합니다.',
    noParameters: '이 계획은 매개변수가 없습니다.', askApproval: '첫 단계 전에 승인을 기다리기', start: '실행', recent: '최근 실행',
  },
};

export const runbookPage: Page = {
  path: '/runbooks/{id}',
  nav: 'runbooks',
  live: ['executions', 'approvals', 'config'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const id = ctx.params.id!;
    const plan = (await ctx.api<Static<typeof Runbook>>(`/api/runbooks/${encodeURIComponent(id)}`)).data;
    const runs = (await ctx.api<ExecutionRecord[]>(`/api/runs?templateId=${encodeURIComponent(id)}&limit=20`)).data;
    const params = Object.entries(plan.parameters);
    const a = plan.approval;
    return {
      title: plan.name ?? plan.id,
      main: html`<h1>${plan.name ?? plan.id}</h1>
        ${plan.description && html`<p class="description">${prose(plan.description)}</p>`}
        <dl class="facts">
          <dt>${t('id')}</dt><dd><code>${plan.id}</code></dd>
          ${plan.category && html`<dt>${t('category')}</dt><dd>${plan.category}</dd>`}
          <dt>${t('source')}</dt><dd>${plan.source === 'template' ? t('template') : t('project')} · <code>${plan.file}</code></dd>
        </dl>
        <h2>${t('approval')}</h2>
        ${a?.required
          ? html`<p>${badge('warn', t('approval'))} ${t('needsApproval')}</p>${approvalTerms(ctx.locale, { ...(a.approvers ? { approvers: a.approvers } : {}), ...(a.quorum ? { quorum: a.quorum } : {}), ...(a.fourEyes !== undefined ? { fourEyes: a.fourEyes } : {}), ...(a.timeout ? { timeout: a.timeout } : {}), ...(a.onTimeout ? { onTimeout: a.onTimeout } : {}) })}`
          : html`<p>${t('runsAtOnce')}</p>`}
        <h2>${t('steps')}</h2>
        ${stepList(ctx.locale, plan.steps)}
        <h2>${t('run')}</h2>
        ${readOnlyNote(ctx)}
        ${ctx.may('write') && html`<p class="muted">${t('runIntro')}</p>`}
        ${actionForm(ctx, {
          api: 'POST /api/runs', access: 'write', label: t('start'), tone: 'primary', then: 'location', className: 'stack run-form',
          fields: html`<input type="hidden" name="templateId" value="${plan.id}">
            ${params.length ? params.map(([name, p]) => parameterField(ctx.locale, { name, field: `data.${name}`, id: `p-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`, declared: p, required: p.required ?? false })) : html`<p class="muted">${t('noParameters')}</p>`}
            ${!a?.required && html`<div class="param param-boolean"><input type="checkbox" id="require-approval" name="requireApproval" value="true" data-type="boolean"><label for="require-approval">${t('askApproval')}</label></div>`}`,
        })}
        <h2>${t('recent')}</h2>
        ${runTable(ctx.locale, runs)}`,
    };
  },
};
