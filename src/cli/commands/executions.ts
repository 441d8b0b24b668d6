// `pluginops executions list|show|logs|cancel`: reading and steering recorded executions.
import { setTimeout as delay } from 'node:timers/promises';
import { formatDuration } from '../../engine/duration.ts';
import { finishedStatuses, type ExecutionRecord, type ExecutionStatus, type LogRecord } from '../../store/types.ts';
import { defineCommand, positiveInt } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';
import { storeOptions, withStore } from './store-open.ts';
import { defaultActor } from '../../runs/service.ts';

const statuses: readonly ExecutionStatus[] = ['pending', 'running', 'waiting', 'success', 'failed', 'cancelled', 'timed_out', 'interrupted'];

const oneId = (positionals: string[], usage: string): string => {
  if (positionals.length !== 1) throw new CliError('E_USAGE', `expected one execution id\nusage: ${usage}`);
  return positionals[0]!;
};

async function mustGet(store: { get(id: string): Promise<ExecutionRecord | undefined> }, id: string): Promise<ExecutionRecord> {
  const r = await store.get(id);
  if (!r) throw new CliError('E_NOT_FOUND', `no execution ${id}`, 'not_found');
  return r;
}

/** What a run is about: its plugin (manifest id, else directory), else a plan's `plugin` parameter. */
const pluginOf = (e: ExecutionRecord): string =>
  e.pluginId ?? e.plugin ?? (typeof e.parameters.plugin === 'string' && e.parameters.plugin ? e.parameters.plugin : '-');

export const listCommand = defineCommand({
  name: 'executions list',
  summary: 'List executions, newest first',
  usage: 'pluginops executions list [--plugin P] [--status S] [--workflow W] [--category C] [--plans] [--limit N] [--json]',
  options: { ...storeOptions, plugin: { type: 'string' }, status: { type: 'string' }, workflow: { type: 'string' }, category: { type: 'string' }, plans: { type: 'boolean' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const status = values.status === undefined ? undefined : statuses.find((s) => s === values.status);
    if (values.status !== undefined && !status) throw new CliError('E_USAGE', `--status is one of ${statuses.join(', ')}, found "${values.status}"`);
    const limit = positiveInt(values.limit, '--limit') ?? 20;
    const list = await withStore(ctx, values, (s) => s.list({ plugin: values.plugin, status, workflow: values.workflow, category: values.category, ...(values.plans ? { kind: 'ActionPlan' as const } : {}), limit }));
    if (values.json) { ctx.stdout.write(JSON.stringify(list, null, 2) + '\n'); return exitCodes.success; }
    if (list.length === 0) { ctx.stdout.write('no executions\n'); return exitCodes.success; }
    for (const e of list) {
      ctx.stdout.write(`${e.id}  ${e.status.padEnd(11)} ${e.workflow.padEnd(20)} ${pluginOf(e).padEnd(16)} ${e.createdAt}  ${e.durationMs !== undefined ? formatDuration(e.durationMs) : ''}\n`);
    }
    return exitCodes.success;
  },
});

export const showCommand = defineCommand({
  name: 'executions show',
  summary: 'Show one execution with its steps',
  usage: 'pluginops executions show ID [--json]',
  options: { ...storeOptions, json: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    const e = await withStore(ctx, values, (s) => mustGet(s, oneId(positionals, this.usage)));
    if (values.json) { ctx.stdout.write(JSON.stringify(e, null, 2) + '\n'); return exitCodes.success; }
    ctx.stdout.write(`execution ${e.id}\n  workflow   ${e.workflow}\n  status     ${e.status}${e.error ? ` (${e.error})` : ''}\n`);
    if (e.plugin) ctx.stdout.write(`  plugin     ${e.plugin}${e.pluginId ? ` (${e.pluginId})` : ''}\n`);
    ctx.stdout.write(`  parameters ${JSON.stringify(e.parameters)}\n  created    ${e.createdAt}${e.requestedBy ? ` by ${e.requestedBy}` : ''}\n`);
    if (e.category) ctx.stdout.write(`  category   ${e.category}\n`);
    if (e.trigger?.incident) ctx.stdout.write(`  trigger    incident ${e.trigger.incident}${e.trigger.rule ? ` (rule ${e.trigger.rule})` : ''}\n`);
    for (const r of e.resumes ?? []) ctx.stdout.write(`  resumed    ${r.at} (${r.reason}${r.by ? ` by ${r.by}` : ''})\n`);
    for (const a of Object.values(e.approvals ?? {})) {
      ctx.stdout.write(`  approval   ${a.step}: ${a.status}${a.approvers ? `; approvers ${a.approvers.join(', ')}` : ''}${a.quorum > 1 ? `; quorum ${a.quorum}` : ''}${a.deadline ? `; deadline ${a.deadline}` : ''}\n`);
      for (const d of a.decisions) ctx.stdout.write(`             ${d.at} ${d.decision} by ${d.by} via ${d.via}${d.comment ? `: ${d.comment}` : ''}${d.values ? ` values=${JSON.stringify(d.values)}` : ''}\n`);
    }
    if (e.durationMs !== undefined) ctx.stdout.write(`  duration   ${formatDuration(e.durationMs)}\n`);
    ctx.stdout.write('  steps\n');
    for (const s of Object.values(e.steps)) {
      const outputs = Object.keys(s.outputs).length ? ` outputs=${JSON.stringify(s.outputs)}` : '';
      ctx.stdout.write(`    ${s.id.padEnd(20)} ${s.status.padEnd(10)} attempts=${s.attempts}${s.durationMs !== undefined ? ` ${formatDuration(s.durationMs)}` : ''}${outputs}${s.error ? `  ${s.error}` : ''}\n`);
    }
    for (const a of e.artifacts) ctx.stdout.write(`  artifact   ${a.name} ${a.path}${a.sha256 ? ` sha256=${a.sha256}` : ''}\n`);
    return exitCodes.success;
  },
});

const formatLog = (l: LogRecord) => `${l.timestamp} ${l.level.padEnd(5)} ${l.step ? `[${l.step}] ` : ''}${l.message}\n`;

export const logsCommand = defineCommand({
  name: 'executions logs',
  summary: 'Print an execution\'s logs; --follow waits for new lines until it finishes',
  usage: 'pluginops executions logs ID [--step STEP] [--follow] [--json]',
  options: { ...storeOptions, step: { type: 'string' }, follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    const id = oneId(positionals, this.usage);
    const print = (l: LogRecord) => {
      if (values.step === undefined || l.step === values.step) ctx.stdout.write(values.json ? JSON.stringify(l) + '\n' : formatLog(l));
    };
    await withStore(ctx, values, async (store) => {
      const record = await mustGet(store, id);
      if (values.step !== undefined && !Object.hasOwn(record.steps, values.step)) {
        throw new CliError('E_USAGE', `execution ${id} has no step "${values.step}" (its steps: ${Object.keys(record.steps).join(', ')})`);
      }
      let seen = 0;
      for (;;) {
        const lines = await store.logs(id, seen);
        lines.forEach(print);
        seen += lines.length;
        const record = await store.get(id);
        if (!values.follow || !record || finishedStatuses.includes(record.status)) {
          if (values.follow) (await store.logs(id, seen)).forEach(print);
          return;
        }
        try { await delay(200, undefined, { signal: ctx.signal }); } catch { return; }
      }
    });
    return exitCodes.success;
  },
});

export const cancelCommand = defineCommand({
  name: 'executions cancel',
  summary: 'Ask the process running an execution to cancel it, and wait for the outcome',
  usage: 'pluginops executions cancel ID [--wait SECONDS]',
  options: { ...storeOptions, wait: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    const id = oneId(positionals, this.usage);
    const waitMs = (positiveInt(values.wait, '--wait') ?? 30) * 1000;
    return withStore(ctx, values, async (store) => {
      const before = await mustGet(store, id);
      if (finishedStatuses.includes(before.status)) {
        ctx.stdout.write(`execution ${id} already ${before.status}\n`);
        return exitCodes.success;
      }
      await store.requestCancel(id, defaultActor(ctx.env));
      const until = Date.now() + waitMs;
      while (Date.now() < until) {
        const now = await store.get(id);
        if (now && finishedStatuses.includes(now.status)) {
          ctx.stdout.write(`execution ${id} ${now.status}\n`);
          return exitCodes.success;
        }
        await delay(200);
      }
      throw new CliError('E_CANCEL_TIMEOUT', `execution ${id} did not stop within ${waitMs / 1000}s; the cancel request stays in place`, 'failed');
    });
  },
});
