// A conflict report as Markdown, for the Action's job summary and pull request comment. Titles,
// branches and paths come from other people's pull requests: every one is escaped, so none can
// break the table, add a line, open HTML, start a link or mention anyone. Pure.
import type { ConflictOverlap, ConflictReport } from '../types.ts';
import { comparedWords, distanceWords, othersNoun, plural } from './words.ts';

/** Characters of a title shown at most. */
export const maxTitle = 120;

const markdownSpecial = /[\\`*_{}[\]()<>|~&$!"'#]/g;

/** Plain text that Markdown and HTML show as it is, on one line, mentioning nobody. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(markdownSpecial, (c) => `&#${c.charCodeAt(0)};`)
    // A word joiner after @ keeps "@someone" from notifying them.
    .replace(/@/g, '@\u2060');
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** An http(s) URL safe inside `(…)`, or undefined. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).href.replace(/[()<>\s"'|\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  } catch {
    return undefined;
  }
}

function otherCell(o: ConflictOverlap): string {
  const { number, title, url, branch } = o.other;
  const text = number !== undefined ? `#${number}${title ? ` ${escapeMarkdown(truncate(title, maxTitle))}` : ''}` : escapeMarkdown(branch ?? '');
  const href = safeUrl(url);
  return href ? `[${text}](${href})` : text;
}

function levelCell(o: ConflictOverlap): string {
  return o.conflicts === undefined ? o.level : `${o.level}, ${o.conflicts ? 'git conflicts' : 'git merges cleanly'}`;
}

function filesCell(o: ConflictOverlap): string {
  const lines = o.files.map((f) => `${escapeMarkdown(f.path)}: ${distanceWords(f)}`);
  if (o.moreFiles) lines.push(`and ${plural(o.moreFiles, 'more file')}`);
  return lines.join('<br>');
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function conflictMarkdown(r: ConflictReport): string {
  const heading = `### Merge-conflict risk: ${r.skipped ? 'not checked' : r.level}`;
  if (r.skipped) return `${heading}\n\n${escapeMarkdown(capitalized(r.skipped.replace(/[.\s]+$/, '')))}.\n`;
  const noun = othersNoun(r);
  if (r.overlaps.length === 0) {
    return `${heading}\n\nNo other ${noun.one} touches the same plugin files (${comparedWords(r)}).\n`;
  }
  const total = r.overlaps.length + (r.moreOverlaps ?? 0);
  const header = `| ${noun.column} | Risk | Files |\n| --- | --- | --- |`;
  const rows = r.overlaps.map((o) => `| ${otherCell(o)} | ${levelCell(o)} | ${filesCell(o)} |`);
  const more = r.moreOverlaps ? [`| and ${plural(r.moreOverlaps, `more ${noun.one}`, `more ${noun.many}`)} | | |`] : [];
  const touching = `${plural(total, `other ${noun.one}`, `other ${noun.many}`)} ${total === 1 ? 'touches' : 'touch'} the same plugin files`;
  return `${heading}\n\n${touching} (${comparedWords(r)}).\n\n${[header, ...rows, ...more].join('\n')}\n`;
}
