// `pluginops rollback PLUGIN [--to VERSION] [--target NAME]`: the plugin/rollback step run by
// hand, recorded as an execution like any other.
import { registry } from '../../wiring/registry.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { plan } from '../../engine/plan.ts';
import { runLocal } from '../../runs/local.ts';
import { loadManifest } from '../../plugins/manifest.ts';
import { loadProject } from '../../project/load.ts';
import { isVerbose, renderers } from '../../render/index.ts';
import { openProjectStore } from './store-open.ts';
import { isPathId, idPatterns } from '../../store/paths.ts';
import { defineCommand } from '../command.ts';
import { CliError } from '../errors.ts';
import { statusExit } from './run.ts';

export const rollbackCommand = defineCommand({
  name: 'rollback',
  summary: 'Restore an earlier release of a plugin on a directory target (verified, atomic, in the ledger)',
  usage: 'pluginops rollback PLUGIN [--to VERSION] [--target NAME] [--json] [--verbose] [--config FILE] [--store DIR]',
  options: {
    to: { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    config: { type: 'string', short: 'c' },
    store: { type: 'string' },
  },
  async run({ values, positionals }, ctx) {
    const given = positionals[0];
    if (!given || positionals.length > 1) throw new CliError('E_USAGE', `rollback takes one plugin (an id or a plugin directory)\nusage: ${this.usage}`);
    const dir = resolve(ctx.cwd, given);
    const id = existsSync(dir) ? (await loadManifest(dir, ctx.cwd)).manifest?.id : given;
    if (!id) throw new CliError('E_USAGE', `${given} has no valid plugin manifest; give the plugin id instead`);
    if (!isPathId('plugin', id)) throw new CliError('E_BAD_ID', `E_BAD_ID: ${JSON.stringify(given)} is neither a plugin directory nor a plugin id: expected ${idPatterns.plugin.says}`);
    const project = await loadProject(ctx.cwd, values.config);
    const graph = plan({
      apiVersion: 'pluginops/v1', kind: 'Workflow', metadata: { id: 'rollback', name: `rollback ${id}` },
      spec: { steps: [{ id: 'rollback', uses: 'plugin/rollback', with: { plugin: id, ...(values.to ? { to: values.to } : {}), ...(values.target ? { target: values.target } : {}) } }] },
    }, registry.steps);
    const opened = await openProjectStore(ctx, project, values.store);
    const store = opened.store;
    try {
      const renderer = renderers[values.json ? 'json' : 'lines']({ out: ctx.stdout, err: ctx.stderr, verbose: isVerbose(values.verbose, ctx.env) });
      const { result } = await runLocal({ graph, params: {}, plugin: existsSync(dir) ? given : undefined, project, store, cwd: ctx.cwd, env: ctx.env, signal: ctx.signal, listeners: [renderer.emit] });
      await renderer.close();
      return statusExit[result.status];
    } finally {
      await opened.close();
    }
  },
});
