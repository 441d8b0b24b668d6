// What a person does to an incident from its page, each an action form the shared script sends
// to the API with the session's CSRF token (write scope; nothing shown without it): acknowledge
// (optionally for a while, with a note), resolve (a resolution text is required), and say whether
// its remediation helped (when it had one).
import { html, type Html } from '../html.ts';
import { translator, type Messages } from '../i18n.ts';
import type { PageContext } from '../page.ts';
import { actionForm, readOnlyNote } from '../parts.ts';
import { incidentApi } from './paths.ts';

const text: Messages<'heading' | 'acknowledge' | 'note' | 'timeout' | 'timeoutHint' | 'resolve' | 'resolution' | 'resolutionHint'
  | 'feedback' | 'helped' | 'yes' | 'no' | 'reason' | 'expected' | 'send' | 'reacknowledge'> = {
  en: {
    heading: 'Act on it', acknowledge: 'Acknowledge', reacknowledge: 'Acknowledge again', note: 'Note (optional)', timeout: 'Hold for (optional)',
    timeoutHint: 'e.g. 30m; it re-opens if alerts still fire then', resolve: 'Resolve', resolution: 'Resolution', resolutionHint: 'What was done; required.',
    feedback: 'Did the remediation help?', helped: 'Verdict', yes: 'It helped', no: 'It did not help', reason: 'Why (optional)',
    expected: 'What should have happened instead (optional)', send: 'Send feedback',
  },
  ko: {
    heading: '조치', acknowledge: '확인', reacknowledge: '다시 확인', note: '메모(선택)', timeout: '확인 유지 시간(선택)',
    timeoutHint: '예: 30m. 그때도 경보가 계속되면 다시 열립니다', resolve: '해결', resolution: '해결 내용', resolutionHint: '무엇을 했는지 적으세요. 필수입니다.',
    feedback: '복구가 도움이 되었나요?', helped: '평가', yes: '도움이 되었음', no: '도움이 되지 않았음', reason: '이유(선택)',
    expected: '대신 어떻게 되었어야 했는지(선택)', send: '피드백 보내기',
  },
};

export function incidentActions(ctx: PageContext, incident: { id: string; status: string }, hasRemediation: boolean): Html {
  const t = translator(text, ctx.locale);
  const open = incident.status !== 'resolved';
  const forms = [
    open && actionForm(ctx, {
      api: `POST ${incidentApi(incident.id, 'acknowledge')}`, access: 'write', className: 'stack card', tone: 'primary',
      label: incident.status === 'acknowledged' ? t('reacknowledge') : t('acknowledge'),
      fields: html`<label for="ack-note">${t('note')}</label><textarea id="ack-note" name="note" maxlength="2000" rows="2"></textarea>
        <label for="ack-timeout">${t('timeout')}</label><input id="ack-timeout" name="timeout" maxlength="16" aria-describedby="ack-timeout-hint" autocomplete="off">
        <small id="ack-timeout-hint" class="muted">${t('timeoutHint')}</small>`,
    }),
    open && actionForm(ctx, {
      api: `POST ${incidentApi(incident.id, 'resolve')}`, access: 'write', className: 'stack card', label: t('resolve'),
      fields: html`<label for="resolution">${t('resolution')}</label><textarea id="resolution" name="resolution" required maxlength="10000" rows="3" aria-describedby="resolution-hint"></textarea>
        <small id="resolution-hint" class="muted">${t('resolutionHint')}</small>`,
    }),
    hasRemediation && actionForm(ctx, {
      api: `POST ${incidentApi(incident.id, 'feedback')}`, access: 'write', className: 'stack card', label: t('send'),
      fields: html`<fieldset><legend>${t('feedback')}</legend>
          <label class="choice"><input type="radio" name="positive" value="true" data-type="boolean" required> ${t('yes')}</label>
          <label class="choice"><input type="radio" name="positive" value="false" data-type="boolean"> ${t('no')}</label>
        </fieldset>
        <label for="fb-reason">${t('reason')}</label><textarea id="fb-reason" name="reason" maxlength="1000" rows="2"></textarea>
        <label for="fb-expected">${t('expected')}</label><textarea id="fb-expected" name="expected" maxlength="1000" rows="2"></textarea>`,
    }),
  ];
  // Nothing to do (resolved, no remediation to judge): no section, for anyone.
  if (!open && !hasRemediation) return html``;
  return html`<section aria-labelledby="actions-h" class="incident-actions"><h2 id="actions-h">${t('heading')}</h2>
    ${readOnlyNote(ctx)}
    <div class="action-grid">${forms}</div>
  </section>`;
}
