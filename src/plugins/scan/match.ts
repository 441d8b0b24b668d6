// Rules against the lines of one file: for each line and rule, the leftmost match of any of the
// rule's expressions, unless `notPattern` matches the line or (for code rules) the match sits in
// a comment.
import { commentStart, type FileLanguage } from './comments.ts';
import { lineHash, snippetOf, type Finding } from './finding.ts';
import type { CompiledRule } from './rule-file.ts';

export const appliesTo = (rule: CompiledRule, language: FileLanguage): boolean =>
  rule.languages.has('any') || (language !== 'other' && rule.languages.has(language));

export function matchLines(file: string, lines: readonly string[], language: FileLanguage, rules: readonly CompiledRule[]): Finding[] {
  const active = rules.filter((r) => appliesTo(r, language));
  const out: Finding[] = [];
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    let comment: number | undefined;
    for (const rule of active) {
      const m = leftmost(rule.patterns, text);
      if (!m) continue;
      if (rule.notPattern?.test(text)) continue;
      if (rule.category === 'code' && m.index >= (comment ??= commentAt(text, language))) continue;
      out.push({
        ruleId: rule.id, severity: rule.severity, file, line: i + 1, col: m.index + 1,
        message: rule.message, fix: rule.fix, ...(rule.cwe ? { cwe: rule.cwe } : {}),
        snippet: snippetOf(text, m.index, m.length, rule.category === 'secret'), lineHash: lineHash(text),
      });
    }
  });
  return out;
}

/** Comment start, or Infinity when the line has none. */
function commentAt(text: string, language: FileLanguage): number {
  const at = commentStart(text, language);
  return at < 0 ? Infinity : at;
}

function leftmost(patterns: readonly RegExp[], text: string): { index: number; length: number } | undefined {
  let best: { index: number; length: number } | undefined;
  for (const re of patterns) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m && (!best || m.index < best.index)) best = { index: m.index, length: m[0].length };
  }
  return best;
}
