// One task's page beyond its heading: the facts (type, priority, state — waiting said plainly —,
// what it runs, the capabilities it needs, the worker as a link, attempts, the execution as a
// link, who submitted it and when it was created, started, ended), its parameters, the result of
// its last attempt (error, exit code, outputs), Cancel / Retry for a caller who may write, and the
// history timeline, oldest first. What the engine and workers wrote (errors, history messages)
// stays in English, as text.
import { html, type Html } from '../html.ts';
import { formatDuration, formatNumber, translator, type Locale, type Messages } from '../i18n.ts';
import type { PageContext } from '../page.ts';
import { actionForm, empty, readOnlyNote, time } from '../parts.ts';
import { executionPath, taskApi, workerPath, type TaskView } from './model.ts';
import { waitsText } from './text.ts';
import { priorityBadge, taskStateBadge } from './words.ts';

const text: Messages<'facts' | 'type' | 'priority' | 'state' | 'runs' | 'runsWorkflow' | 'runsStep' | 'plugin' | 'needs' | 'none' | 'worker'
  | 'attempts' | 'attemptsValue' | 'backoff' | 'backoffValue' | 'execution' | 'requestedBy' | 'created' | 'started' | 'ended' | 'updated'
  | 'runAt' | 'deadline' | 'leaseUntil' | 'cancelAsked' | 'parameters' | 'noParameters' | 'result' | 'error' | 'exitCode' | 'timedOut' | 'yes'
  | 'outputs' | 'output' | 'value' | 'noResult' | 'history' | 'historyNote' | 'actions' | 'cancel' | 'cancelConfirm' | 'retry' | 'retryConfirm' | 'stepRetry'> = {
  en: {
    facts: 'Facts', type: 'Type', priority: 'Priority', state: 'State', runs: 'Runs', runsWorkflow: 'workflow {workflow}', runsStep: 'step {step} of execution {execution}',
    plugin: 'Plugin', needs: 'Needs', none: 'no capability', worker: 'Worker', attempts: 'Attempts', attemptsValue: '{n} of {max}',
    backoff: 'Backoff', backoffValue: '{wait} before the second attempt, doubled for each later one', execution: 'Execution', requestedBy: 'Submitted by',
    created: 'Created', started: 'Started', ended: 'Ended', updated: 'Changed', runAt: 'Not claimed before', deadline: 'Deadline', leaseUntil: 'Lease until',
    cancelAsked: 'Cancel asked: its worker stops it at its next heartbeat.', parameters: 'Parameters', noParameters: 'No parameters.',
    result: 'Result of the last attempt', error: 'Error', exitCode: 'Exit code', timedOut: 'Timed out', yes: 'yes', outputs: 'Outputs', output: 'Output', value: 'Value',
    noResult: 'No attempt has ended yet.', history: 'History', historyNote: 'The last 50 changes, oldest first.',
    actions: 'Actions', cancel: 'Cancel', cancelConfirm: 'Cancel task {id}? A pending task ends at once; a running one stops at its worker\'s next heartbeat.',
    retry: 'Retry', retryConfirm: 'Queue task {id} again with its attempts renewed?', stepRetry: 'A step of an execution: retry the execution instead.',
  },
  ko: {
    facts: '정보', type: '유형', priority: '우선순위', state: '상태', runs: '실행 내용', runsWorkflow: '워크플로 {workflow}', runsStep: '실행 {execution}의 단계 {step}',
    plugin: '플러그인', needs: '필요한 기능', none: '필요한 기능 없음', worker: '워커', attempts: '시도', attemptsValue: '{max}회 중 {n}회',
    backoff: '재시도 대기', backoffValue: '두 번째 시도 전 {wait}, 이후 시도마다 두 배', execution: '실행', requestedBy: '제출한 사람',
    created: '생성', started: '시작', ended: '종료', updated: '변경', runAt: '이 시각 이후 배정', deadline: '기한', leaseUntil: '임대 만료',
    cancelAsked: '취소 요청됨: 워커가 다음 하트비트에서 멈춥니다.', parameters: '매개변수', noParameters: '매개변수가 없습니다.',
    result: '마지막 시도 결과', error: '오류', exitCode: '종료 코드', timedOut: '시간 초과', yes: '예', outputs: '출력', output: '출력', value: '값',
    noResult: '아직 끝난 시도가 없습니다.', history: '이력', historyNote: '최근 50건의 변경, 오래된 순.',
    actions: '작업', cancel: '취소', cancelConfirm: '태스크 {id}을(를) 취소할까요? 대기 중인 태스크는 바로 끝나고, 실행 중인 태스크는 워커의 다음 하트비트에서 멈춥니다.',
    retry: '다시 시도', retryConfirm: '시도 횟수를 새로 하여 태스크 {id}을(를) 다시 대기열에 넣을까요?', stepRetry: '실행의 한 단계입니다. 실행을 다시 시도하세요.',
  },
};

const section = (id: string, heading: string, body: Html) => html`<section aria-labelledby="${id}"><h2 id="${id}">${heading}</h2>${body}</section>`;
const ended: ReadonlySet<TaskView['state']> = new Set(['succeeded', 'failed', 'dead-lettered', 'cancelled']);
const retryable: ReadonlySet<TaskView['state']> = new Set(['failed', 'dead-lettered', 'cancelled']);
const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

/** Cancel while it has not ended, Retry once it failed, was dead-lettered or cancelled (a step's execution is retried instead). */
export function taskActions(ctx: Pick<PageContext, 'may' | 'locale'>, k: TaskView): Html {
  const t = translator(text, ctx.locale);
  const cancel = !ended.has(k.state) && !k.cancelRequested;
  const retry = retryable.has(k.state) && k.work.kind === 'workflow';
  const stepNote = retryable.has(k.state) && k.work.kind === 'step';
  if (!cancel && !retry && !stepNote) return html``;
  return html`<div class="task-actions" role="group" aria-label="${t('actions')}">
    ${cancel && actionForm(ctx, { api: `POST ${taskApi(k.id, 'cancel')}`, access: 'write', label: t('cancel'), confirm: t('cancelConfirm', { id: k.id }), tone: 'danger', className: 'cancel' })}
    ${retry && actionForm(ctx, { api: `POST ${taskApi(k.id, 'retry')}`, access: 'write', label: t('retry'), confirm: t('retryConfirm', { id: k.id }), tone: 'primary', className: 'retry' })}
    ${stepNote && k.execution && html`<p class="note">${t('stepRetry')} <a href="${executionPath(k.execution)}"><code>${k.execution}</code></a></p>`}
    ${(cancel || retry) && readOnlyNote(ctx)}
  </div>`;
}

export function taskFacts(locale: Locale, k: TaskView, now: number): Html {
  const t = translator(text, locale);
  const w = k.work;
  const runs = w.kind === 'step'
    ? html`${t('runsStep', { step: w.step.name || w.step.id, execution: w.execution })} <span class="muted">(<code>${w.step.uses}</code>)</span>`
    : t('runsWorkflow', { workflow: w.workflow });
  const runAt = Date.parse(k.runAt);
  return html`<dl class="facts task-facts">
    <dt>${t('type')}</dt><dd class="task-type">${k.type}</dd>
    <dt>${t('priority')}</dt><dd>${priorityBadge(locale, k.priority)}</dd>
    <dt>${t('state')}</dt><dd class="task-state">${taskStateBadge(locale, k)}${k.state === 'pending' && k.unroutable ? html` <span class="waits">${waitsText(locale, k)}</span>` : ''}
      ${k.cancelRequested && !ended.has(k.state) ? html`<br><span class="note">${t('cancelAsked')}</span>` : ''}</dd>
    <dt>${t('runs')}</dt><dd>${runs}</dd>
    ${w.plugin && html`<dt>${t('plugin')}</dt><dd><code>${w.plugin}</code></dd>`}
    <dt>${t('needs')}</dt><dd>${k.capabilities.length ? k.capabilities.map((c, i) => html`${i ? ' ' : ''}<code>${c}</code>`) : html`<span class="muted">${t('none')}</span>`}</dd>
    ${k.workerName && html`<dt>${t('worker')}</dt><dd>${k.worker ? html`<a href="${workerPath(k.worker)}">${k.workerName}</a>` : k.workerName}</dd>`}
    <dt>${t('attempts')}</dt><dd>${t('attemptsValue', { n: formatNumber(locale, k.attempts), max: formatNumber(locale, k.maxAttempts) })}</dd>
    <dt>${t('backoff')}</dt><dd>${t('backoffValue', { wait: formatDuration(locale, k.backoffMs) })}</dd>
    ${k.execution && html`<dt>${t('execution')}</dt><dd><a href="${executionPath(k.execution)}"><code>${k.execution}</code></a></dd>`}
    ${k.requestedBy && html`<dt>${t('requestedBy')}</dt><dd>${k.requestedBy}</dd>`}
    <dt>${t('created')}</dt><dd>${time(locale, k.createdAt)}</dd>
    ${k.state === 'pending' && Number.isFinite(runAt) && runAt > now && html`<dt>${t('runAt')}</dt><dd>${time(locale, k.runAt)}</dd>`}
    ${k.deadline && html`<dt>${t('deadline')}</dt><dd>${time(locale, k.deadline)}</dd>`}
    ${k.startedAt && html`<dt>${t('started')}</dt><dd>${time(locale, k.startedAt)}</dd>`}
    ${k.leaseUntil && html`<dt>${t('leaseUntil')}</dt><dd>${time(locale, k.leaseUntil)}</dd>`}
    ${k.endedAt && html`<dt>${t('ended')}</dt><dd>${time(locale, k.endedAt)}</dd>`}
    <dt>${t('updated')}</dt><dd>${time(locale, k.updatedAt)}</dd>
  </dl>`;
}

export function parametersSection(locale: Locale, k: TaskView): Html {
  const t = translator(text, locale);
  const entries = Object.entries(k.data);
  return section('task-params', t('parameters'), entries.length
    ? html`<ul class="plain params">${entries.map(([name, v]) => html`<li><code>${name}</code>: <code>${shown(v)}</code></li>`)}</ul>`
    : empty(locale, t('noParameters')));
}

export function resultSection(locale: Locale, k: TaskView): Html {
  const t = translator(text, locale);
  const r = k.result;
  const outputs = Object.entries(r?.outputs ?? {});
  const body = !r || (r.error === undefined && r.exitCode === undefined && !r.timedOut && outputs.length === 0)
    ? empty(locale, t('noResult'))
    : html`<dl class="facts task-result">
        ${r.error !== undefined && html`<dt>${t('error')}</dt><dd><span class="step-error task-error" lang="en">${r.error}</span></dd>`}
        ${r.exitCode !== undefined && html`<dt>${t('exitCode')}</dt><dd><code>${r.exitCode}</code></dd>`}
        ${r.timedOut && html`<dt>${t('timedOut')}</dt><dd>${t('yes')}</dd>`}
      </dl>
      ${outputs.length > 0 && html`<div class="table-wrap"><table class="responsive outputs">
        <caption>${t('outputs')}</caption>
        <thead><tr><th scope="col">${t('output')}</th><th scope="col">${t('value')}</th></tr></thead>
        <tbody>${outputs.map(([name, v]) => html`<tr><td data-label="${t('output')}"><code>${name}</code></td><td data-label="${t('value')}" class="wrap"><code>${v}</code></td></tr>`)}</tbody>
      </table></div>`}`;
  return section('task-result', t('result'), body);
}

export function historySection(locale: Locale, k: TaskView): Html {
  const t = translator(text, locale);
  return section('task-history', t('history'), html`<p class="muted">${t('historyNote')}</p>
    <ol class="timeline task-history">${k.history.map((e) => html`<li data-state="${e.state}">
      ${taskStateBadge(locale, { state: e.state })} ${time(locale, e.at)}${e.worker ? html` <span class="muted">· ${e.worker}</span>` : ''}
      ${e.message && html`<br><span class="detail" lang="en">${e.message}</span>`}
    </li>`)}</ol>`);
}
