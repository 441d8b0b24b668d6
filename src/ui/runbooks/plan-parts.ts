// Pieces the Runbooks and Approvals pages share: a plan's steps in order (with each step's status
// when a run is given), the terms of an approval (who may answer, how many must, four eyes, the
// timeout), and run statuses in words.
import type { Static } from '@sinclair/typebox';
import type { RunbookStep } from '../../api/schemas/runbooks.ts';
import type { ExecutionRecord } from '../../store/types.ts';
import { html, type Html } from '../html.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';
import { badge, statusTone } from '../parts.ts';

const statuses = ['pending', 'running', 'waiting', 'success', 'failed', 'skipped', 'cancelled', 'timed_out', 'interrupted'] as const;
type Status = (typeof statuses)[number];

const text: Messages<Status | 'approvers' | 'anyWriter' | 'quorum' | 'quorumOf' | 'fourEyes' | 'fourEyesOn' | 'fourEyesOff' | 'timeout' | 'timeoutThen'
  | 'approve' | 'reject' | 'approvalGate'> = {
  en: {
    pending: 'pending', running: 'running', waiting: 'waiting', success: 'success', failed: 'failed', skipped: 'skipped',
    cancelled: 'cancelled', timed_out: 'timed out', interrupted: 'interrupted',
    approvers: 'Approvers', anyWriter: 'anyone with write access', quorum: 'Quorum', quorumOf: '{have} of {need} approvals',
    fourEyes: 'Four eyes', fourEyesOn: 'yes: whoever started the run may not approve it', fourEyesOff: 'no',
    timeout: 'Timeout', timeoutThen: '{timeout}, then {what}', approve: 'approved', reject: 'rejected', approvalGate: 'waits for approval',
  },
  ko: {
    pending: '대기', running: '실행 중', waiting: '승인 대기', success: '성공', failed: '실패', skipped: '건너뜀',
    cancelled: '취소됨', timed_out: '시간 초과', interrupted: '중단됨',
    approvers: '승인자', anyWriter: '쓰기 권한이 있는 누구나', quorum: '정족수', quorumOf: '승인 {need}건 중 {have}건',
    fourEyes: '이중 확인 원칙', fourEyesOn: '예: 실행을 시작한 사람은 승인할 수 없습니다', fourEyesOff: '아니요',
    timeout: '제한 시간', timeoutThen: '{timeout} 후 {what}', approve: '승인', reject: '거부', approvalGate: '승인을 기다림',
  },
};

const isStatus = (s: string): s is Status => (statuses as readonly string[]).includes(s);

/** A run or step status in words, in the page's language. */
export const statusWord = (locale: Locale, status: string): string => (isStatus(status) ? translator(text, locale)(status) : status);

/** A run or step status as a badge with its word. */
export const statusBadge = (locale: Locale, status: string): Html => badge(statusTone(status), statusWord(locale, status));

/**
 * A plan's steps in order; with a run, each step's status, and the approval step the run added
 * before them (a plan's own approval is a step of the run, not of the document).
 */
export function stepList(locale: Locale, planned: ReadonlyArray<Static<typeof RunbookStep>>, run?: ExecutionRecord): Html {
  const t = translator(text, locale);
  const declared = new Set(planned.map((s) => s.id));
  const gates = Object.keys(run?.approvals ?? {}).filter((id) => !declared.has(id)).map((id) => ({ id, name: t('approvalGate') }));
  const steps: Array<{ id: string; name?: string; uses?: string }> = [...gates, ...planned];
  return html`<ol class="steps">${steps.map((s) => {
    const status = run?.steps[s.id]?.status ?? (run ? 'pending' : undefined);
    return html`<li><code>${s.id}</code>${s.name && s.name !== s.id ? html` ${s.name}` : ''}${s.uses ? html` <span class="muted">(${s.uses})</span>` : ''}${status ? html` ${statusBadge(locale, status)}` : ''}</li>`;
  })}</ol>`;
}

export interface ApprovalTerms {
  approvers?: readonly string[];
  quorum?: number;
  fourEyes?: boolean;
  /** Approvals so far, for a run waiting. */
  approvals?: number;
  timeout?: string;
  onTimeout?: 'reject' | 'approve';
}

export function approvalTerms(locale: Locale, a: ApprovalTerms): Html {
  const t = translator(text, locale);
  const quorum = a.quorum ?? 1;
  return html`<dl class="facts terms">
    <dt>${t('approvers')}</dt><dd>${a.approvers?.length ? a.approvers.join(', ') : t('anyWriter')}</dd>
    <dt>${t('quorum')}</dt><dd>${a.approvals === undefined ? String(quorum) : t('quorumOf', { have: a.approvals, need: quorum })}</dd>
    <dt>${t('fourEyes')}</dt><dd>${a.fourEyes ? t('fourEyesOn') : t('fourEyesOff')}</dd>
    ${a.timeout && html`<dt>${t('timeout')}</dt><dd>${t('timeoutThen', { timeout: a.timeout, what: t(a.onTimeout ?? 'reject') })}</dd>`}
  </dl>`;
}
