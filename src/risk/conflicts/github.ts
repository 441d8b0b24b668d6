// The merge-conflict risk of a pull request against the other open pull requests on the same base
// branch, from the files and patches GitHub lists for each. The source is passed in (the Action's
// GitHub port fits it); when it fails, the report says the check was skipped, and nothing throws.
import type { ConflictOverlap, ConflictReport } from '../types.ts';
import { parseHunks } from './hunks.ts';
import { conflictOverlap, overlapFiles, type FileChange } from './overlap.ts';
import { countedDirs, inDirs, pathsProblem } from './paths.ts';
import { conflictReport, skippedReport } from './report.ts';

export interface OpenPull {
  number: number;
  title: string;
  url: string;
  /** The head branch. */
  branch: string;
  author: string;
  /** The branch it would merge into. */
  baseRef: string;
}

export interface PullFile {
  path: string;
  /** GitHub's: added, removed, modified, renamed, copied, changed, unchanged. */
  status: string;
  /** Absent for binary and very large files. */
  patch?: string;
}

export interface PullSource {
  listOpenPulls(): Promise<OpenPull[]>;
  listPullFiles(pull: number): Promise<PullFile[]>;
}

export interface PullConflictOptions {
  /** Our pull request. */
  number: number;
  /** Repository-relative directories whose files count (the plugins'); every file when absent. */
  paths?: string[];
  /** Our base branch, when our pull request may not be listed as open. */
  baseRef?: string;
}

/** Other pull requests compared at most (the newest). */
export const maxPulls = 100;

export async function pullConflicts(source: PullSource, o: PullConflictOptions): Promise<ConflictReport> {
  const problem = pathsProblem(o.paths);
  if (problem) return skippedReport('github', problem);
  try {
    return await compare(source, o, countedDirs(o.paths));
  } catch (error) {
    return skippedReport('github', error instanceof Error ? error.message : String(error));
  }
}

async function compare(source: PullSource, o: PullConflictOptions, dirs: string[] | undefined): Promise<ConflictReport> {
  const open = await source.listOpenPulls();
  const baseRef = o.baseRef ?? open.find((p) => p.number === o.number)?.baseRef;
  if (baseRef === undefined) return skippedReport('github', `pull request #${o.number} is not open`);
  const others = open.filter((p) => p.number !== o.number && p.baseRef === baseRef).sort((a, b) => b.number - a.number);
  const compared = others.slice(0, maxPulls);
  const notCompared = others.length - compared.length;

  const ours = changesOf(await source.listPullFiles(o.number), dirs);
  const overlaps: ConflictOverlap[] = [];
  // Without a change of ours that counts, no other pull request can overlap it.
  for (const pull of ours.length > 0 ? compared : []) {
    const files = overlapFiles(ours, changesOf(await source.listPullFiles(pull.number), dirs));
    const overlap = conflictOverlap({
      kind: 'pull', number: pull.number, title: pull.title, url: pull.url, branch: pull.branch, author: pull.author,
    }, files);
    if (overlap) overlaps.push(overlap);
  }
  return conflictReport({ source: 'github', compared: compared.length, notCompared, overlaps });
}

/** Statuses whose patch does not locate the change in the base file. */
const wholeFile = new Set(['removed', 'renamed']);

/** The files that count, with their hunks; a file without a patch, removed or renamed changed as a whole. */
export function changesOf(files: readonly PullFile[], dirs: readonly string[] | undefined): FileChange[] {
  return files.filter((f) => inDirs(dirs, f.path)).map((f) => {
    const hunks = f.patch === undefined || wholeFile.has(f.status) ? [] : parseHunks(f.patch);
    return { path: f.path, hunks: hunks.length > 0 ? hunks : null };
  });
}
