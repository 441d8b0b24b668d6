// `pluginops stats` and `pluginops cleanup --days N`.
import { formatDuration } from '../../engine/duration.ts';
import { defineCommand } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';
import { storeOptions, withStore } from './store-open.ts';
import type { CliContext } from '../context.ts';
import { historyLimit } from '../../risk/assess.ts';
import { calibrate, samples } from '../../risk/calibrate.ts';
import { riskConfig } from '../../risk/config.ts';
import { latestRisks } from '../../risk/latest.ts';
import { calibrationText, riskLine } from '../../risk/text.ts';

export const statsCommand = defineCommand({
  name: 'stats',
  summary: 'Totals, success rate, average duration and status distribution, overall and per workflow; with --risk, how well the failure risk predicts',
  usage: 'pluginops stats [--risk] [--json]',
  options: { ...storeOptions, json: { type: 'boolean' }, risk: { type: 'boolean' } },
  async run({ values }, ctx) {
    if (values.risk) return riskStats(ctx, values);
    const stats = await withStore(ctx, values, (s) => s.stats());
    if (values.json) { ctx.stdout.write(JSON.stringify(stats, null, 2) + '\n'); return exitCodes.success; }
    const row = (name: string, s: { total: number; successRate: number; averageDurationMs: number; byStatus: object }) =>
      `${name.padEnd(24)} ${String(s.total).padStart(6)}  ${(s.successRate * 100).toFixed(1).padStart(5)}%  ${formatDuration(s.averageDurationMs).padStart(8)}  ${Object.entries(s.byStatus).map(([k, v]) => `${k}=${v}`).join(' ')}\n`;
    ctx.stdout.write(`${'workflow'.padEnd(24)} ${'total'.padStart(6)}  ${'success'.padStart(6)}  ${'average'.padStart(8)}  statuses\n`);
    ctx.stdout.write(row('(all)', stats));
    for (const [name, s] of Object.entries(stats.perWorkflow)) ctx.stdout.write(row(name, s));
    return exitCodes.success;
  },
});

/** The calibration of the risk score on the store's history, and each workflow's latest assessment. */
async function riskStats(ctx: CliContext, values: { config?: string; store?: string; json?: boolean }): Promise<number> {
  const { calibration, latest } = await withStore(ctx, values, async (s, project) => {
    const records = await s.list({ kind: 'Workflow', limit: historyLimit });
    const config = riskConfig(project.config.risk);
    return { calibration: calibrate(samples(records, config), config).report, latest: latestRisks(records) };
  });
  if (values.json) { ctx.stdout.write(`${JSON.stringify({ calibration, latest }, null, 2)}\n`); return exitCodes.success; }
  ctx.stdout.write(calibrationText(calibration));
  if (latest.length) ctx.stdout.write(`\nlatest assessments\n${latest.map((l) => `  ${l.workflow.padEnd(24)} ${(l.plugin ?? '').padEnd(20)} ${riskLine(l.risk)}  (${l.execution})`).join('\n')}\n`);
  return exitCodes.success;
}

export const cleanupCommand = defineCommand({
  name: 'cleanup',
  summary: 'Delete finished executions (and their logs) older than N days',
  usage: 'pluginops cleanup --days N',
  options: { ...storeOptions, days: { type: 'string' } },
  async run({ values }, ctx) {
    if (values.days === undefined) throw new CliError('E_USAGE', `cleanup needs --days\nusage: ${this.usage}`);
    const days = Number(values.days);
    if (!Number.isFinite(days) || days < 0) throw new CliError('E_USAGE', `--days expects a number of days, found "${values.days}"`);
    const removed = await withStore(ctx, values, (s) => s.cleanup(days));
    ctx.stdout.write(`removed ${removed} execution${removed === 1 ? '' : 's'} older than ${days} day${days === 1 ? '' : 's'}\n`);
    return exitCodes.success;
  },
});
