// Which database the project names: `store.postgres.url: { env: NAME }` in the project file. The
// URL is read from the environment, never from the file, and its password is a secret of every
// output.
import type { ProjectDoc } from '../documents/schema/project.ts';
import { DatabaseError } from './errors.ts';
import { checkUrl } from './db.ts';
import { parseDuration } from '../engine/duration.ts';

export interface DatabaseConfig {
  url: string;
  /** The variable it came from, for messages. */
  env: string;
  pool?: number;
  /** The leader lease (store.postgres.leaderLease), at least 1 s. */
  leaseMs?: number;
}

/** The database the project names, or undefined for the embedded store. */
export function databaseConfig(config: Pick<ProjectDoc, 'store'>, env: Readonly<Record<string, string | undefined>>): DatabaseConfig | undefined {
  const doc = config.store?.postgres;
  if (!doc) return undefined;
  const url = env[doc.url.env];
  if (url === undefined || url === '') throw new DatabaseError('E_DATABASE_URL', `the project keeps its store in PostgreSQL, but ${doc.url.env} (store.postgres.url) is not set`);
  checkUrl(url);
  return { url, env: doc.url.env, ...(doc.pool ? { pool: doc.pool } : {}), ...(doc.leaderLease ? { leaseMs: Math.max(1_000, parseDuration(doc.leaderLease)) } : {}) };
}
