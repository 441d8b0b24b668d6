// /checks/{id}: one health check — its state (paused shown), uptime, the response-time chart and
// the up/down bar of the chosen range (24 h and 7 d by the hour, 30 d by the day) drawn on the
// server from GET /api/checks/{id}/series, its recent results with why they failed, and "Run
// now" for a caller who may write (POST /api/checks/{id}/run).
import type { Static } from '@sinclair/typebox';
import type { CheckResult } from '../../api/schemas/monitor.ts';
import { ranges, type Range } from '../../monitor/history/rollups.ts';
import { responseChart, upDownBar } from '../checks/charts.ts';
import { checkState, stateBadge, uptimeText, words, type CheckFull, type Series } from '../checks/status.ts';
import { html } from '../html.ts';
import { formatDate, formatDuration, formatNumber, formatPercent, translator, type Messages } from '../i18n.ts';
import type { Page } from '../page.ts';
import { actionForm, badge, empty, readOnlyNote, time } from '../parts.ts';

const maxShown = 50;

const text: Messages<Range | 'title' | 'facts' | 'type' | 'state' | 'failures' | 'successes' | 'last' | 'runNow' | 'range' | 'chart' | 'bar'
  | 'legend' | 'uptimeRange' | 'recent' | 'at' | 'result' | 'duration' | 'reason' | 'ok' | 'failed' | 'pausedBy' | 'until' | 'older'> = {
  en: {
    '24h': '24 hours', '7d': '7 days', '30d': '30 days', title: 'Check {id}', facts: 'Facts', type: 'Type', state: 'State',
    failures: 'Failures in a row', successes: 'Successes in a row', last: 'Last result', runNow: 'Run now', range: 'Range',
    chart: 'Response time', bar: 'Up and down', legend: 'Each cell is one {bucket}: ✓ green all up, ! amber some failed, ✕ red all failed, ○ grey no results.',
    uptimeRange: 'Uptime over {range}: {value}', recent: 'Recent results', at: 'When', result: 'Result', duration: 'Took', reason: 'Why it failed',
    ok: 'OK', failed: 'Failed', pausedBy: 'Paused by {by}: {reason}', until: 'until {until}', older: 'The {count} newest of the kept results are shown.',
  },
  ko: {
    '24h': '24시간', '7d': '7일', '30d': '30일', title: '체크 {id}', facts: '정보', type: '유형', state: '상태',
    failures: '연속 실패', successes: '연속 성공', last: '마지막 결과', runNow: '지금 실행', range: '기간',
    chart: '응답 시간', bar: '정상/장애', legend: '칸 하나가 {bucket}입니다: ✓ 초록 모두 정상, ! 주황 일부 실패, ✕ 빨강 모두 실패, ○ 회색 결과 없음.',
    uptimeRange: '{range} 가동률: {value}', recent: '최근 결과', at: '시각', result: '결과', duration: '소요', reason: '실패 이유',
    ok: '성공', failed: '실패', pausedBy: '{by}이(가) 일시 중지함: {reason}', until: '{until}까지', older: '보관된 결과 중 최신 {count}개를 보여 줍니다.',
  },
};
const bucketWord = { en: { hour: 'hour', day: 'UTC day' }, ko: { hour: '시간', day: 'UTC 하루' } } as const;

type Result = Static<typeof CheckResult>;
const whyFailed = (r: Result): string =>
  r.ok ? '' : [r.error, ...r.conditions.filter((c) => !c.ok).map((c) => (c.error ? `${c.expression} (${c.error})` : c.expression))].filter(Boolean).join('; ');

export const checkPage: Page = {
  path: '/checks/{id}',
  nav: 'checks',
  live: ['checks', 'controls', 'config'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const w = translator(words, ctx.locale);
    const id = ctx.params.id!;
    const path = `/api/checks/${encodeURIComponent(id)}` as const;
    const c = (await ctx.api<CheckFull>(path)).data;
    const asked = ctx.query.get('range');
    const range: Range = ranges.find((r) => r === asked) ?? '24h';
    const series = (await ctx.api<Series>(`${path}/series?range=${range}`)).data;
    const daily = range === '30d';
    const state = checkState(c);
    const recent = c.history.slice(-maxShown).reverse();
    const up = series.uptime === undefined ? w('noResults') : formatPercent(ctx.locale, series.uptime);
    return {
      title: t('title', { id }),
      main: html`<h1 class="check-title">${t('title', { id })} ${stateBadge(ctx.locale, state)}</h1>
      ${c.paused && html`<p class="badge warn paused-note" role="note">${t('pausedBy', { by: c.paused.by, reason: c.paused.reason })}${c.paused.until ? ` ${t('until', { until: formatDate(ctx.locale, c.paused.until) })}` : ''}</p>`}
      <div class="check-actions">
        ${actionForm(ctx, { api: `POST ${path}/run`, access: 'write', label: t('runNow'), tone: 'primary', className: 'run-now' })}
        ${readOnlyNote(ctx)}
      </div>
      <section aria-labelledby="check-facts"><h2 id="check-facts">${t('facts')}</h2>
      <dl class="facts">
        <dt>${t('type')}</dt><dd>${c.type}</dd>
        <dt>${t('state')}</dt><dd>${stateBadge(ctx.locale, state)}</dd>
        <dt>${t('last')}</dt><dd>${c.last ? html`${time(ctx.locale, c.last.at)} · ${formatDuration(ctx.locale, c.last.durationMs)}` : '—'}</dd>
        <dt>${t('failures')}</dt><dd>${formatNumber(ctx.locale, c.consecutiveFailures)}</dd>
        <dt>${t('successes')}</dt><dd>${formatNumber(ctx.locale, c.consecutiveSuccesses)}</dd>
        <dt>${w('uptime24h')}</dt><dd>${uptimeText(ctx.locale, c.uptime?.['24h'])}</dd>
        <dt>${w('uptime7d')}</dt><dd>${uptimeText(ctx.locale, c.uptime?.['7d'])}</dd>
        <dt>${w('uptime30d')}</dt><dd>${uptimeText(ctx.locale, c.uptime?.['30d'])}</dd>
      </dl></section>
      <nav class="ranges" aria-label="${t('range')}">
        ${ranges.map((r) => html`<a href="?range=${r}"${r === range ? html` aria-current="page"` : ''}>${t(r)}</a>`)}
      </nav>
      <section aria-labelledby="check-chart"><h2 id="check-chart">${t('chart')} · ${t(range)}</h2>
        ${responseChart(ctx.locale, series.buckets, { daily })}
      </section>
      <section aria-labelledby="check-bar"><h2 id="check-bar">${t('bar')} · ${t(range)}</h2>
        <p class="uptime-range">${t('uptimeRange', { range: t(range), value: up })}</p>
        ${upDownBar(ctx.locale, series.buckets, { daily, summary: t('uptimeRange', { range: t(range), value: up }) })}
        <p class="muted legend">${t('legend', { bucket: bucketWord[ctx.locale][daily ? 'day' : 'hour'] })}</p>
      </section>
      <section aria-labelledby="check-recent"><h2 id="check-recent">${t('recent')}</h2>
      ${recent.length === 0 ? empty(ctx.locale) : html`<div class="table-wrap"><table class="responsive results">
        <thead><tr><th>${t('at')}</th><th>${t('result')}</th><th class="num">${t('duration')}</th><th>${t('reason')}</th></tr></thead>
        <tbody>${recent.map((r) => html`<tr data-ok="${r.ok}">
          <td data-label="${t('at')}">${time(ctx.locale, r.at)}</td>
          <td data-label="${t('result')}">${badge(r.ok ? 'ok' : 'bad', t(r.ok ? 'ok' : 'failed'))}</td>
          <td data-label="${t('duration')}" class="num">${formatDuration(ctx.locale, r.durationMs)}</td>
          <td data-label="${t('reason')}" class="reason">${whyFailed(r)}</td>
        </tr>`)}</tbody>
      </table></div>
      ${c.history.length > maxShown && html`<p class="muted">${t('older', { count: maxShown })}</p>`}`}
      </section>`,
    };
  },
};
