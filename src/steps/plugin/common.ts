// What the plugin/* step types share: which plugin, its manifest, which target, who acts.
import { userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { formatDiagnostic } from '../../documents/diagnostics.ts';
import type { TargetDoc } from '../../documents/schema/index.ts';
import { loadManifest } from '../../plugins/manifest.ts';
import type { PluginManifestDoc } from '../../documents/schema/plugin.ts';
import { StepFailure, type StepContext } from '../../engine/step.ts';

/** The target used when a project names none: a directory inside the project's state. */
export const localTargetName = 'local';
export const localTarget = (root: string): TargetDoc => ({ type: 'directory', path: join(root, '.pluginops', 'deployments') });

export function pluginRoot(ctx: StepContext<{ path?: string }>): string {
  const given = ctx.inputs.path;
  if (given) return isAbsolute(given) ? given : resolve(ctx.workspace, given);
  if (ctx.scope.plugin) return ctx.scope.plugin;
  throw new StepFailure('no plugin: run with --plugin PATH or give the step `with: { path: … }`');
}

export async function requireManifest(ctx: StepContext<{ path?: string }>): Promise<{ root: string; manifest: PluginManifestDoc }> {
  const root = pluginRoot(ctx);
  const loaded = await loadManifest(root, ctx.workspace);
  if (!loaded.manifest) {
    for (const d of loaded.diagnostics) ctx.log(formatDiagnostic(d), 'error');
    throw new StepFailure(`the plugin manifest is invalid: ${loaded.diagnostics.map(formatDiagnostic).join('; ')}`);
  }
  return { root, manifest: loaded.manifest };
}

export function resolveTarget(ctx: StepContext<unknown>, given: string | undefined): { name: string; target: TargetDoc } {
  const name = given || undefined; // an empty parameter means "the default"
  const targets = ctx.scope.project.config.targets ?? {};
  const chosen = name ?? (Object.keys(targets).length === 1 ? Object.keys(targets)[0]! : localTargetName);
  const target = targets[chosen] ?? (chosen === localTargetName ? localTarget(ctx.scope.project.root) : undefined);
  if (!target) throw new StepFailure(`unknown deploy target \`${chosen}\`; expected one of: ${[...Object.keys(targets), localTargetName].join(', ')}`);
  if (target.type === 'directory' && !isAbsolute(target.path)) return { name: chosen, target: { ...target, path: resolve(ctx.scope.project.root, target.path) } };
  return { name: chosen, target };
}

/** Who deploys: the CI actor, else the local user. */
export function actor(env: Readonly<Record<string, string | undefined>>): string {
  return env.GITHUB_ACTOR ?? env.USER ?? env.LOGNAME ?? safeUser();
}

function safeUser(): string {
  try { return userInfo().username; } catch { return 'unknown'; }
}
