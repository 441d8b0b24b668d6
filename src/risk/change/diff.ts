// Reading git's diff output: `--numstat -z` (lines added and deleted per file) and `-U0`
// patches (the changed line ranges on the head side). Pure; both read a Buffer piece by piece.
import { unquote as quoted } from '../quoted.ts';
import type { LineRange } from './measure.ts';

export interface NumstatEntry {
  /** Repository-relative POSIX path. */
  path: string;
  added: number;
  deleted: number;
  /** git counts no lines in a binary file. */
  binary: boolean;
}

/** The records of `git diff --numstat -z --no-renames`: `<added>\t<deleted>\t<path>\0`. */
export function* numstat(out: Buffer): Generator<NumstatEntry> {
  for (let at = 0; at < out.length;) {
    let end = out.indexOf(0, at);
    if (end < 0) end = out.length;
    const record = out.subarray(at, end).toString('utf8');
    at = end + 1;
    const tab1 = record.indexOf('\t'), tab2 = record.indexOf('\t', tab1 + 1);
    if (tab1 < 0 || tab2 < 0) continue;
    const added = record.slice(0, tab1), deleted = record.slice(tab1 + 1, tab2);
    const binary = added === '-' || deleted === '-';
    yield { path: record.slice(tab2 + 1), added: binary ? 0 : Number(added) || 0, deleted: binary ? 0 : Number(deleted) || 0, binary };
  }
}

const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * The head-side ranges of each file in a `git diff -U0 --src-prefix=a/ --dst-prefix=b/` patch.
 * A pure deletion after line n is the empty range { start: n + 1, end: n }. Deleted files
 * (`+++ /dev/null`) have none.
 */
export function changedRanges(patch: Buffer): Map<string, LineRange[]> {
  const ranges = new Map<string, LineRange[]>();
  let current: LineRange[] | undefined;
  let pending = 0; // lines still to come in the current hunk, which are content, not headers
  for (let at = 0; at < patch.length;) {
    let end = patch.indexOf(0x0a, at);
    if (end < 0) end = patch.length;
    const first = patch[at];
    if (pending > 0) {
      if (first === 0x2b || first === 0x2d || first === 0x20) pending--; // '+', '-', ' '
    } else if (patch.subarray(at, at + 4).toString('latin1') === '+++ ') {
      // git ends the name with a tab when it has a space; a name with a tab in it is quoted.
      const name = patch.subarray(at + 4, end).toString('utf8').replace(/\t$/, '');
      const path = name === '/dev/null' ? undefined : stripPrefix(unquote(name));
      current = path === undefined ? undefined : [];
      if (path !== undefined && current) ranges.set(path, current);
    } else if (first === 0x40) { // '@'
      const m = hunkHeader.exec(patch.subarray(at, Math.min(end, at + 200)).toString('latin1'));
      if (m) {
        const oldLines = m[2] === undefined ? 1 : Number(m[2]);
        const start = Number(m[3]), newLines = m[4] === undefined ? 1 : Number(m[4]);
        pending = oldLines + newLines;
        current?.push(newLines === 0 ? { start: start + 1, end: start } : { start, end: start + newLines - 1 });
      }
    } else if (patch.subarray(at, at + 11).toString('latin1') === 'diff --git ') {
      current = undefined;
    }
    at = end + 1;
  }
  return ranges;
}

const stripPrefix = (name: string) => name.startsWith('b/') ? name.slice(2) : name;

/** A name as git quotes it (`"dir/t\303\251st.py"`, C escapes and octal bytes) back to text; an unquoted name as it is. */
export function unquote(name: string): string {
  return name.startsWith('"') ? quoted(name) ?? name : name;
}
