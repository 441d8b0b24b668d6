// The output of `git diff -U0 --no-renames --src-prefix=a/ --dst-prefix=b/` as one FileChange per
// file. A line that starts a file's section (`diff --git`) or a hunk (`@@`) can never be a changed
// line (those start with `+`, `-`, ` ` or `\`); `---`/`+++` are headers only before the first hunk.
// Paths git quoted ("a/tab\there") are unquoted. Linear in the output's size.
import { unquote } from '../quoted.ts';
import { linesOf, maxHunksPerFile, parseHunkHeader } from './hunks.ts';
import type { FileChange } from './overlap.ts';
import type { Hunk } from '../types.ts';

interface Section {
  header: string;
  old?: string;
  new?: string;
  whole: boolean;
  inHunks: boolean;
  hunks: Hunk[];
}

export function parseGitDiff(text: string): FileChange[] {
  const out: FileChange[] = [];
  let s: Section | undefined;
  const close = () => {
    if (!s) return;
    const path = s.new ?? s.old ?? headerPath(s.header);
    if (path !== undefined) out.push({ path, hunks: s.whole || s.hunks.length === 0 ? null : s.hunks });
  };
  for (const line of linesOf(text)) {
    if (line.startsWith('diff --git ')) {
      close();
      s = { header: line.slice('diff --git '.length), whole: false, inHunks: false, hunks: [] };
    } else if (!s) {
      continue;
    } else if (line.startsWith('@@ ')) {
      s.inHunks = true;
      const hunk = parseHunkHeader(line);
      if (hunk && s.hunks.length < maxHunksPerFile) s.hunks.push(hunk);
    } else if (s.inHunks) {
      continue;
    } else if (line.startsWith('--- ')) {
      s.old = sidePath(line.slice(4), 'a/');
    } else if (line.startsWith('+++ ')) {
      s.new = sidePath(line.slice(4), 'b/');
    } else if (line.startsWith('deleted file mode') || line.startsWith('Binary files ') || line === 'GIT binary patch') {
      s.whole = true;
    }
  }
  close();
  return out;
}

/** `a/path`, `"a/quoted\tpath"` or `/dev/null` (undefined). */
function sidePath(text: string, prefix: string): string | undefined {
  const p = text.startsWith('"') ? unquote(text) : text.replace(/\t$/, '');
  return p !== undefined && p.startsWith(prefix) ? p.slice(prefix.length) : undefined;
}

/** The path of a `diff --git a/P b/P` header (both sides name the same path without renames). */
function headerPath(header: string): string | undefined {
  if (header.startsWith('"')) {
    const first = unquote(header);
    return first?.startsWith('a/') ? first.slice(2) : undefined;
  }
  const length = (header.length - 5) / 2;
  if (!Number.isInteger(length) || length < 1 || !header.startsWith('a/')) return undefined;
  const path = header.slice(2, 2 + length);
  return header.slice(2 + length) === ` b/${path}` ? path : undefined;
}

