// The one call for code about to change what a backup would restore (a plugin rollback, an
// applied optimization): a pinned backup of the project taken first, so the change can be undone
// with `pluginops backup restore ID`. Prune never removes it; `backup unpin ID` lets it age out.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectDoc } from '../documents/schema/index.ts';
import { projectFromConfig, projectFileName } from '../project/load.ts';
import { createBackup, type Created, type CreateOptions } from './create.ts';
import { backupScope, type ScopeProject } from './scope.ts';

/** Takes a pinned backup of `project` with `reason` (`safety: rollback of hello on production`). */
export async function safetyBackup(project: ScopeProject, reason: string, o: Omit<CreateOptions, 'reason' | 'pinned'> = {}): Promise<Created> {
  return createBackup(backupScope(project), { ...o, reason: `safety: ${reason}`, pinned: true });
}

/** The project as a step sees it (its root and configuration), with the paths a backup needs. */
export function projectOfRun(root: string, config: ProjectDoc): ScopeProject {
  const file = join(root, projectFileName);
  return projectFromConfig(root, existsSync(file) ? file : undefined, config);
}
