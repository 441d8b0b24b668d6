// Finding commits with git, in words a user can act on: an unknown ref, two refs without a
// common ancestor, a path outside the repository. A shallow clone that lacks a commit is told to
// fetch the history. `plan --changed`, a change's risk and the conflict check share these.
import { posix, sep } from 'node:path';
import { GitError, runGit, type RunGit } from './git.ts';

export type Git = (args: string[], o: { cwd: string; input?: string; explain?: () => string }) => Promise<Buffer>;

/** git through `spawn`; a failure becomes a GitError that says why, or what git said. */
export function gitWith(spawn: RunGit = runGit, signal?: AbortSignal): Git {
  return async (args, { cwd, input, explain }) => {
    const r = await spawn(args, { cwd, input, signal });
    if (r.code === 0) return r.stdout;
    throw new GitError(explain?.() ?? `git ${args[0]} failed (exit ${r.code}): ${r.stderr.trim() || 'no message'}`);
  };
}

export const fetchHint = 'a shallow clone does not have it: fetch the history first (actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow origin`)';

export const unknownRef = (what: string, ref: string) => `unknown ${what} ref "${ref}": git cannot find that commit here; if it exists on the remote, ${fetchHint}`;

export const noMergeBase = (base: string, head: string) =>
  `"${base}" and "${head}" have no common ancestor here; if they share history on the remote, ${fetchHint}`;

export async function commitOf(git: Git, cwd: string, ref: string, what: 'base' | 'head'): Promise<string> {
  return (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, explain: () => unknownRef(what, ref) })).toString().trim();
}

/** An absolute path as a repository-relative one, from its path relative to cwd and cwd's prefix in the repository. */
export function repoPath(prefix: string, rel: string, abs: string, top: string, what = ''): string {
  const path = posix.normalize(posix.join(prefix, rel.split(sep).join('/'))).replace(/\/$/, '');
  if (path === '..' || path.startsWith('../')) throw new GitError(`${what}${abs} is outside the git repository at ${top}`);
  return path === '.' ? '' : path;
}
