// A conflict report as plain text for the CLI: a line for the whole, then one block per other
// branch or pull request. Names and paths may hold control characters; they are shown escaped, so
// none can add a line or move the cursor. Pure.
import type { ConflictOverlap, ConflictReport } from '../types.ts';
import { comparedWords, distanceWords, othersNoun, plural } from './words.ts';

/** `text` on one line: control characters as `\n`, `\t`, `\x1b`. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

function name(o: ConflictOverlap): string {
  const { number, title, branch, author } = o.other;
  const who = author ? ` by ${author}` : '';
  return printable(number !== undefined ? `#${number}${title ? ` ${title}` : ''}${branch ? ` (${branch})` : ''}${who}` : `${branch ?? ''}${who}`);
}

function conflictsWords(o: ConflictOverlap): string {
  if (o.conflicts === undefined) return '';
  if (!o.conflicts) return ', conflicts: no';
  const files = o.conflicted ?? [];
  return files.length ? `, conflicts: yes (${files.map(printable).join(', ')})` : ', conflicts: yes';
}

function block(o: ConflictOverlap): string[] {
  const files = o.files.map((f) => `    ${printable(f.path)}: ${distanceWords(f)}`);
  const more = o.moreFiles ? [`    and ${plural(o.moreFiles, 'more file')}`] : [];
  return [`  ${name(o)}: ${o.level}${conflictsWords(o)}`, ...files, ...more];
}

export function conflictText(r: ConflictReport): string {
  if (r.skipped) return `Merge-conflict risk: not checked; ${printable(r.skipped)}\n`;
  const noun = othersNoun(r);
  const head = `Merge-conflict risk: ${r.level} (${comparedWords(r)})`;
  if (r.overlaps.length === 0) return `${head}\nNo other ${noun.one} touches the same plugin files.\n`;
  const more = r.moreOverlaps ? [`  and ${plural(r.moreOverlaps, `more ${noun.one}`, `more ${noun.many}`)}`] : [];
  return `${[head, ...r.overlaps.flatMap(block), ...more].join('\n')}\n`;
}
