// The plugins that changed between two refs, for a project, and the GitHub Actions matrix that
// runs one job per plugin. Used by `pluginops plan --changed` and by the action.
import { resolve } from 'node:path';
import { changedPlugins, type ChangedPlugin } from './changed.ts';
import { projectFileName, type Project } from './load.ts';

export interface Matrix { include: Array<{ plugin: string; id: string; name: string; version: string }> }

/** GitHub Actions refuses a matrix of more than this many jobs. */
export const matrixLimit = 256;

/** Files whose change affects every plugin: the project file, its documents, its security rules. */
export function sharedPaths(project: Project): string[] {
  return [
    project.file ?? resolve(project.root, projectFileName),
    ...(project.config.documents ?? ['pipelines']).map((d) => resolve(project.root, d)),
    ...(project.config.security?.rules ?? []).map((r) => resolve(project.root, r)),
  ];
}

export async function changedMatrix(project: Project, cwd: string, base: string, head = 'HEAD', signal?: AbortSignal): Promise<{ plugins: ChangedPlugin[]; matrix: Matrix }> {
  const plugins = await changedPlugins({
    cwd, base, head, signal,
    pluginDirs: project.config.plugins?.map((d) => resolve(project.root, d)),
    shared: sharedPaths(project),
  });
  return { plugins, matrix: { include: plugins.map((p) => ({ plugin: p.path, id: p.id, name: p.name, version: p.version })) } };
}
