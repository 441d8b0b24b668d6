// `pluginops run WORKFLOW`: validates, plans and executes a workflow or action plan.
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { systemClock } from '../../engine/clock.ts';
import { formatDuration } from '../../engine/duration.ts';
import { plan } from '../../engine/plan.ts';
import { processEdge } from '../../engine/process-edge.ts';
import { createExecution, runExecution } from '../../execution/execute.ts';
import { loadProject } from '../../project/load.ts';
import { findWorkflow } from '../../project/workflows.ts';
import { defaultRenderer, renderers, type RendererName } from '../../render/index.ts';
import { openFileStore } from '../../store/file-store.ts';
import type { ExecutionStatus } from '../../store/types.ts';
import { defineCommand, keyValues, positiveInt } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';

export const statusExit: Record<ExecutionStatus, number> = {
  success: exitCodes.success, failed: exitCodes.failed, cancelled: exitCodes.cancelled,
  timed_out: exitCodes.timedOut, interrupted: exitCodes.interrupted, pending: exitCodes.failed, running: exitCodes.failed,
};

export const runCommand = defineCommand({
  name: 'run',
  summary: 'Run a workflow or action plan (a file, a project id, or a shipped template)',
  usage: 'pluginops run WORKFLOW [--param key=value]... [--plugin PATH] [--max-parallel N] [--json | --quiet] [--config FILE] [--store DIR]',
  options: {
    param: { type: 'string', short: 'p', multiple: true },
    plugin: { type: 'string' },
    'max-parallel': { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    config: { type: 'string', short: 'c' },
    store: { type: 'string' },
  },
  async run({ values, positionals }, ctx) {
    const name = positionals[0];
    if (!name || positionals.length > 1) throw new CliError('E_USAGE', `run takes one workflow\nusage: ${this.usage}`);
    const project = await loadProject(ctx.cwd, values.config);
    const loaded = await findWorkflow(project, ctx.cwd, name);
    const graph = plan(loaded.doc);
    const store = await openFileStore(values.store ? resolve(ctx.cwd, values.store) : project.storeDir);
    try {
      await store.recover();
      const rendererName: RendererName = values.json ? 'json' : values.quiet ? 'quiet' : defaultRenderer(ctx);
      const plugin = values.plugin;
      const { id, params } = await createExecution({ graph, params: keyValues(values.param, '--param'), plugin, store });
      const renderer = renderers[rendererName](ctx.stdout);
      const maxParallel = positiveInt(values['max-parallel'], '--max-parallel') ?? project.maxParallel ?? graph.maxParallel ?? cpus().length;
      const processes = processEdge(maxParallel, ctx.env.PATH);
      const result = await runExecution(id, params, {
        graph, params, plugin, store,
        edges: { clock: systemClock, spawn: processes.spawn, fetch: globalThis.fetch, killGraceMs: project.killGraceMs },
        workspace: project.root, baseEnv: cleanEnv(ctx.env), signal: ctx.signal,
        listeners: [renderer.emit], maxParallel,
        contexts: plugin ? { plugin: { path: resolve(ctx.cwd, plugin) } } : undefined,
      }).finally(() => processes.close());
      await renderer.close();
      if (rendererName === 'tree') {
        const record = await store.get(id);
        ctx.stdout.write(`execution ${id} ${result.status}${record?.durationMs !== undefined ? ` in ${formatDuration(record.durationMs)}` : ''}\n`);
      }
      return statusExit[result.status];
    } finally {
      await store.close();
    }
  },
});

const cleanEnv = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
