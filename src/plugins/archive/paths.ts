// Pure checks on entry names and symlink targets, shared by the builder (what it agrees to
// pack) and the extractor (what it agrees to write). Paths are POSIX and relative to the
// package root.

/** The segments of an entry name, or why it is refused. A leading `./` and a trailing `/` are allowed. */
export function entrySegments(name: string): { segments: string[] } | { problem: string } {
  if (name.includes('\0')) return { problem: 'the name contains a NUL byte' };
  if (name.startsWith('/')) return { problem: 'the name is an absolute path' };
  if (/^[A-Za-z]:/.test(name) || name.includes('\\')) return { problem: 'the name has a drive letter or a backslash' };
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { problem: 'the name has a `..` segment' };
  return { segments };
}

/**
 * Why a symlink at `linkPath` (relative to the root) pointing at `target` would not stay inside
 * the root, or undefined when it does. The target must be relative, and any `..` segments must
 * come first: `../lib/x` is fine, `a/../x` is not, because `a` may itself be a symlink and the
 * kernel resolves `..` physically, so a lexical check of `a/..` proves nothing.
 */
export function linkProblem(linkPath: string, target: string): { outside: boolean; what: string } | undefined {
  if (target === '') return { outside: false, what: 'the target is empty' };
  if (target.includes('\0')) return { outside: false, what: 'the target contains a NUL byte' };
  if (target.startsWith('/')) return { outside: true, what: `the target ${JSON.stringify(target)} is absolute; expected a relative path inside the package` };
  const parts = target.split('/').filter((s) => s !== '' && s !== '.');
  const ups = parts.findIndex((s) => s !== '..');
  const leading = ups === -1 ? parts.length : ups;
  if (parts.slice(leading).includes('..')) {
    return { outside: false, what: `the target ${JSON.stringify(target)} has \`..\` after a name; expected the \`..\` segments first (e.g. ../lib/x)` };
  }
  const depth = linkPath.split('/').filter((s) => s !== '' && s !== '.').length - 1;
  if (leading > depth) {
    return { outside: true, what: `the target ${JSON.stringify(target)} resolves outside the package (${leading} levels up from a link ${depth} deep)` };
  }
  return undefined;
}
