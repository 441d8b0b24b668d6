// Remediation records as a table, for the self-healing page (the recent ones, with their
// incidents) and an incident's page (its own): when, the plan on its target, dry run or run (a
// link to the execution), the outcome as a badge, the verification and the feedback count.
import type { Static } from '@sinclair/typebox';
import type { RemediationRecord } from '../../api/schemas/remediation.ts';
import type { LoggedOutcome } from '../../remediation/events.ts';
import { html, type Html } from '../html.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';
import { badge, time, type Tone } from '../parts.ts';
import { incidentPath } from '../incidents/paths.ts';

export type Remediation = Static<typeof RemediationRecord>;

const text: Messages<'started' | 'incident' | 'rule' | 'plan' | 'target' | 'run' | 'outcome' | 'feedback' | 'dryRun' | 'notStarted'
  | 'pending' | 'verified' | 'approval' | 'feedbackCount' | 'caption' | LoggedOutcome> = {
  en: {
    started: 'Started', incident: 'Incident', rule: 'Rule', plan: 'Plan', target: 'Target', run: 'Execution', outcome: 'Outcome', feedback: 'Feedback',
    dryRun: 'Dry run: nothing ran', notStarted: 'Not started', pending: 'Running', verified: 'checked by {by}', approval: 'waited for approval',
    feedbackCount: '{good} helpful, {bad} not', caption: 'Remediations',
    fixed: 'Fixed', 'not-fixed': 'Not fixed', failed: 'Failed', 'timed-out': 'Timed out', rejected: 'Rejected',
  },
  ko: {
    started: '시작', incident: '인시던트', rule: '규칙', plan: '플랜', target: '대상', run: '실행', outcome: '결과', feedback: '피드백',
    dryRun: '시험 실행: 아무것도 실행하지 않음', notStarted: '시작 안 됨', pending: '진행 중', verified: '{by}(으)로 확인', approval: '승인 대기함',
    feedbackCount: '도움됨 {good}, 안 됨 {bad}', caption: '복구 실행',
    fixed: '해결됨', 'not-fixed': '해결 안 됨', failed: '실패', 'timed-out': '시간 초과', rejected: '거부됨',
  },
};

const outcomeTones: Readonly<Record<LoggedOutcome, Tone>> = { fixed: 'ok', 'not-fixed': 'bad', failed: 'bad', 'timed-out': 'bad', rejected: 'warn' };

export function outcomeBadge(locale: Locale, r: Remediation): Html {
  const t = translator(text, locale);
  if (r.outcome) return badge(outcomeTones[r.outcome], t(r.outcome));
  if (r.decision === 'dry-run') return badge('idle', t('dryRun'));
  return badge('info', t('pending'));
}

/** The records, in the order given; `withIncident` adds the incident and rule columns. */
export function remediationTable(locale: Locale, records: readonly Remediation[], o: { withIncident: boolean; caption?: string }): Html {
  const t = translator(text, locale);
  const cell = (label: string, content: Html | string) => html`<td data-label="${label}">${content}</td>`;
  return html`<div class="table-wrap"><table class="responsive remediations">
    <caption class="visually-hidden">${o.caption ?? t('caption')}</caption>
    <thead><tr><th scope="col">${t('started')}</th>${o.withIncident && html`<th scope="col">${t('incident')}</th><th scope="col">${t('rule')}</th>`}<th scope="col">${t('plan')}</th><th scope="col">${t('target')}</th><th scope="col">${t('run')}</th><th scope="col">${t('outcome')}</th><th scope="col">${t('feedback')}</th></tr></thead>
    <tbody>${records.map((r) => {
      const good = r.feedback.filter((f) => f.positive).length;
      return html`<tr>
        ${cell(t('started'), time(locale, r.startedAt))}
        ${o.withIncident && html`${cell(t('incident'), html`<a href="${incidentPath(r.incident)}"><code>${r.incident}</code></a>`)}${cell(t('rule'), html`<code>${r.rule}</code>`)}`}
        ${cell(t('plan'), html`<code>${r.plan}</code>`)}
        ${cell(t('target'), r.target)}
        ${cell(t('run'), r.runId ? html`<a href="/executions/${encodeURIComponent(r.runId)}"><code>${r.runId}</code></a>${r.approval ? html` <span class="muted">(${t('approval')})</span>` : ''}` : t(r.decision === 'dry-run' ? 'dryRun' : 'notStarted'))}
        ${cell(t('outcome'), html`${outcomeBadge(locale, r)}${r.verification ? html` <span class="muted">${t('verified', { by: r.verification.by })}</span>` : ''}${r.detail ? html`<br><span class="muted">${r.detail}</span>` : ''}`)}
        ${cell(t('feedback'), r.feedback.length ? t('feedbackCount', { good, bad: r.feedback.length - good }) : '—')}
      </tr>`;
    })}</tbody>
  </table></div>`;
}
