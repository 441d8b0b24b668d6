// The Markdown the project publishes (README.md and docs/*.md), read the way GitHub renders it:
// fenced code blocks with their info strings, headings as anchors, and links.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Page { file: string; text: string }

export interface Block {
  file: string;
  /** Line of the opening fence (1-based). */
  line: number;
  /** The language, the first word of the info string ('' when there is none). */
  lang: string;
  /** The reason given by a `no-test: REASON` annotation in the info string, '' when it has none. */
  noTest: string | undefined;
  /** The body, with the indentation of a block inside a list item taken off. */
  body: string;
  /** The info string after the fence. */
  info: string;
}

/** README.md and every docs/*.md page (ADRs under docs/adr/ are records, not reference). */
export function pages(root: string): Page[] {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
  return ['README.md', ...docs].map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
}

/**
 * The fenced blocks of a page. The info string is `LANG` or `LANG no-test: REASON`: the one
 * annotation this project defines, for a block the docs test cannot exercise; the reason is required.
 */
export function blocks(page: Page): Block[] {
  const lines = page.text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const close = new RegExp(`^\\s*\\${fence[0]}{${fence.length},}\\s*$`);
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !close.test(lines[i]!); i++) body.push(lines[i]!.slice(Math.min(indent.length, lines[i]!.length - lines[i]!.trimStart().length)));
    const lang = /^\s*([\w-]*)/.exec(info)![1]!;
    const annotation = /^\s*[\w-]*\s+no-test:(.*)$/.exec(info);
    out.push({ file: page.file, line: start + 1, lang, noTest: annotation ? annotation[1]!.trim() : undefined, body: body.join('\n') + '\n', info });
  }
  return out;
}

/** The page's lines outside fenced blocks (where headings and links count). */
export function prose(page: Page): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let fence: string | undefined;
  page.text.split('\n').forEach((text, i) => {
    const f = /^\s*(`{3,}|~{3,})/.exec(text);
    if (f) {
      if (!fence) fence = f[1]!;
      else if (text.trim().startsWith(fence)) fence = undefined;
      return;
    }
    if (!fence) out.push({ line: i + 1, text });
  });
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to `-`; repeats get `-1`, `-2`… */
export function anchors(page: Page): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { text } of prose(page)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!h) continue;
    const base = h[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Inline links `[text](target)` in the page's prose, with inline code spans taken out first. */
export function links(page: Page): Array<{ line: number; target: string }> {
  return prose(page).flatMap(({ line, text }) =>
    [...text.replace(/`[^`]*`/g, (m) => (m.includes('](') ? '' : m)).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => ({ line, target: m[1]! })));
}
