// `uses: plugin/build` — a reproducible .tar.gz of the plugin with a SHA-256 per file inside;
// unchanged inputs reuse the previous archive. Outputs: archive, size, sha256, files, reused.
import { Type } from '@sinclair/typebox';
import { isAbsolute, resolve } from 'node:path';
import { buildArchive } from '../../plugins/archive/index.ts';
import { checkPathId, insideRoot } from '../../store/paths.ts';
import { requireManifest } from '../plugin/common.ts';
import { defineStep } from '../../engine/step.ts';

export const buildStep = defineStep({
  description: 'Packages a plugin into a reproducible archive.',
  inputs: Type.Object({
    path: Type.Optional(Type.String({ description: 'The plugin directory (default: the run\'s --plugin).' })),
    outDir: Type.Optional(Type.String({ description: 'Where archives go (default .pluginops/artifacts/<plugin id>).' })),
    exclude: Type.Optional(Type.Array(Type.String(), { description: 'More glob patterns to leave out.' })),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const { root, manifest } = await requireManifest(ctx);
    const outDir = ctx.inputs.outDir
      ? (isAbsolute(ctx.inputs.outDir) ? ctx.inputs.outDir : resolve(ctx.workspace, ctx.inputs.outDir))
      : insideRoot(ctx.workspace, '.pluginops', 'artifacts', checkPathId('plugin', manifest.id));
    const result = await buildArchive({
      root, outDir, name: `${manifest.id}-${manifest.version}`,
      exclude: [...(manifest.exclude ?? []), ...(ctx.inputs.exclude ?? [])], signal: ctx.signal,
    });
    ctx.log(`${result.reused ? 'reused' : 'built'} ${result.archive}: ${result.files} files, ${result.size} bytes, sha256 ${result.sha256}`);
    for (const [k, v] of Object.entries({
      archive: result.archive, size: String(result.size), sha256: result.sha256, files: String(result.files),
      reused: String(result.reused), id: manifest.id, version: manifest.version, inputHash: result.inputHash,
    })) ctx.setOutput(k, v);
    ctx.addArtifact({ name: `${manifest.id}-${manifest.version}.tar.gz`, path: result.archive, size: result.size, sha256: result.sha256 });
  },
});
