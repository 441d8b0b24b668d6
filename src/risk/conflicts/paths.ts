// The directories whose files count (the plugins'), as repository-relative POSIX paths. Pure.
import { posix } from 'node:path';

/** The directories normalized (no trailing slash), or undefined when every file counts (none given, or the root among them). Check them with `pathsProblem` first. */
export function countedDirs(paths: readonly string[] | undefined): string[] | undefined {
  if (paths === undefined) return undefined;
  const dirs: string[] = [];
  for (const p of paths) {
    const dir = posix.normalize(p).replace(/\/+$/, '');
    if (dir === '.' || dir === '') return undefined;
    dirs.push(dir);
  }
  return [...new Set(dirs)];
}

/** Why one of `paths` is not a repository-relative directory, or undefined when all are. */
export function pathsProblem(paths: readonly string[] | undefined): string | undefined {
  for (const p of paths ?? []) {
    const problem = pathProblem(p);
    if (problem) return problem;
  }
  return undefined;
}

function pathProblem(path: string): string | undefined {
  const n = posix.normalize(path);
  if (path.includes('\0') || /[\r\n]/.test(path)) return `plugin path ${JSON.stringify(path)} has a control character`;
  if (posix.isAbsolute(n) || n === '..' || n.startsWith('../')) return `plugin path ${JSON.stringify(path)} is outside the repository; expected a repository-relative directory such as plugins`;
  return undefined;
}

/** Whether a repository-relative file lies in one of the directories (every file when `dirs` is undefined). */
export function inDirs(dirs: readonly string[] | undefined, file: string): boolean {
  return dirs === undefined || dirs.some((d) => file === d || file.startsWith(`${d}/`));
}
