// The CLI: argv → a command → an exit code. The one place where errors become exit codes and
// messages; no stack trace reaches a user unless PLUGINOPS_DEBUG is set.
import { InvalidDocumentsError, formatDiagnostic } from '../documents/diagnostics.ts';
import { PluginopsError } from '../errors/base.ts';
import { type Command, parseCommandArgs } from './command.ts';
import type { CliContext } from './context.ts';
import { CliError, exitCodeOf, exitCodes } from './errors.ts';
import { maskedContext } from './masked-output.ts';
import { checkListCommand, checkRunCommand } from './commands/check.ts';
import { cancelCommand, listCommand, logsCommand, showCommand } from './commands/executions.ts';
import { reportCommand } from './commands/executions-report.ts';
import { planCommand } from './commands/plan.ts';
import { rollbackCommand } from './commands/rollback.ts';
import { rulesTestCommand } from './commands/rules.ts';
import { serveCommand } from './commands/serve.ts';
import { incidentsListCommand } from './commands/incidents.ts';
import { incidentsOpenCommand } from './commands/incident-open.ts';
import { incidentsAckCommand, incidentsResolveCommand, incidentsShowCommand } from './commands/incident-act.ts';
import { backupCreateCommand, backupListCommand, backupPinCommand, backupPruneCommand, backupRestoreCommand, backupUnpinCommand, backupVerifyCommand } from './commands/backup.ts';
import { runCommand } from './commands/run.ts';
import { approveCommand, rejectCommand, retryCommand } from './commands/approvals.ts';
import { feedbackCommand, remediationListCommand, remediationPatternsCommand, remediationResetCommand } from './commands/remediation.ts';
import { cleanupCommand, statsCommand } from './commands/stats.ts';
import { validateCommand } from './commands/validate.ts';
import { controlsCommand, maintenanceEndCommand, maintenanceStartCommand, pauseCommand, resumeCommand, selfHealingCommand } from './commands/controls.ts';
import { optimizeAnalyzeCommand, optimizeApplyCommand, optimizeDismissCommand, optimizeHistoryCommand, optimizeListCommand, optimizeShowCommand } from './commands/optimize.ts';
import { tasksCancelCommand, tasksListCommand, tasksRetryCommand, tasksShowCommand, tasksSubmitCommand } from './commands/tasks.ts';
import { workerCommand } from './commands/worker.ts';
import { dbMigrateCommand, dbStatusCommand } from './commands/db.ts';
import { storeExportCommand, storeImportCommand } from './commands/store-transfer.ts';
import { workersDrainCommand, workersListCommand, workersShowCommand } from './commands/workers.ts';
import { version } from './version.ts';

export const commands: readonly Command[] = [
  runCommand, approveCommand, rejectCommand, retryCommand, validateCommand, planCommand, rollbackCommand, listCommand, showCommand, logsCommand, cancelCommand, reportCommand, statsCommand, cleanupCommand,
  checkRunCommand, checkListCommand, rulesTestCommand, serveCommand, incidentsListCommand,
  incidentsOpenCommand, incidentsShowCommand, incidentsAckCommand, incidentsResolveCommand,
  feedbackCommand, remediationListCommand, remediationPatternsCommand, remediationResetCommand,
  backupCreateCommand, backupListCommand, backupVerifyCommand, backupRestoreCommand, backupPruneCommand, backupPinCommand, backupUnpinCommand,
  pauseCommand, resumeCommand, selfHealingCommand, maintenanceStartCommand, maintenanceEndCommand, controlsCommand,
  optimizeAnalyzeCommand, optimizeListCommand, optimizeShowCommand, optimizeApplyCommand, optimizeDismissCommand, optimizeHistoryCommand,
  workerCommand, workersListCommand, workersShowCommand, workersDrainCommand,
  tasksSubmitCommand, tasksListCommand, tasksShowCommand, tasksCancelCommand, tasksRetryCommand,
  dbMigrateCommand, dbStatusCommand, storeExportCommand, storeImportCommand,
] as readonly Command[];

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `pluginops ${version}: declarative runner for plugin delivery and operations`,
    '',
    'usage: pluginops COMMAND [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'pluginops COMMAND --help shows a command\'s options.',
  ].join('\n') + '\n';
}

function find(argv: string[]): { command?: Command; rest: string[] } {
  const two = `${argv[0]} ${argv[1]}`;
  const command = commands.find((c) => c.name === two) ?? commands.find((c) => c.name === argv[0]);
  return { command, rest: argv.slice(command?.name.includes(' ') ? 2 : 1) };
}

export async function main(argv: string[], ctx: CliContext): Promise<number> {
  let out = ctx;
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') { ctx.stdout.write(helpText()); return exitCodes.success; }
    if (argv[0] === '--version' || argv[0] === '-v') { ctx.stdout.write(`${version}\n`); return exitCodes.success; }
    const { command, rest } = find(argv);
    if (!command) throw new CliError('E_USAGE', `unknown command "${argv.slice(0, 2).join(' ')}"\n\n${helpText()}`);
    if (rest.includes('--help') || rest.includes('-h')) {
      ctx.stdout.write(`${command.summary}\n\nusage: ${command.usage}\n`);
      return exitCodes.success;
    }
    const parsed = parseCommandArgs(command, rest);
    out = await maskedContext(ctx, (parsed.values as { config?: unknown }).config);
    return await command.run(parsed, out);
  } catch (e) {
    return explain(e, out);
  }
}

function explain(e: unknown, ctx: CliContext): number {
  if (!(e instanceof PluginopsError)) {
    ctx.stderr.write(`error: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (ctx.env.PLUGINOPS_DEBUG && e instanceof Error && e.stack) ctx.stderr.write(`${e.stack}\n`);
    return exitCodes.internal;
  }
  if (e instanceof InvalidDocumentsError) for (const d of e.diagnostics) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
  // A CliError's message is already in the CLI's words, and document problems carry their own codes.
  ctx.stderr.write(e instanceof CliError || e instanceof InvalidDocumentsError ? `error: ${e.message}\n` : `error: ${e.code}: ${e.message}\n`);
  if (ctx.env.PLUGINOPS_DEBUG && e.kind === 'internal' && e.stack) ctx.stderr.write(`${e.stack}\n`);
  return exitCodeOf[e.kind];
}
