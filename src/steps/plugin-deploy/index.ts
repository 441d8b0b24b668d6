// `uses: plugin/deploy` — puts a built archive live on a target from pluginops.yml: a directory
// (unpacked, verified, switched atomically, older releases pruned, a ledger line appended) or an
// HTTP endpoint (uploaded with retries). Outputs name the previous release for rollback.
import { Type } from '@sinclair/typebox';
import { isAbsolute, resolve } from 'node:path';
import { deployToDirectory } from '../../plugins/releases/directory.ts';
import { uploadArchive } from '../../plugins/releases/http.ts';
import { actor, requireManifest, resolveTarget } from '../plugin/common.ts';
import { StepFailure, defineStep } from '../../engine/step.ts';
import { PluginopsError } from '../../errors/base.ts';

export const deployStep = defineStep({
  description: 'Deploys a built plugin archive to a target.',
  inputs: Type.Object({
    archive: Type.String({ minLength: 1, description: 'The archive, usually ${{ steps.build.outputs.archive }}.' }),
    sha256: Type.String({ pattern: '^[a-f0-9]{64}$', description: 'Its SHA-256, usually ${{ steps.build.outputs.sha256 }}.' }),
    path: Type.Optional(Type.String({ description: 'The plugin directory (default: the run\'s --plugin).' })),
    target: Type.Optional(Type.String({ description: 'A target named in pluginops.yml (default: the only one, or `local`).' })),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const { manifest } = await requireManifest(ctx);
    const { name, target } = resolveTarget(ctx, ctx.inputs.target);
    const archive = isAbsolute(ctx.inputs.archive) ? ctx.inputs.archive : resolve(ctx.workspace, ctx.inputs.archive);
    ctx.setOutput('target', name);
    ctx.setOutput('plugin', manifest.id);
    ctx.setOutput('version', manifest.version);
    if (target.type === 'http') {
      try {
        const r = await uploadArchive({ target, archive, sha256: ctx.inputs.sha256, plugin: manifest.id, version: manifest.version, env: ctx.env,
          fetch: ctx.edges.fetch, clock: ctx.edges.clock, signal: ctx.signal, log: (m) => ctx.log(m, 'warn') });
        ctx.log(`uploaded ${manifest.id} ${manifest.version} to ${r.url} (${r.status}) after ${r.attempts} attempt(s)`);
        ctx.setOutput('changed', 'true');
        return;
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        throw new StepFailure((e as Error).message);
      }
    }
    try {
      const out = await deployToDirectory({
        targetPath: target.path, plugin: manifest.id, version: manifest.version, archive, sha256: ctx.inputs.sha256,
        keep: target.keep ?? 5, by: actor(ctx.env), executionId: ctx.executionId, now: new Date(ctx.edges.clock.now()),
        log: (m) => ctx.log(m), signal: ctx.signal,
      });
      ctx.setOutput('changed', String(out.changed));
      ctx.setOutput('release', out.release);
      ctx.setOutput('releasePath', out.path);
      ctx.setOutput('previousRelease', out.previous ?? '');
    } catch (e) {
      const code = e instanceof PluginopsError ? e.code : (e as NodeJS.ErrnoException).code;
      throw new StepFailure(`deploy to ${name} failed${code ? ` (${code})` : ''}: ${(e as Error).message}; the live release is unchanged`);
    }
  },
});
