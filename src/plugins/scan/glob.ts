// Exclude patterns of a scan, in the shared glob syntax (../glob.ts). A pattern without `/`
// matches a file or directory name at any depth; one with `/` matches the path from the scanned
// root. An excluded directory excludes everything below it.
import { globBody } from '../glob.ts';

export type PathMatcher = (rel: string) => boolean;

export function globMatcher(patterns: readonly string[]): PathMatcher {
  const compiled = patterns.map(compileGlob).filter((r): r is RegExp => r !== undefined);
  return (rel) => compiled.some((re) => re.test(rel));
}

function compileGlob(pattern: string): RegExp | undefined {
  let p = pattern.trim().replace(/^\.\//, '');
  const anchored = p.startsWith('/');
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  if (!p) return undefined;
  const body = globBody(p.replace(/\/\*\*$/, ''));
  const prefix = anchored || p.includes('/') ? '^' : '(?:^|/)';
  return new RegExp(`${prefix}${body}(?:/.*)?$`);
}
