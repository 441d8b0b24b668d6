// The merge-conflict risk of a change against the other branches of a repository, with git alone:
// our hunks since the merge base, each other branch's since its own, and `git merge-tree` (git
// 2.38 or later) to say whether a merge really conflicts. The other branches are the local and
// remote-tracking ones that have commits beyond the base and beyond our head, newest first.
import { GitError, refProblem, runGit, type RunGit } from '../../project/changed/git.ts';
import { mapLimited } from '../../store/read.ts';
import type { ConflictOverlap, ConflictReport } from '../types.ts';
import { noMergeBase, unknownRef } from '../../project/changed/refs.ts';
import { parseGitDiff } from './diff.ts';
import { conflictOverlap, overlapFiles } from './overlap.ts';
import { countedDirs, inDirs, pathsProblem } from './paths.ts';
import { conflictReport } from './report.ts';

export interface LocalConflictOptions {
  cwd: string;
  base: string;
  /** Default `HEAD`. */
  head?: string;
  /** Repository-relative directories whose files count (the plugins'); every file when absent. */
  paths?: string[];
  spawn?: RunGit;
  signal?: AbortSignal;
}

/** Branches compared at most (the most recently committed). */
export const maxBranches = 200;
/** Conflicted files kept per branch. */
export const maxConflicted = 50;
/** git processes at a time. */
const parallel = 4;


type Git = (args: string[], explain?: () => string) => Promise<string>;

export async function localConflicts(o: LocalConflictOptions): Promise<ConflictReport> {
  const head = o.head ?? 'HEAD';
  for (const [what, ref] of [['base', o.base], ['head', head]] as const) {
    const problem = refProblem(ref);
    if (problem) throw new GitError(`${what} ref ${problem}`);
  }
  const problem = pathsProblem(o.paths);
  if (problem) throw new GitError(problem);
  const spawn = o.spawn ?? runGit;
  const run = (cwd: string) => (args: string[]) => spawn(args, { cwd, signal: o.signal });
  const gitAt = (cwd: string): Git => async (args, explain) => {
    const r = await run(cwd)(args);
    if (r.code === 0) return r.stdout.toString('utf8');
    throw new GitError(explain?.() ?? `git ${args[0]} failed (exit ${r.code}): ${r.stderr.trim() || 'no message'}`);
  };

  const notRepo = () => `${o.cwd} is not inside a git repository; merge-conflict risk is found by comparing branches`;
  const top = (await gitAt(o.cwd)(['rev-parse', '--show-toplevel'], notRepo)).trim();
  const git = gitAt(top);
  const baseSha = await commitOf(git, o.base, 'base');
  const headSha = await commitOf(git, head, 'head');
  const noCommonBase = () => noMergeBase(o.base, head);
  const ourBase = (await git(['merge-base', baseSha, headSha], noCommonBase)).trim();

  const dirs = countedDirs(o.paths);
  // Hunks on the old side, paths as they are, whatever the user's diff settings; only the plugins' files.
  const diffArgs = (...revs: string[]) => ['-c', 'core.quotePath=false', '--literal-pathspecs', 'diff', '-U0', '--no-renames', '--no-color',
    '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', ...revs, '--', ...(dirs ?? [])];
  const counted = (text: string) => parseGitDiff(text).filter((f) => inDirs(dirs, f.path));
  const ours = dirs?.length === 0 ? [] : counted(await git(diffArgs(ourBase, headSha)));

  const branches = await otherBranches(git, baseSha, headSha);
  const compared = branches.slice(0, maxBranches);
  const mergeTree = mergeTreeIn(run(top), headSha);
  // Without a change of ours that counts, no branch can overlap it.
  const found = await mapLimited(ours.length > 0 ? compared : [], parallel, async (b): Promise<ConflictOverlap | undefined> => {
    // base...branch: from their merge base with the base to the branch, in one process. A branch
    // with no history in common with the base fails it, and has nothing to compare.
    const r = await run(top)(diffArgs(`${baseSha}...${b.sha}`));
    const files = r.code === 0 ? overlapFiles(ours, counted(r.stdout.toString('utf8'))) : [];
    if (files.length === 0) return undefined;
    const merged = await mergeTree(b.sha);
    return conflictOverlap({ kind: 'branch', branch: b.name, ...(b.author && { author: b.author }) }, files,
      merged ? { conflicts: merged.conflicts, conflicted: merged.files.filter((f) => inDirs(dirs, f)).slice(0, maxConflicted) } : {});
  });
  const overlaps = found.filter((o): o is ConflictOverlap => o !== undefined);
  return conflictReport({ source: 'git', compared: compared.length, notCompared: branches.length - compared.length, overlaps });
}

async function commitOf(git: Git, ref: string, what: 'base' | 'head'): Promise<string> {
  const explain = () => unknownRef(what, ref);
  return (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], explain)).trim();
}

interface Branch { name: string; sha: string; author: string }

/**
 * Local and remote-tracking branches with commits that neither the base nor our head has (so not
 * the base, not our own branch, not one already merged), without symbolic refs (`origin/HEAD`),
 * one name per commit (a local branch before its remote-tracking twin), most recent first.
 */
async function otherBranches(git: Git, baseSha: string, headSha: string): Promise<Branch[]> {
  const out = await git(['for-each-ref', '--sort=-committerdate', `--no-merged=${baseSha}`, `--no-merged=${headSha}`,
    '--format=%(objectname)%00%(symref)%00%(authorname)%00%(refname)', 'refs/heads', 'refs/remotes']);
  const bySha = new Map<string, Branch & { local: boolean }>();
  for (const line of out.split('\n')) {
    const [sha, symref, author, ref] = line.split('\0');
    if (!sha || !ref || symref || sha === headSha || sha === baseSha) continue;
    const local = ref.startsWith('refs/heads/');
    const name = ref.replace(/^refs\/(heads|remotes)\//, '');
    const seen = bySha.get(sha);
    if (!seen) bySha.set(sha, { name, sha, author: author ?? '', local });
    else if (local && !seen.local) bySha.set(sha, { ...seen, name, local });
  }
  return [...bySha.values()].map(({ name, sha, author }) => ({ name, sha, author }));
}

type Spawn = (args: string[]) => ReturnType<RunGit>;

/**
 * `git merge-tree --write-tree` of our head with a branch: whether the merge conflicts, and in which
 * files. Undefined when this git cannot tell (older than 2.38, or it failed); after one such
 * failure it is not asked again. One merge at a time, so that failure is seen before the next.
 */
function mergeTreeIn(run: Spawn, headSha: string): (sha: string) => Promise<MergeTree | undefined> {
  let works = true;
  let last: Promise<unknown> = Promise.resolve();
  const merge = async (sha: string): Promise<MergeTree | undefined> => {
    if (!works) return undefined;
    const r = await run(['-c', 'core.quotePath=false', 'merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', headSha, sha]);
    if (r.code === 0) return { conflicts: false, files: [] };
    if (r.code !== 1) { works = false; return undefined; }
    // -z: the tree, then each conflicted file, each ended by NUL.
    const [, ...files] = r.stdout.toString('utf8').split('\0');
    return { conflicts: true, files: [...new Set(files.filter((f) => f !== ''))] };
  };
  return (sha) => {
    const next = last.then(() => merge(sha));
    last = next.catch(() => undefined);
    return next;
  };
}

interface MergeTree { conflicts: boolean; files: string[] }
