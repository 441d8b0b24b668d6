// How the check pages and the overview name a check's state, its last failure and its uptime,
// the same way on every page, in both languages.
import type { Static } from '@sinclair/typebox';
import { checkStateOf } from '../../api/routes/checks.ts';
import type { CheckDetail, CheckSeries, CheckState, CheckSummary, LastResult } from '../../api/schemas/monitor.ts';
import { html, type Html } from '../html.ts';
import { formatPercent, translator, type Locale, type Messages } from '../i18n.ts';
import { badge, type Tone } from '../parts.ts';

export type CheckItem = Static<typeof CheckSummary>;
export type CheckFull = Static<typeof CheckDetail>;
export type Series = Static<typeof CheckSeries>;

export { checkStates, type CheckState } from '../../api/schemas/monitor.ts';
/** The state the API filters by (`?state=`), from what it answered. */
export const checkState = checkStateOf;

const tones: Record<CheckState, Tone> = { up: 'ok', down: 'bad', paused: 'warn', pending: 'idle' };

export const words: Messages<CheckState | 'noResults' | 'uptime24h' | 'uptime7d' | 'uptime30d'> = {
  en: { up: 'Up', down: 'Down', paused: 'Paused', pending: 'Not run yet', noResults: 'No results in this range', uptime24h: 'Uptime 24 h', uptime7d: 'Uptime 7 d', uptime30d: 'Uptime 30 d' },
  ko: { up: '정상', down: '장애', paused: '일시 중지', pending: '아직 실행 안 됨', noResults: '이 기간에 결과 없음', uptime24h: '가동률 24시간', uptime7d: '가동률 7일', uptime30d: '가동률 30일' },
};

export const stateBadge = (locale: Locale, state: CheckState): Html => badge(tones[state], translator(words, locale)(state));

/** Why a result failed: its error, else the conditions that did not hold. */
export const reasonOf = (last: Static<typeof LastResult> | undefined): string =>
  !last || last.ok ? '' : last.error ?? last.failed.join('; ');

/** A ratio as a percentage, or a dash (its title says why) when nothing ran. */
export function uptimeText(locale: Locale, ratio: number | undefined): Html {
  if (ratio === undefined) return html`<span title="${translator(words, locale)('noResults')}">—</span>`;
  return html`${formatPercent(locale, ratio, ratio === 1 || ratio === 0 ? 0 : 2)}`;
}

export const checkHref = (id: string): string => `/checks/${encodeURIComponent(id)}`;
