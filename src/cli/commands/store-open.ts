// Opening the project's execution store for the commands that read or write executions: the
// PostgreSQL store when the project names one (`store.postgres`), otherwise the embedded store
// under the project's store directory. `--store DIR` names an embedded store explicitly, and
// wins (to read what a project kept on disk before it moved to PostgreSQL).
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { loadProject, type Project } from '../../project/load.ts';
import { projectMask } from '../../engine/mask.ts';
import { databaseConfig } from '../../pg/config.ts';
import { openDb } from '../../pg/db.ts';
import { openPgExecutionStore } from '../../pg/executions.ts';
import { migrate } from '../../pg/migrate.ts';
import { maskedStore } from '../../runs/masked-store.ts';
import { openFileStore } from '../../store/file-store.ts';
import type { ExecutionStore } from '../../store/types.ts';
import type { CliContext } from '../context.ts';

export interface OpenedStore {
  store: ExecutionStore;
  /** Closes the store, and the database connection when there is one. */
  close(): Promise<void>;
}

/**
 * The project's store, unmasked. On PostgreSQL this process is a replica of its own
 * (`cli-<host>-<pid>`) for as long as the store is open: the owner of the runs it starts, which
 * others recover as interrupted once it is gone.
 */
export async function openProjectStore(ctx: CliContext, project: Project, storeDir?: string): Promise<OpenedStore> {
  const database = storeDir === undefined ? databaseConfig(project.config, ctx.env) : undefined;
  if (!database) {
    const store = await openFileStore(storeDir ? resolve(ctx.cwd, storeDir) : project.storeDir);
    return { store, close: () => store.close() };
  }
  const db = await openDb(database.url, { ...(database.pool ? { max: database.pool } : {}), applicationName: 'pluginops cli' });
  try {
    await migrate(db);
    const store = await openPgExecutionStore(db, { replica: `cli-${hostname()}-${process.pid}` });
    return {
      store,
      async close() {
        try { await store.close(); } finally { await db.close(); }
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

export async function withStore<T>(ctx: CliContext, values: { config?: string; store?: string }, fn: (store: ExecutionStore) => Promise<T>): Promise<T> {
  const project = await loadProject(ctx.cwd, values.config);
  // What the commands print from the store is masked with the project's secrets.
  const mask = projectMask(project.config, ctx.env);
  const opened = await openProjectStore(ctx, project, values.store);
  const store = maskedStore(opened.store, () => mask);
  try {
    await store.recover();
    return await fn(store);
  } finally {
    await opened.close();
  }
}

export const storeOptions = {
  config: { type: 'string', short: 'c' },
  store: { type: 'string' },
} as const;
