// The monitor's configuration from a project on disk: the project file, its documents (validated
// like `pluginops validate`: any diagnostic refuses the whole set), then `monitorConfig`.
import { InvalidDocumentsError } from '../../documents/diagnostics.ts';
import { emptySet, type DocumentSet } from '../../documents/document-set.ts';
import { loadDocuments } from '../../documents/load.ts';
import type { DocumentRegistry } from '../../documents/registry.ts';
import type { Project } from '../../project/load.ts';
import { monitorConfig, type MonitorConfig } from './config.ts';

export async function loadMonitorConfig(project: Project, cwd: string, env: Readonly<Record<string, string | undefined>>, registry: DocumentRegistry): Promise<MonitorConfig> {
  return monitorConfigOf(project, await loadProjectDocuments(project, cwd, registry), env);
}

/** The project's documents; any diagnostic refuses them all. */
export async function loadProjectDocuments(project: Project, cwd: string, registry: DocumentRegistry): Promise<DocumentSet> {
  if (project.documentPaths.length === 0) return emptySet();
  const loaded = await loadDocuments(project.documentPaths, cwd, { limits: project.documentLimits, registry });
  if (loaded.diagnostics.length) throw new InvalidDocumentsError(loaded.diagnostics);
  return loaded.set;
}

export function monitorConfigOf(project: Project, documents: DocumentSet, env: Readonly<Record<string, string | undefined>>): MonitorConfig {
  return monitorConfig({ root: project.root, config: project.config, documents, env, killGraceMs: project.killGraceMs });
}
