// The shell lines of a docs block, read the way a POSIX shell splits them: comments, quotes,
// `&&` between commands, and `$NAME` expanded outside single quotes. A comment may state the exit
// code the command ends with, as `(exit N)`; without one the docs imply 0.

export interface Word { text: string; /** Whether `$NAME` in it expands (it was not single-quoted). */ expands: boolean }

export interface Command {
  /** Line of the block (1-based, in the Markdown file). */
  line: number;
  words: Word[];
  /** The exit code the docs give for the line: `(exit N)` in its comment, else 0. */
  exit: number;
  source: string;
}

/** Splits one line into commands; the comment's `(exit N)` applies to each of them. */
export function parseLine(source: string, line: number): Command[] {
  const commands: Command[] = [];
  let words: Word[] = [];
  let cur = '', expands = true, inWord = false, quote: '"' | "'" | undefined;
  let comment = '';
  const endWord = () => {
    if (inWord) words.push({ text: cur, expands });
    cur = ''; expands = true; inWord = false;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < source.length) cur += source[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') { quote = c; inWord = true; if (c === "'") expands = false; continue; }
    if (c === '#' && !inWord) { comment = source.slice(i); break; }
    if (c === ' ' || c === '\t') { endWord(); continue; }
    if (c === '&' && source[i + 1] === '&') { endWord(); commands.push({ line, words, exit: 0, source: '' }); words = []; i++; continue; }
    if (c === ';') { endWord(); commands.push({ line, words, exit: 0, source: '' }); words = []; continue; }
    if (c === '\\' && i + 1 < source.length) { cur += source[++i]; inWord = true; continue; }
    cur += c; inWord = true;
  }
  if (quote) throw new Error(`line ${line}: unterminated ${quote} in: ${source}`);
  endWord();
  commands.push({ line, words, exit: 0, source: '' });
  const exit = /\(exit (\d+)\)/.exec(comment);
  return commands.filter((c) => c.words.length).map((c) => ({ ...c, exit: exit ? Number(exit[1]) : 0, source: source.trim() }));
}

/** Every command of a block body, `firstLine` being the Markdown line of the body's first line. */
export function parseBlock(body: string, firstLine: number): Command[] {
  return body.split('\n').flatMap((l, i) => (l.trim() ? parseLine(l, firstLine + i) : []));
}

/** The word's text with `$NAME` / `${NAME}` replaced from `vars` where it expands. */
export function expand(w: Word, vars: Record<string, string>): string {
  if (!w.expands) return w.text;
  return w.text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, name: string) => vars[name] ?? m);
}
