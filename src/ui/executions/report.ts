// An execution as ONE self-contained HTML file: the dashboard's own styles inlined, no script,
// nothing loaded from anywhere (its Content-Security-Policy forbids it), the same facts, risk, step
// graph, steps with timing bars, artifacts and logs as the execution's page, every value escaped.
// `pluginops executions report ID --html FILE` writes it from the store, without a server.
import type { ExecutionRecord, LogRecord } from '../../store/types.ts';
import { assets } from '../assets.ts';
import { html, raw } from '../html.ts';
import { formatDate, type Locale } from '../i18n.ts';
import { orderedSteps, stepGraph } from './graph.ts';
import { artifactsTable, facts, logLines, stepsTable } from './sections.ts';
import { executionText } from './text.ts';
import { riskHeading, riskPanel } from './risk.ts';

/** Most log lines a report holds (the newest). */
export const reportLogLines = 20_000;

const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The dashboard's style sheet, to inline (it refers to nothing outside itself). */
function styles(): string {
  const css = assets().get('app.css');
  if (!css) throw new Error('the dashboard\'s style sheet is missing');
  // `</style` cannot occur in our own sheet; refuse to inline one that would end the element early.
  const text = css.body.toString('utf8');
  if (/<\/style/i.test(text)) throw new Error('the style sheet cannot be inlined');
  return text;
}

export function executionReport(o: { record: ExecutionRecord; logs: readonly LogRecord[]; locale: Locale; now: number }): string {
  const t = executionText(o.locale);
  const r = o.record;
  const logs = o.logs.length > reportLogLines ? o.logs.slice(-reportLogLines) : o.logs;
  return html`<!doctype html>
<html lang="${o.locale}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${t('reportTitle', { id: r.id })}</title>
<style>${raw(styles())}
.report .log { max-height: none; }
@media print { .graph-wrap { max-height: none; overflow: visible; } }
</style>
</head>
<body>
<main class="report">
<h1>${t('reportTitle', { id: r.id })}</h1>
<p class="note">${t('reportMade', { at: formatDate(o.locale, o.now) })}</p>
<section aria-labelledby="facts-h"><h2 id="facts-h">${t('facts')}</h2>${facts(o.locale, r)}</section>
${r.risk && html`<section class="risk" aria-labelledby="risk-h"><h2 id="risk-h">${riskHeading(o.locale)}</h2>${riskPanel(o.locale, r.risk)}</section>`}
<section aria-labelledby="graph-h"><h2 id="graph-h">${t('graph')}</h2>${stepGraph(o.locale, r)}</section>
<section aria-labelledby="steps-h"><h2 id="steps-h">${t('steps')}</h2>${stepsTable(o.locale, r, { ids: orderedSteps(r), now: o.now })}</section>
<section aria-labelledby="artifacts-h"><h2 id="artifacts-h">${t('artifacts')}</h2>${artifactsTable(o.locale, r)}</section>
<section aria-labelledby="logs-h"><h2 id="logs-h">${t('logs')}</h2>
<p class="note">${t('logsUtc')}${logs.length < o.logs.length ? html` ${t('logsCut', { count: reportLogLines })}` : ''}</p>
<div class="log" role="log" tabindex="0" aria-labelledby="logs-h">${logs.length ? logLines(logs) : html`<span class="empty">${t('noLogs')}</span>`}</div>
</section>
</main>
</body>
</html>
`.text;
}
