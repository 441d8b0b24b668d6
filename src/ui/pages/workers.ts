// /workers: workers and tasks in figures (GET /api/tasks/stats), the workers with their state,
// capabilities, the tasks they hold and Drain for a caller who may write (GET /api/workers,
// POST /api/workers/{id}/drain), and the newest tasks (GET /api/tasks), filtered by state and
// priority through a plain form, so a filtered list is a link. A process that serves no tasks
// says so. Live on `tasks`.
import { fromThrown } from '../../api/errors.ts';
import { taskStates } from '../../tasks/model.ts';
import { html, prose, queryString } from '../html.ts';
import { translator } from '../i18n.ts';
import type { Page } from '../page.ts';
import { empty } from '../parts.ts';
import { figures, tasksTable, workersTable } from '../workers/list.ts';
import type { Priority, StatsView, TaskView, WorkerView } from '../workers/model.ts';
import { text } from '../workers/text.ts';
import { prioritiesDown, priorityWords, taskStateWords } from '../workers/words.ts';

/** The tasks shown: the newest of those the filters match. */
export const shownTasks = 100;
const stateChoices = ['active', 'ended', ...taskStates] as const;

export const workersPage: Page = {
  path: '/workers', nav: 'workers', live: ['tasks'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const askedState = ctx.query.get('state');
    const state = stateChoices.find((s) => s === askedState);
    const askedPriority = ctx.query.get('priority');
    const priority = prioritiesDown.find((p): p is Priority => p === askedPriority);
    let stats: StatsView, workers: WorkerView[], tasks: TaskView[], total: number;
    try {
      const [s, w, k] = await Promise.all([
        ctx.api<StatsView>('/api/tasks/stats'),
        ctx.api<WorkerView[]>('/api/workers'),
        ctx.api<TaskView[]>(`/api/tasks${queryString({ state, priority, limit: shownTasks })}`),
      ]);
      stats = s.data;
      workers = w.data;
      tasks = k.data;
      total = Number(k.headers['x-total-count'] ?? tasks.length);
    } catch (e) {
      // A process without tasks answers 503: the page says so.
      if (fromThrown(e)?.status !== 503) throw e;
      return { title: t('title'), main: html`<h1>${t('title')}</h1>${empty(ctx.locale, t('noHub'))}` };
    }
    const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
    const stateLabel = (s: (typeof stateChoices)[number]) => (s === 'active' ? t('activeChoice') : s === 'ended' ? t('endedChoice') : taskStateWords[ctx.locale][s]);
    return {
      title: t('title'),
      main: html`<h1>${t('title')}</h1>
        <p class="muted">${prose(t('intro'))}</p>
        ${figures(ctx.locale, stats)}
        <section aria-labelledby="workers-h"><h2 id="workers-h">${t('workerList')}</h2>
          ${workersTable(ctx, workers)}
        </section>
        <section aria-labelledby="tasks-h"><h2 id="tasks-h">${t('tasks')}</h2>
          <form method="get" action="/workers" class="filters" aria-label="${t('filters')}">
            <label>${t('state')}<select name="state">${option('', t('any'), !state)}${stateChoices.map((s) => option(s, stateLabel(s), s === state))}</select></label>
            <label>${t('priority')}<select name="priority">${option('', t('any'), !priority)}${prioritiesDown.map((p) => option(p, priorityWords[ctx.locale][p], p === priority))}</select></label>
            <button type="submit">${t('show')}</button>
          </form>
          ${tasks.length === 0 ? empty(ctx.locale, t('noTasks')) : html`
            <p class="muted">${t('tasksIntro', { n: shownTasks })}${total > tasks.length ? ` ${t('shown', { n: tasks.length, total })}` : ''}</p>
            ${tasksTable(ctx.locale, tasks)}`}
        </section>`,
    };
  },
};
