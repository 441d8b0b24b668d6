// The runbook catalog: the action plans a person may run (the project's, then the shipped
// templates whose ids the project does not use), each with its typed parameters, its approval
// rules and its steps: what a form needs to start one with `POST /api/runs`.
import { Type } from '@sinclair/typebox';
import type { ActionPlanDoc } from '../../documents/schema/operations.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import type { Describes } from '../schemas/describes.ts';
import { Runbook, RunbooksQuery } from '../schemas/runbooks.ts';
import { readCatalog, type CatalogEntry } from '../workflows/catalog.ts';

type PlanEntry = CatalogEntry & { runnable: { kind: 'ActionPlan'; doc: ActionPlanDoc } };

const isPlan = (e: CatalogEntry): e is PlanEntry => e.runnable.kind === 'ActionPlan';

/** An action plan as the catalog shows it. */
export function runbookOf(e: PlanEntry) {
  const { metadata, spec } = e.runnable.doc;
  const description = spec.description ?? metadata.description;
  return {
    id: e.id, file: e.file, source: e.source, parameters: spec.parameters ?? {},
    ...(metadata.name !== undefined ? { name: metadata.name } : {}), ...(description !== undefined ? { description } : {}),
    ...(spec.category !== undefined ? { category: spec.category } : {}), ...(spec.approval !== undefined ? { approval: spec.approval } : {}),
    steps: spec.steps.map((s) => ({
      id: s.id, ...(s.name !== undefined ? { name: s.name } : {}), ...(s.uses !== undefined ? { uses: s.uses } : {}), ...(s.needs?.length ? { needs: s.needs } : {}),
    })),
  };
}
true satisfies Describes<typeof Runbook, ReturnType<typeof runbookOf>>;

export const runbookRoutes = [
  defineRoute({
    method: 'GET', path: '/api/runbooks', access: 'read', tag: 'workflows', operationId: 'listRunbooks',
    summary: 'List the action plans that can be run, with their typed parameters and approval rules',
    description: 'The project\'s ActionPlan documents, then the shipped templates whose ids the project does not use, by id. Documents that do not validate are left out; the message says how many problems there are.',
    query: RunbooksQuery,
    answer: { status: 200, description: 'The plans, by id.', data: Type.Array(Runbook) },
    async handle({ deps, query }) {
      const { entries, problems } = await readCatalog(deps.project(), deps.registry);
      const list = entries.filter(isPlan).map(runbookOf).filter((r) => query.category === undefined || r.category === query.category);
      const n = problems.length;
      return { data: list, message: `${list.length} runbook${list.length === 1 ? '' : 's'}${n ? `; the project's documents have ${n} problem${n === 1 ? '' : 's'} (run \`pluginops validate\`)` : ''}` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/runbooks/{id}', access: 'read', tag: 'workflows', operationId: 'getRunbook',
    summary: 'One action plan with its typed parameters, approval rules and steps',
    answer: { status: 200, description: 'The plan.', data: Runbook },
    errors: ['notFound'],
    async handle({ deps, params }) {
      const entry = (await readCatalog(deps.project(), deps.registry)).entries.find((e): e is PlanEntry => isPlan(e) && e.id === params.id);
      if (!entry) throw new ApiError('notFound', `no action plan \`${params.id}\``);
      return { data: runbookOf(entry) };
    },
  }),
];
