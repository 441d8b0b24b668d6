// Turns a `run:` script into the text the shell receives. Every `${{ … }}` becomes a reference
// to an environment variable that carries the value, so no value is ever shell text. The
// reference is written for the quoting around it, so the value arrives exactly as it is:
// unquoted → "${V}", inside "…" or a heredoc → ${V}, inside '…' → '"${V}"'.
import { parseTemplate } from './template.ts';

export interface PreparedScript {
  text: string;
  /** Environment variable name → expression source, with where it sits in the script and the quoting around it. */
  expressions: Array<{ name: string; source: string; offset: number; raw: string; quoting: Quoting }>;
  /** Expressions that cannot reach the script (inside a heredoc with a quoted delimiter). */
  problems: Array<{ offset: number; message: string }>;
}

export type Quoting = 'none' | 'single' | 'double' | 'heredoc' | 'literal-heredoc';

const reference: Record<Quoting, (name: string) => string> = {
  none: (n) => `"\${${n}}"`,
  double: (n) => `\${${n}}`,
  heredoc: (n) => `\${${n}}`,
  single: (n) => `'"\${${n}}"'`,
  'literal-heredoc': (n) => `\${${n}}`,
};

/** Follows the shell's quoting through a script, one chunk of text at a time. */
class QuoteTracker {
  state: Quoting = 'none';
  private escaped = false;
  private pending: Array<{ delimiter: string; literal: boolean; strip: boolean }> = [];
  private heredoc?: { delimiter: string; strip: boolean };
  private line = '';
  private comment = false;

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\n') { this.endLine(); continue; }
      this.line += c;
      if (this.state === 'heredoc' || this.state === 'literal-heredoc') continue;
      if (this.escaped) { this.escaped = false; continue; }
      if (this.comment) continue;
      if (this.state === 'single') { if (c === "'") this.state = 'none'; continue; }
      if (this.state === 'double') {
        if (c === '\\') this.escaped = true; else if (c === '"') this.state = 'none';
        continue;
      }
      if (c === '\\') this.escaped = true;
      else if (c === "'") this.state = 'single';
      else if (c === '"') this.state = 'double';
      else if (c === '#' && /(^|\s)$/.test(this.line.slice(0, -1))) this.comment = true;
      else if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
        const m = /^<<(-?)[ \t]*(['"]?)([A-Za-z0-9_]+)\2/.exec(text.slice(i));
        if (m) { this.pending.push({ delimiter: m[3]!, literal: m[2] !== '', strip: m[1] === '-' }); i += m[0].length - 1; this.line += m[0].slice(1); }
      }
    }
  }

  private endLine(): void {
    const line = this.line;
    this.line = '';
    this.comment = false;
    if (this.heredoc) {
      const body = this.heredoc.strip ? line.replace(/^\t+/, '') : line;
      if (body === this.heredoc.delimiter) { this.heredoc = undefined; this.state = 'none'; }
      else return;
    }
    const next = this.pending.shift();
    if (next && this.state === 'none') {
      this.heredoc = next;
      this.state = next.literal ? 'literal-heredoc' : 'heredoc';
    }
  }
}

export function prepareScript(script: string): PreparedScript {
  const expressions: PreparedScript['expressions'] = [];
  const problems: PreparedScript['problems'] = [];
  const quotes = new QuoteTracker();
  const text = parseTemplate(script).map((part) => {
    if (part.kind === 'text') { quotes.feed(part.text); return part.text; }
    const name = `PLUGINOPS_EXPR_${expressions.length + 1}`;
    expressions.push({ name, source: part.source, offset: part.offset, raw: part.raw, quoting: quotes.state });
    if (quotes.state === 'literal-heredoc') problems.push({ offset: part.offset, message: `\`${part.raw}\` sits in a heredoc whose delimiter is quoted, where the shell expands nothing; expected an unquoted delimiter (<<EOF) or an env: variable` });
    return reference[quotes.state](name);
  }).join('');
  return { text, expressions, problems };
}
