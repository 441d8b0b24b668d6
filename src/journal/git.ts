// git through the journal's edge: a non-zero exit becomes a JournalError naming the command and
// what git said.
import { JournalError, type JournalEdges } from './types.ts';

export type Git = (args: string[]) => Promise<string>;

export function gitAt(edges: JournalEdges, cwd: string): Git {
  return async (args) => {
    const r = await edges.run(args, cwd);
    if (r.code === 0) return r.stdout;
    const command = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? args[0];
    throw new JournalError('E_JOURNAL_GIT', `git ${command} failed in ${cwd} (exit ${r.code}): ${r.stderr.trim() || 'no message'}`);
  };
}

/** The top of the work tree that holds `repo`, or a JournalError that says what `repo` is instead. */
export async function workTreeTop(edges: JournalEdges, repo: string): Promise<string> {
  const notRepo = (why: string) => new JournalError('E_JOURNAL_NOT_REPO', `${repo} is not a git work tree (${why}); the incident journal is kept as commits in a repository: run \`git init\` there or pass a repository's path`);
  let r;
  try {
    r = await edges.run(['rev-parse', '--is-inside-work-tree', '--show-toplevel'], repo);
  } catch (e) {
    throw notRepo(e instanceof Error ? e.message : String(e));
  }
  const [inside, top] = r.stdout.trim().split('\n');
  if (r.code !== 0) throw notRepo(r.stderr.trim() || `git rev-parse exit ${r.code}`);
  if (inside !== 'true' || !top) throw notRepo('a bare repository or a .git directory has no work tree');
  return top;
}
