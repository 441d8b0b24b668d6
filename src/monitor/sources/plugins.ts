// Finding a plugin by its manifest id under the project's plugin directories, for plugin health
// checks. A directory with a manifest (see plugins/manifest.ts) is a plugin and is not searched
// further; hidden directories and node_modules are skipped, and the search goes at most
// `maxDepth` levels below each directory. Manifests that do not validate are passed over. Two
// plugins with the same id are ambiguous: DuplicatePluginError names both directories.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginManifestDoc } from '../../documents/schema/plugin.ts';
import { findManifest, loadManifest } from '../../plugins/manifest.ts';
import { PluginopsError } from '../../errors/base.ts';

export interface FoundPlugin {
  dir: string;
  manifest: PluginManifestDoc;
}

export class DuplicatePluginError extends PluginopsError {
  readonly code = 'E_DUPLICATE_PLUGIN';
  readonly kind = 'invalid';
}

const maxDepth = 3;

export async function findPlugin(dirs: readonly string[], id: string): Promise<FoundPlugin | undefined> {
  const byDir = new Map<string, FoundPlugin>(); // directories given twice, or one inside another
  for (const dir of dirs) for (const f of await search(dir, id, 0)) byDir.set(f.dir, f);
  const found = [...byDir.values()];
  if (found.length > 1) throw new DuplicatePluginError(`plugin id \`${id}\` is declared by more than one manifest: ${found.map((f) => f.dir).join(', ')}; expected one plugin per id`);
  return found[0];
}

async function search(dir: string, id: string, depth: number): Promise<FoundPlugin[]> {
  if (findManifest(dir)) {
    const { manifest } = await loadManifest(dir, dir);
    return manifest?.id === id ? [{ dir, manifest }] : [];
  }
  if (depth >= maxDepth) return [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const children = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => e.name).sort();
  const found: FoundPlugin[] = [];
  for (const name of children) found.push(...(await search(join(dir, name), id, depth + 1)));
  return found;
}
