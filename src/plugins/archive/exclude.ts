// What a package leaves out: VCS data, dependencies, build output, dotfiles, the output and
// cache directories, and the caller's own patterns.
import { compileGlob, matchGlob, type Glob } from './glob.ts';

/**
 * Always excluded, at any depth. `.*` covers `.git` and every other dotfile or dot-directory;
 * `node_modules` also when it is a symlink (pnpm, workspaces), `build` and `dist` only as
 * directories (a script called `build` stays).
 */
export const DEFAULT_EXCLUDES: readonly string[] = ['.*', 'node_modules', 'build/', 'dist/', '__pycache__/', '*.pyc'];

export type Excluder = (path: string, isDir: boolean) => boolean;

/**
 * `patterns` are globs (see glob.ts) added to the defaults; `paths` are relative paths left out
 * with everything below them (the output and cache directories when they lie inside the root).
 */
export function createExcluder(patterns: readonly string[], paths: readonly string[] = []): Excluder {
  const globs: Glob[] = [...DEFAULT_EXCLUDES, ...patterns].map(compileGlob);
  const skip = new Set(paths);
  return (path, isDir) => skip.has(path) || globs.some((g) => matchGlob(g, path, isDir));
}
