// The two commits a change is measured between, found with git: the repository, the plugin's
// place in it, the head commit and the merge base of base and head. Every failure is a
// GitError in words; a shallow clone that lacks the base is told to fetch the history.
import { relative } from 'node:path';
import { GitError, refProblem } from '../../project/changed/git.ts';
import { commitOf, gitWith, noMergeBase, repoPath, type Git } from '../../project/changed/refs.ts';

export { gitWith, type Git };

export interface ChangeRange {
  /** The repository's top directory. */
  top: string;
  /** The plugin's repository-relative POSIX directory; '' for the repository root. */
  dir: string;
  mergeBase: string;
  head: string;
}

export async function changeRange(git: Git, o: { cwd: string; base: string; head: string; plugin: string }): Promise<ChangeRange> {
  for (const [what, ref] of [['base', o.base], ['head', o.head]] as const) {
    const problem = refProblem(ref);
    if (problem) throw new GitError(`${what} ref ${problem}`);
  }
  const notRepo = () => `${o.cwd} is not inside a git repository; a change is measured by comparing two commits`;
  const top = (await git(['rev-parse', '--show-toplevel'], { cwd: o.cwd, explain: notRepo })).toString().trim();
  const prefix = (await git(['rev-parse', '--show-prefix'], { cwd: o.cwd })).toString().trim();
  const dir = repoPath(prefix, relative(o.cwd, o.plugin), o.plugin, top, 'the plugin directory ');
  const baseSha = await commitOf(git, top, o.base, 'base');
  const head = await commitOf(git, top, o.head, 'head');
  const mergeBase = (await git(['merge-base', baseSha, head], { cwd: top, explain: () => noMergeBase(o.base, o.head) })).toString().trim();
  return { top, dir, mergeBase, head };
}
