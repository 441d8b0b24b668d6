// Optimization verdicts in the git journal: each applied suggestion that ended (succeeded,
// reverted, inconclusive, failed) is one commit that appends a line to
// `optimization/changes.md` and writes `optimization/<suggestion>.md` with the change, the runs
// and the before/after numbers, with trailers saying which plugin, which change and the verdict.
// Like incident records, only those paths are committed, and only into plain directories.
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Git } from './git.ts';
import { checkFileName, oneLine } from './names.ts';
import { JournalError, type RecordResult } from './types.ts';

export const optimizationRoot = 'optimization';

export const optimizationTrailers = { suggestion: 'Optimization-Suggestion', plugin: 'Optimization-Plugin', change: 'Optimization-Change', verdict: 'Optimization-Verdict', at: 'Optimization-At' } as const;

/** What the journal records of an ended suggestion (the optimizer's, in words and numbers). */
export interface OptimizationEntry {
  suggestion: string;
  plugin: string;
  /** e.g. `scale_workers 4 → 8 workers`. */
  change: string;
  verdict: string;
  at: number;
  by?: string;
  /** The body of the suggestion's file: evidence, runs, verification. */
  text: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function optimizationParagraphs(e: OptimizationEntry): string[] {
  const trailers = [
    `${optimizationTrailers.suggestion}: ${oneLine(e.suggestion)}`, `${optimizationTrailers.plugin}: ${oneLine(e.plugin)}`,
    `${optimizationTrailers.change}: ${oneLine(e.change)}`, `${optimizationTrailers.verdict}: ${oneLine(e.verdict)}`, `${optimizationTrailers.at}: ${iso(e.at)}`,
  ];
  return [`optimization: ${oneLine(e.change)} on ${oneLine(e.plugin)} ${oneLine(e.verdict)}`, trailers.join('\n')];
}

export async function recordOptimizationOne(git: Git, top: string, identity: string[], e: OptimizationEntry): Promise<RecordResult> {
  checkFileName(e.suggestion, `${e.suggestion}.md`);
  const folder = join(top, optimizationRoot);
  const st = await lstat(folder).catch(() => undefined);
  if (st === undefined) await mkdir(folder);
  else if (!st.isDirectory()) throw new JournalError('E_JOURNAL_UNSAFE_PATH', `${optimizationRoot} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}; the journal writes only into plain directories of the repository`);
  const changes = join(folder, 'changes.md');
  const own = join(folder, `${e.suggestion}.md`);
  for (const path of [changes, own]) {
    const f = await lstat(path).catch(() => undefined);
    if (f && !f.isFile()) throw new JournalError('E_JOURNAL_UNSAFE_PATH', `${path} exists and is not a regular file`);
  }
  const before = await readFile(changes, 'utf8').catch(() => '# Optimization changes\n\n');
  await writeFile(changes, `${before}- ${iso(e.at)} ${oneLine(e.plugin)}: ${oneLine(e.change)} ${oneLine(e.verdict)} (${oneLine(e.suggestion)})\n`);
  await writeFile(own, `${e.text.trimEnd()}\n`);
  const paths = [`${optimizationRoot}/changes.md`, `${optimizationRoot}/${e.suggestion}.md`];
  await git(['--literal-pathspecs', 'add', '--', ...paths]);
  const message = optimizationParagraphs(e).flatMap((p) => ['-m', p]);
  const date = `@${Math.floor(e.at / 1000)} +0000`;
  await git([...identity, '--literal-pathspecs', 'commit', '--quiet', '--no-verify', '--cleanup=whitespace', `--date=${date}`, ...message, '--only', '--', ...paths]);
  const commit = (await git(['rev-parse', 'HEAD'])).trim();
  return { commit, folder: optimizationRoot, paths };
}
