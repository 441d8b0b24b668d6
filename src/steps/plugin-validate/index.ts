// `uses: plugin/validate` — the manifest is valid, the files it names exist, the version is
// semver and newer than the live one on the target (unless `force`), every source file parses,
// and the structure rules hold. Every finding carries file:line:col.
import { Type } from '@sinclair/typebox';
import { existsSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import { locate } from '../../documents/source.ts';
import { sourceFiles } from '../../plugins/files.ts';
import { loadManifest } from '../../plugins/manifest.ts';
import { currentRelease } from '../../plugins/releases/directory.ts';
import { pluginHome } from '../../plugins/releases/layout.ts';
import { compareVersions } from '../../plugins/semver.ts';
import { pluginRoot, resolveTarget } from '../plugin/common.ts';
import { StepFailure, defineStep } from '../../engine/step.ts';
import { checkNode, checkPython, checkWithCommand, type Finding } from './syntax.ts';

const runtimeExtensions = { python: ['.py'], node: ['.js', '.mjs', '.cjs'], other: [] as string[] } as const;

export const validateStep = defineStep({
  description: 'Checks a plugin: manifest, files, version, syntax and structure.',
  inputs: Type.Object({
    path: Type.Optional(Type.String({ description: 'The plugin directory (default: the run\'s --plugin).' })),
    target: Type.Optional(Type.String({ description: 'Compare the version with the live one on this target.' })),
    force: Type.Optional(Type.Boolean({ description: 'Allow a version that is not newer than the live one.' })),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const root = pluginRoot(ctx);
    const loaded = await loadManifest(root, ctx.workspace);
    const findings: Finding[] = loaded.diagnostics.map((d) => ({ file: d.file, line: d.line, col: d.col, message: `${d.code} ${d.message}`, title: `manifest ${d.code}` }));
    const m = loaded.manifest;
    if (m && loaded.src) {
      const src = loaded.src;
      const at = (path: Array<string | number>, message: string, title = 'manifest'): Finding => ({ file: loaded.file, ...locate(src, path), message, title });
      const named: Array<[string, Array<string | number>]> = [[m.entry, ['entry']], ...(m.requiredFiles ?? []).map((f, i): [string, Array<string | number>] => [f, ['requiredFiles', i]])];
      for (const [file, path] of named) {
        if (normalize(file).startsWith('..') || file.startsWith('/')) findings.push(at(path, `\`${file}\` is outside the plugin; expected a path inside it`, 'file outside the plugin'));
        else if (!existsSync(join(root, file))) findings.push(at(path, `required file \`${file}\` does not exist in ${relative(ctx.workspace, root) || '.'}`, 'missing file'));
      }
      const exts: readonly string[] = m.runtime === 'other' ? m.commands?.extensions ?? [] : runtimeExtensions[m.runtime];
      if (m.runtime !== 'other' && !exts.some((x) => m.entry.endsWith(x))) findings.push(at(['entry'], `entry \`${m.entry}\` is not a ${m.runtime} file; expected one of: ${exts.join(', ')}`));
      if (m.runtime === 'other' && !m.commands?.syntaxCheck) ctx.log('runtime `other` without commands.syntaxCheck: no syntax check', 'warn');
      findings.push(...await versionFindings(ctx, root, m.id, m.version, at));
      const files = await sourceFiles(root, exts);
      const r = { spawn: ctx.edges.spawn, signal: ctx.signal, killGraceMs: ctx.edges.killGraceMs, env: { ...ctx.env }, cwd: root };
      const syntax = m.runtime === 'python' ? await checkPython(r, root, files)
        : m.runtime === 'node' ? await checkNode(r, root, files)
        : m.commands?.syntaxCheck ? await checkWithCommand(r, root, files, m.commands.syntaxCheck) : [];
      findings.push(...syntax.map((f) => ({ ...f, file: relative(ctx.workspace, join(root, f.file)), title: 'syntax error' })));
      ctx.log(`checked ${files.length} ${m.runtime} file${files.length === 1 ? '' : 's'}`);
      ctx.setOutput('id', m.id);
      ctx.setOutput('name', m.name);
      ctx.setOutput('version', m.version);
      ctx.setOutput('runtime', m.runtime);
    }
    for (const f of findings) ctx.log(`${f.file}:${f.line}:${f.col}: ${f.message}`, 'error');
    ctx.setOutput('findings', String(findings.length));
    if (findings.length) {
      const first = findings[0]!;
      const problems = findings.map((f) => ({ ...f, file: f.file.split(sep).join('/') }));
      throw new StepFailure(`${findings.length} problem${findings.length === 1 ? '' : 's'}; first: ${first.file}:${first.line}:${first.col}: ${first.message}`, undefined, problems);
    }
    ctx.log(`${m!.id} ${m!.version} is valid`);
  },
});

async function versionFindings(
  ctx: Parameters<typeof validateStep.handler>[0], _root: string, id: string, version: string,
  at: (path: Array<string | number>, message: string) => Finding,
): Promise<Finding[]> {
  let resolved;
  try { resolved = resolveTarget(ctx, ctx.inputs.target); } catch (e) { return [at(['version'], (e as Error).message)]; }
  if (resolved.target.type !== 'directory') return [];
  const live = await currentRelease(pluginHome(resolved.target.path, id));
  if (!live) return [];
  if (compareVersions(version, live.info.version) > 0) return [];
  if (ctx.inputs.force) { ctx.log(`version ${version} is not newer than the live ${live.info.version} on ${resolved.name}; allowed by force`, 'warn'); return []; }
  return [at(['version'], `version ${version} is not newer than ${live.info.version}, live on target ${resolved.name}; expected a higher version (or force: true)`)];
}

