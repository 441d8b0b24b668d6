// What a person does to an open suggestion, each an action form the shared script sends to the
// API with the session's CSRF token (write scope; nothing shown without it):
// - Apply: runs the suggestion's runbook. The form carries the suggestion's etag (so it acts only
//   on the version shown) and an idempotency key made when the form is rendered, so a double
//   click, or the same form sent again, applies once.
// - Dismiss, with an optional reason; the same change is not suggested again within the cooldown.
import { randomUUID } from 'node:crypto';
import { html, prose, type Html } from '../html.ts';
import { translator, type Messages } from '../i18n.ts';
import type { PageContext } from '../page.ts';
import { actionForm } from '../parts.ts';
import { suggestionApi, type SuggestionView } from './model.ts';
import { changeText } from './words.ts';

const text: Messages<'apply' | 'applyConfirm' | 'applyHint' | 'noRunbook' | 'dismiss' | 'reason' | 'reasonHint'> = {
  en: {
    apply: 'Apply', applyConfirm: 'Run {runbook} for {plugin} now ({change})? The effect is measured afterwards.',
    applyHint: 'Runs {runbook}, then measures {metric} before and after.', noRunbook: 'No runbook applies it: name one under the analyzer\'s `apply`.',
    dismiss: 'Dismiss', reason: 'Why (optional)', reasonHint: 'The same change is not suggested again within the cooldown.',
  },
  ko: {
    apply: '적용', applyConfirm: '{plugin}에 {runbook}을(를) 지금 실행할까요? ({change}) 실행 후 효과를 측정합니다.',
    applyHint: '{runbook}을(를) 실행한 뒤 {metric}을(를) 전후로 측정합니다.', noRunbook: '적용할 런북이 없습니다. 분석기의 `apply`에 런북을 지정하세요.',
    dismiss: '무시', reason: '이유(선택)', reasonHint: '쿨다운 동안 같은 변경을 다시 제안하지 않습니다.',
  },
};

/** Apply and Dismiss for an active suggestion; `n` keeps the inputs' ids apart on a page of many. */
export function suggestionActions(ctx: PageContext, s: SuggestionView, n: number): Html {
  if (s.state !== 'active' || !ctx.may('write')) return html``;
  const t = translator(text, ctx.locale);
  const change = changeText(ctx.locale, s) || s.type;
  const apply = s.apply
    ? actionForm(ctx, {
      api: `POST ${suggestionApi(s.id, 'apply')}`, access: 'write', tone: 'primary', label: t('apply'), className: 'stack card apply',
      confirm: t('applyConfirm', { runbook: s.apply.runbook, plugin: s.plugin, change }),
      fields: html`<input type="hidden" name="etag" value="${s.etag}"><input type="hidden" name="key" value="${`ui-${randomUUID()}`}">
        <small class="muted">${t('applyHint', { runbook: s.apply.runbook, metric: s.expected.metric })}</small>`,
    })
    : html`<p class="note">${prose(t('noRunbook'))}</p>`;
  const dismiss = actionForm(ctx, {
    api: `POST ${suggestionApi(s.id, 'dismiss')}`, access: 'write', label: t('dismiss'), className: 'stack card dismiss',
    fields: html`<input type="hidden" name="etag" value="${s.etag}">
      <label for="dismiss-reason-${n}">${t('reason')}</label><input id="dismiss-reason-${n}" name="reason" maxlength="2000" autocomplete="off" aria-describedby="dismiss-hint-${n}">
      <small id="dismiss-hint-${n}" class="muted">${t('reasonHint')}</small>`,
  });
  return html`<div class="action-grid suggestion-actions">${apply}${dismiss}</div>`;
}
