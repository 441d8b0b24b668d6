// Opening the project's store for the read-side commands.
import { resolve } from 'node:path';
import { loadProject } from '../../project/load.ts';
import { projectMask } from '../../engine/mask.ts';
import { maskedStore } from '../../runs/masked-store.ts';
import { openFileStore } from '../../store/file-store.ts';
import type { ExecutionStore } from '../../store/types.ts';
import type { CliContext } from '../context.ts';

export async function withStore<T>(ctx: CliContext, values: { config?: string; store?: string }, fn: (store: ExecutionStore) => Promise<T>): Promise<T> {
  const project = await loadProject(ctx.cwd, values.config);
  // What the commands print from the store is masked with the project's secrets.
  const mask = projectMask(project.config, ctx.env);
  const store = maskedStore(await openFileStore(values.store ? resolve(ctx.cwd, values.store) : project.storeDir), () => mask);
  try {
    await store.recover();
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const storeOptions = {
  config: { type: 'string', short: 'c' },
  store: { type: 'string' },
} as const;
