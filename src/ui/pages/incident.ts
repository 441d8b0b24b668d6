// /incidents/{id}: one incident — its facts (severity, category, status, who opened,
// acknowledged and resolved it and when, labels, rule, check), what to do about it (acknowledge,
// resolve, feedback on its remediation), its evidence, its remediations, and the timeline.
// Live on `incidents` and `remediation`: the timeline grows as things happen.
import type { Static } from '@sinclair/typebox';
import type { Incident } from '../../api/schemas/monitor.ts';
import { html, type Html } from '../html.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';
import type { Page } from '../page.ts';
import { time } from '../parts.ts';
import { incidentActions } from '../incidents/actions.ts';
import { evidenceSection } from '../incidents/evidence.ts';
import { incidentApi } from '../incidents/paths.ts';
import { timeline, timelineRows } from '../incidents/timeline.ts';
import { categoryWords, severityBadge, statusBadge } from '../incidents/words.ts';
import { remediationTable, type Remediation } from '../self-healing/remediations.ts';

type Shown = Static<typeof Incident>;

const text: Messages<'back' | 'facts' | 'id' | 'severity' | 'category' | 'status' | 'opened' | 'openedBy' | 'acknowledged' | 'ackUntil'
  | 'resolved' | 'resolution' | 'autoResolve' | 'labels' | 'rule' | 'check' | 'firing' | 'yes' | 'no' | 'notified' | 'none' | 'remediations'
  | 'byAt' | 'alert'> = {
  en: {
    back: 'All incidents', facts: 'Facts', id: 'Id', severity: 'Severity', category: 'Category', status: 'Status', opened: 'Opened', openedBy: 'Opened by',
    acknowledged: 'Acknowledged', ackUntil: 'Acknowledged until', resolved: 'Resolved', resolution: 'Resolution', autoResolve: 'Resolves by itself at',
    labels: 'Labels', rule: 'Rule', check: 'Check', firing: 'Alerts firing', yes: 'Yes', no: 'No', notified: 'Channels notified', none: 'None',
    remediations: 'Remediations', byAt: 'by {by}', alert: 'an alert',
  },
  ko: {
    back: '모든 인시던트', facts: '정보', id: 'ID', severity: '심각도', category: '분류', status: '상태', opened: '열린 시각', openedBy: '연 주체',
    acknowledged: '확인', ackUntil: '확인 유지 기한', resolved: '해결', resolution: '해결 내용', autoResolve: '자동 해결 예정',
    labels: '레이블', rule: '규칙', check: '헬스 체크', firing: '경보 발생 중', yes: '예', no: '아니요', notified: '알린 채널', none: '없음',
    remediations: '복구 실행', byAt: '{by}', alert: '경보',
  },
};

function facts(locale: Locale, i: Shown): Html {
  const t = translator(text, locale);
  const fact = (label: string, value: Html | string | false | undefined) => value !== undefined && value !== false && html`<dt>${label}</dt><dd>${value}</dd>`;
  const who = (by: string | undefined, at: number | undefined) => html`${time(locale, at)}${by ? html` <span class="muted">(${t('byAt', { by })})</span>` : ''}`;
  const openedBy = i.timeline.find((e) => e.kind === 'opened')?.by;
  const labels = Object.entries(i.labels);
  return html`<section aria-labelledby="facts-h"><h2 id="facts-h" class="visually-hidden">${t('facts')}</h2><dl class="facts">
    ${fact(t('status'), statusBadge(locale, i.status))}
    ${fact(t('severity'), severityBadge(locale, i.severity))}
    ${fact(t('category'), categoryWords[locale][i.category])}
    ${fact(t('opened'), time(locale, i.openedAt))}
    ${fact(t('openedBy'), openedBy ?? t('alert'))}
    ${i.acknowledgedAt !== undefined && fact(t('acknowledged'), who(i.acknowledgedBy, i.acknowledgedAt))}
    ${i.ackTimeoutAt !== undefined && fact(t('ackUntil'), time(locale, i.ackTimeoutAt))}
    ${i.resolvedAt !== undefined && fact(t('resolved'), who(i.resolvedBy, i.resolvedAt))}
    ${i.resolution !== undefined && fact(t('resolution'), html`<span class="resolution">${i.resolution}</span>`)}
    ${i.autoResolveAt !== undefined && fact(t('autoResolve'), time(locale, i.autoResolveAt))}
    ${i.status !== 'resolved' && fact(t('firing'), i.alertsFiring ? t('yes') : t('no'))}
    ${fact(t('rule'), html`<code>${i.ruleId}</code>`)}
    ${i.labels.check !== undefined && fact(t('check'), html`<a href="/checks/${encodeURIComponent(i.labels.check)}"><code>${i.labels.check}</code></a>`)}
    ${fact(t('labels'), labels.length ? html`<ul class="labels">${labels.map(([k, v]) => html`<li><code>${k}=${v}</code></li>`)}</ul>` : t('none'))}
    ${fact(t('notified'), i.notifiedFiring.length ? i.notifiedFiring.join(', ') : t('none'))}
    ${fact(t('id'), html`<code>${i.id}</code>`)}
  </dl></section>`;
}

export const incidentPage: Page = {
  path: '/incidents/{id}', nav: 'incidents', live: ['incidents', 'remediation'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const { data: incident } = await ctx.api<Shown>(incidentApi(ctx.params.id!));
    const { data: remediations } = await ctx.api<Remediation[]>(`/api/remediations?incident=${encodeURIComponent(incident.id)}`);
    return {
      title: incident.title,
      main: html`<p><a href="/incidents">← ${t('back')}</a></p>
        <h1 class="incident-title">${incident.title}</h1>
        <p class="badges">${statusBadge(ctx.locale, incident.status)} ${severityBadge(ctx.locale, incident.severity)}</p>
        <div class="incident-layout">
          <div>
            ${facts(ctx.locale, incident)}
            ${incidentActions(ctx, incident, remediations.length > 0)}
            ${evidenceSection(ctx.locale, incident.evidence)}
            ${remediations.length > 0 && html`<section aria-labelledby="remediations-h"><h2 id="remediations-h">${t('remediations')}</h2>
              ${remediationTable(ctx.locale, remediations, { withIncident: false, caption: t('remediations') })}</section>`}
          </div>
          <div>${timeline(ctx.locale, timelineRows(incident.timeline, remediations))}</div>
        </div>`,
    };
  },
};
