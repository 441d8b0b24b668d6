// /runs/{id}: where the API's `Location: /api/runs/{id}` leads the browser after a run is started
// from a form. A run is an execution, shown on its execution page: this only checks the run
// exists (the API's 404 otherwise) and sends the browser there.
import type { Page } from '../page.ts';
import { html } from '../html.ts';

export const runPage: Page = {
  path: '/runs/{id}',
  nav: 'executions',
  async render(ctx) {
    const id = ctx.params.id!;
    await ctx.api(`/api/runs/${encodeURIComponent(id)}`);
    const to = `/executions/${encodeURIComponent(id)}`;
    return { title: id, main: html`<p><a href="${to}">${id}</a></p>`, redirect: to };
  },
};
