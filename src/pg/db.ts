// The connection to PostgreSQL: a small pool, statements with parameters only (never text built
// from values), transactions, and errors that say what was being done without the URL's secret.
// The driver is loaded when a database is named, so a project on the embedded store never pays for it.
import type { Pool, PoolClient } from 'pg';
import { asDatabaseError, DatabaseError } from './errors.ts';

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Db extends Queryable {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** A connection of its own, for LISTEN; released by the returned function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** The URL without its password, for messages. */
  readonly where: string;
  close(): Promise<void>;
}

export interface DbOptions {
  /** Connections kept at most (default 8). */
  max?: number;
  /** How long a connection attempt may take (default 5 s). */
  connectTimeoutMs?: number;
  /** Who the server sees, in pg_stat_activity. */
  applicationName?: string;
  /** Told of errors on idle connections (the server went away between queries). */
  onIdleError?: (err: DatabaseError) => void;
}

/** `postgres://user@host:port/db`, the password left out. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    return u.toString().replace(/:@/, '@');
  } catch { return 'postgres://…'; }
}

export function checkUrl(url: string): void {
  let u: URL;
  try { u = new URL(url); } catch { throw new DatabaseError('E_DATABASE_URL', 'the database URL is not a URL (expected postgres://user:password@host:port/database)'); }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new DatabaseError('E_DATABASE_URL', `the database URL must start with postgres:// (it starts with ${u.protocol}//)`);
}

export async function openDb(url: string, o: DbOptions = {}): Promise<Db> {
  checkUrl(url);
  const pg = (await import('pg')).default;
  const pool: Pool = new pg.Pool({
    connectionString: url, max: o.max ?? 8, connectionTimeoutMillis: o.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000, application_name: o.applicationName ?? 'pluginops',
  });
  pool.on('error', (err) => o.onIdleError?.(asDatabaseError(err, 'an idle database connection failed')));
  const where = redactUrl(url);
  const run = async <R>(c: Pool | PoolClient, sql: string, params: unknown[] = []): Promise<R[]> => {
    try { return (await c.query(sql, params)).rows as R[]; } catch (err) { throw asDatabaseError(err, `database ${where}`); }
  };
  const connect = async (): Promise<PoolClient> => {
    try { return await pool.connect(); } catch (err) { throw asDatabaseError(err, `cannot reach the database ${where}`); }
  };
  return {
    where,
    query: (sql, params) => run(pool, sql, params),
    async tx(fn) {
      const c = await connect();
      let broken = false;
      try {
        await run(c, 'BEGIN');
        const result = await fn({ query: (sql, params) => run(c, sql, params) });
        await run(c, 'COMMIT');
        return result;
      } catch (err) {
        try { await c.query('ROLLBACK'); } catch { broken = true; }
        throw err instanceof DatabaseError ? err : err instanceof Error ? err : asDatabaseError(err, `database ${where}`);
      } finally {
        c.release(broken);
      }
    },
    async listen(channel, onMessage) {
      const c = await connect();
      const onNotification = (m: { channel: string; payload?: string }) => { if (m.channel === channel) onMessage(m.payload ?? ''); };
      const onError = () => { /* the pool reports it; whoever listens falls back to polling */ };
      c.on('notification', onNotification);
      c.on('error', onError);
      const detach = () => { c.off('notification', onNotification); c.off('error', onError); };
      try { await run(c, `LISTEN ${quoteIdent(channel)}`); } catch (err) { detach(); c.release(true); throw err; }
      return async () => {
        detach();
        try { await c.query(`UNLISTEN ${quoteIdent(channel)}`); c.release(); } catch { c.release(true); }
      };
    },
    async notify(channel, payload) { await run(pool, 'SELECT pg_notify($1, $2)', [channel, payload]); },
    async close() { await pool.end(); },
  };
}

/** Channel names are ours (letters and underscores); quoted anyway. */
function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new DatabaseError('E_DATABASE', `not a channel name: ${name}`);
  return `"${name}"`;
}
