// `pluginops run WORKFLOW`: validates, plans and executes a workflow or action plan. A run that
// reaches an approval ends here `waiting` (exit 75) and is taken up by `pluginops approve`.
import { registry } from '../../wiring/registry.ts';
import { systemClock } from '../../engine/clock.ts';
import { loadProject } from '../../project/load.ts';
import { defaultRenderer, isVerbose, renderers, type RendererName } from '../../render/index.ts';
import type { Renderer } from '../../render/renderer.ts';
import type { RunHandle } from '../../runs/service.ts';
import { RunService, defaultActor } from '../../runs/service.ts';
import { projectMask } from '../../engine/mask.ts';
import { maskedStore } from '../../runs/masked-store.ts';
import type { ExecutionStatus, ExecutionStore } from '../../store/types.ts';
import type { CliContext } from '../context.ts';
import { defineCommand, keyValues, positiveInt } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';
import { openProjectStore } from './store-open.ts';
import { resolve } from 'node:path';
import { refProblem } from '../../project/changed.ts';
import { changeOf } from '../../risk/change/index.ts';
import { riskLine } from '../../risk/text.ts';

export const statusExit: Record<ExecutionStatus, number> = {
  success: exitCodes.success, failed: exitCodes.failed, cancelled: exitCodes.cancelled,
  timed_out: exitCodes.timedOut, interrupted: exitCodes.interrupted, pending: exitCodes.failed, running: exitCodes.failed, waiting: exitCodes.waiting,
};

export const runOptions = {
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  config: { type: 'string', short: 'c' },
  store: { type: 'string' },
  as: { type: 'string' },
  'max-parallel': { type: 'string' },
} as const;

export const runCommand = defineCommand({
  name: 'run',
  summary: 'Run a workflow or action plan (a file, a project id, or a shipped template)',
  usage: 'pluginops run WORKFLOW [--param key=value]... [--data JSON] [--plugin PATH [--base REF]] [--as NAME] [--require-approval] [--max-parallel N] [--json | --quiet] [--verbose] [--config FILE] [--store DIR]',
  options: {
    ...runOptions,
    param: { type: 'string', short: 'p', multiple: true },
    data: { type: 'string' },
    plugin: { type: 'string' },
    base: { type: 'string' },
    'require-approval': { type: 'boolean' },
  },
  async run({ values, positionals }, ctx) {
    const name = positionals[0];
    if (!name || positionals.length > 1) throw new CliError('E_USAGE', `run takes one workflow\nusage: ${this.usage}`);
    const data = { ...jsonObject(values.data, '--data'), ...keyValues(values.param, '--param') };
    if (values.base !== undefined && values.plugin === undefined) throw new CliError('E_USAGE', `--base measures the plugin's change for the risk: add --plugin PATH\nusage: ${this.usage}`);
    const problem = values.base === undefined ? undefined : refProblem(values.base);
    if (problem) throw new CliError('E_USAGE', `--base ${problem}`);
    const change = values.base !== undefined && values.plugin !== undefined
      ? await changeOf({ cwd: ctx.cwd, base: values.base, plugin: resolve(ctx.cwd, values.plugin), signal: ctx.signal }) : undefined;
    return withRuns(ctx, values, async (runs, follow) => follow(await runs.start({
      plan: name, data, plugin: values.plugin, requestedBy: values.as ?? defaultActor(ctx.env),
      ...(values['require-approval'] ? { requireApproval: true } : {}), ...(change ? { change } : {}),
    }, follow.control)));
  },
});

type Follow = ((handle: RunHandle) => Promise<number>) & { control: Parameters<RunService['start']>[1] & object };

/**
 * Opens the project, the store and the run service; `follow` renders a run to its end (or its
 * next wait) and turns its status into the exit code.
 */
export async function withRuns(
  ctx: CliContext, values: { config?: string; store?: string; json?: boolean; quiet?: boolean; verbose?: boolean; 'max-parallel'?: string },
  fn: (runs: RunService, follow: Follow, store: ExecutionStore) => Promise<number>,
): Promise<number> {
  const project = await loadProject(ctx.cwd, values.config);
  const mask = projectMask(project.config, ctx.env);
  const opened = await openProjectStore(ctx, project, values.store);
  const store = maskedStore(opened.store, () => mask);
  try {
    await store.recover();
    const rendererName: RendererName = values.json ? 'json' : values.quiet ? 'quiet' : defaultRenderer(ctx);
    let renderer: Renderer | undefined;
    const target = { out: ctx.stdout, err: ctx.stderr, verbose: isVerbose(values.verbose, ctx.env) };
    const runs = new RunService({ store, project: () => project, registry, cwd: ctx.cwd, env: ctx.env, clock: systemClock });
    const control = {
      signal: ctx.signal, maxParallel: positiveInt(values['max-parallel'], '--max-parallel'),
      listeners: [(e: Parameters<Renderer['emit']>[0]) => (renderer ??= renderers[rendererName](target)).emit(e)],
      onNotice: (m: string) => ctx.stderr.write(`warning: ${m}\n`),
    };
    const follow = Object.assign(async (handle: RunHandle) => {
      if (handle.risk && rendererName !== 'json' && rendererName !== 'quiet') ctx.stderr.write(`${riskLine(handle.risk)}\n`);
      const result = await handle.done;
      await renderer?.close();
      const record = await store.get(handle.id);
      if (result.status === 'waiting') {
        const waits = Object.values(record?.approvals ?? {}).filter((a) => a.status === 'waiting');
        for (const a of waits) {
          ctx.stderr.write(`run ${handle.id} waits for approval at step ${a.step}${a.approvers ? ` by ${a.approvers.join(', ')}` : ''}${a.deadline ? ` until ${a.deadline}` : ''}: pluginops approve ${handle.id} (or reject)\n`);
        }
      }
      return statusExit[result.status];
    }, { control });
    return await fn(runs, follow, store);
  } finally {
    await opened.close();
  }
}

export function jsonObject(text: string | undefined, flag: string): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try { value = JSON.parse(text); } catch (e) { throw new CliError('E_USAGE', `${flag} is not JSON: ${(e as Error).message}`); }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError('E_USAGE', `${flag} must be a JSON object such as {"plugin":"hello"}`);
  return value as Record<string, unknown>;
}
