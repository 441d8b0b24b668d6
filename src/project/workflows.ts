// Finding the workflow a command names: a file path, an id among the project's documents, or
// an id among the templates shipped with pluginops (the project's own win).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidDocumentsError } from '../documents/diagnostics.ts';
import type { DocumentSet, Loaded } from '../documents/document-set.ts';
import type { DocumentRegistry } from '../documents/registry.ts';
import { loadDocuments } from '../documents/load.ts';
import type { Project } from './load.ts';
import { templatesDir } from '../documents/package-root.ts';
import { PluginopsError } from '../errors/base.ts';

export class UnknownWorkflowError extends PluginopsError {
  readonly code = 'E_UNKNOWN_WORKFLOW';
  readonly kind = 'not_defined';
}

export type Runnable = Loaded<'Workflow'> | Loaded<'ActionPlan'>;

export async function findWorkflow(project: Project, cwd: string, nameOrPath: string, registry: DocumentRegistry): Promise<Runnable> {
  return (await findWorkflowIn(project, cwd, nameOrPath, registry)).runnable;
}

/** The workflow, and the documents it was found among (their health checks serve plugin/monitor). */
export async function findWorkflowIn(project: Project, cwd: string, nameOrPath: string, registry: DocumentRegistry): Promise<{ runnable: Runnable; set: DocumentSet }> {
  const asPath = resolve(cwd, nameOrPath);
  if (/\.ya?ml$/i.test(nameOrPath) || existsSync(asPath)) {
    const { set, diagnostics } = await loadDocuments([asPath], cwd, { limits: project.documentLimits, registry });
    if (diagnostics.length) throw new InvalidDocumentsError(diagnostics);
    const found = [...set.Workflow.values(), ...set.ActionPlan.values()];
    if (found.length !== 1) throw new UnknownWorkflowError(`${nameOrPath} holds ${found.length} workflows or action plans; expected exactly one (or name one by id)`);
    return { runnable: found[0]!, set };
  }
  for (const paths of [project.documentPaths, [templatesDir()].filter(existsSync)]) {
    if (paths.length === 0) continue;
    const { set, diagnostics } = await loadDocuments(paths, cwd, { limits: project.documentLimits, registry });
    const hit = set.Workflow.get(nameOrPath) ?? set.ActionPlan.get(nameOrPath);
    if (diagnostics.length) throw new InvalidDocumentsError(diagnostics);
    if (hit) return { runnable: hit, set };
  }
  const known = await knownIds(project, cwd, registry);
  throw new UnknownWorkflowError(`no workflow or action plan \`${nameOrPath}\`; expected a YAML file or one of: ${known.join(', ') || '(none found)'}`);
}

async function knownIds(project: Project, cwd: string, registry: DocumentRegistry): Promise<string[]> {
  const { set } = await loadDocuments([...project.documentPaths, templatesDir()].filter(existsSync), cwd, { limits: project.documentLimits, registry });
  return [...new Set([...set.Workflow.keys(), ...set.ActionPlan.keys()])].sort();
}
