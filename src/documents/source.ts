// A parsed YAML document that remembers where every node came from.
import { LineCounter, isMap, isNode, isPair, isScalar, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.ts';
import { duplicateKeys } from './duplicate-keys.ts';
import { defaultLimits, formatBytes, type ParseLimits } from './limits.ts';
import { prescan } from './prescan.ts';
import { controlCharacter, positionOf } from './text.ts';

export type Path = ReadonlyArray<string | number>;

export interface SourceDocument {
  file: string;
  /** Position of the document in a multi-document file, from 0. */
  index: number;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  value: unknown;
}

export interface Parsed {
  documents: SourceDocument[];
  diagnostics: Diagnostic[];
}

/**
 * Parses every document of a YAML text, in time and memory bounded by `limits`: the size, the
 * control characters, the nesting depth and the number of nodes are checked first (linearly), and
 * only a text that passes reaches the YAML library. Duplicate keys are found with a Set per map.
 */
export function parseYaml(file: string, text: string, limits: ParseLimits = defaultLimits): Parsed {
  const refused = refuse(file, text, limits);
  if (refused) return { documents: [], diagnostics: [refused] };
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDocument[] = [];
  // An empty file parses to an empty stream: no documents, nothing wrong.
  const all = Array.isArray(docs) ? docs : [];
  all.forEach((doc, index) => {
    for (const e of doc.errors) diagnostics.push(yamlError(file, lines, e.code === 'MISSING_CHAR' ? openingQuote(doc, e.pos[0]) ?? e.pos[0] : e.pos[0], e.message));
    if (doc.errors.length > 0 || isEmpty(doc)) return;
    const repeated = duplicateKeys(doc);
    for (const d of repeated) diagnostics.push(yamlError(file, lines, d.offset, `Map keys must be unique: \`${d.key.slice(0, 60)}\` is already a key of this map at line ${lines.linePos(d.first).line}`));
    if (repeated.length > 0) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      diagnostics.push(yamlError(file, lines, doc.range[0], `${(e as Error).message.split('\n')[0]}; expected at most 100 alias expansions`));
      return;
    }
    documents.push({ file, index, text, doc, lines, value });
  });
  return { documents, diagnostics };
}

/** What keeps a text from reaching the YAML library: too large, not text, too deep, too many nodes. */
function refuse(file: string, text: string, limits: ParseLimits): Diagnostic | undefined {
  // A UTF-16 unit is at most 3 bytes of UTF-8: only a text that might be too large is measured.
  if (text.length * 3 > limits.maxBytes) {
    const bytes = Buffer.byteLength(text);
    if (bytes > limits.maxBytes) return { file, line: 1, col: 1, code: 'E_TOO_LARGE', message: `the document is ${bytes} bytes; expected at most ${formatBytes(limits.maxBytes)} (limits.documentBytes in pluginops.yml)` };
  }
  const control = controlCharacter(file, text);
  if (control) return control;
  const problem = prescan(text, limits);
  return problem && { file, ...positionOf(text, problem.offset), code: problem.code, message: problem.message };
}

/** A document with nothing in it (a trailing `---`, or only comments) is skipped, like an empty file. */
const isEmpty = (doc: Document.Parsed) => doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);

/** An unclosed quote is reported where it opens, not where the file ends. */
function openingQuote(doc: Document.Parsed, errorAt: number): number | undefined {
  let found: number | undefined;
  visit(doc, { Scalar(_k, n) {
    if ((n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE') && n.range && n.range[1] === errorAt) found = n.range[0];
  } });
  return found;
}

function yamlError(file: string, lines: LineCounter, offset: number, message: string): Diagnostic {
  const { line, col } = lines.linePos(offset);
  return { file, line, col, code: 'E_YAML_SYNTAX', message: message.split('\n')[0] ?? message };
}

/** Line and column of the node at `path`, or of its key when `at` is 'key'. Falls back to the nearest ancestor. */
export function locate(src: SourceDocument, path: Path, at: 'value' | 'key' = 'value'): { line: number; col: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const p = path.slice(0, depth);
    const offset = at === 'key' || depth < path.length ? keyOffset(src, p) ?? nodeOffset(src, p) : nodeOffset(src, p);
    if (offset !== undefined) return src.lines.linePos(offset);
  }
  return { line: 1, col: 1 };
}

function nodeOffset(src: SourceDocument, path: Path): number | undefined {
  const node = path.length === 0 ? src.doc.contents : src.doc.getIn(path, true);
  return isNode(node) && node.range ? node.range[0] : undefined;
}

function keyOffset(src: SourceDocument, path: Path): number | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? src.doc.contents : src.doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = path[path.length - 1];
  const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last));
  const key = pair?.key;
  return isNode(key) && key.range ? key.range[0] : undefined;
}

/** Position of the `occurrence`-th (from 0) `needle` inside the source text of the scalar at `path`. */
export function locateWithin(src: SourceDocument, path: Path, needle: string, occurrence = 0): { line: number; col: number } {
  const node = src.doc.getIn(path, true) as Node | undefined;
  if (isNode(node) && node.range) {
    const raw = src.text.slice(node.range[0], node.range[1]);
    let at = raw.indexOf(needle);
    for (let k = 0; k < occurrence && at >= 0; k++) at = raw.indexOf(needle, at + 1);
    if (at >= 0) return src.lines.linePos(node.range[0] + at);
  }
  return locate(src, path);
}

/** How many times `needle` occurs in `text` before `offset`. */
export const occurrencesBefore = (text: string, needle: string, offset: number): number => {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0 && at < offset; at = text.indexOf(needle, at + 1)) n++;
  return n;
};
