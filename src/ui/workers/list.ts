// The sections of /workers: the figures (workers by state, active, pending and waiting tasks, the
// success rate, the queue by priority), the workers (state, capabilities, the tasks each holds as
// links, completed and failed, last seen, and Drain for a caller who may write) and the tasks
// (id as a link to its page, type, priority, state — a task no online worker can take says so —,
// worker, attempts, execution as a link, created). Everything interpolated passes through `html`:
// worker names, capabilities and task types are the callers'.
import { html, prose, type Html } from '../html.ts';
import { formatNumber, formatPercent, translator, type Locale } from '../i18n.ts';
import type { PageContext } from '../page.ts';
import { actionForm, empty, time } from '../parts.ts';
import { drainApi, executionPath, taskPath, workerAnchor, workerPath, type StatsView, type TaskView, type WorkerView } from './model.ts';
import { text, waitsText } from './text.ts';
import { priorityBadge, prioritiesDown, priorityWords, taskStateBadge, workerStateBadge } from './words.ts';

const cell = (label: string, content: Html | string, cls = '') => html`<td data-label="${label}"${cls ? html` class="${cls}"` : ''}>${content}</td>`;

export function figures(locale: Locale, s: StatsView): Html {
  const t = translator(text, locale);
  const n = (v: number) => formatNumber(locale, v);
  const figure = (key: string, label: string, value: string, hint: Html | string) =>
    html`<div class="card" data-figure="${key}"><h2 class="label">${label}</h2><p class="figure">${value}</p><p class="muted hint">${hint}</p></div>`;
  const queued = prioritiesDown.filter((p) => (s.queueDepth[p] ?? 0) > 0);
  return html`<section class="grid stat-figures worker-figures" aria-label="${t('figures')}">
    ${figure('workers', t('workersFigure'), n(s.workers.total), t('workerStates', { idle: n(s.workers.idle), busy: n(s.workers.busy), draining: n(s.workers.draining), offline: n(s.workers.offline) }))}
    ${figure('active', t('activeTasks'), n(s.activeTasks), t('activeHint'))}
    ${figure('pending', t('pendingTasks'), n(s.pendingTasks), t('pendingHint'))}
    ${figure('unroutable', t('unroutableTasks'), n(s.unroutableTasks), t('unroutableHint'))}
    ${figure('success', t('successRate'), s.completedTasks + s.failedTasks > 0 ? formatPercent(locale, s.successRate, 1) : '–', t('successHint', { completed: n(s.completedTasks), failed: n(s.failedTasks) }))}
    <div class="card" data-figure="queue"><h2 class="label">${t('queue')}</h2>
      ${queued.length === 0 ? html`<p class="muted">${t('queueEmpty')}</p>` : html`<ul class="plain queue-depth">${queued.map((p) => html`<li data-priority="${p}"><strong>${n(s.queueDepth[p] ?? 0)}</strong> ${priorityWords[locale][p]}</li>`)}</ul>`}
    </div>
  </section>`;
}

function drainForm(ctx: Pick<PageContext, 'may' | 'locale'>, w: WorkerView): Html {
  if (w.state === 'offline' || w.state === 'draining') return html``;
  const t = translator(text, ctx.locale);
  return actionForm(ctx, { api: `POST ${drainApi(w.id)}`, access: 'write', label: t('drain'), confirm: t('drainConfirm', { name: w.name }), className: 'drain' });
}

export function workersTable(ctx: Pick<PageContext, 'may' | 'locale'>, workers: readonly WorkerView[]): Html {
  const locale = ctx.locale;
  const t = translator(text, locale);
  if (workers.length === 0) return html`<p class="empty">${prose(t('noWorkers'))}</p>`;
  const writes = ctx.may('write');
  // Online first (busy, idle, draining), then offline; by name within each.
  const order = { busy: 0, idle: 1, draining: 2, offline: 3 } as const;
  const sorted = [...workers].sort((a, b) => order[a.state] - order[b.state] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return html`<div class="table-wrap"><table class="responsive workers">
    <caption class="visually-hidden">${t('workerCaption')}</caption>
    <thead><tr><th scope="col">${t('name')}</th><th scope="col">${t('state')}</th><th scope="col">${t('capabilities')}</th><th scope="col">${t('held')}</th><th scope="col" class="num">${t('done')}</th><th scope="col">${t('lastSeen')}</th>${writes && html`<th scope="col">${t('actions')}</th>`}</tr></thead>
    <tbody>${sorted.map((w) => html`<tr id="${workerAnchor(w.id)}" data-worker="${w.id}" data-state="${w.state}">
      ${cell(t('name'), html`<strong class="worker-name">${w.name}</strong>${w.type && html` <span class="muted">(${w.type})</span>`}${w.host && html`<br><small class="muted">${t('on', { host: w.host })}</small>`}`)}
      ${cell(t('state'), workerStateBadge(locale, w.state))}
      ${cell(t('capabilities'), w.capabilities.length ? html`<span class="caps">${w.capabilities.map((c, i) => html`${i ? ' ' : ''}<code>${c}</code>`)}</span>` : html`<span class="muted">${t('none')}</span>`)}
      ${cell(t('held'), w.tasks.length ? html`<ul class="plain held">${w.tasks.map((id) => html`<li><a href="${taskPath(id)}"><code>${id}</code></a></li>`)}</ul>` : '—')}
      ${cell(t('done'), html`${formatNumber(locale, w.completed)} / ${formatNumber(locale, w.failed)}`, 'num')}
      ${cell(t('lastSeen'), time(locale, w.lastSeen))}
      ${writes && cell(t('actions'), drainForm(ctx, w))}
    </tr>`)}</tbody>
  </table></div>`;
}

export function tasksTable(locale: Locale, tasks: readonly TaskView[]): Html {
  const t = translator(text, locale);
  return html`<div class="table-wrap"><table class="responsive tasks">
    <caption class="visually-hidden">${t('taskCaption')}</caption>
    <thead><tr><th scope="col">${t('task')}</th><th scope="col">${t('type')}</th><th scope="col">${t('priority')}</th><th scope="col">${t('state')}</th><th scope="col">${t('worker')}</th><th scope="col" class="num">${t('attempts')}</th><th scope="col">${t('execution')}</th><th scope="col">${t('created')}</th></tr></thead>
    <tbody>${tasks.map((k) => html`<tr data-task="${k.id}" data-state="${k.state}" data-priority="${k.priority}"${k.unroutable ? html` data-unroutable` : ''}>
      ${cell(t('task'), html`<a href="${taskPath(k.id)}"><code>${k.id}</code></a>`)}
      ${cell(t('type'), html`<span class="task-type">${k.type}</span>`, 'wrap')}
      ${cell(t('priority'), priorityBadge(locale, k.priority))}
      ${cell(t('state'), html`${taskStateBadge(locale, k)}${k.state === 'pending' && k.unroutable ? html`<br><small class="waits">${waitsText(locale, k)}</small>` : ''}`)}
      ${cell(t('worker'), k.workerName ? (k.worker ? html`<a href="${workerPath(k.worker)}">${k.workerName}</a>` : k.workerName) : '—')}
      ${cell(t('attempts'), t('attemptsOf', { n: formatNumber(locale, k.attempts), max: formatNumber(locale, k.maxAttempts) }), 'num')}
      ${cell(t('execution'), k.execution ? html`<a href="${executionPath(k.execution)}"><code>${k.execution}</code></a>` : '—')}
      ${cell(t('created'), time(locale, k.createdAt))}
    </tr>`)}</tbody>
  </table></div>`;
}
