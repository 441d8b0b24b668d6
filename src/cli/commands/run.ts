// `pluginops run WORKFLOW`: validates, plans and executes a workflow or action plan.
import { resolve } from 'node:path';
import { formatDuration } from '../../engine/duration.ts';
import { plan } from '../../engine/plan.ts';
import { runLocal } from '../../execution/local.ts';
import { loadProject } from '../../project/load.ts';
import { findWorkflowIn } from '../../project/workflows.ts';
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
    const { runnable, set } = await findWorkflowIn(project, ctx.cwd, name);
    const graph = plan(runnable.doc);
    const store = await openFileStore(values.store ? resolve(ctx.cwd, values.store) : project.storeDir);
    try {
      await store.recover();
      const rendererName: RendererName = values.json ? 'json' : values.quiet ? 'quiet' : defaultRenderer(ctx);
      const renderer = renderers[rendererName](ctx.stdout);
      const { id, result } = await runLocal({
        graph, params: keyValues(values.param, '--param'), plugin: values.plugin, project, documents: set, store,
        cwd: ctx.cwd, env: ctx.env, signal: ctx.signal, listeners: [renderer.emit],
        maxParallel: positiveInt(values['max-parallel'], '--max-parallel'),
        onNotice: (m) => ctx.stderr.write(`warning: ${m}\n`),
      });
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
