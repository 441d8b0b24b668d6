// How the optimization pages name things, the same way on every page, in both languages: a
// suggestion's state (an icon and a word; the tone only adds colour), its severity, its
// confidence (a percentage and a word), why an analyzer suggested nothing, and numbers with
// their units (a value the API could not measure reads as a dash).
import type { SuggestionState } from '../../optimize/suggestion.ts';
import { html, type Html } from '../html.ts';
import { formatNumber, formatPercent, type Locale } from '../i18n.ts';
import type { Tone } from '../parts.ts';
import type { StatusView, SuggestionView } from './model.ts';

type Severity = SuggestionView['severity'];
export type NoteReason = StatusView['analyses'][number]['notes'][number]['reason'];

export const stateWords: Readonly<Record<Locale, Readonly<Record<SuggestionState, string>>>> = {
  en: {
    active: 'Open', approved: 'Approved', applying: 'Applying', verifying: 'Measuring the effect', reverting: 'Reverting',
    succeeded: 'Succeeded', reverted: 'Reverted', inconclusive: 'Inconclusive', failed: 'Failed', dismissed: 'Dismissed', expired: 'Expired',
  },
  ko: {
    active: '열림', approved: '승인됨', applying: '적용 중', verifying: '효과 측정 중', reverting: '되돌리는 중',
    succeeded: '성공', reverted: '되돌림', inconclusive: '판단 보류', failed: '실패', dismissed: '무시함', expired: '만료',
  },
};

// Symbols most fonts have (no emoji font needed); the word says the same.
const stateLooks: Readonly<Record<SuggestionState, { tone: Tone; icon: string }>> = {
  active: { tone: 'info', icon: '●' }, approved: { tone: 'info', icon: '☑' }, applying: { tone: 'info', icon: '⚙' },
  verifying: { tone: 'info', icon: '⌛' }, reverting: { tone: 'warn', icon: '↺' }, succeeded: { tone: 'ok', icon: '✓' },
  reverted: { tone: 'warn', icon: '↺' }, inconclusive: { tone: 'idle', icon: '?' }, failed: { tone: 'bad', icon: '✕' },
  dismissed: { tone: 'idle', icon: '⊘' }, expired: { tone: 'idle', icon: '◔' },
};

const severityWords: Readonly<Record<Locale, Readonly<Record<Severity, string>>>> = {
  en: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
  ko: { low: '낮음', medium: '보통', high: '높음', critical: '심각' },
};
const severityLooks: Readonly<Record<Severity, { tone: Tone; icon: string }>> = {
  low: { tone: 'idle', icon: '▽' }, medium: { tone: 'warn', icon: '◆' }, high: { tone: 'bad', icon: '▲' }, critical: { tone: 'bad', icon: '⚠' },
};

const confidenceWords: Readonly<Record<Locale, Readonly<Record<'low' | 'medium' | 'high', string>>>> = {
  en: { low: 'low', medium: 'medium', high: 'high' },
  ko: { low: '낮음', medium: '보통', high: '높음' },
};

export const reasonWords: Readonly<Record<Locale, Readonly<Record<NoteReason, string>>>> = {
  en: { 'insufficient-data': 'Too little data', 'within-target': 'Within target', 'missing-metric': 'Metric missing' },
  ko: { 'insufficient-data': '데이터 부족', 'within-target': '목표 범위 안', 'missing-metric': '메트릭 없음' },
};
const reasonLooks: Readonly<Record<NoteReason, { tone: Tone; icon: string }>> = {
  'insufficient-data': { tone: 'warn', icon: '…' }, 'within-target': { tone: 'ok', icon: '✓' }, 'missing-metric': { tone: 'bad', icon: '✕' },
};

const look = (l: { tone: Tone; icon: string }, word: string, data = ''): Html =>
  html`<span class="badge ${l.tone}"${data ? html` data-state="${data}"` : ''}><span aria-hidden="true">${l.icon}</span> ${word}</span>`;

export const stateBadge = (locale: Locale, s: SuggestionState): Html => look(stateLooks[s], stateWords[locale][s], s);
export const severityBadge = (locale: Locale, s: Severity): Html => look(severityLooks[s], severityWords[locale][s]);
export const reasonBadge = (locale: Locale, r: NoteReason): Html => look(reasonLooks[r], reasonWords[locale][r]);

/** The word for a confidence in [0, 1]: under 50% low, under 80% medium, else high. */
export const confidenceLevel = (c: number): 'low' | 'medium' | 'high' => (c < 0.5 ? 'low' : c < 0.8 ? 'medium' : 'high');

/** "72% · medium". */
export const confidenceText = (locale: Locale, c: number): string => `${formatPercent(locale, c, 0)} · ${confidenceWords[locale][confidenceLevel(c)]}`;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A measured number with at most three significant digits (a whole number from 100); a dash when there is none. */
export function num(locale: Locale, v: number | null | undefined): string {
  if (!finite(v)) return '—';
  const a = Math.abs(v);
  return formatNumber(locale, v, a >= 100 || Number.isInteger(v) ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
}

/** A number with its unit: `6 workers`, `340 ms`. */
export const amount = (locale: Locale, v: number | null | undefined, unit?: string): string => `${num(locale, v)}${unit && finite(v) ? ` ${unit}` : ''}`;

/** The change a suggestion makes: `2 → 6 workers`, or the new value alone; empty for a diagnosis. */
export function changeText(locale: Locale, s: Pick<SuggestionView, 'value' | 'previous' | 'unit'>): string {
  if (s.value === undefined) return '';
  return `${s.previous !== undefined ? `${num(locale, s.previous)} → ` : ''}${amount(locale, s.value, s.unit)}`;
}

/** A relative change as a signed percentage: 0.253 → "+25.3%". */
export const signedPercent = (locale: Locale, share: number | null | undefined): string =>
  finite(share) ? `${share > 0 ? '+' : share < 0 ? '−' : '±'}${formatPercent(locale, Math.abs(share), 1)}` : '—';

/** A p-value: "p = 0.012", "p < 0.001" below that. */
export const pValue = (locale: Locale, p: number | null | undefined): string =>
  !finite(p) ? 'p = —' : p < 0.001 ? `p < ${formatNumber(locale, 0.001, 3)}` : `p = ${formatNumber(locale, p, 3)}`;
