// The plugins whose files changed between two commits, for `pluginops plan --changed`: git gives
// the changed files (since the merge base) and the tree at head; ./changed/select.ts decides.
// Plugins and manifests are read as they are at head, not from the working tree, so the answer
// depends only on the two commits.
import { relative } from 'node:path';
import { GitError, refProblem, type RunGit } from './changed/git.ts';
import { commitOf, gitWith, noMergeBase, repoPath } from './changed/refs.ts';
import { checkManifests, parseBatch } from './changed/manifests.ts';
import { pluginRoots, selectChanged, type PluginRoot, type TreeFile } from './changed/select.ts';

export { GitError, refProblem, type RunGit } from './changed/git.ts';

export interface ChangedOptions {
  cwd: string;
  base: string;
  /** Default `HEAD`. */
  head?: string;
  /** Absolute directories that hold plugins (the project's `plugins:`); default: the whole repository. */
  pluginDirs?: string[];
  /** Absolute files and document directories whose change affects every plugin (the project file, its documents). */
  shared?: string[];
  spawn?: RunGit;
  signal?: AbortSignal;
}

export interface ChangedPlugin {
  id: string;
  name: string;
  /** Repository-relative POSIX path of the plugin directory (`.` for the repository root). */
  path: string;
  version: string;
  runtime: string;
  /** Why it is listed, in words. */
  reason: string;
  /** The changed files that put it on the list: its own, or the shared ones. */
  files: string[];
}

export async function changedPlugins(o: ChangedOptions): Promise<ChangedPlugin[]> {
  const head = o.head ?? 'HEAD';
  for (const [what, ref] of [['base', o.base], ['head', head]] as const) {
    const problem = refProblem(ref);
    if (problem) throw new GitError(`${what} ref ${problem}`);
  }
  const git = gitWith(o.spawn, o.signal);
  const notRepo = () => `${o.cwd} is not inside a git repository; the changed plugins are found by comparing two commits`;
  const top = (await git(['rev-parse', '--show-toplevel'], { cwd: o.cwd, explain: notRepo })).toString().trim();
  const prefix = (await git(['rev-parse', '--show-prefix'], { cwd: o.cwd })).toString().trim();
  const baseSha = await commitOf(git, top, o.base, 'base');
  const headSha = await commitOf(git, top, head, 'head');
  const mergeBase = (await git(['merge-base', baseSha, headSha], { cwd: top, explain: () => noMergeBase(o.base, head) })).toString().trim();
  // --no-renames: a file moved from one plugin to another changes both.
  const changed = split0(await git(['diff', '--name-only', '-z', '--no-renames', mergeBase, headSha], { cwd: top }));
  const tree = parseTree(await git(['ls-tree', '-r', '-z', '--full-tree', headSha], { cwd: top }));

  const inRepo = (abs: string) => repoPath(prefix, relative(o.cwd, abs), abs, top);
  const roots = pluginRoots(tree, o.pluginDirs?.map(inRepo) ?? ['']);
  const selection = selectChanged(changed, roots, (o.shared ?? []).map(inRepo));
  const listed: Array<{ root: PluginRoot; files: string[]; reason: string }> = selection.kind === 'shared'
    ? selection.roots.map((root) => ({ root, files: selection.files, reason: `${some(selection.files)} changed, which affects every plugin` }))
    : selection.owned.map(({ root, files }) => ({ root, files, reason: `${files.length} file${files.length === 1 ? '' : 's'} changed: ${some(files)}` }));
  if (listed.length === 0) return [];

  const objects = [...new Set(listed.map((l) => l.root.manifest.object))];
  const texts = parseBatch(await git(['cat-file', '--batch'], { cwd: top, input: `${objects.join('\n')}\n` }));
  const manifests = checkManifests(listed.map((l) => l.root.manifest), texts);
  return listed
    .map(({ root, files, reason }) => {
      const m = manifests.get(root.manifest.path)!;
      return { id: m.id, name: m.name, path: root.path || '.', version: m.version, runtime: m.runtime, reason, files };
    })
    .sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

const split0 = (out: Buffer) => out.toString('utf8').split('\0').filter((s) => s !== '');

/** `git ls-tree -r -z` lines: `<mode> <type> <object>\t<path>`; only regular files can be manifests. */
function parseTree(out: Buffer): TreeFile[] {
  return split0(out).flatMap((line) => {
    const tab = line.indexOf('\t');
    const [mode, type, object] = line.slice(0, tab).split(' ');
    return type === 'blob' && mode !== '120000' && object ? [{ path: line.slice(tab + 1), object }] : [];
  });
}

function some(files: string[]): string {
  return files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')} and ${files.length - 3} more`;
}
