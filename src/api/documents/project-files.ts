// What the project's files hold, as the writes of the API need it: the documents as they load
// today (the file that defines a kind and id), whether a file holds only one document, and the
// switch that forbids writes altogether.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DocumentRegistry } from '../../documents/registry.ts';
import { emptySet } from '../../documents/document-set.ts';
import { displayPath } from '../../documents/display.ts';
import { loadDocuments, type LoadResult } from '../../documents/load.ts';
import type { DocumentKind } from '../../documents/schema/index.ts';
import { parseYaml } from '../../documents/source.ts';
import { readDocumentFile } from '../../documents/text.ts';
import type { Project } from '../../project/load.ts';
import { ApiError } from '../errors.ts';

/** The project's documents, read from disk now (a write or an edit is seen by the next call). */
export async function projectDocuments(project: Project, registry: DocumentRegistry): Promise<LoadResult> {
  if (!project.documentPaths.length) return { set: emptySet(), diagnostics: [], warnings: [] };
  return loadDocuments(project.documentPaths, project.root, { limits: project.documentLimits, registry });
}

/** 409 `document-writes-off` when pluginops.yml says `server.documentWrites: false`. */
export function mustAllowWrites(project: Project): void {
  if (project.config.server?.documentWrites === false) {
    throw new ApiError('conflict', 'this project forbids changing documents through the API (`server.documentWrites: false` in pluginops.yml); change the files and commit them instead',
      { reason: 'document-writes-off' });
  }
}

/** The first `documents:` entry that is a directory (default `pipelines`), absolute. */
export function documentsDir(project: Project): string {
  const entry = (project.config.documents ?? ['pipelines']).find((d) => !/\.ya?ml$/i.test(d));
  if (entry === undefined) throw new ApiError('conflict', 'every `documents:` entry of pluginops.yml is a file; list a directory to write documents in', { reason: 'no-documents-directory' });
  return resolve(project.root, entry);
}

/**
 * Refuses (409 `file-holds-other-documents`) a file that holds anything but the one document
 * `kind`/`id`: it is replaced or removed whole, so nothing else in it may be lost. A missing file
 * passes.
 */
export async function mustHoldOnly(project: Project, path: string, kind: DocumentKind, id: string): Promise<void> {
  if (!existsSync(path)) return;
  const name = displayPath(project.root, path);
  const read = await readDocumentFile(path, name, project.documentLimits.maxBytes);
  const parsed = 'problem' in read ? { documents: [], diagnostics: [read.problem] } : parseYaml(name, read.text, project.documentLimits);
  const docs = parsed.documents.map((d) => d.value as { kind?: unknown; metadata?: { id?: unknown } } | null);
  const only = docs.length === 1 && parsed.diagnostics.length === 0 && docs[0]?.kind === kind && docs[0].metadata?.id === id;
  if (!only) {
    throw new ApiError('conflict', `${name} holds other documents besides the ${kind} \`${id}\` (or is not valid YAML); it is only ever replaced or removed whole, so edit it on disk`,
      { reason: 'file-holds-other-documents', file: name });
  }
}
