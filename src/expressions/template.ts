// Splits a string into literal text and `${{ … }}` expressions, keeping each one's offset.
import { PluginopsError } from '../errors/base.ts';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; source: string; offset: number; raw: string };

export class TemplateError extends PluginopsError {
  readonly code = 'E_EXPRESSION';
  readonly kind = 'invalid';
  constructor(message: string, readonly offset: number) { super(message); }
}

/** Finds the `}}` that closes an expression, skipping `}}` inside single-quoted strings. */
function closingBraces(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'") inString = !inString;
    else if (!inString && c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf('${{', at);
    if (open < 0) break;
    const close = closingBraces(text, open + 3);
    if (close < 0) throw new TemplateError('found `${{` without a closing `}}`', open);
    if (open > at) parts.push({ kind: 'text', text: text.slice(at, open) });
    parts.push({ kind: 'expr', source: text.slice(open + 3, close).trim(), offset: open, raw: text.slice(open, close + 2) });
    at = close + 2;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}

export const hasExpression = (text: string): boolean => text.includes('${{');

/** `if:` may be written with or without `${{ }}`; both mean the same expression. */
export function unwrapCondition(text: string): string {
  const t = text.trim();
  const parts = t.startsWith('${{') ? parseTemplate(t) : [];
  return parts.length === 1 && parts[0]?.kind === 'expr' ? parts[0].source : t;
}
