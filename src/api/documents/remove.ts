// Deleting one document through the API (`DELETE /api/documents/{kind}/{id}`): its file is
// removed, which serve's file watch sees as any other edit.
//
// Only a file that holds nothing but that document is removed; a file with other documents in it
// is refused (409 `file-holds-other-documents`): the API never rewrites what it cannot replace
// whole. A document others name (a rule's health check, a remediation's plan) is refused too
// (409 `referenced`, listing where), since the project would no longer validate without it.
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DocumentRegistry } from '../../documents/registry.ts';
import type { DocumentKind } from '../../documents/schema/index.ts';
import { knownReferences } from '../../documents/rules/documents.ts';
import type { Project } from '../../project/load.ts';
import { syncDirectory } from '../../store/append-log.ts';
import { checkPathId } from '../../store/paths.ts';
import { ApiError } from '../errors.ts';
import { mustAllowWrites, mustHoldOnly, projectDocuments } from './project-files.ts';
import { serially } from './serial.ts';

export interface Removed {
  id: string;
  kind: DocumentKind;
  /** The file removed, relative to the project root. */
  file: string;
}

export async function removeDocument(project: Project, kind: DocumentKind, id: string, registry: DocumentRegistry): Promise<Removed> {
  mustAllowWrites(project);
  checkPathId('document', id);
  return serially(project.root, () => remove(project, kind, id, registry));
}

async function remove(project: Project, kind: DocumentKind, id: string, registry: DocumentRegistry): Promise<Removed> {
  const { set } = await projectDocuments(project, registry);
  const doc = set[kind].get(id);
  if (!doc) throw new ApiError('notFound', `the project defines no ${kind} \`${id}\``);
  const path = resolve(project.root, doc.src.file);
  await mustHoldOnly(project, path, kind, id);
  set[kind].delete(id);
  const users = knownReferences(set).filter((r) => r.reference === `${kind}/${id}`);
  if (users.length) {
    const where = users.map((u) => `${u.file}:${u.line}:${u.col}`);
    throw new ApiError('conflict', `${kind} \`${id}\` is named at ${where.join(', ')}; change those documents first`, { reason: 'referenced', file: doc.src.file, references: where });
  }
  await rm(path);
  await syncDirectory(dirname(path));
  return { id, kind, file: doc.src.file };
}
