// One approval a run waits for, as the Approvals page shows it: what the run will do (the plan,
// its steps, the parameters as the API shows them, masked) and why (the incident that triggered
// it, who asked), the rules of the decision (approvers, quorum, four eyes, deadline) and the
// decisions so far; then, for a caller who may write, Approve, Reject with a reason, and Modify
// (approve with changed values, one typed input per parameter the approval declares). Every
// action is a POST to /api/runs/{id}/approve|reject: the decision path of the CLI and Slack.
import type { Static } from '@sinclair/typebox';
import type { Runbook } from '../../api/schemas/runbooks.ts';
import { severities, type Severity } from '../../documents/schema/alerting.ts';
import type { ApprovalRecord, ExecutionRecord } from '../../store/types.ts';
import { html, type Html } from '../html.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';
import type { PageContext } from '../page.ts';
import { actionForm, badge, statusTone, time, type Tone } from '../parts.ts';
import { parameterField, showValue } from '../runbooks/inputs.ts';
import { approvalTerms, statusBadge, stepList } from '../runbooks/plan-parts.ts';

type Keys = 'plan' | 'category' | 'run' | 'requestedBy' | 'requestedAt' | 'deadline' | 'onTimeout' | 'waitingAt' | 'incident' | 'rule' | 'check'
  | 'openedAt' | 'evidence' | 'steps' | 'parameters' | 'noParameters' | 'rules' | 'decisions' | 'noDecisions' | 'approve' | 'reject' | 'modify'
  | 'modifyIntro' | 'approveModified' | 'comment' | 'reason' | 'confirmReject' | 'decisionLine' | 'values' | 'name' | 'value'
  | 'approve_decision' | 'reject_decision' | 'timeout_decision' | 'reject_timeout' | 'approve_timeout' | 'notApprover' | 'ownRun' | 'answered' | Severity;

const text: Messages<Keys> = {
  en: {
    plan: 'Plan', category: 'Category', run: 'Run', requestedBy: 'Asked by', requestedAt: 'Asked at', deadline: 'Deadline', onTimeout: 'then {what}',
    waitingAt: 'Waiting at step', incident: 'Incident', rule: 'Rule', check: 'Check', openedAt: 'opened', evidence: 'Evidence',
    steps: 'What it will do', parameters: 'Parameters', noParameters: 'This run takes no parameters.', rules: 'Who decides',
    decisions: 'Decisions so far', noDecisions: 'Nobody has answered yet.', approve: 'Approve', reject: 'Reject', modify: 'Modify values and approve',
    modifyIntro: 'Change the values below; they are checked against their declarations and replace the run\'s values when the approval completes.',
    approveModified: 'Approve with these values', comment: 'Comment (optional)', reason: 'Reason for rejecting',
    confirmReject: 'Reject this run? It ends failed and nothing after the approval runs.', decisionLine: '{by} via {via}',
    values: 'values', name: 'Name', value: 'Value',
    approve_decision: 'approved', reject_decision: 'rejected', timeout_decision: 'timed out', reject_timeout: 'rejected', approve_timeout: 'approved',
    notApprover: 'You ({name}) are not among the approvers: a decision from you will be refused.',
    ownRun: 'You ({name}) started this run: under four eyes you may reject it but not approve it.',
    answered: 'You ({name}) have already answered; the others are awaited.',
    info: 'info', success: 'success', warning: 'warning', danger: 'danger', critical: 'critical',
  },
  ko: {
    plan: '계획', category: '분류', run: '실행', requestedBy: '요청자', requestedAt: '요청 시각', deadline: '기한', onTimeout: '이후 {what}',
    waitingAt: '대기 중인 단계', incident: '인시던트', rule: '규칙', check: '체크', openedAt: '발생', evidence: '근거',
    steps: '수행할 작업', parameters: '매개변수', noParameters: '이 실행은 매개변수가 없습니다.', rules: '결정 권한',
    decisions: '지금까지의 결정', noDecisions: '아직 아무도 응답하지 않았습니다.', approve: '승인', reject: '거부', modify: '값을 수정하고 승인',
    modifyIntro: '아래 값을 바꾸세요. 선언에 맞는지 검사되며, 승인이 완료되면 실행의 값을 대체합니다.',
    approveModified: '이 값으로 승인', comment: '의견(선택)', reason: '거부 사유',
    confirmReject: '이 실행을 거부할까요? 실행은 실패로 끝나고 승인 이후의 단계는 실행되지 않습니다.', decisionLine: '{by}, {via} 경유',
    values: '값', name: '이름', value: '값',
    approve_decision: '승인함', reject_decision: '거부함', timeout_decision: '시간 초과', reject_timeout: '거부', approve_timeout: '승인',
    notApprover: '나({name})는 승인자가 아닙니다. 내 결정은 거부됩니다.',
    ownRun: '이 실행은 내({name})가 시작했습니다. 이중 확인 원칙에 따라 거부는 할 수 있지만 승인은 할 수 없습니다.',
    answered: '나({name})는 이미 응답했습니다. 다른 승인자를 기다리는 중입니다.',
    info: '정보', success: '정상', warning: '경고', danger: '위험', critical: '심각',
  },
};

export interface Waiting {
  run: ExecutionRecord;
  approval: ApprovalRecord;
  /** The plan from the catalog, when it is still there. */
  plan?: Static<typeof Runbook>;
}

/** Each approval a waiting run waits for, with its plan. */
export function waitingApprovals(runs: readonly ExecutionRecord[], plans: ReadonlyMap<string, Static<typeof Runbook>>): Waiting[] {
  return runs.flatMap((run) => Object.values(run.approvals ?? {}).filter((a) => a.status === 'waiting').map((approval) => {
    const plan = plans.get(run.workflow);
    return { run, approval, ...(plan ? { plan } : {}) };
  }));
}

const isSeverity = (s: string): s is Severity => (severities as readonly string[]).includes(s);
const severityTone = (s: string): Tone => (s === 'critical' || s === 'danger' ? 'bad' : s === 'warning' ? 'warn' : s === 'success' ? 'ok' : 'info');

const domId = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

export function approvalCard(ctx: Pick<PageContext, 'locale' | 'may' | 'caller'>, w: Waiting): Html {
  const { locale } = ctx;
  const t = translator(text, locale);
  const { run, approval, plan } = w;
  const key = `${domId(run.id)}-${domId(approval.step)}`;
  const brief = run.trigger?.brief;
  const incident = run.trigger?.incident ?? brief?.id;
  return html`<article class="card approval" id="approval-${key}" aria-labelledby="title-${key}">
    <h2 id="title-${key}">${approval.title} ${statusBadge(locale, 'waiting')}</h2>
    ${approval.message && html`<p class="message">${approval.message}</p>`}
    <dl class="facts">
      <dt>${t('plan')}</dt><dd>${plan ? html`<a href="/runbooks/${encodeURIComponent(plan.id)}">${plan.name ?? plan.id}</a> <code>${plan.id}</code>` : html`<code>${run.workflow}</code>`}</dd>
      ${run.category && html`<dt>${t('category')}</dt><dd>${run.category}</dd>`}
      <dt>${t('run')}</dt><dd><a href="/executions/${encodeURIComponent(run.id)}"><code>${run.id}</code></a></dd>
      <dt>${t('waitingAt')}</dt><dd><code>${approval.step}</code></dd>
      <dt>${t('requestedBy')}</dt><dd>${run.requestedBy ?? '—'}</dd>
      <dt>${t('requestedAt')}</dt><dd>${time(locale, approval.requestedAt)}</dd>
      ${approval.deadline && html`<dt>${t('deadline')}</dt><dd>${time(locale, approval.deadline)} (${t('onTimeout', { what: t(`${approval.onTimeout}_timeout`) })})</dd>`}
      ${incident && html`<dt>${t('incident')}</dt><dd><a href="/incidents/${encodeURIComponent(incident)}">${brief?.title ?? incident}</a>
        ${brief && html` ${badge(severityTone(brief.severity), isSeverity(brief.severity) ? t(brief.severity) : brief.severity)} · ${t('openedAt')} ${time(locale, brief.openedAt)}`}</dd>`}
      ${run.trigger?.rule && html`<dt>${t('rule')}</dt><dd><code>${run.trigger.rule}</code></dd>`}
      ${run.trigger?.check && html`<dt>${t('check')}</dt><dd><a href="/checks/${encodeURIComponent(run.trigger.check)}"><code>${run.trigger.check}</code></a></dd>`}
    </dl>
    ${evidence(locale, w)}
    <h3>${t('steps')}</h3>
    ${stepList(locale, plan?.steps ?? Object.keys(run.steps).map((id) => ({ id })), run)}
    <h3>${t('parameters')}</h3>
    ${parameterTable(locale, run.parameters)}
    <h3>${t('rules')}</h3>
    ${approvalTerms(locale, { approvers: approval.approvers, quorum: approval.quorum, fourEyes: approval.fourEyes, approvals: approval.decisions.filter((d) => d.decision === 'approve').length })}
    <h3>${t('decisions')}</h3>
    ${approval.decisions.length ? html`<ul class="decisions">${approval.decisions.map((d) => html`<li>
      ${badge(statusTone(d.decision === 'approve' ? 'approved' : 'rejected'), t(`${d.decision}_decision`))} ${t('decisionLine', { by: d.by, via: d.via })} · ${time(locale, d.at)}
      ${d.comment && html`<q>${d.comment}</q>`}
      ${d.values && html` · ${t('values')}: <code>${Object.entries(d.values).map(([k, v]) => `${k}=${showValue(locale, v)}`).join(', ')}</code>`}
    </li>`)}</ul>` : html`<p class="muted">${t('noDecisions')}</p>`}
    ${actions(ctx, w, key)}
  </article>`;
}

function evidence(locale: Locale, w: Waiting): Html {
  const lines = (w.run.trigger?.brief?.evidence ?? []).flatMap((e) => [
    ...(e.lines ?? []).map((l) => l.text),
    ...(e.samples ?? []).map((s) => `${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(' ')} ${s.value}`),
  ]).slice(0, 8);
  if (!lines.length) return html``;
  return html`<details class="evidence"><summary>${translator(text, locale)('evidence')}</summary><pre class="log">${lines.join('\n')}</pre></details>`;
}

function parameterTable(locale: Locale, parameters: Record<string, unknown>): Html {
  const t = translator(text, locale);
  const entries = Object.entries(parameters);
  if (!entries.length) return html`<p class="muted">${t('noParameters')}</p>`;
  return html`<div class="table-wrap"><table class="params">
    <thead><tr><th scope="col">${t('name')}</th><th scope="col">${t('value')}</th></tr></thead>
    <tbody>${entries.map(([k, v]) => html`<tr><th scope="row"><code>${k}</code></th><td><code>${showValue(locale, v)}</code></td></tr>`)}</tbody>
  </table></div>`;
}

function actions(ctx: Pick<PageContext, 'locale' | 'may' | 'caller'>, w: Waiting, key: string): Html {
  if (!ctx.may('write')) return html``;
  const t = translator(text, ctx.locale);
  const { run, approval } = w;
  const base = `/api/runs/${encodeURIComponent(run.id)}` as const;
  const step = html`<input type="hidden" name="step" value="${approval.step}">`;
  const params = Object.entries(approval.parameters);
  return html`<div class="decide">
    ${hint(ctx, w)}
    ${actionForm(ctx, {
      api: `POST ${base}/approve`, access: 'write', label: t('approve'), tone: 'primary', className: 'approve',
      fields: html`${step}<label for="c-${key}">${t('comment')}</label><input type="text" id="c-${key}" name="comment" maxlength="2000">`,
    })}
    ${actionForm(ctx, {
      api: `POST ${base}/reject`, access: 'write', label: t('reject'), tone: 'danger', className: 'reject', confirm: t('confirmReject'),
      fields: html`${step}<label for="r-${key}">${t('reason')}</label><input type="text" id="r-${key}" name="comment" maxlength="2000" required aria-required="true">`,
    })}
    ${params.length > 0 && html`<details class="modify"><summary>${t('modify')}</summary>
      <p class="muted">${t('modifyIntro')}</p>
      ${actionForm(ctx, {
        api: `POST ${base}/approve`, access: 'write', label: t('approveModified'), tone: 'primary', className: 'stack modify-form',
        // An approval parameter's `default` is the run's value now: the input starts at it, and the
        // hint does not call it a default.
        fields: html`${step}${params.map(([name, { default: now, ...declared }]) => parameterField(ctx.locale, {
          name, field: `values.${name}`, id: `m-${key}-${domId(name)}`, declared, value: now, required: declared.required ?? false,
        }))}<div class="param"><label for="mc-${key}">${t('comment')}</label><input type="text" id="mc-${key}" name="comment" maxlength="2000"></div>`,
      })}
    </details>`}
  </div>`;
}

/** Why the API would refuse this caller's decision, said before they try (the API decides anyway). */
function hint(ctx: Pick<PageContext, 'locale' | 'caller'>, { run, approval }: Waiting): Html {
  const name = ctx.caller.name;
  if (name === undefined) return html``;
  const t = translator(text, ctx.locale);
  const why = approval.approvers && !approval.approvers.includes(name) ? t('notApprover', { name })
    : approval.decisions.some((d) => d.by === name) ? t('answered', { name })
      : approval.fourEyes && run.requestedBy === name ? t('ownRun', { name }) : undefined;
  return why ? html`<p class="note hint">${why}</p>` : html``;
}
