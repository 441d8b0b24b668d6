// `uses: plugin/rollback` — restores a previous release on a directory target after verifying
// its checksums, atomically, with a ledger line. Without `to`, the release before the live one.
// First it takes a pinned safety backup of the project (store, documents, releases); a rollback
// whose safety backup fails changes nothing.
import { Type } from '@sinclair/typebox';
import { projectOfRun, safetyBackup } from '../../backup/safety.ts';
import { rollbackDirectory } from '../../plugins/releases/directory.ts';
import { loadManifest } from '../../plugins/manifest.ts';
import { PathError, checkPathId } from '../../store/paths.ts';
import { actor, pluginRoot, resolveTarget } from '../plugin/common.ts';
import { StepFailure, defineStep } from '../../engine/step.ts';

export const rollbackStep = defineStep({
  description: 'Rolls a plugin back to an earlier release.',
  inputs: Type.Object({
    plugin: Type.Optional(Type.String({ description: 'The plugin id (default: from the plugin\'s manifest); lower-case letters, digits, `_`, `.` and `-`.' })),
    path: Type.Optional(Type.String({ description: 'The plugin directory (default: the run\'s --plugin).' })),
    target: Type.Optional(Type.String()),
    to: Type.Optional(Type.String({ description: 'A version or release name (default: the release before the live one).' })),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const id = ctx.inputs.plugin ?? (await loadManifest(pluginRoot(ctx), ctx.workspace)).manifest?.id;
    if (!id) throw new StepFailure('cannot tell which plugin to roll back: give `plugin:` or a plugin with a valid manifest');
    try {
      checkPathId('plugin', id);
    } catch (e) {
      if (e instanceof PathError) throw new StepFailure(`rollback refused (${e.code}): ${e.message}; nothing was changed`);
      throw e;
    }
    const { name, target } = resolveTarget(ctx, ctx.inputs.target);
    if (target.type !== 'directory') throw new StepFailure(`target ${name} is an HTTP endpoint; rollback works on directory targets`);
    try {
      const safety = await safetyBackup(projectOfRun(ctx.scope.project.root, ctx.scope.project.config), `before the rollback of ${id} on ${name} (execution ${ctx.executionId})`,
        { now: () => new Date(ctx.edges.clock.now()) });
      ctx.log(`safety backup ${safety.id} taken (pinned): pluginops backup restore ${safety.id} undoes this rollback`);
      ctx.setOutput('safetyBackup', safety.id);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new StepFailure(`rollback of ${id} refused: the safety backup failed${typeof code === 'string' ? ` (${code})` : ''}: ${(e as Error).message}; nothing was changed`);
    }
    try {
      const r = await rollbackDirectory({ targetPath: target.path, plugin: id, to: ctx.inputs.to || undefined, by: actor(ctx.env),
        executionId: ctx.executionId, now: new Date(ctx.edges.clock.now()), log: (m) => ctx.log(m) });
      ctx.setOutput('release', r.release);
      ctx.setOutput('version', r.version);
      ctx.setOutput('from', r.from ?? '');
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new StepFailure(`rollback of ${id} on ${name} failed${typeof code === 'string' ? ` (${code})` : ''}: ${(e as Error).message}`);
    }
  },
});
