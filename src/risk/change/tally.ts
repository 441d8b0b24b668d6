// The counts of a change in one plugin, kept as the numstat records stream by: totals, at most
// `maxNames` names per list, and the first `maxFiles` source files whose functions are measured.
// Pure.
import type { ChangeSummary } from '../../store/risk.ts';
import { classify, languageOf } from './classify.ts';
import type { NumstatEntry } from './diff.ts';
import { maxFiles, maxNames } from './limits.ts';
import { overFileLimit, type Unmeasured } from './measure.ts';

export type Tally = Pick<ChangeSummary, 'files' | 'linesAdded' | 'linesDeleted' | 'manifests' | 'dependencyFiles' | 'codeFiles' | 'testFiles'> & {
  /** Changed Python and JavaScript code files to measure, in git's order. */
  sources: string[];
  /** Source files past the limit (the first `maxNames`). */
  skipped: Unmeasured[];
};

/** `dir` is the plugin's repository-relative directory, '' for the repository root. */
export function tallyOf(entries: Iterable<NumstatEntry>, dir: string): Tally {
  const t: Tally = { files: 0, linesAdded: 0, linesDeleted: 0, manifests: [], dependencyFiles: [], codeFiles: 0, testFiles: 0, sources: [], skipped: [] };
  for (const e of entries) {
    t.files++;
    t.linesAdded += e.added;
    t.linesDeleted += e.deleted;
    const kind = classify(dir === '' ? e.path : e.path.slice(dir.length + 1));
    if (kind === 'manifest') keep(t.manifests, e.path);
    else if (kind === 'dependency') keep(t.dependencyFiles, e.path);
    else if (kind === 'test') t.testFiles++;
    else if (kind === 'code') {
      t.codeFiles++;
      // A name with a line break cannot be asked of `git cat-file --batch`.
      if (e.binary || !languageOf(e.path) || e.path.includes('\n')) continue;
      if (t.sources.length < maxFiles) t.sources.push(e.path);
      else keep(t.skipped, { file: e.path, reason: overFileLimit });
    }
  }
  return t;
}

function keep<T>(list: T[], item: T): void {
  if (list.length < maxNames) list.push(item);
}
