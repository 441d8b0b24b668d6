// /workers/tasks/{id}: one task (GET /api/tasks/{id}) — its facts with links to its worker and
// execution, its parameters, the result of its last attempt, Cancel / Retry for a caller who may
// write (POST /api/tasks/{id}/cancel|retry), and its history, oldest first. An unknown id
// answers the 404 page; a process that serves no tasks says so. Live on `tasks`.
import { fromThrown } from '../../api/errors.ts';
import { html } from '../html.ts';
import { translator, type Messages } from '../i18n.ts';
import type { Page } from '../page.ts';
import { empty } from '../parts.ts';
import { historySection, parametersSection, resultSection, taskActions, taskFacts } from '../workers/detail.ts';
import { taskApi, type TaskView } from '../workers/model.ts';
import { text as listText } from '../workers/text.ts';
import { taskStateBadge } from '../workers/words.ts';

const text: Messages<'title' | 'back' | 'facts'> = {
  en: { title: 'Task {id}', back: 'All workers and tasks', facts: 'Facts' },
  ko: { title: '태스크 {id}', back: '워커와 태스크 전체', facts: '정보' },
};

export const taskPage: Page = {
  path: '/workers/tasks/{id}', nav: 'workers', live: ['tasks'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const title = t('title', { id: ctx.params.id! });
    let k: TaskView;
    try {
      k = (await ctx.api<TaskView>(taskApi(ctx.params.id!))).data;
    } catch (e) {
      if (fromThrown(e)?.status !== 503) throw e;
      return { title, main: html`<p><a href="/workers">← ${t('back')}</a></p><h1>${title}</h1>${empty(ctx.locale, translator(listText, ctx.locale)('noHub'))}` };
    }
    return {
      title,
      main: html`<p><a href="/workers">← ${t('back')}</a></p>
        <h1 class="task-title">${title} ${taskStateBadge(ctx.locale, k)}</h1>
        <article class="task-detail" data-task="${k.id}" data-state="${k.state}">
          ${taskActions(ctx, k)}
          <section aria-labelledby="task-facts"><h2 id="task-facts">${t('facts')}</h2>${taskFacts(ctx.locale, k, ctx.now)}</section>
          ${resultSection(ctx.locale, k)}
          ${parametersSection(ctx.locale, k)}
          ${historySection(ctx.locale, k)}
        </article>`,
    };
  },
};
