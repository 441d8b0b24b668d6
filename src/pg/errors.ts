// Typed errors of the PostgreSQL store: a stable code, and a message that never carries the URL's
// password (connection errors are reworded from the driver's, which may quote the URL).
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';

export type DatabaseErrorCode =
  | 'E_DATABASE_UNREACHABLE' // the server does not answer, refuses the login, or went away
  | 'E_DATABASE' // a statement failed for a reason that is not the caller's
  | 'E_DATABASE_URL' // the project names a URL that is not a postgres:// URL, or its variable is unset
  | 'E_SCHEMA_NEWER' // the database was migrated by a newer pluginops than this one
  | 'E_NOT_LEADER'; // a write of the leader's role by a replica that no longer holds it

const kinds: Record<DatabaseErrorCode, ErrorKind> = {
  E_DATABASE_UNREACHABLE: 'unavailable', E_DATABASE: 'failed', E_DATABASE_URL: 'invalid', E_SCHEMA_NEWER: 'failed', E_NOT_LEADER: 'conflict',
};

export class DatabaseError extends PluginopsError {
  override readonly name = 'DatabaseError';
  readonly kind: ErrorKind;
  constructor(readonly code: DatabaseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kinds[code];
  }
}

/** Network and login failures: the database is not there (yet); anything else is a failed statement. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '28P01', '28000', '3D000']);

export function asDatabaseError(err: unknown, doing: string): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const e = err as { code?: string; message?: string };
  const reason = (e?.message ?? String(err)).replace(/postgres(ql)?:\/\/[^\s'"]*/gi, 'postgres://…');
  const unreachable = (e?.code !== undefined && unreachableCodes.has(e.code)) || /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(reason);
  return new DatabaseError(unreachable ? 'E_DATABASE_UNREACHABLE' : 'E_DATABASE', `${doing}: ${reason}`, { cause: err });
}
