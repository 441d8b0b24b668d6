// Glob patterns for exclusions, with .gitignore's placement rules:
//   `*` any characters but `/`; `?` one character but `/`; `**` any characters including `/`
//   (`**/x` and `a/**/x` also match with no directory in between, `a/**` everything inside `a`);
//   a trailing `/` matches directories only; a pattern with a `/` elsewhere is anchored at the
//   root (a leading `/` only anchors), one without matches a name at any depth.
// Other characters match themselves.

export interface Glob {
  pattern: string;
  regex: RegExp;
  dirOnly: boolean;
}

const special = /[\\^$.|+(){}[\]]/;

export function compileGlob(pattern: string): Glob {
  let p = pattern;
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.replace(/\/+$/, '');
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.replace(/^\/+/, '');
  let source = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      const atSegmentStart = i === 0 || p[i - 1] === '/';
      if (atSegmentStart && p[i + 2] === '/') {
        source += '(?:.*/)?'; // `**/`: any directories, or none
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (special.test(c)) source += '\\' + c;
    else source += c;
  }
  const prefix = anchored ? '' : '(?:.*/)?';
  return { pattern, regex: new RegExp(`^${prefix}${source}$`), dirOnly };
}

/** Whether `path` (relative, POSIX separators) matches; `isDir` says what the path names. */
export function matchGlob(glob: Glob, path: string, isDir: boolean): boolean {
  if (glob.dirOnly && !isDir) return false;
  return glob.regex.test(path);
}
