// Saving a workflow or action plan sent to `PUT /api/workflows/{id}`.
//
// The body is validated exactly like a file (`loadText`: YAML with positions, schema, step
// rules), so its diagnostics carry line and column in the body. It must hold one Workflow or
// ActionPlan whose `metadata.id` is the id of the path. It is written to
// `<first documents directory>/<id>.yml` (the directory is created if missing) through a temp
// file, fsync and rename, so a reader sees the old file or the new one, never half of either.
//
// Refused with 409 rather than written: an id the project already defines in another file (the
// project would then hold it twice), or an existing `<id>.yml` that holds anything else.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { displayPath } from '../../documents/display.ts';
import { allDocuments, loadText } from '../../documents/load.ts';
import { locate, parseYaml } from '../../documents/source.ts';
import type { Project } from '../../project/load.ts';
import { replaceFile } from '../../store/append-log.ts';
import { checkPathId, insideRoot } from '../../store/paths.ts';
import type { DocumentText } from '../route.ts';
import { parseJson } from '../body.ts';
import { ApiError } from '../errors.ts';
import { readCatalog, type CatalogEntry } from './catalog.ts';

export interface Saved {
  id: string;
  kind: CatalogEntry['kind'];
  file: string;
  created: boolean;
}

const isRunnableKind = (k: string): k is CatalogEntry['kind'] => k === 'Workflow' || k === 'ActionPlan';

/** Throws PathError E_BAD_ID (400) for an id that is not a document id, before reading the body. */
export async function saveWorkflow(project: Project, id: string, body: DocumentText): Promise<Saved> {
  checkPathId('document', id);
  const value = body.media === 'json' ? parseJson(body.text) : undefined;
  const { kind, text } = validate(id, body.text);
  const dir = documentsDir(project);
  const target = insideRoot(dir, `${id}.yml`);
  const elsewhere = (await readCatalog(project)).entries.find((e) => e.source === 'project' && e.id === id && e.path !== target);
  if (elsewhere) throw new ApiError('conflict', `\`${id}\` is already defined in ${elsewhere.file}; edit that file, or remove it first`, { reason: 'defined-elsewhere', file: elsewhere.file });
  const created = !existsSync(target);
  if (!created) await mustHoldOnly(target, id, displayPath(project.root, target));
  await mkdir(dir, { recursive: true });
  await replaceFile(target, value === undefined ? text : stringify(value));
  return { id, kind, file: displayPath(project.root, target), created };
}

function validate(id: string, text: string): { kind: CatalogEntry['kind']; text: string } {
  const { set, diagnostics } = loadText(`${id}.yml`, text);
  const invalid = (line: number, col: number, message: string) => new ApiError('invalid', message, [{ line, col, code: 'E_VALUE', message }]);
  if (diagnostics.length) {
    throw new ApiError('invalid', `${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in the document`,
      diagnostics.map(({ line, col, code, message }) => ({ line, col, code, message })));
  }
  const docs = allDocuments(set);
  const first = docs[0];
  if (!first) throw invalid(1, 1, 'the body holds no document; expected one Workflow or ActionPlan');
  const second = docs[1];
  if (second) throw invalid(locate(second.src, []).line, locate(second.src, []).col, `the body holds ${docs.length} documents; expected exactly one Workflow or ActionPlan`);
  if (!isRunnableKind(first.kind)) {
    const at = locate(first.src, ['kind']);
    throw invalid(at.line, at.col, `found a ${first.kind}; expected a Workflow or ActionPlan`);
  }
  if (first.id !== id) {
    const at = locate(first.src, ['metadata', 'id']);
    throw invalid(at.line, at.col, `metadata.id is \`${first.id}\`, expected \`${id}\` (the id in the path)`);
  }
  return { kind: first.kind, text: text.endsWith('\n') ? text : `${text}\n` };
}

/** The first `documents:` entry that is a directory (default `pipelines`), absolute. */
function documentsDir(project: Project): string {
  const entry = (project.config.documents ?? ['pipelines']).find((d) => !/\.ya?ml$/i.test(d));
  if (entry === undefined) throw new ApiError('conflict', 'every `documents:` entry of pluginops.yml is a file; list a directory to save workflows in', { reason: 'no-documents-directory' });
  return resolve(project.root, entry);
}

/** An existing `<id>.yml` is replaced only when it holds just the document of that id. */
async function mustHoldOnly(path: string, id: string, name: string): Promise<void> {
  const parsed = parseYaml(name, await readFile(path, 'utf8'));
  const docs = parsed.documents.map((d) => d.value as { kind?: unknown; metadata?: { id?: unknown } } | null);
  const only = docs.length === 1 && parsed.diagnostics.length === 0 && typeof docs[0]?.kind === 'string' && isRunnableKind(docs[0].kind) && docs[0].metadata?.id === id;
  if (!only) throw new ApiError('conflict', `${name} exists and holds something other than the one document \`${id}\`; edit it on disk`, { reason: 'file-holds-other-documents', file: name });
}
