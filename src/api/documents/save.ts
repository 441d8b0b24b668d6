// Creating or replacing one document sent to the API (`PUT`/`POST /api/documents/…`,
// `PUT /api/workflows/{id}`).
//
// The body is checked by workflows/check-body.ts (like a file, with positions in the body), through
// the `DocumentChecker` the server was given: a worker thread in `serve`, so a hostile body never
// parses on the event loop. What the body names (a rule's health check, a remediation's plans)
// must exist in the project, as `pluginops validate` would require of the file.
//
// Where it is written: the file that defines this kind and id today, when that file holds nothing
// else; otherwise, for a document the project does not define yet,
// `<first documents directory>/<kind folder>/<id>.yml` (kinds.ts). Through a temp file, fsync and
// rename in the same directory, so a reader (and serve's reload) sees the old file or the new one,
// never half of either.
//
// Refused with 409 rather than written: writes switched off in pluginops.yml; a create (POST) of
// an id the kind already has; a definition in a file that holds other documents too (the API
// never rewrites a file it cannot replace whole); a `<id>.yml` in the way that holds something else.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DocumentRegistry } from '../../documents/registry.ts';
import { displayPath } from '../../documents/display.ts';
import type { DocumentSet } from '../../documents/document-set.ts';
import { isDocumentKind, type DocumentKind } from '../../documents/schema/index.ts';
import type { Project } from '../../project/load.ts';
import { replaceFile } from '../../store/append-log.ts';
import { checkPathId, insideRoot } from '../../store/paths.ts';
import { ApiError } from '../errors.ts';
import type { DocumentText } from '../route.ts';
import type { BodyReference, BodyVerdict } from '../workflows/check-body.ts';
import type { DocumentChecker } from '../workflows/checker.ts';
import { kindFolders } from './kinds.ts';
import { serially } from './serial.ts';
import { documentsDir, mustAllowWrites, mustHoldOnly, projectDocuments } from './project-files.ts';

export interface Saved {
  id: string;
  kind: DocumentKind;
  /** Relative to the project root. */
  file: string;
  created: boolean;
}

export interface SaveRequest {
  /** The kinds the route accepts. */
  kinds: readonly DocumentKind[];
  /** The id the path names; absent for a create, which takes the body's. */
  id?: string;
  body: DocumentText;
  /** `create` refuses an id the kind already has; `put` creates or replaces. */
  mode: 'create' | 'put';
}

export interface DocumentEdges {
  checker: DocumentChecker;
  registry: DocumentRegistry;
}

/** Throws PathError E_BAD_ID (400) for an id that is not a document id, before the body is checked. */
export async function saveDocument(project: Project, req: SaveRequest, edges: DocumentEdges): Promise<Saved> {
  mustAllowWrites(project);
  if (req.id !== undefined) checkPathId('document', req.id);
  const verdict = await edges.checker.check({ ...(req.id !== undefined ? { id: req.id } : {}), kinds: req.kinds, text: req.body.text, media: req.body.media, limits: project.documentLimits });
  if (!verdict.ok) throw new ApiError(verdict.problem, verdict.message, verdict.details);
  const { kind, id } = verdict;
  checkPathId('document', id);
  return serially(project.root, () => write(project, req, verdict, edges.registry));
}

async function write(project: Project, req: SaveRequest, verdict: Extract<BodyVerdict, { ok: true }>, registry: DocumentRegistry): Promise<Saved> {
  const { kind, id } = verdict;
  const own = await projectDocuments(project, registry);
  const defined = own.set[kind].get(id);
  // The workflow route takes either runnable kind under one id, as `pluginops run ID` names them.
  const other = req.kinds.filter((k) => k !== kind).map((k) => own.set[k].get(id)).find((d) => d !== undefined);
  if (other) {
    throw new ApiError('conflict', `\`${id}\` is already a ${other.kind} in ${other.src.file}; a ${kind} of the same id would shadow it: delete it first, or choose another id`, { reason: 'exists', file: other.src.file });
  }
  if (defined && req.mode === 'create') {
    throw new ApiError('conflict', `${kind} \`${id}\` already exists in ${defined.src.file}; replace it with PUT, or choose another id`, { reason: 'exists', file: defined.src.file });
  }
  const target = defined ? resolve(project.root, defined.src.file) : insideRoot(documentsDir(project), kindFolders[kind], `${id}.yml`);
  await mustHoldOnly(project, target, kind, id);
  mustResolve(verdict.references, own.set);
  const created = !existsSync(target);
  await mkdir(dirname(target), { recursive: true });
  await replaceFile(target, verdict.text);
  return { id, kind, file: displayPath(project.root, target), created };
}

/** 422 when the body names documents the project does not have (positions in the body). */
function mustResolve(references: readonly BodyReference[], set: DocumentSet): void {
  const missing = references.flatMap((r) => {
    const slash = r.reference.indexOf('/');
    const kind = r.reference.slice(0, slash), id = r.reference.slice(slash + 1);
    if (!isDocumentKind(kind) || set[kind].has(id)) return [];
    const known = [...set[kind].keys()].sort().join(', ') || `(the project has no ${kind})`;
    return [{ line: r.line, col: r.col, code: r.code, message: `${kind} \`${id}\` is not defined in the project; expected one of: ${known}` }];
  });
  if (missing.length) throw new ApiError('invalid', `${missing.length} reference${missing.length === 1 ? '' : 's'} to documents the project does not define`, missing);
}
