// Migrations run on start by every replica, and by `pluginops db migrate`: all missing versions in
// one transaction that first takes a transaction-scoped advisory lock, so two processes starting
// together apply them once (the second waits, then finds nothing to do), a failure applies none,
// and the lock is released with the transaction (it works behind a pooler in transaction mode).
import type { Db, Queryable } from './db.ts';
import { DatabaseError } from './errors.ts';
import { latestVersion, migrations, type Migration } from './migrations/index.ts';

/** The advisory lock key of migrations ('pluginop' in ASCII). */
const migrationLock = 0x706c7567696e6f70n;

export interface SchemaStatus {
  /** The newest version applied; 0 on an empty database. */
  current: number;
  latest: number;
  applied: Array<{ version: number; name: string; appliedAt: string }>;
  pending: Array<{ version: number; name: string }>;
}

const table = `CREATE TABLE IF NOT EXISTS pluginops_migrations (
  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;

async function appliedIn(q: Queryable): Promise<SchemaStatus['applied']> {
  const rows = await q.query<{ version: number; name: string; applied_at: Date }>('SELECT version, name, applied_at FROM pluginops_migrations ORDER BY version');
  return rows.map((r) => ({ version: r.version, name: r.name, appliedAt: new Date(r.applied_at).toISOString() }));
}

function statusOf(applied: SchemaStatus['applied'], known: readonly Migration[]): SchemaStatus {
  const done = new Set(applied.map((a) => a.version));
  const current = applied.reduce((m, a) => Math.max(m, a.version), 0);
  return { current, latest: known.at(-1)?.version ?? 0, applied, pending: known.filter((m) => !done.has(m.version)).map(({ version, name }) => ({ version, name })) };
}

function refuseNewer(s: SchemaStatus): void {
  if (s.current > s.latest) {
    throw new DatabaseError('E_SCHEMA_NEWER', `the database is at schema version ${s.current}, newer than this pluginops knows (${s.latest}): upgrade pluginops, or use a database of its own`);
  }
}

/** Where the schema stands, without changing anything. */
export async function schemaStatus(db: Db, known: readonly Migration[] = migrations): Promise<SchemaStatus> {
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass('pluginops_migrations')::text AS t");
  return statusOf(exists[0]?.t ? await appliedIn(db) : [], known);
}

/** Applies what is missing; `upTo` stops at a version (tests build an older schema with it). */
export async function migrate(db: Db, o: { upTo?: number; known?: readonly Migration[] } = {}): Promise<{ applied: number[]; status: SchemaStatus }> {
  const known = (o.known ?? migrations).filter((m) => o.upTo === undefined || m.version <= o.upTo);
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [migrationLock.toString()]);
    await q.query(table);
    const before = statusOf(await appliedIn(q), known);
    if (o.upTo === undefined) refuseNewer(before);
    const applied: number[] = [];
    for (const m of known) {
      if (before.applied.some((a) => a.version === m.version)) continue;
      for (const sql of m.statements) await q.query(sql);
      await q.query('INSERT INTO pluginops_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return { applied, status: statusOf(await appliedIn(q), known) };
  });
}

export { latestVersion };
