// Saving a workflow or action plan sent to `PUT /api/workflows/{id}`.
//
// The body is checked by check-body.ts (like a file, with positions in the body), through the
// `DocumentChecker` the server was given (a worker thread in `serve`). It is written to
// `<first documents directory>/<id>.yml` (the directory is created if missing) through a temp
// file, fsync and rename, so a reader sees the old file or the new one, never half of either.
//
// Refused with 409 rather than written: an id the project already defines in another file (the
// project would then hold it twice), or an existing `<id>.yml` that holds anything else.
import type { DocumentRegistry } from '../../documents/registry.ts';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { displayPath } from '../../documents/display.ts';
import { parseYaml } from '../../documents/source.ts';
import { readDocumentFile } from '../../documents/text.ts';
import type { Project } from '../../project/load.ts';
import { replaceFile } from '../../store/append-log.ts';
import { checkPathId, insideRoot } from '../../store/paths.ts';
import type { DocumentText } from '../route.ts';
import { ApiError } from '../errors.ts';
import { readCatalog, type CatalogEntry } from './catalog.ts';
import type { DocumentChecker } from './checker.ts';

export interface Saved {
  id: string;
  kind: CatalogEntry['kind'];
  file: string;
  created: boolean;
}

const isRunnableKind = (k: string): k is CatalogEntry['kind'] => k === 'Workflow' || k === 'ActionPlan';

/** Throws PathError E_BAD_ID (400) for an id that is not a document id, before the body is checked. */
export async function saveWorkflow(project: Project, id: string, body: DocumentText, checker: DocumentChecker, registry: DocumentRegistry): Promise<Saved> {
  checkPathId('document', id);
  const verdict = await checker.check({ id, text: body.text, media: body.media, limits: project.documentLimits });
  if (!verdict.ok) throw new ApiError(verdict.problem, verdict.message, verdict.details);
  const dir = documentsDir(project);
  const target = insideRoot(dir, `${id}.yml`);
  const elsewhere = (await readCatalog(project, registry)).entries.find((e) => e.source === 'project' && e.id === id && e.path !== target);
  if (elsewhere) throw new ApiError('conflict', `\`${id}\` is already defined in ${elsewhere.file}; edit that file, or remove it first`, { reason: 'defined-elsewhere', file: elsewhere.file });
  const created = !existsSync(target);
  if (!created) await mustHoldOnly(target, id, displayPath(project.root, target), project);
  await mkdir(dir, { recursive: true });
  await replaceFile(target, verdict.text);
  return { id, kind: verdict.kind, file: displayPath(project.root, target), created };
}

/** The first `documents:` entry that is a directory (default `pipelines`), absolute. */
function documentsDir(project: Project): string {
  const entry = (project.config.documents ?? ['pipelines']).find((d) => !/\.ya?ml$/i.test(d));
  if (entry === undefined) throw new ApiError('conflict', 'every `documents:` entry of pluginops.yml is a file; list a directory to save workflows in', { reason: 'no-documents-directory' });
  return resolve(project.root, entry);
}

/** An existing `<id>.yml` is replaced only when it holds just the document of that id. */
async function mustHoldOnly(path: string, id: string, name: string, project: Project): Promise<void> {
  const read = await readDocumentFile(path, name, project.documentLimits.maxBytes);
  const parsed = 'problem' in read ? { documents: [], diagnostics: [read.problem] } : parseYaml(name, read.text, project.documentLimits);
  const docs = parsed.documents.map((d) => d.value as { kind?: unknown; metadata?: { id?: unknown } } | null);
  const only = docs.length === 1 && parsed.diagnostics.length === 0 && typeof docs[0]?.kind === 'string' && isRunnableKind(docs[0].kind) && docs[0].metadata?.id === id;
  if (!only) throw new ApiError('conflict', `${name} exists and holds something other than the one document \`${id}\`; edit it on disk`, { reason: 'file-holds-other-documents', file: name });
}
