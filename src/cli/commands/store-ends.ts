// Which store an export reads or an import writes, and opening it: the project's own by default
// (PostgreSQL when `store.postgres` names one, else the embedded store), or the one `--from` /
// `--into` names; `--store DIR` names the embedded store's directory (and means the embedded
// store when neither flag is given, as for the other store commands).
import { resolve } from 'node:path';
import type { Project } from '../../project/load.ts';
import { databaseConfig, type DatabaseConfig } from '../../pg/config.ts';
import { openDb, type Db } from '../../pg/db.ts';
import { migrate, schemaStatus } from '../../pg/migrate.ts';
import { pgTransferSource } from '../../pg/transfer.ts';
import { pgTransferTarget } from '../../pg/transfer-write.ts';
import { liveServeOwner } from '../../store/serve-owner.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { storeKinds, type StoreKind } from './store-archive.ts';
import { embeddedSource } from './store-embedded-read.ts';
import { embeddedTarget } from './store-embedded-write.ts';
import { ArchiveError } from './store-errors.ts';
import type { ExportSource } from './store-export.ts';
import type { ImportTarget } from './store-import.ts';

export type StoreEnd = { kind: 'embedded'; dir: string } | { kind: 'postgres'; database: DatabaseConfig };

export function storeEnd(ctx: CliContext, project: Project, values: { store?: string }, chosen: string | undefined, flag: '--from' | '--into'): StoreEnd {
  if (chosen !== undefined && !storeKinds.includes(chosen as StoreKind)) throw new CliError('E_USAGE', `${flag} expects embedded or postgres, found "${chosen}"`);
  const dir = values.store !== undefined ? resolve(ctx.cwd, values.store) : project.storeDir;
  if (chosen === 'embedded' || (chosen === undefined && values.store !== undefined)) return { kind: 'embedded', dir };
  if (values.store !== undefined) throw new CliError('E_USAGE', `--store names an embedded store; it does not go with ${flag} postgres`);
  const database = databaseConfig(project.config, ctx.env);
  if (database) return { kind: 'postgres', database };
  if (chosen === 'postgres') throw new CliError('E_USAGE', `${flag} postgres: the project names no database (add store.postgres.url to the project file)`);
  return { kind: 'embedded', dir };
}

export interface Opened<T> { it: T; where: string; close(): Promise<void> }

const connect = (end: { database: DatabaseConfig }, name: string) => openDb(end.database.url, { max: 2, applicationName: `pluginops ${name}` });

async function closing<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) { await db.close().catch(() => undefined); throw err; }
}

/** The store to export, read as it is (nothing is migrated or changed). */
export async function openSource(end: StoreEnd): Promise<Opened<ExportSource>> {
  if (end.kind === 'embedded') return { it: await embeddedSource(end.dir), where: end.dir, close: async () => undefined };
  const db = await connect(end, 'store export');
  return closing(db, async () => {
    const s = await schemaStatus(db);
    if (s.current !== s.latest) {
      const why = s.current === 0 ? 'holds no pluginops store (no schema)' : s.current < s.latest
        ? `is at schema version ${s.current} of ${s.latest}: run pluginops db migrate first` : `is at schema version ${s.current}, newer than this pluginops knows (${s.latest}): export with a newer pluginops`;
      throw new ArchiveError('E_STORE_SOURCE', `the database ${db.where} ${why}`);
    }
    return { it: pgTransferSource(db), where: db.where, close: () => db.close() };
  });
}

/**
 * The store to import into. PostgreSQL is migrated first and may be in use by replicas; the
 * embedded store is refused while a `serve` owns it (its board and monitor hold what is on disk
 * in memory and would write over what is imported).
 */
export async function openTarget(end: StoreEnd): Promise<Opened<ImportTarget>> {
  if (end.kind === 'embedded') {
    const owner = await liveServeOwner(end.dir);
    if (owner) throw new ArchiveError('E_STORE_BUSY', `a serve (pid ${owner.pid} on ${owner.host}) is running on the store ${end.dir}: stop it before importing into it`);
    const target = await embeddedTarget(end.dir);
    return { it: target, where: end.dir, close: () => target.close() };
  }
  const db = await connect(end, 'store import');
  return closing(db, async () => {
    await migrate(db);
    return { it: pgTransferTarget(db), where: db.where, close: () => db.close() };
  });
}
