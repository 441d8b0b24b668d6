// Exclude patterns, gitignore-like: `*` and `?` stay within one path segment, `**` crosses them,
// `{a,b}` and `[abc]` work as in shells. A pattern without `/` matches a file or directory name at
// any depth; one with `/` matches the path from the scanned root. An excluded directory excludes
// everything below it.

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
  const body = translate(p.replace(/\/\*\*$/, ''));
  const prefix = anchored || p.includes('/') ? '^' : '(?:^|/)';
  return new RegExp(`${prefix}${body}(?:/.*)?$`);
}

function translate(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) { out += '\\['; continue; }
      const inner = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      out += `[${inner}]`;
      i = end;
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) { out += '\\{'; continue; }
      out += `(?:${glob.slice(i + 1, end).split(',').map(translate).join('|')})`;
      i = end;
    } else out += c.replace(/[.+^$()|\\\]}]/g, '\\$&');
  }
  return out;
}
