// A linear pre-scan of YAML text that bounds what the YAML library will be asked to build:
// nesting depth (block indentation levels plus open `[` / `{`) and the number of nodes (keys,
// list items, flow entries, documents). It reads the text once, keeps a stack no deeper than
// the limit, and stops at the first excess, which it reports at its offset.
//
// It knows enough YAML to skip what cannot nest: comments, quoted scalars, block scalars (`|`,
// `>`) and plain scalars (a `[` inside `run: echo [x]` is text). It errs on the side of counting
// more, never less: a level is counted for every node start on a line (so a flat map of scalars
// counts two), which is why the depth limit is generous. Whatever it accepts, the library then
// parses in time and memory proportional to the (already size-capped) text.
import type { ParseLimits } from './limits.ts';

export interface ScanProblem {
  offset: number;
  code: 'E_TOO_DEEP' | 'E_TOO_MANY_NODES';
  message: string;
}

const SP = 32, TAB = 9, LF = 10, CR = 13;
const HASH = 35, DQ = 34, SQ = 39, LBRACK = 91, RBRACK = 93, LBRACE = 123, RBRACE = 125, COMMA = 44, COLON = 58;
const DASH = 45, QMARK = 63, PIPE = 124, GT = 62, AMP = 38, BANG = 33, STAR = 42, PCT = 37, DOT = 46;

class Stop { constructor(readonly problem: ScanProblem) {} }

export function prescan(text: string, limits: Pick<ParseLimits, 'maxDepth' | 'maxNodes'>): ScanProblem | undefined {
  const n = text.length;
  const stack: number[] = []; // columns of the block nodes open on the current path
  let i = 0, lineStart = 0, flow = 0, nodes = 0;

  const at = (k: number) => (k < n ? text.charCodeAt(k) : LF);
  const isBlank = (c: number) => c === SP || c === TAB || c === CR;
  const isEnd = (c: number) => c === LF || i >= n;
  const isSep = (c: number) => isBlank(c) || c === LF;
  const isFlowChar = (c: number) => c === COMMA || c === LBRACK || c === RBRACK || c === LBRACE || c === RBRACE;
  const newline = () => { i++; lineStart = i; };
  const toEol = () => { while (i < n && text.charCodeAt(i) !== LF) i++; };
  const node = () => {
    if (++nodes > limits.maxNodes) throw new Stop({ offset: i, code: 'E_TOO_MANY_NODES', message: `more than ${limits.maxNodes} keys and items; expected a smaller document (limits.documentNodes in pluginops.yml)` });
  };
  const deeper = () => {
    if (stack.length + flow > limits.maxDepth) throw new Stop({ offset: i, code: 'E_TOO_DEEP', message: `nesting deeper than ${limits.maxDepth} levels; expected a flatter document (limits.documentDepth in pluginops.yml)` });
  };

  /** `---` or `...` at column 0 of the line starting at `k`: a document boundary, whatever came before. */
  const markerAt = (k: number) => {
    const c = at(k);
    return (c === DASH || c === DOT) && at(k + 1) === c && at(k + 2) === c && isSep(at(k + 3));
  };

  /**
   * A quoted scalar from its opening quote; may span lines. It ends, even unclosed, before a line
   * that is a document marker or (in block context) not indented past `owner`, as the YAML
   * library then reads that line as structure: `i` is left on the line feed before it, so the
   * line is scanned as structure here too.
   */
  const quoted = (owner = -1) => {
    const q = text.charCodeAt(i++);
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LF) {
        const next = i + 1;
        let k = next;
        while (k < n && text.charCodeAt(k) === SP) k++;
        const blankLine = k >= n || isSep(text.charCodeAt(k));
        if (markerAt(next) || (flow === 0 && !blankLine && k - next <= owner)) return;
        newline();
      }
      else if (q === DQ && c === 92 /* \ */) i += 2;
      else if (c === q) { if (q === SQ && at(i + 1) === SQ) i += 2; else { i++; return; } }
      else i++;
    }
  };

  /** An anchor, tag or alias token. */
  const token = () => { i++; while (i < n && !isSep(text.charCodeAt(i)) && !isFlowChar(text.charCodeAt(i))) i++; };

  /** A flow collection from its opening bracket to the matching close (or the end of the text). */
  const flowCollection = () => {
    let start = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LF) { newline(); continue; }
      if (isBlank(c)) { i++; continue; }
      if (c === LBRACK || c === LBRACE) { flow++; node(); deeper(); i++; start = true; continue; }
      if (c === RBRACK || c === RBRACE) { flow--; i++; start = false; if (flow === 0) return; continue; }
      if (c === COMMA) { node(); i++; start = true; continue; }
      if (c === HASH && (i === lineStart || isSep(at(i - 1)))) { toEol(); continue; }
      if (c === COLON) { i++; start = true; continue; }
      if (start && (c === DQ || c === SQ)) { quoted(); start = false; continue; }
      if (start && (c === AMP || c === BANG)) { token(); continue; }
      if (start && (c === DASH || c === QMARK) && isSep(at(i + 1))) { i++; continue; }
      start = false;
      i++;
    }
  };

  /** A block scalar from its `|` or `>` header; `owner` is the column of the node it belongs to. */
  const blockScalar = (owner: number) => {
    toEol();
    let indent = -1;
    while (i < n) {
      const start = i + 1;
      let k = start;
      while (k < n && text.charCodeAt(k) === SP) k++;
      let e = k;
      while (e < n && isBlank(text.charCodeAt(e))) e++;
      if (e >= n) { i = n; return; }
      if (markerAt(start)) return;
      if (text.charCodeAt(e) !== LF) {
        const ind = k - start;
        if (indent < 0) { if (ind <= owner) return; indent = ind; } else if (ind < indent) return;
      }
      newline();
      toEol();
    }
  };

  /** The rest of a line in block context, from a node start at column `i - lineStart`. */
  const blockLine = () => {
    let first = true;
    for (;;) {
      while (i < n && isBlank(text.charCodeAt(i))) i++;
      const c = at(i);
      if (isEnd(c)) return;
      if (c === HASH) { toEol(); return; }
      const col = i - lineStart;
      if (first) { while (stack.length && stack[stack.length - 1]! >= col) stack.pop(); first = false; }
      if (c === PIPE || c === GT) { blockScalar(stack.length ? stack[stack.length - 1]! : -1); return; }
      // A flow collection counts its own levels (`flow`), not a block level as well.
      if (c === LBRACK || c === LBRACE) { flowCollection(); if (!afterNode()) return; continue; }
      if (!stack.length || stack[stack.length - 1]! < col) { stack.push(col); deeper(); }
      if ((c === DASH || c === QMARK || c === COLON) && isSep(at(i + 1))) { node(); i++; continue; }
      if (c === AMP || c === BANG) { token(); continue; }
      if (c === DQ || c === SQ) { quoted(stack.length > 1 ? stack[stack.length - 2]! : -1); if (!afterNode()) return; continue; }
      if (c === STAR) { token(); if (!afterNode()) return; continue; }
      if (!plain()) return;
    }
  };

  /** After a complete node on the line: true when a `: ` follows (a value comes next). */
  const afterNode = (): boolean => {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    if (at(i) === COLON && isSep(at(i + 1))) { node(); i++; return true; }
    toEol();
    return false;
  };

  /** A plain scalar in block context: true when it was a key (`: ` follows), false at the end of the line. */
  const plain = (): boolean => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LF) return false;
      if (c === COLON && isSep(at(i + 1))) { node(); i++; return true; }
      if (c === HASH && isBlank(at(i - 1))) { toEol(); return false; }
      i++;
    }
    return false;
  };

  try {
    while (i < n) {
      let k = i;
      while (k < n && text.charCodeAt(k) === SP) k++;
      const c = at(k);
      const marker = k === i && markerAt(k);
      if (marker) {
        stack.length = 0;
        if (c === DASH) node();
        i = k + 3;
        blockLine();
      } else if (k === i && c === PCT) toEol();
      else blockLine();
      if (i < n) newline();
    }
  } catch (e) {
    if (e instanceof Stop) return e.problem;
    throw e;
  }
  return undefined;
}
