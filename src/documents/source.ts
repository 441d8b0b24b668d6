// A parsed YAML document that remembers where every node came from.
import { LineCounter, isMap, isNode, isPair, isScalar, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.ts';

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

export function parseYaml(file: string, text: string): Parsed {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDocument[] = [];
  // An empty file parses to an empty stream: no documents, nothing wrong.
  const all = Array.isArray(docs) ? docs : [];
  all.forEach((doc, index) => {
    for (const e of doc.errors) diagnostics.push(yamlError(file, lines, e.pos[0], e.message));
    if (doc.errors.length === 0 && doc.contents !== null) {
      documents.push({ file, index, text, doc, lines, value: doc.toJS({ maxAliasCount: 100 }) });
    }
  });
  return { documents, diagnostics };
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

/** Position of `needle` inside the source text of the scalar at `path` (for expressions). */
export function locateWithin(src: SourceDocument, path: Path, needle: string): { line: number; col: number } {
  const node = src.doc.getIn(path, true) as Node | undefined;
  if (isNode(node) && node.range) {
    const raw = src.text.slice(node.range[0], node.range[1]);
    const at = raw.indexOf(needle);
    if (at >= 0) return src.lines.linePos(node.range[0] + at);
  }
  return locate(src, path);
}
