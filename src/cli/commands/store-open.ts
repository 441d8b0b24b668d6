// Opening the project's execution store for the commands that read or write executions: the
// PostgreSQL store when the project names one (`store.postgres`), otherwise the embedded store
// under the project's store directory. `--store DIR` names an embedded store explicitly, and
// wins (to read what a project kept on disk before it moved to PostgreSQL).
import { loadProject, type Project } from '../../project/load.ts';
import { projectMask } from '../../engine/mask.ts';
import { maskedStore } from '../../runs/masked-store.ts';
import type { ExecutionStore } from '../../store/types.ts';
import type { CliContext } from '../context.ts';
import { openProjectStore } from '../../wiring/store.ts';

export { openProjectStore, type OpenedStore } from '../../wiring/store.ts';

export async function withStore<T>(ctx: CliContext, values: { config?: string; store?: string }, fn: (store: ExecutionStore, project: Project) => Promise<T>): Promise<T> {
  const project = await loadProject(ctx.cwd, values.config);
  // What the commands print from the store is masked with the project's secrets.
  const mask = projectMask(project.config, ctx.env);
  const opened = await openProjectStore(ctx, project, values.store);
  const store = maskedStore(opened.store, () => mask);
  try {
    await store.recover();
    return await fn(store, project);
  } finally {
    await opened.close();
  }
}

export const storeOptions = {
  config: { type: 'string', short: 'c' },
  store: { type: 'string' },
} as const;
