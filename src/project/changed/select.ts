// Which plugins a set of changed files touches. Pure functions over repository-relative POSIX
// paths ('' is the repository root); git and the file system stay in ../changed.ts.
import { manifestLocations } from '../../plugins/manifest.ts';

/** A file at the head commit: its path and its blob's object id. */
export interface TreeFile { path: string; object: string }

/** A plugin directory at head and the manifest that makes it one. */
export interface PluginRoot { path: string; manifest: TreeFile }

export type Selection =
  | { kind: 'shared'; files: string[]; roots: PluginRoot[] }
  | { kind: 'owned'; owned: Array<{ root: PluginRoot; files: string[] }> };

const isYaml = (p: string) => /\.ya?ml$/i.test(p);
const parentOf = (p: string) => p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
const under = (p: string, dir: string) => dir === '' || p.startsWith(`${dir}/`);
/** Directories never searched: hidden ones (.git, .pluginops, .github…) and node_modules. */
const skipped = (rel: string) => rel.split('/').some((s) => s.startsWith('.') || s === 'node_modules');

/**
 * The plugins at head under `dirs`: every directory with a manifest, the manifest chosen in the
 * order of `manifestLocations` (as findManifest does). `config/plugin.json` makes its grandparent
 * the plugin, not `config/`.
 */
export function pluginRoots(files: TreeFile[], dirs: string[]): PluginRoot[] {
  const found = new Map<string, { rank: number; manifest: TreeFile }>();
  for (const file of files) {
    const rank = manifestLocations.findIndex((loc) => file.path === loc || file.path.endsWith(`/${loc}`));
    if (rank < 0) continue;
    const loc = manifestLocations[rank]!;
    const root = file.path === loc ? '' : file.path.slice(0, -loc.length - 1);
    const inside = dirs.some((d) => (root === d || under(root, d)) && !skipped(root.slice(d === '' ? 0 : d.length + 1)));
    const seen = found.get(root);
    if (inside && (!seen || rank < seen.rank)) found.set(root, { rank, manifest: file });
  }
  return [...found].map(([path, { manifest }]) => ({ path, manifest }));
}

/** The project file, or a YAML file under a document path: a change there affects every plugin. */
export function isShared(file: string, shared: string[]): boolean {
  return shared.some((s) => file === s || (under(file, s) && isYaml(file) && !skipped(file.slice(s === '' ? 0 : s.length + 1))));
}

/** The nearest plugin directory enclosing `file`, if any. */
export function ownerOf(file: string, roots: ReadonlyMap<string, PluginRoot>): PluginRoot | undefined {
  for (let dir = parentOf(file); ; dir = parentOf(dir)) {
    const root = roots.get(dir);
    if (root) return root;
    if (dir === '') return undefined;
  }
}

export function selectChanged(changed: string[], roots: PluginRoot[], shared: string[]): Selection {
  const sharedFiles = changed.filter((f) => isShared(f, shared));
  if (sharedFiles.length) return { kind: 'shared', files: sharedFiles, roots };
  const byPath = new Map(roots.map((r) => [r.path, r]));
  const owned = new Map<PluginRoot, string[]>();
  for (const file of changed) {
    const root = ownerOf(file, byPath);
    if (!root) continue;
    const files = owned.get(root);
    if (files) files.push(file); else owned.set(root, [file]);
  }
  return { kind: 'owned', owned: [...owned].map(([root, files]) => ({ root, files })) };
}
