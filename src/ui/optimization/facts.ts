// The facts of a suggestion that the list and its own page both show: the evidence in numbers
// (metric, samples over what span of which window, percentiles, other figures), the expected
// effect, the runbook with its parameters, the error signatures and likely cause of a diagnosis,
// and where an applied one stands (its run, when the verdict is due).
import type { ExecutionStatus } from '../../store/types.ts';
import { html, type Html } from '../html.ts';
import { formatDuration, formatNumber, formatPercent, translator, type Locale, type Messages } from '../i18n.ts';
import { badge, statusTone, time } from '../parts.ts';
import { statusName } from '../executions/text.ts';
import { executionPath, type SuggestionView } from './model.ts';
import { confidenceText, num, severityBadge } from './words.ts';

const text: Messages<'optimization' | 'severity' | 'confidence' | 'evidence' | 'samples' | 'percentiles' | 'figures' | 'expected' | 'up' | 'down'
  | 'runbook' | 'revert' | 'noRunbook' | 'noParameters' | 'cause' | 'signatures' | 'signature' | 'suggested' | 'confirmed' | 'run' | 'verdictDue' | 'approvedBy'> = {
  en: {
    optimization: 'Optimization', severity: 'Severity', confidence: 'Confidence', evidence: 'Evidence', samples: '{n} samples over {span} (window {window})',
    percentiles: 'Percentiles', figures: 'Other figures', expected: 'Expected effect', up: '{metric} up by about {size}', down: '{metric} down by about {size}',
    runbook: 'Runbook', revert: 'Undone by', noRunbook: 'None configured', noParameters: 'no parameters', cause: 'Likely cause', signatures: 'Top error signatures',
    signature: '{count}×', suggested: 'Suggested', confirmed: 'Last confirmed', run: 'Run', verdictDue: 'Verdict due', approvedBy: 'Applied by',
  },
  ko: {
    optimization: '최적화', severity: '심각도', confidence: '신뢰도', evidence: '근거', samples: '샘플 {n}개, {span} 동안 (분석 기간 {window})',
    percentiles: '백분위수', figures: '기타 수치', expected: '예상 효과', up: '{metric} 약 {size} 증가', down: '{metric} 약 {size} 감소',
    runbook: '런북', revert: '되돌리기', noRunbook: '설정 안 됨', noParameters: '매개변수 없음', cause: '가능한 원인', signatures: '주요 오류 유형',
    signature: '{count}회', suggested: '제안 시각', confirmed: '마지막 확인', run: '실행', verdictDue: '판정 예정', approvedBy: '적용한 사람',
  },
};

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

/** A runbook and its parameters: `scale_workers` — plugin: resizer, workers: 6. */
export function runbookCall(locale: Locale, call: SuggestionView['apply']): Html {
  const t = translator(text, locale);
  if (!call) return html`${t('noRunbook')}`;
  const params = Object.entries(call.parameters);
  return html`<code>${call.runbook}</code>${params.length
    ? html`<ul class="plain params">${params.map(([k, v]) => html`<li><code>${k}</code>: <code>${shown(v)}</code></li>`)}</ul>`
    : html` <span class="muted">(${t('noParameters')})</span>`}`;
}

/** A run as a link to its execution, with its status once known. */
export function runLink(locale: Locale, run: NonNullable<SuggestionView['run']>): Html {
  return html`<a href="${executionPath(run.id)}"><code>${run.id}</code></a>${run.status ? html` ${badge(statusTone(run.status), statusName(locale, run.status as ExecutionStatus))}` : ''}`;
}

export const percentilesText = (locale: Locale, p: SuggestionView['evidence']['percentiles']): string =>
  (['p50', 'p90', 'p95', 'p99', 'max'] as const).map((k) => `${k} ${num(locale, p[k])}`).join(' · ');

export function expectedText(locale: Locale, e: SuggestionView['expected']): string {
  return translator(text, locale)(e.direction, { metric: e.metric, size: formatPercent(locale, e.size, 0) });
}

/** The facts as a definition list; `full` adds the figures and all signatures (a suggestion's own page). */
export function suggestionFacts(locale: Locale, s: SuggestionView, o: { full: boolean }): Html {
  const t = translator(text, locale);
  const ev = s.evidence;
  const figures = Object.entries(ev.figures);
  const signatures = (s.signatures ?? []).slice(0, o.full ? 20 : 3);
  return html`<dl class="facts">
    <dt>${t('optimization')}</dt><dd><code>${s.optimization}</code></dd>
    <dt>${t('severity')}</dt><dd>${severityBadge(locale, s.severity)}</dd>
    <dt>${t('confidence')}</dt><dd class="confidence" data-confidence="${s.confidence}">${confidenceText(locale, s.confidence)}</dd>
    <dt>${t('evidence')}</dt><dd><code>${ev.metric}</code>: ${t('samples', { n: formatNumber(locale, ev.samples), span: formatDuration(locale, ev.spanMs), window: formatDuration(locale, ev.windowMs) })}</dd>
    <dt>${t('percentiles')}</dt><dd class="percentiles">${percentilesText(locale, ev.percentiles)}</dd>
    ${o.full && figures.length > 0 && html`<dt>${t('figures')}</dt><dd>${figures.map(([k, v], i) => html`${i ? ' · ' : ''}<code>${k}</code> ${num(locale, v)}`)}</dd>`}
    <dt>${t('expected')}</dt><dd>${expectedText(locale, s.expected)}</dd>
    <dt>${t('runbook')}</dt><dd>${runbookCall(locale, s.apply)}</dd>
    ${o.full && s.revert && html`<dt>${t('revert')}</dt><dd>${runbookCall(locale, s.revert)}</dd>`}
    ${s.likelyCause && html`<dt>${t('cause')}</dt><dd>${s.likelyCause}</dd>`}
    ${signatures.length > 0 && html`<dt>${t('signatures')}</dt><dd><ul class="plain signatures">${signatures.map((g) => html`<li><code>${g.template}</code> <span class="muted">${t('signature', { count: formatNumber(locale, g.count) })}</span></li>`)}</ul></dd>`}
    <dt>${t('suggested')}</dt><dd>${time(locale, s.createdAt)}</dd>
    <dt>${t('confirmed')}</dt><dd>${time(locale, s.seenAt)}</dd>
    ${s.approvedBy && html`<dt>${t('approvedBy')}</dt><dd>${s.approvedBy}</dd>`}
    ${s.run && html`<dt>${t('run')}</dt><dd>${runLink(locale, s.run)}</dd>`}
    ${s.state === 'verifying' && s.verifyAt !== undefined && html`<dt>${t('verdictDue')}</dt><dd>${time(locale, s.verifyAt)}</dd>`}
  </dl>`;
}
