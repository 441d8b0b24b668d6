// An incident's timeline for people: each entry as an icon, a sentence in the page's language, its
// time, and the entry's own text (what the engine or a person wrote: a note, a resolution, the
// channels of an escalation step) as the detail. Feedback on the incident's remediations is not
// an incident entry; it joins the timeline from the remediation records. Every kind has its
// sentence and icon (a new kind without them does not compile).
import type { Static } from '@sinclair/typebox';
import type { RemediationRecord } from '../../api/schemas/remediation.ts';
import type { TimelineEntry, TimelineKind } from '../../monitor/incidents/incident.ts';
import { html, type Html } from '../html.ts';
import { translator, type Locale, type Messages } from '../i18n.ts';
import { time } from '../parts.ts';

type Remediation = Static<typeof RemediationRecord>;

/** What a row of the timeline is: an incident entry's kind, a remediation entry read closer, or feedback. */
export type ShownKind = Exclude<TimelineKind, 'remediation'> | 'remediation' | 'approved' | 'rejected' | 'awaiting' | 'not-fixed' | 'feedback-good' | 'feedback-bad';

export interface Shown {
  at: number;
  kind: ShownKind;
  by?: string;
  /** The entry's own text. */
  detail?: string;
  /** Sentence variables beyond `by`. */
  vars?: Record<string, string>;
}

type Sentence = ShownKind | 'openedAuto' | 'resolvedAuto' | 'escalatedStep';
const sentences: Messages<Sentence | 'heading' | 'byUnknown'> = {
  en: {
    heading: 'Timeline', byUnknown: 'someone',
    opened: 'Opened by {by}', openedAuto: 'Opened: an alert fired', joined: 'Another alert joined it', 'severity-raised': 'Severity raised',
    'alerts-stopped': 'Alerts stopped firing; it resolves by itself unless they fire again', 'auto-resolve-cancelled': 'An alert fired again: auto-resolve cancelled',
    acknowledged: 'Acknowledged by {by}', 'ack-expired': 'The acknowledgement expired', reopened: 'Re-opened: the acknowledgement expired while alerts still fire',
    resolved: 'Resolved by {by}', resolvedAuto: 'Resolved automatically', escalated: 'Escalation: people were notified',
    escalatedStep: 'Escalation step {step} (round {round}) notified {channels}',
    remediation: 'Self-healing', approved: 'Remediation approved by {by}', rejected: 'Remediation rejected by {by}', awaiting: 'Remediation waits for approval',
    verification: 'Remediation verified', 'not-fixed': 'Verified: the remediation did not fix it', 'feedback-good': '{by} said the remediation helped', 'feedback-bad': '{by} said the remediation did not help',
  },
  ko: {
    heading: '타임라인', byUnknown: '누군가',
    opened: '{by}이(가) 열었습니다', openedAuto: '열림: 경보가 발생했습니다', joined: '다른 경보가 합류했습니다', 'severity-raised': '심각도가 올라갔습니다',
    'alerts-stopped': '경보가 멈췄습니다. 다시 발생하지 않으면 자동으로 해결됩니다', 'auto-resolve-cancelled': '경보가 다시 발생해 자동 해결이 취소되었습니다',
    acknowledged: '{by}이(가) 확인했습니다', 'ack-expired': '확인이 만료되었습니다', reopened: '다시 열림: 경보가 계속되는 동안 확인이 만료되었습니다',
    resolved: '{by}이(가) 해결했습니다', resolvedAuto: '자동으로 해결되었습니다', escalated: '에스컬레이션: 담당자에게 알렸습니다',
    escalatedStep: '에스컬레이션 {step}단계({round}회차): {channels}에 알렸습니다',
    remediation: '자가 치유', approved: '{by}이(가) 복구 실행을 승인했습니다', rejected: '{by}이(가) 복구 실행을 거부했습니다', awaiting: '복구 실행이 승인을 기다립니다',
    verification: '복구 결과를 검증했습니다', 'not-fixed': '검증 결과: 복구로 해결되지 않았습니다', 'feedback-good': '{by}: 복구가 도움이 되었습니다', 'feedback-bad': '{by}: 복구가 도움이 되지 않았습니다',
  },
};

// Symbols most fonts have (no emoji font needed); the sentence says the same in words.
const icons: Readonly<Record<ShownKind, string>> = {
  opened: '⚠', joined: '+', 'severity-raised': '▲', 'alerts-stopped': '■', 'auto-resolve-cancelled': '↺', acknowledged: '◉', 'ack-expired': '◔',
  reopened: '↻', resolved: '✓', escalated: '⚑', remediation: '⚙', approved: '☑', rejected: '☒', awaiting: '…', verification: '✔', 'not-fixed': '✕',
  'feedback-good': '✎', 'feedback-bad': '✎',
};

/** A remediation entry read closer, from the words remediation writes (src/remediation/report.ts; a failed verification starts `verified: not fixed`). */
function remediationKind(text: string): 'remediation' | 'approved' | 'rejected' | 'awaiting' {
  if (/ approved by .+; run .+ goes on$/.test(text)) return 'approved';
  if (/^remediation rejected by /.test(text)) return 'rejected';
  if (/ waits for approval$/.test(text)) return 'awaiting';
  return 'remediation';
}

/** Timeline entries and the feedback of the incident's remediations, oldest first. */
export function timelineRows(entries: readonly TimelineEntry[], remediations: readonly Remediation[]): Shown[] {
  const rows: Shown[] = entries.map((e) => {
    const kind = e.kind === 'remediation' ? remediationKind(e.text) : e.kind === 'verification' && e.text.startsWith('verified: not fixed') ? 'not-fixed' : e.kind;
    const step = e.kind === 'escalated' ? /^step (\d+) \(round (\d+)\): (.+)$/.exec(e.text) : null;
    return {
      at: e.at, kind, detail: e.text, ...(e.by === undefined ? {} : { by: e.by }),
      ...(step ? { vars: { step: step[1]!, round: step[2]!, channels: step[3]! } } : {}),
    };
  });
  for (const r of remediations) {
    for (const f of r.feedback) {
      const said = [f.reason, f.expected && `→ ${f.expected}`].filter(Boolean).join(' ');
      rows.push({ at: f.at, kind: f.positive ? 'feedback-good' : 'feedback-bad', by: f.by, ...(said ? { detail: said } : {}) });
    }
  }
  // Stable: entries recorded at the same time keep their order.
  return rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.at - b.r.at || a.i - b.i).map(({ r }) => r);
}

function sentence(locale: Locale, row: Shown): string {
  const t = translator(sentences, locale);
  const by = row.by ?? t('byUnknown');
  if (row.kind === 'opened' && row.by === undefined) return t('openedAuto');
  if (row.kind === 'resolved' && (row.by === undefined || row.by === 'auto')) return t('resolvedAuto');
  if (row.kind === 'escalated' && row.vars) return t('escalatedStep', row.vars);
  return t(row.kind, { by });
}

/** The detail is repeated only when it says more than the sentence. */
const worthShowing = (row: Shown): boolean => row.detail !== undefined && row.detail !== '' && !(row.kind === 'escalated' && row.vars);

export function timeline(locale: Locale, rows: readonly Shown[]): Html {
  const t = translator(sentences, locale);
  return html`<section aria-labelledby="timeline-h"><h2 id="timeline-h">${t('heading')}</h2>
    <ol class="timeline incident-timeline">${rows.map((row) => html`<li class="kind-${row.kind}" data-kind="${row.kind}">
      <span class="icon" aria-hidden="true">${icons[row.kind]}</span>
      <div><p class="what"><strong>${sentence(locale, row)}</strong> · ${time(locale, row.at)}</p>
      ${worthShowing(row) && html`<p class="detail">${row.detail}</p>`}</div>
    </li>`)}</ol>
  </section>`;
}
