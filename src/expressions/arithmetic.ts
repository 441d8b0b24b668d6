// Where bash reads a value as arithmetic. Expressions reach a script as environment variables,
// so no value becomes shell text; but bash evaluates the text of a variable it expands in an
// arithmetic context — `$(( ))`, `(( ))` (`for (( ))` too), `$[ ]`, `let`, the operands of
// `[[ … -eq … ]]`, indexed array subscripts (`${#a[…]}` too) and `${s:offset:length}` — and a value such as `a[$(touch x)]` runs a command there. This finds the
// expressions written in such a place, for `validate` to warn about. It reads one line at a
// time, a heuristic: it may miss a context spread over several lines.
import { parseTemplate } from './template.ts';
import { prepareScript } from './script.ts';

export type ArithmeticContext = '$(( ))' | '(( ))' | '$[ ]' | 'let' | '[[ … -eq … ]]' | 'an array subscript' | 'a substring offset';

export interface ArithmeticUse { offset: number; raw: string; context: ArithmeticContext }

/** Stands for every expression while the text around one is read, so their contents do not count. */
const placeholder = 'X';

const commandStart = /(^|[;&|({!]|\b(?:then|do|else|elif|if|while|until|for))\s*$/;

/** Opened `$((` / `((` not closed before the end of `before` (one line, quotes skipped). */
function openArithmetic(before: string, inHeredoc: boolean): ArithmeticContext | undefined {
  const stack: Array<{ kind: '$(( ))' | '(( ))'; depth: number }> = [];
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < before.length; i++) {
    const c = before[i]!;
    const top = stack.at(-1);
    if (!inHeredoc && !top) {
      if (quote === "'") { if (c === "'") quote = ''; continue; }
      if (c === '\\') { i++; continue; }
      if (c === '"') { quote = quote ? '' : '"'; continue; }
      if (c === "'" && !quote) { quote = "'"; continue; }
      if (c === '#' && !quote && /(^|\s)$/.test(before.slice(0, i))) return undefined;
    }
    if (c === '$' && before.startsWith('((', i + 1)) { stack.push({ kind: '$(( ))', depth: 0 }); i += 2; continue; }
    if (c === '(' && before[i + 1] === '(' && !top && !quote && !inHeredoc && commandStart.test(before.slice(0, i))) { stack.push({ kind: '(( ))', depth: 0 }); i += 1; continue; }
    if (!top) continue;
    if (c === '(') top.depth++;
    else if (c === ')') {
      if (top.depth > 0) top.depth--;
      else if (before[i + 1] === ')') { stack.pop(); i++; }
    }
  }
  return stack.at(-1)?.kind;
}

function contextAt(before: string, after: string, inHeredoc: boolean): ArithmeticContext | undefined {
  const open = openArithmetic(before, inHeredoc);
  if (open) return open;
  if (/\$\{[#!]?[A-Za-z_][A-Za-z0-9_]*\[[^\]]*$/.test(before)) return 'an array subscript';
  // ${s:offset:length} (not ${s:-default}, ${s:=…}, ${s:+…}, ${s:?…}), and the old $[ … ].
  if (/\$\{[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?:(?![-=+?])[^}]*$/.test(before)) return 'a substring offset';
  if (/\$\[[^\]]*$/.test(before)) return '$[ ]';
  if (inHeredoc) return undefined;
  if (/(^|[\s;&|(])[A-Za-z_][A-Za-z0-9_]*\[[^\]\s'"]*$/.test(before) && /^[^\]\s]*\]\+?=/.test(after)) return 'an array subscript';
  const segment = before.split(/;|&&|\|\|?/).at(-1) ?? '';
  if (/^\s*(?:(?:then|do|else|!)\s+)*let\s/.test(segment)) return 'let';
  const test = before.lastIndexOf('[[');
  if (test >= 0 && test > before.lastIndexOf(']]')) {
    const left = before.slice(test + 2).split(/&&|\|\||!|\(/).at(-1) ?? '';
    const right = after.split(/&&|\|\||\]\]|\)/)[0] ?? '';
    if (/(^|\s)-(eq|ne|lt|le|gt|ge)(\s|$)/.test(`${left}${placeholder}${right}`)) return '[[ … -eq … ]]';
  }
  return undefined;
}

/** Every expression of `script` that bash would read in an arithmetic context. */
export function arithmeticUses(script: string): ArithmeticUse[] {
  const found = prepareScript(script).expressions;
  // The script with every expression replaced by the placeholder, and where each one now sits.
  let flat = '';
  const at: number[] = [];
  for (const part of parseTemplate(script)) {
    if (part.kind === 'text') flat += part.text;
    else { at.push(flat.length); flat += placeholder; }
  }
  const out: ArithmeticUse[] = [];
  found.forEach((e, i) => {
    if (e.quoting === 'single' || e.quoting === 'literal-heredoc') return;
    const pos = at[i]!;
    const lineStart = flat.lastIndexOf('\n', pos - 1) + 1;
    const lineEnd = flat.indexOf('\n', pos);
    const before = flat.slice(lineStart, pos);
    const after = flat.slice(pos + placeholder.length, lineEnd < 0 ? flat.length : lineEnd);
    const context = contextAt(before, after, e.quoting === 'heredoc');
    if (context) out.push({ offset: e.offset, raw: e.raw, context });
  });
  return out;
}
