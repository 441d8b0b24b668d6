// Opening the project's remediation log for the commands that read or append it (remediation
// list|patterns|reset, feedback): in PostgreSQL when the project names a database
// (`store.postgres`), where the replicas of `serve` keep it; otherwise the file in the store.
// `--store DIR` names an embedded store and wins, as it does for executions (store-open.ts).
import { resolve } from 'node:path';
import { filePersistence } from '../../monitor/runtime/state.ts';
import { databaseConfig } from '../../pg/config.ts';
import { openDb } from '../../pg/db.ts';
import { migrate } from '../../pg/migrate.ts';
import { knownIncidents, pgRemediationLog } from '../../pg/remediation-log.ts';
import { loadProject } from '../../project/load.ts';
import { fileRemediationLog, remediationLogPath, type RemediationLog } from '../../remediation/log.ts';
import type { CliContext } from '../context.ts';

export interface ProjectLog {
  log: RemediationLog;
  /** The incidents the monitor knows, from its last saved state (none when it has not saved one). */
  incidents(): Promise<Set<string>>;
}

export async function withRemediationLog<T>(ctx: CliContext, values: { config?: string; store?: string }, fn: (opened: ProjectLog) => Promise<T>): Promise<T> {
  const project = await loadProject(ctx.cwd, values.config);
  const database = values.store === undefined ? databaseConfig(project.config, ctx.env) : undefined;
  if (!database) {
    const dir = values.store ? resolve(ctx.cwd, values.store) : project.storeDir;
    const incidents = async () => new Set(((await filePersistence(dir).load().catch(() => undefined))?.incidents ?? []).map((i) => i.id));
    return fn({ log: fileRemediationLog(remediationLogPath(dir)), incidents });
  }
  const db = await openDb(database.url, { ...(database.pool ? { max: database.pool } : {}), applicationName: 'pluginops cli' });
  try {
    await migrate(db);
    return await fn({ log: pgRemediationLog(db), incidents: () => knownIncidents(db) });
  } finally {
    await db.close();
  }
}
