// What a change touches in one plugin, for its delivery risk: the files and lines changed since
// the merge base, which are manifests, dependency files, tests or code, and the cyclomatic
// complexity of the Python and JavaScript functions whose lines changed. git is the only source.
import type { ChangeSummary } from '../../store/risk.ts';
import { GitError, type RunGit } from '../../project/changed/git.ts';
import { numstat } from './diff.ts';
import { languageOf } from './classify.ts';
import { measureJavaScript } from './javascript.ts';
import { maxFunctions, maxNames } from './limits.ts';
import { mostComplex } from './measure.ts';
import { measurePython } from './python.ts';
import { changeRange, gitWith } from './refs.ts';
import { readSources } from './sources.ts';
import { tallyOf } from './tally.ts';

export { GitError, type RunGit };

export interface ChangeOptions {
  /** A directory inside the repository. */
  cwd: string;
  base: string;
  /** Default `HEAD`. */
  head?: string;
  /** The plugin's absolute directory; it may be the repository's top. */
  plugin: string;
  spawn?: RunGit;
  signal?: AbortSignal;
  /** The Python interpreter; default `python3`. */
  python?: string;
}

/**
 * The change between the merge base of `base` and `head`, and `head`, in the plugin's
 * directory. `base` and `head` in the summary are those two commits. Throws a GitError when
 * a ref is unknown or the history is missing (a shallow clone); never for Python being absent.
 */
export async function changeOf(o: ChangeOptions): Promise<ChangeSummary> {
  const git = gitWith(o.spawn, o.signal);
  const at = await changeRange(git, { cwd: o.cwd, base: o.base, head: o.head ?? 'HEAD', plugin: o.plugin });
  const pathspec = at.dir === '' ? [] : ['--', `:(literal)${at.dir}`];
  const stat = await git(['diff', '--numstat', '-z', '--no-renames', '--no-ext-diff', at.mergeBase, at.head, ...pathspec], { cwd: at.top });
  const { sources: paths, skipped, ...counts } = tallyOf(numstat(stat), at.dir);

  const read = await readSources(git, at, paths);
  const [python, javascript] = await Promise.all([
    measurePython(read.sources.filter((s) => languageOf(s.file) === 'python'), { python: o.python, signal: o.signal }),
    measureJavaScript(read.sources.filter((s) => languageOf(s.file) === 'javascript')),
  ]);
  const touched = [...python.functions, ...javascript.functions];
  const unmeasured = [...read.unmeasured, ...python.unmeasured, ...javascript.unmeasured, ...skipped].slice(0, maxNames);
  return {
    base: at.mergeBase,
    head: at.head,
    ...counts,
    functions: mostComplex(touched, maxFunctions),
    maxComplexity: touched.reduce((max, f) => Math.max(max, f.complexity), 0),
    ...(unmeasured.length ? { unmeasured } : {}),
  };
}
