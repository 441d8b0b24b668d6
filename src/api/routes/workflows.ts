// Workflows and action plans: list them, show one, and save one (YAML or JSON) into the
// project's documents.
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import type { Describes } from '../schemas/describes.ts';
import { DocumentSaved } from '../schemas/documents.ts';
import { WorkflowDetail, WorkflowDocument, WorkflowSummary } from '../schemas/workflows.ts';
import { findEntry, readCatalog, type CatalogEntry } from '../workflows/catalog.ts';
import { saveBody } from './documents.ts';

const summary = (e: CatalogEntry) => ({
  id: e.id, kind: e.kind, ...(e.name !== undefined ? { name: e.name } : {}), ...(e.description !== undefined ? { description: e.description } : {}),
  file: e.file, source: e.source,
});
true satisfies Describes<typeof WorkflowSummary, ReturnType<typeof summary>>;

export const workflowRoutes = [
  defineRoute({
    method: 'GET', path: '/api/workflows', access: 'read', tag: 'workflows', operationId: 'listWorkflows',
    summary: 'List workflows and action plans',
    description: 'The project\'s Workflow and ActionPlan documents, then the shipped templates whose ids the project does not use. Documents that do not validate are left out; the message says how many problems there are.',
    answer: { status: 200, description: 'The list, by id.', data: Type.Array(WorkflowSummary) },
    async handle({ deps }) {
      const { entries, problems } = await readCatalog(deps.project(), deps.registry);
      const message = problems.length ? `${entries.length} found; the project's documents have ${problems.length} problem${problems.length === 1 ? '' : 's'} (run \`pluginops validate\`)` : `${entries.length} found`;
      return { data: entries.map(summary), message };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/workflows/{id}', access: 'read', tag: 'workflows', operationId: 'getWorkflow',
    summary: 'Show a workflow or action plan',
    answer: { status: 200, description: 'The document as JSON, with the file it comes from.', data: WorkflowDetail },
    errors: ['notFound'],
    async handle({ deps, params }) {
      const entry = findEntry(await readCatalog(deps.project(), deps.registry), params.id);
      if (!entry) throw new ApiError('notFound', `no workflow or action plan \`${params.id}\``);
      return { data: { ...summary(entry), document: entry.runnable.doc } };
    },
  }),
  defineRoute({
    method: 'PUT', path: '/api/workflows/{id}', access: 'admin', tag: 'workflows', operationId: 'saveWorkflow',
    summary: 'Create or replace a workflow or action plan',
    description: 'The same write as `PUT /api/documents/{kind}/{id}` with the kind taken from the body (Workflow or ActionPlan), and the same `admin` scope. Validated like a file; problems answer 422 with `details: [{ line, col, code, message }]` (positions in the body). Written atomically to the file that defines the id today when it holds nothing else, or to `<first documents directory>/workflows/<id>.yml` (`plans/` for an action plan). Refused with 409 while pluginops.yml says `server.documentWrites: false`.',
    body: { kind: 'document', media: ['yaml', 'json'], schema: WorkflowDocument, description: 'One Workflow or ActionPlan document.' },
    answer: { status: 200, alsoStatus: [201], description: '200 when an existing file was replaced, 201 when the file is new (with `Location`).', data: DocumentSaved, location: '/api/workflows/{id}' },
    errors: ['conflict'],
    async handle(ctx) { return saveBody(ctx, { kinds: ['Workflow', 'ActionPlan'], id: ctx.params.id, mode: 'put' }); },
  }),
];
