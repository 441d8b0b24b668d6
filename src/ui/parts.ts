// Small pieces pages share: status badges (an icon and a word, never colour alone), times the
// script shows in the browser's zone, pagers, empty states, and action forms that the script
// sends to the API with the session's CSRF token.
import type { Scope } from '../api/auth.ts';
import { html, type Html, type Value } from './html.ts';
import { formatDate, translator, type Locale, type Messages } from './i18n.ts';
import type { PageContext } from './page.ts';

export type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'idle';
const icons: Record<Tone, string> = { ok: '✓', bad: '✕', warn: '!', info: '●', idle: '○' };

/** A status as an icon and a word; the colour comes from its tone. */
export const badge = (tone: Tone, label: string): Html =>
  html`<span class="badge ${tone}"><span aria-hidden="true">${icons[tone]}</span> ${label}</span>`;

/** The tone of an execution or step status. */
export function statusTone(status: string): Tone {
  switch (status) {
    case 'success': case 'succeeded': case 'resolved': case 'up': case 'approved': case 'fixed': return 'ok';
    case 'failed': case 'failure': case 'interrupted': case 'down': case 'firing': case 'rejected': case 'critical': case 'open': return 'bad';
    case 'waiting': case 'pending': case 'acknowledged': case 'warning': case 'cancelled': case 'timed_out': return 'warn';
    case 'running': return 'info';
    default: return 'idle';
  }
}

/** A time the server writes in UTC and the browser rewrites in its own zone. */
export const time = (locale: Locale, at: number | string | undefined): Html => {
  if (at === undefined) return html``;
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return html``;
  return html`<time datetime="${new Date(ms).toISOString()}">${formatDate(locale, ms)}</time>`;
};

const text: Messages<'next' | 'previous' | 'pages' | 'empty' | 'notAllowed' | 'done' | 'failed'> = {
  en: { next: 'Next', previous: 'Previous', pages: 'Pages', empty: 'Nothing here yet.', notAllowed: 'Your token may only read.', done: '{action}: done.', failed: '{action}: refused.' },
  ko: { next: '다음', previous: '이전', pages: '페이지', empty: '아직 아무것도 없습니다.', notAllowed: '이 토큰은 읽기만 할 수 있습니다.', done: '{action}: 완료했습니다.', failed: '{action}: 거부되었습니다.' },
};

/** Links to the previous and next page; `href(p)` gives a page's URL. */
export function pager(locale: Locale, o: { previous?: string; next?: string }): Html {
  const t = translator(text, locale);
  if (!o.previous && !o.next) return html``;
  return html`<nav class="pager" aria-label="${t('pages')}">
    ${o.previous ? html`<a href="${o.previous}" rel="prev">← ${t('previous')}</a>` : html`<span></span>`}
    ${o.next ? html`<a href="${o.next}" rel="next">${t('next')} →</a>` : html`<span></span>`}
  </nav>`;
}

export const empty = (locale: Locale, message?: string): Html => html`<p class="empty">${message ?? translator(text, locale)('empty')}</p>`;

export interface ActionForm {
  /** `METHOD /api/…`: what the script calls, with the form's fields as the JSON body. */
  api: `${'POST' | 'PUT' | 'DELETE'} /api/${string}`;
  /** The scope the route needs: without it the form is not shown. */
  access: Scope;
  label: string;
  /** Inputs; `name` is the body's field (dots nest: `parameters.count`), `data-type` number | boolean | json | list. */
  fields?: Value;
  /** Asked before sending. */
  confirm?: string;
  /** After success: `reload` the main content (default), or `location` to open the page the answer's Location names. */
  then?: 'reload' | 'location';
  /** A visual variant of the button. */
  tone?: 'danger' | 'primary';
  className?: string;
}

/**
 * A form the script sends to the API; nothing at all when the caller lacks the scope. The API
 * speaks English: in another language the script says the outcome in the page's words
 * (`data-done`, `data-failed`), the API's own message following a refusal.
 */
export function actionForm(ctx: Pick<PageContext, 'may' | 'locale'>, a: ActionForm): Html {
  if (!ctx.may(a.access)) return html``;
  const t = translator(text, ctx.locale);
  const words = ctx.locale === 'en' ? html`` : html` data-done="${t('done', { action: a.label })}" data-failed="${t('failed', { action: a.label })}"`;
  return html`<form class="action${a.className ? ` ${a.className}` : ''}" data-api="${a.api}"${a.confirm ? html` data-confirm="${a.confirm}"` : ''}${a.then ? html` data-then="${a.then}"` : ''}${words}>
    ${a.fields}<button type="submit"${a.tone ? html` class="${a.tone}"` : ''}>${a.label}</button>
  </form>`;
}

/** "Your token may only read." where write buttons would be, for a read-only caller. */
export const readOnlyNote = (ctx: Pick<PageContext, 'may' | 'locale'>): Html =>
  ctx.may('write') ? html`` : html`<p class="note">${translator(text, ctx.locale)('notAllowed')}</p>`;
