// The project's documents of every kind, as files: list, show, create (POST, refused when the id
// exists), create or replace (PUT), delete. Writes need an `admin` token and are refused while
// pluginops.yml says `server.documentWrites: false`; `serve` reloads on the written file.
import { Type } from '@sinclair/typebox';
import type { Loaded } from '../../documents/document-set.ts';
import { kindOf } from '../documents/kinds.ts';
import { projectDocuments } from '../documents/project-files.ts';
import { removeDocument } from '../documents/remove.ts';
import { saveDocument, type Saved, type SaveRequest } from '../documents/save.ts';
import { ApiError } from '../errors.ts';
import { defineRoute, type DocumentText, type RouteContext } from '../route.ts';
import type { Describes } from '../schemas/describes.ts';
import { DocumentBodySchema, DocumentDetail, DocumentRemoved, DocumentSaved, DocumentSummary } from '../schemas/documents.ts';

const summary = (d: Loaded) => ({
  id: d.id, kind: d.kind, file: d.src.file,
  ...(d.doc.metadata.name !== undefined ? { name: d.doc.metadata.name } : {}), ...(d.doc.metadata.description !== undefined ? { description: d.doc.metadata.description } : {}),
});
true satisfies Describes<typeof DocumentSummary, ReturnType<typeof summary>>;
true satisfies Describes<typeof DocumentSaved, Saved>;

const body = { kind: 'document', media: ['yaml', 'json'], schema: DocumentBodySchema, description: 'One document of the kind in the path (YAML or JSON).' } as const;
const validated = 'Validated like a file by `pluginops validate` (schema, step and graph rules, the project\'s document limits, in a worker thread); problems answer 422 with `details: [{ line, col, code, message }]`, positions in the body. A document of another kind than the path\'s is 422; documents it names (a rule\'s health check, a remediation\'s plans) must exist in the project.';
const where = 'Written atomically (temp file, fsync, rename) to the file that defines the id today when it holds nothing else, or to `<first documents directory>/<kind folder>/<id>.yml` (`workflows`, `plans`, `checks`, `rules`). A definition in a file with other documents is 409 naming the file. `serve` reloads on the change.';
const switched = 'Refused with 409 (`details.reason: document-writes-off`) while pluginops.yml says `server.documentWrites: false`.';

/** Saves the body, logs who saved what where, and answers 201 for a new file (with `Location`), 200 for a replaced one. */
export async function saveBody(ctx: Pick<RouteContext<string, unknown, DocumentText>, 'deps' | 'caller' | 'body'>, req: Omit<SaveRequest, 'body'>) {
  const { deps } = ctx;
  const saved = await saveDocument(deps.project(), { ...req, body: ctx.body }, { checker: deps.documents, registry: deps.registry });
  const message = `${saved.kind} ${saved.id} ${saved.created ? 'created' : 'replaced'} in ${saved.file}`;
  deps.log(message, 'info', { kind: saved.kind, id: saved.id, file: saved.file, by: ctx.caller.name });
  return { status: saved.created ? 201 : 200, data: saved, message };
}

export const documentRoutes = [
  defineRoute({
    method: 'GET', path: '/api/documents/{kind}', access: 'read', tag: 'documents', operationId: 'listDocuments',
    summary: 'List the project\'s documents of one kind',
    description: 'Read from the files at each call (shipped templates are not listed). Documents that do not validate are left out; the message says how many problems there are.',
    answer: { status: 200, description: 'The documents, by id.', data: Type.Array(DocumentSummary) },
    errors: ['notFound'],
    async handle({ deps, params }) {
      const kind = kindOf(params.kind);
      const { set, diagnostics } = await projectDocuments(deps.project(), deps.registry);
      const found = [...set[kind].values()].sort((a, b) => a.id.localeCompare(b.id)).map(summary);
      const n = diagnostics.length;
      return { data: found, message: `${found.length} found${n ? `; the project's documents have ${n} problem${n === 1 ? '' : 's'} (run \`pluginops validate\`)` : ''}` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/documents/{kind}/{id}', access: 'read', tag: 'documents', operationId: 'getDocument',
    summary: 'Show one document',
    answer: { status: 200, description: 'The document as JSON, with the file it comes from.', data: DocumentDetail },
    errors: ['notFound'],
    async handle({ deps, params }) {
      const kind = kindOf(params.kind);
      const d = (await projectDocuments(deps.project(), deps.registry)).set[kind].get(params.id);
      if (!d) throw new ApiError('notFound', `the project defines no ${kind} \`${params.id}\``);
      return { data: { ...summary(d), document: d.doc } };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/documents/{kind}', access: 'admin', tag: 'documents', operationId: 'createDocument',
    summary: 'Create a document (its id from `metadata.id`)',
    description: `${validated} ${where} An id the kind already has is 409 (\`details.reason: exists\`). ${switched}`,
    body,
    answer: { status: 201, description: 'Created (with `Location`).', data: DocumentSaved, location: '/api/documents/{kind}/{id}' },
    errors: ['notFound', 'conflict'],
    async handle(ctx) { return saveBody(ctx, { kinds: [kindOf(ctx.params.kind)], mode: 'create' }); },
  }),
  defineRoute({
    method: 'PUT', path: '/api/documents/{kind}/{id}', access: 'admin', tag: 'documents', operationId: 'putDocument',
    summary: 'Create or replace a document',
    description: `${validated} \`metadata.id\` must equal the id in the path. ${where} ${switched}`,
    body,
    answer: { status: 200, alsoStatus: [201], description: '200 when the file was replaced, 201 when it is new (with `Location`).', data: DocumentSaved, location: '/api/documents/{kind}/{id}' },
    errors: ['notFound', 'conflict'],
    async handle(ctx) { return saveBody(ctx, { kinds: [kindOf(ctx.params.kind)], id: ctx.params.id, mode: 'put' }); },
  }),
  defineRoute({
    method: 'DELETE', path: '/api/documents/{kind}/{id}', access: 'admin', tag: 'documents', operationId: 'deleteDocument',
    summary: 'Delete a document (its file)',
    description: `Removes the file that defines it; \`serve\` reloads and stops using it. A file that holds other documents too is 409 (\`details.reason: file-holds-other-documents\`, naming the file); a document others name is 409 (\`details.reason: referenced\`). ${switched}`,
    answer: { status: 200, description: 'Deleted.', data: DocumentRemoved },
    errors: ['notFound', 'conflict'],
    async handle({ deps, params, caller }) {
      const removed = await removeDocument(deps.project(), kindOf(params.kind), params.id, deps.registry);
      deps.log(`${removed.kind} ${removed.id} deleted (${removed.file})`, 'info', { kind: removed.kind, id: removed.id, file: removed.file, by: caller.name });
      return { data: removed, message: `${removed.kind} ${removed.id} deleted: ${removed.file} removed` };
    },
  }),
];
