// Loading documents: files → YAML with positions → schema and rules → a DocumentSet, with
// every problem collected (not only the first).
import type { DocumentRegistry } from './registry.ts';
import { checkDocument } from './check.ts';
import { displayPath } from './display.ts';
import { sortDiagnostics, splitWarnings, type Diagnostic } from './diagnostics.ts';
import { addTo, allDocuments, emptySet, type DocumentSet } from './document-set.ts';
import { expandPaths } from './files.ts';
import { duplicateIds, knownReferences } from './rules/documents.ts';
import { withDefaults, type ParseLimits } from './limits.ts';
import { parseYaml, type SourceDocument } from './source.ts';
import { readDocumentFile } from './text.ts';

export interface LoadResult {
  set: DocumentSet;
  /** Problems: documents with any of them are not valid. */
  diagnostics: Diagnostic[];
  /** Reported by `validate`; they never make a document invalid. */
  warnings: Diagnostic[];
}

export interface LoadOptions {
  /** The step types and per-kind rules documents are checked against. */
  registry: DocumentRegistry;
  /** What one file may cost to parse; defaults for anything left out. */
  limits?: Partial<ParseLimits>;
  /** Stops reading further files once aborted (the result then holds what was read). */
  signal?: AbortSignal;
}

/** Loads documents from files and directories. File names in diagnostics are relative to `cwd`. */
export async function loadDocuments(paths: string[], cwd: string, options: LoadOptions): Promise<LoadResult> {
  const limits = withDefaults(options.limits);
  const { files, diagnostics } = await expandPaths(paths, cwd);
  const sources: SourceDocument[] = [];
  for (const file of files) {
    if (options.signal?.aborted) break;
    const name = displayPath(cwd, file);
    let read: Awaited<ReturnType<typeof readDocumentFile>>;
    try { read = await readDocumentFile(file, name, limits.maxBytes); } catch (e) {
      diagnostics.push({ file: name, line: 1, col: 1, code: 'E_FILE_UNREADABLE', message: `cannot read the file: ${(e as Error).message}` });
      continue;
    }
    if ('problem' in read) { diagnostics.push(read.problem); continue; }
    const parsed = parseYaml(name, read.text, limits);
    diagnostics.push(...parsed.diagnostics);
    sources.push(...parsed.documents.filter((d) => !isProjectFile(d)));
  }
  // Stopped: what was read is not checked further (the caller is on its way out).
  if (options.signal?.aborted) return { set: emptySet(), diagnostics: sortDiagnostics(diagnostics), warnings: [] };
  return checkSources(sources, diagnostics, options.registry);
}

/** Loads documents from text already in memory (the API's bodies, tests). */
export function loadText(file: string, text: string, registry: DocumentRegistry, limits?: Partial<ParseLimits>): LoadResult {
  const parsed = parseYaml(file, text, withDefaults(limits));
  return checkSources(parsed.documents, parsed.diagnostics, registry);
}

function checkSources(sources: SourceDocument[], diagnostics: Diagnostic[], registry: DocumentRegistry): LoadResult {
  const set = emptySet();
  const loaded = [];
  const invalid = new Set<string>();
  for (const src of sources) {
    const checked = checkDocument(src, registry);
    diagnostics.push(...checked.diagnostics);
    if (checked.loaded) loaded.push(checked.loaded);
    else invalid.add(claimedKey(src.value));
  }
  diagnostics.push(...duplicateIds(loaded));
  for (const d of loaded) if (!set[d.kind].has(d.id)) addTo(set, d);
  // A reference to a document that exists but has its own errors is not reported again.
  diagnostics.push(...knownReferences(set).filter((d) => !invalid.has(d.reference)).map(({ reference: _r, ...d }) => d));
  const split = splitWarnings(diagnostics);
  return { set, diagnostics: sortDiagnostics(split.diagnostics), warnings: sortDiagnostics(split.warnings) };
}

/** `Kind/id` a document says it is, even when it did not validate. */
function claimedKey(value: unknown): string {
  const v = value as { kind?: unknown; metadata?: { id?: unknown } } | null;
  return `${String(v?.kind)}/${String(v?.metadata?.id)}`;
}

/** `pluginops.yml` may sit among the documents; it is read by the project loader instead. */
const isProjectFile = (d: SourceDocument) => (d.value as { kind?: unknown } | null)?.kind === 'Project';

export { allDocuments };
