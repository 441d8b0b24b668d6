// / — the overview: how many checks are up and down (every check that is down, then a few others,
// each with its state, 24-hour uptime and a sparkline of its response times), the open incidents
// by severity, running and waiting executions, approvals waiting for a decision, the scheduler's
// lag and the configuration's last load. Live on checks, incidents, executions, approvals,
// controls (pauses) and config. Bounded whatever the size of the project: with thousands of
// checks the page stays a few dozen kilobytes, and /checks lists them all.
import type { Static } from '@sinclair/typebox';
import type { ExecutionRecord } from '../../api/schemas/executions.ts';
import type { IncidentSummary } from '../../api/schemas/monitor.ts';
import { severities } from '../../documents/schema/alerting.ts';
import { maxIncidentPage } from '../../api/schemas/incidents.ts';
import { sparkline } from '../checks/charts.ts';
import { checkHref, checkState, reasonOf, stateBadge, uptimeText, words, type CheckItem, type CheckState, type Series } from '../checks/status.ts';
import { html } from '../html.ts';
import { formatDuration, formatNumber, translator } from '../i18n.ts';
import type { Page } from '../page.ts';
import { badge, empty, statusTone, time } from '../parts.ts';
import { overviewText as text } from './overview-text.ts';

/** Down checks shown at most (the rest behind a link), and other checks shown besides them. */
export const maxDownShown = 100;
export const othersShown = 12;
const maxExecutions = 10;
/** Waiting executions read at most (their marker files; a count past it shows as `50+`). */
const maxWaiting = 50;

type Incident = Static<typeof IncidentSummary>;
type Execution = Static<typeof ExecutionRecord>;

export const overviewPage: Page = {
  path: '/',
  nav: 'overview',
  live: ['checks', 'incidents', 'executions', 'approvals', 'controls', 'config'],
  async render(ctx) {
    const t = translator(text, ctx.locale);
    const w = translator(words, ctx.locale);
    const n = (v: number) => formatNumber(ctx.locale, v);

    // Down checks, then paused, not yet run and up ones to fill a dozen rows: a few pages from the API, never all of them.
    const read = (state: CheckState, limit: number) => ctx.api<CheckItem[]>(`/api/checks?state=${state}&limit=${limit}`)
      .then((r) => ({ items: r.data, total: Number(r.headers['x-total-count'] ?? r.data.length) }));
    const [down, paused, pending, up] = await Promise.all([read('down', maxDownShown), read('paused', othersShown), read('pending', othersShown), read('up', othersShown)]);
    const counts: Record<CheckState, number> = { down: down.total, paused: paused.total, pending: pending.total, up: up.total };
    const total = down.total + paused.total + pending.total + up.total;
    const shown = [...down.items, ...[...paused.items, ...pending.items, ...up.items].slice(0, othersShown)];
    const series = await Promise.all(shown.map((c) => ctx.api<Series>(`/api/checks/${encodeURIComponent(c.id)}/series?range=24h`).then((r) => r.data.buckets)));

    const active = await ctx.api<Incident[]>(`/api/incidents?status=active&limit=${maxIncidentPage}`);
    const bySeverity = new Map<string, number>();
    for (const i of active.data) bySeverity.set(i.severity, (bySeverity.get(i.severity) ?? 0) + 1);

    const runningIds = ctx.deps.runs.runningIds().sort();
    const running = (await Promise.all(runningIds.slice(0, maxExecutions).map((id) => ctx.api<Execution>(`/api/executions/${encodeURIComponent(id)}`).then((r) => r.data, () => undefined))))
      .filter((e): e is Execution => e !== undefined);
    const waiting = (await ctx.api<Execution[]>(`/api/executions?status=waiting&limit=${maxWaiting}`)).data;
    const more = waiting.length >= maxWaiting ? '+' : '';
    const asks = waiting.flatMap((e) => Object.values(e.approvals ?? {}).filter((a) => a.status === 'waiting').map((a) => ({ e, a })));

    const jobs = ctx.deps.monitor().schedule();
    const lag = jobs.reduce((m, j) => Math.max(m, j.lastLagMs ?? 0), 0);
    const worst = jobs.reduce((m, j) => Math.max(m, j.maxLagMs), 0);
    const missed = jobs.reduce((s, j) => s + j.missed, 0);
    const status = ctx.deps.status();

    const said = (status: string) => (status === 'waiting' ? t('waitingStatus') : status === 'running' ? t('runningStatus') : status === 'pending' ? t('pending') : status);
    const execRow = (e: Execution) => html`<li><a href="/executions/${encodeURIComponent(e.id)}">${e.workflow}</a> ${badge(statusTone(e.status), said(e.status))}
      <span class="muted">${e.currentStep ? `${e.currentStep} · ` : ''}${time(ctx.locale, e.startedAt ?? e.createdAt)}</span></li>`;

    return {
      title: t('title'),
      main: html`<h1>${t('title')}</h1>
      <div class="grid overview-figures">
        <a class="card figure-card" href="/checks?status=up"><span class="figure">${n(counts.up)}</span> ${stateBadge(ctx.locale, 'up')}</a>
        <a class="card figure-card" href="/checks?status=down"><span class="figure" data-count="down">${n(counts.down)}</span> ${stateBadge(ctx.locale, 'down')}</a>
        <a class="card figure-card" href="/incidents"><span class="figure" data-count="incidents">${n(active.data.length)}${active.headers['x-next-cursor'] ? '+' : ''}</span> ${badge(active.data.length ? 'bad' : 'ok', t('openIncidents'))}</a>
        <a class="card figure-card" href="/approvals"><span class="figure">${n(asks.length)}${more}</span> ${badge(asks.length ? 'warn' : 'idle', t('waitingApprovals'))}</a>
      </div>

      <section aria-labelledby="ov-checks"><h2 id="ov-checks">${t('checks')}</h2>
      <p class="muted">${t('checkCounts', { total: n(total), up: n(counts.up), down: n(counts.down), paused: n(counts.paused), pending: n(counts.pending) })}</p>
      ${shown.length === 0 ? empty(ctx.locale, t('noChecks')) : html`<div class="table-wrap"><table class="responsive overview-checks">
        <thead><tr><th>${t('state')}</th><th>${t('check')}</th><th class="num">${w('uptime24h')}</th><th>${t('latency')}</th><th>${t('reason')}</th></tr></thead>
        <tbody>${shown.map((c, i) => html`<tr data-check="${c.id}" data-state="${checkState(c)}">
          <td data-label="${t('state')}">${stateBadge(ctx.locale, checkState(c))}</td>
          <td data-label="${t('check')}"><a href="${checkHref(c.id)}">${c.id}</a></td>
          <td data-label="${w('uptime24h')}" class="num">${uptimeText(ctx.locale, c.uptime?.['24h'])}</td>
          <td data-label="${t('latency')}">${sparkline(series[i]!, t('sparkline', { id: c.id }))}</td>
          <td data-label="${t('reason')}" class="reason">${reasonOf(c.last)}</td>
        </tr>`)}</tbody></table></div>`}
      <p>${down.total > maxDownShown ? html`<a href="/checks?status=down">${t('moreDown', { count: n(down.total - maxDownShown) })}</a> · ` : ''}<a href="/checks">${t('allChecks', { count: n(total) })}</a></p>
      </section>

      <div class="grid">
      <section class="card" aria-labelledby="ov-incidents"><h2 id="ov-incidents">${t('incidents')}</h2>
        ${active.data.length === 0 ? empty(ctx.locale, t('noIncidents')) : html`
        <p class="severities">${severities.filter((s) => bySeverity.has(s)).reverse().map((s) => html`${badge(statusTone(s === 'danger' ? 'critical' : s), `${t(s)} ${n(bySeverity.get(s)!)}`)} `)}</p>
        <ul class="plain">${active.data.slice(0, 10).map((i) => html`<li>${badge(statusTone(i.status), t(i.status))} <a href="/incidents/${encodeURIComponent(i.id)}">${i.title}</a>
          <span class="muted">${t(i.severity)} · ${time(ctx.locale, i.openedAt)}</span></li>`)}</ul>`}
      </section>
      <section class="card" aria-labelledby="ov-executions"><h2 id="ov-executions">${t('executions')}</h2>
        <h3>${t('running', { count: n(runningIds.length) })}</h3>
        ${running.length === 0 ? empty(ctx.locale, t('noneRunning')) : html`<ul class="plain">${running.map(execRow)}</ul>`}
        <h3>${t('waiting', { count: `${n(waiting.length)}${more}` })}</h3>
        ${waiting.length === 0 ? empty(ctx.locale, t('noneWaiting')) : html`<ul class="plain">${waiting.slice(0, maxExecutions).map(execRow)}</ul>`}
        <p><a href="/executions">${t('allExecutions')}</a></p>
      </section>
      <section class="card" aria-labelledby="ov-approvals"><h2 id="ov-approvals">${t('approvals')}</h2>
        ${asks.length === 0 ? empty(ctx.locale, t('noApprovals')) : html`<ul class="plain">${asks.slice(0, maxExecutions).map(({ e, a }) => html`<li>
          <a href="/approvals">${a.title}</a> <span class="muted">${e.workflow} · ${a.step}${a.deadline ? html` · ${t('deadline')} ${time(ctx.locale, a.deadline)}` : ''}</span></li>`)}</ul>
        <p><a href="/approvals">${t('decide')}</a></p>`}
      </section>
      <section class="card" aria-labelledby="ov-system"><h2 id="ov-system">${t('system')}</h2>
        <dl class="facts">
          <dt>${t('scheduler')}</dt><dd>${badge(status.scheduler === 'running' ? 'ok' : 'idle', t(status.scheduler === 'running' ? 'schedulerOn' : 'schedulerOff'))}</dd>
          <dt>${t('jobs')}</dt><dd>${n(jobs.length)}</dd>
          <dt>${t('lag')}</dt><dd>${formatDuration(ctx.locale, lag)} <span class="muted">(${t('worstLag')} ${formatDuration(ctx.locale, worst)})</span></dd>
          <dt>${t('missed')}</dt><dd>${n(missed)}</dd>
          <dt>${t('reloaded')}</dt><dd>${time(ctx.locale, status.configLoadedAt)}</dd>
          ${status.configError !== undefined && html`<dt>${t('configError')}</dt><dd>${badge('bad', t('refused'))} ${status.configError}</dd>`}
        </dl>
      </section>
      </div>`,
    };
  },
};
