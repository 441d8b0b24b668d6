// Opening the project's execution store for the commands and the Action: the PostgreSQL store
// when the project names one (`store.postgres`), otherwise the embedded store under the project's
// store directory. An explicit store directory names an embedded store, and wins (to read what a
// project kept on disk before it moved to PostgreSQL).
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Project } from '../project/load.ts';
import { databaseConfig } from '../pg/config.ts';
import { openDb } from '../pg/db.ts';
import { openPgExecutionStore } from '../pg/executions.ts';
import { migrate } from '../pg/migrate.ts';
import { openFileStore } from '../store/file-store.ts';
import type { ExecutionStore } from '../store/types.ts';

export interface OpenedStore {
  store: ExecutionStore;
  /** Closes the store, and the database connection when there is one. */
  close(): Promise<void>;
}

/**
 * The project's store, unmasked. On PostgreSQL this process is a replica of its own
 * (`<client>-<host>-<pid>`) for as long as the store is open: the owner of the runs it starts, which
 * others recover as interrupted once it is gone.
 */
export async function openProjectStore(ctx: { cwd: string; env: Record<string, string | undefined> }, project: Project, storeDir?: string, client = 'cli'): Promise<OpenedStore> {
  const database = storeDir === undefined ? databaseConfig(project.config, ctx.env) : undefined;
  if (!database) {
    const store = await openFileStore(storeDir ? resolve(ctx.cwd, storeDir) : project.storeDir);
    return { store, close: () => store.close() };
  }
  const db = await openDb(database.url, { ...(database.pool ? { max: database.pool } : {}), applicationName: `pluginops ${client}` });
  try {
    await migrate(db);
    const store = await openPgExecutionStore(db, { replica: `${client}-${hostname()}-${process.pid}` });
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

