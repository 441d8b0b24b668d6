// The workflows and action plans the API knows: the project's documents first, then the
// templates shipped in pluginops' `pipelines/` (a project document with the same id wins), as
// `pluginops run ID` finds them. Unlike the command line, a name here is only ever an id, never
// a file path, so a request cannot point the loader at an arbitrary file.
//
// Documents are read at each call: an edit on disk (or a PUT) is seen by the next request.
import type { DocumentRegistry } from '../../documents/registry.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidDocumentsError, type Diagnostic } from '../../documents/diagnostics.ts';
import type { DocumentSet } from '../../documents/document-set.ts';
import { emptySet } from '../../documents/document-set.ts';
import { loadDocuments } from '../../documents/load.ts';
import type { Project } from '../../project/load.ts';
import { packageRoot, templatesDir } from '../../documents/package-root.ts';
import { UnknownWorkflowError, type Runnable } from '../../project/workflows.ts';

export type Source = 'project' | 'template';

export interface CatalogEntry {
  id: string;
  kind: Runnable['kind'];
  name?: string;
  description?: string;
  /** Relative to the project root, or to the package for templates. */
  file: string;
  /** Absolute. */
  path: string;
  source: Source;
  runnable: Runnable;
  /** The documents it was found among (their health checks serve plugin/monitor). */
  set: DocumentSet;
}

export interface Catalog {
  entries: CatalogEntry[];
  /** Diagnostics of the project's documents; templates always validate. */
  problems: Diagnostic[];
}

export async function readCatalog(project: Project, registry: DocumentRegistry): Promise<Catalog> {
  const own = project.documentPaths.length ? await loadDocuments(project.documentPaths, project.root, { limits: project.documentLimits, registry }) : { set: emptySet(), diagnostics: [] };
  const templates = existsSync(templatesDir()) ? await loadDocuments([templatesDir()], packageRoot(), { registry }) : { set: emptySet(), diagnostics: [] };
  const entries = [...entriesOf(own.set, 'project', project.root)];
  const taken = new Set(entries.map((e) => e.id));
  for (const e of entriesOf(templates.set, 'template', packageRoot())) if (!taken.has(e.id)) entries.push(e);
  return { entries: entries.sort((a, b) => a.id.localeCompare(b.id) || a.kind.localeCompare(b.kind)), problems: own.diagnostics };
}

function* entriesOf(set: DocumentSet, source: Source, base: string): Generator<CatalogEntry> {
  for (const runnable of [...set.Workflow.values(), ...set.ActionPlan.values()]) {
    const { metadata } = runnable.doc;
    yield {
      id: runnable.id, kind: runnable.kind, file: runnable.src.file, path: resolve(base, runnable.src.file), source, runnable, set,
      ...(metadata.name !== undefined ? { name: metadata.name } : {}), ...(metadata.description !== undefined ? { description: metadata.description } : {}),
    };
  }
}

/** The entry for `id` (a Workflow before an ActionPlan of the same id, like the command line). */
export const findEntry = (catalog: Catalog, id: string): CatalogEntry | undefined =>
  catalog.entries.find((e) => e.id === id && e.kind === 'Workflow') ?? catalog.entries.find((e) => e.id === id);

/**
 * The plan a run names, for the run supervisor: like `pluginops run`, nothing is found while the
 * project's documents do not validate; unlike it, only an id, never a file path.
 */
export async function findRunnable(project: Project, id: string, registry: DocumentRegistry): Promise<CatalogEntry> {
  const catalog = await readCatalog(project, registry);
  if (catalog.problems.length) throw new InvalidDocumentsError(catalog.problems);
  const entry = findEntry(catalog, id);
  if (!entry) throw new UnknownWorkflowError(`no workflow or action plan \`${id}\`; expected one of: ${[...new Set(catalog.entries.map((e) => e.id))].join(', ') || '(none found)'}`);
  return entry;
}
