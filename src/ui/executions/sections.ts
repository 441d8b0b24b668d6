// The parts of an execution both its dashboard page and its report show: the facts, the steps
// with their timing bars, the artifacts and log lines. Every value from the record is
// interpolated by the `html` tag, hence escaped.
import type { ExecutionRecord, LogRecord, StepRecord } from '../../store/types.ts';
import { html, type Html } from '../html.ts';
import { formatDuration, formatNumber, type Locale } from '../i18n.ts';
import { badge, statusTone, time } from '../parts.ts';
import { executionText, statusName } from './text.ts';

/** Who or what a run is about: the plugin's manifest id, else its directory, else a plan's `plugin` parameter. */
export const pluginOf = (r: Pick<ExecutionRecord, 'plugin' | 'pluginId' | 'parameters'>): string | undefined =>
  r.pluginId ?? r.plugin ?? (typeof r.parameters.plugin === 'string' && r.parameters.plugin ? r.parameters.plugin : undefined);

export const statusBadge = (locale: Locale, status: ExecutionRecord['status'] | StepRecord['status']): Html =>
  badge(statusTone(status), statusName(locale, status));

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

export function facts(locale: Locale, r: ExecutionRecord): Html {
  const t = executionText(locale);
  const plugin = pluginOf(r);
  const row = (label: string, value: Html | string | undefined) => value === undefined || value === '' ? html`` : html`<dt>${label}</dt><dd>${value}</dd>`;
  const trigger = r.trigger && [r.trigger.incident && `incident ${r.trigger.incident}`, r.trigger.rule && `rule ${r.trigger.rule}`, r.trigger.check && `check ${r.trigger.check}`].filter(Boolean).join(', ');
  return html`<dl class="facts">
    <dt>${t('status')}</dt><dd class="exec-status">${statusBadge(locale, r.status)}</dd>
    ${row(t('workflow'), r.workflow)}
    ${row(t('kind'), r.kind ?? 'Workflow')}
    ${row(t('plugin'), r.plugin && r.pluginId && r.plugin !== r.pluginId ? `${r.pluginId} (${r.plugin})` : plugin)}
    ${row(t('requestedBy'), r.requestedBy)}
    ${row(t('trigger'), trigger || undefined)}
    ${row(t('created'), time(locale, r.createdAt))}
    ${row(t('started'), r.startedAt === undefined ? undefined : time(locale, r.startedAt))}
    ${row(t('ended'), r.endedAt === undefined ? undefined : time(locale, r.endedAt))}
    ${row(t('duration'), r.durationMs !== undefined ? formatDuration(locale, r.durationMs) : undefined)}
    ${(r.resumes ?? []).map((x) => html`<dt>${t('resumed')}</dt><dd>${time(locale, x.at)} (${x.reason}${x.by ? `, ${x.by}` : ''})</dd>`)}
  </dl>
  ${r.error && html`<h3>${t('error')}</h3><pre class="exec-error">${r.error}</pre>`}
  <h3>${t('parameters')}</h3>
  ${Object.keys(r.parameters).length === 0 ? html`<p class="note">${t('noParameters')}</p>`
    : html`<dl class="facts params">${Object.entries(r.parameters).map(([k, v]) => html`<dt>${k}</dt><dd><code>${shown(v)}</code></dd>`)}</dl>`}`;
}

/** Where the run's time starts and ends, for the timing bars: its start, and its end (or now, or its last step's end). */
export function runSpan(r: ExecutionRecord, now: number): { start: number; end: number } {
  const start = Date.parse(r.startedAt ?? r.createdAt);
  const lastStepEnd = Object.values(r.steps).reduce((m, s) => (s.endedAt ? Math.max(m, Date.parse(s.endedAt)) : m), start);
  const end = r.endedAt ? Date.parse(r.endedAt) : Math.max(now, lastStepEnd);
  return { start, end: Math.max(end, start + 1) };
}

function timingBar(locale: Locale, s: StepRecord, span: { start: number; end: number }, now: number): Html {
  const t = executionText(locale);
  if (!s.startedAt) return html`<span class="note">${t('notStarted')}</span>`;
  const from = Date.parse(s.startedAt);
  const to = s.endedAt ? Date.parse(s.endedAt) : Math.min(now, span.end);
  const whole = span.end - span.start;
  const left = Math.min(100, Math.max(0, ((from - span.start) / whole) * 100));
  const width = Math.min(100 - left, Math.max(0.5, ((to - from) / whole) * 100));
  const label = t('timingBar', { start: formatDuration(locale, Math.max(0, from - span.start)), length: formatDuration(locale, Math.max(0, to - from)) });
  return html`<span class="bar-track" role="img" aria-label="${label}" title="${label}"><span class="bar ${statusTone(s.status)}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></span></span>`;
}

export interface StepsTable {
  /** The ids to show, in order (one page of them). */
  ids: readonly string[];
  /** The link of a step's logs; none in the report. */
  logsHref?: (id: string) => string;
  now: number;
}

export function stepsTable(locale: Locale, r: ExecutionRecord, o: StepsTable): Html {
  const t = executionText(locale);
  const span = runSpan(r, o.now);
  return html`<div class="table-wrap"><table class="responsive steps">
    <thead><tr><th scope="col">${t('step')}</th><th scope="col">${t('status')}</th><th scope="col" class="num">${t('attempts')}</th><th scope="col">${t('duration')}</th><th scope="col" class="timing">${t('timing')}</th><th scope="col">${t('error')}</th></tr></thead>
    <tbody>${o.ids.map((id) => {
      const s = r.steps[id]!;
      return html`<tr id="step-${id}">
        <td data-label="${t('step')}"><code>${id}</code>${o.logsHref && html` <a href="${o.logsHref(id)}" aria-label="${t('logs')}: ${id}">${t('logsOf')}</a>`}</td>
        <td data-label="${t('status')}">${statusBadge(locale, s.status)}${s.conclusion && s.conclusion !== s.status ? html` <span class="note">(${statusName(locale, s.conclusion)})</span>` : ''}</td>
        <td data-label="${t('attempts')}" class="num">${s.attempts}</td>
        <td data-label="${t('duration')}">${s.durationMs !== undefined ? formatDuration(locale, s.durationMs) : ''}</td>
        <td data-label="${t('timing')}" class="timing">${timingBar(locale, s, span, o.now)}</td>
        <td data-label="${t('error')}">${s.error && html`<span class="step-error">${s.error}</span>`}</td>
      </tr>`;
    })}</tbody>
  </table></div>`;
}

export function artifactsTable(locale: Locale, r: ExecutionRecord): Html {
  const t = executionText(locale);
  if (r.artifacts.length === 0) return html`<p class="note">${t('noArtifacts')}</p>`;
  return html`<div class="table-wrap"><table class="responsive artifacts">
    <thead><tr><th scope="col">${t('name')}</th><th scope="col" class="num">${t('size')}</th><th scope="col">${t('sha256')}</th></tr></thead>
    <tbody>${r.artifacts.map((a) => html`<tr>
      <td data-label="${t('name')}"><code>${a.name}</code></td>
      <td data-label="${t('size')}" class="num">${a.size !== undefined ? formatNumber(locale, a.size) : ''}</td>
      <td data-label="${t('sha256')}"><code class="hash">${a.sha256 ?? ''}</code></td>
    </tr>`)}</tbody>
  </table></div>`;
}

/** Log records as lines, the way the page's script appends streamed ones. */
export const logLines = (logs: readonly LogRecord[]): Html =>
  html`${logs.map((l) => html`<div class="line ${l.level}">${l.timestamp.slice(11, 19)} ${l.step ? `[${l.step}] ` : ''}${l.message}</div>`)}`;
