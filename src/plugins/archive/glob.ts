// Package exclusions in the shared glob syntax (../glob.ts), with .gitignore's placement rules:
// a trailing `/` matches directories only; a pattern with a `/` elsewhere is anchored at the root
// (a leading `/` only anchors), one without matches a name at any depth; `a/**` is everything
// inside `a`.
import { globBody } from '../glob.ts';

export interface Glob {
  pattern: string;
  regex: RegExp;
  dirOnly: boolean;
}

export function compileGlob(pattern: string): Glob {
  let p = pattern;
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.replace(/\/+$/, '');
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.replace(/^\/+/, '');
  const prefix = anchored ? '' : '(?:.*/)?';
  return { pattern, regex: new RegExp(`^${prefix}${globBody(p)}$`), dirOnly };
}

/** Whether `path` (relative, POSIX separators) matches; `isDir` says what the path names. */
export function matchGlob(glob: Glob, path: string, isDir: boolean): boolean {
  if (glob.dirOnly && !isDir) return false;
  return glob.regex.test(path);
}
