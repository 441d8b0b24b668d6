// The plugins whose files changed between two commits, for `pluginops plan --changed`: git gives
// the changed files (since the merge base) and the tree at head; ./changed/select.ts decides.
// Plugins and manifests are read as they are at head, not from the working tree, so the answer
// depends only on the two commits.
import { posix, relative, sep } from 'node:path';
import { GitError, refProblem, runGit, type RunGit } from './changed/git.ts';
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
  const git = gitIn(o);
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

type Git = (args: string[], o: { cwd: string; input?: string; explain?: () => string }) => Promise<Buffer>;

/** git with the options' spawner; a failure becomes a GitError that says why, or what git said. */
function gitIn(o: ChangedOptions): Git {
  const spawn = o.spawn ?? runGit;
  return async (args, { cwd, input, explain }) => {
    const r = await spawn(args, { cwd, input, signal: o.signal });
    if (r.code === 0) return r.stdout;
    throw new GitError(explain?.() ?? `git ${args[0]} failed (exit ${r.code}): ${r.stderr.trim() || 'no message'}`);
  };
}

const fetchHint = 'a shallow clone does not have it: fetch the history first (actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow origin`)';

async function commitOf(git: Git, cwd: string, ref: string, what: 'base' | 'head'): Promise<string> {
  const explain = () => `unknown ${what} ref "${ref}": git cannot find that commit here; if it exists on the remote, ${fetchHint}`;
  return (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, explain })).toString().trim();
}

const noMergeBase = (base: string, head: string) =>
  `"${base}" and "${head}" have no common ancestor here; if they share history on the remote, ${fetchHint}`;

/** An absolute path as a repository-relative one, from its path relative to cwd and cwd's prefix in the repository. */
function repoPath(prefix: string, rel: string, abs: string, top: string): string {
  const path = posix.normalize(posix.join(prefix, rel.split(sep).join('/'))).replace(/\/$/, '');
  if (path === '..' || path.startsWith('../')) throw new GitError(`${abs} is outside the git repository at ${top}`);
  return path === '.' ? '' : path;
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
