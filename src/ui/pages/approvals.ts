// /approvals: the runs waiting for a decision, each with what it will do and why, and (for a
// caller who may write) Approve, Reject and Modify. Live on the `approvals` topic: a decision
// taken here, on the command line or in Slack takes the run off the page.
import type { Static } from '@sinclair/typebox';
import type { Runbook } from '../../api/schemas/runbooks.ts';
import type { ExecutionRecord } from '../../store/types.ts';
import { approvalCard, waitingApprovals } from '../approvals/card.ts';
import { html, prose } from '../html.ts';
import { translator, type Messages } from '../i18n.ts';
import type { Page } from '../page.ts';
import { empty, readOnlyNote } from '../parts.ts';

const text: Messages<'title' | 'intro' | 'count' | 'none'> = {
  en: {
    title: 'Approvals',
    intro: 'Runs waiting for a decision. A decision here is the same as `pluginops approve|reject` or a Slack button: approvers, quorum and four eyes apply, and it is recorded with your name.',
    count: '{n} waiting', none: 'No run is waiting for a decision.',
  },
  ko: {
    title: '승인',
    intro: '결정을 기다리는 실행입니다. 여기서의 결정은 `pluginops approve|reject`나 Slack 버튼과 같습니다. 승인자, 정족수, 이중 확인 원칙이 적용되며 내 이름으로 기록됩니다.',
    count: '{n}건 대기 중', none: '결정을 기다리는 실행이 없습니다.',
  },
};

export const approvalsPage: Page = {
  path: '/approvals',
  nav: 'approvals',
  live: ['approvals'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const [runs, plans] = await Promise.all([
      ctx.api<ExecutionRecord[]>('/api/executions?status=waiting&limit=1000'),
      ctx.api<Array<Static<typeof Runbook>>>('/api/runbooks'),
    ]);
    const waiting = waitingApprovals(runs.data, new Map(plans.data.map((p) => [p.id, p])));
    return {
      title: t('title'),
      main: html`<h1>${t('title')}</h1>
        <p class="muted">${prose(t('intro'))}</p>
        ${readOnlyNote(ctx)}
        <p><strong>${t('count', { n: waiting.length })}</strong></p>
        ${waiting.length ? html`<div class="approvals">${waiting.map((w) => approvalCard(ctx, w))}</div>` : empty(ctx.locale, t('none'))}`,
    };
  },
};
