// The PostgreSQL store read for an export (`pluginops store export`), a page at a time: executions
// in creation order by keyset (created_at, id), each log by its sequence, tasks and workers by
// id. Every page is its own statement, so no cursor or transaction stays open while the archive
// is written, and memory holds one page. Rows are read as stored: records as their jsonb,
// secrets already masked; a task's lease and a worker's last heartbeat, which change without the
// doc (tasks-sql.ts), are put back into it as readers see them.
import type { ExecutionRecord, LogRecord } from '../store/types.ts';
import type { Task, Worker } from '../tasks/model.ts';
import type { Queryable } from './db.ts';
import { historiesDocument, monitorDocument } from './monitor-state.ts';

export const stateDocuments = [monitorDocument, historiesDocument] as const;
export type StateDocument = typeof stateDocuments[number];

export interface PgReadOptions {
  /** Executions, tasks or workers per statement (default 200). */
  pageSize?: number;
  /** Log lines per chunk (default 500). */
  logChunk?: number;
}

export function pgTransferSource(db: Queryable, o: PgReadOptions = {}) {
  const page = o.pageSize ?? 200;
  const chunk = o.logChunk ?? 500;
  return {
    async *executions(): AsyncGenerator<ExecutionRecord> {
      let after: { at: string; id: string } | undefined;
      for (;;) {
        // The text of created_at goes back as it came, so the keyset compares exactly (and
        // '-infinity', the time of a record whose createdAt is no time, round-trips too). Aliases
        // differ from column names: ORDER BY would take an alias first and sort its text.
        const rows = after
          ? await db.query<{ id: string; at: string; record: ExecutionRecord }>(
            'SELECT id, created_at::text AS at, record FROM executions WHERE (created_at, id) > ($1::timestamptz, $2::text) ORDER BY created_at, id LIMIT $3', [after.at, after.id, page])
          : await db.query<{ id: string; at: string; record: ExecutionRecord }>(
            'SELECT id, created_at::text AS at, record FROM executions ORDER BY created_at, id LIMIT $1', [page]);
        for (const r of rows) yield r.record;
        const last = rows.at(-1);
        if (!last || rows.length < page) return;
        after = { at: last.at, id: last.id };
      }
    },
    async *logs(execution: string): AsyncGenerator<LogRecord[]> {
      let seq = '0';
      for (;;) {
        const rows = await db.query<{ after: string; record: LogRecord }>(
          'SELECT seq::text AS after, record FROM execution_logs WHERE execution = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3', [execution, seq, chunk]);
        if (rows.length) yield rows.map((r) => r.record);
        const last = rows.at(-1);
        if (!last || rows.length < chunk) return;
        seq = last.after;
      }
    },
    async *states(): AsyncGenerator<{ name: StateDocument; body: unknown }> {
      const rows = await db.query<{ name: StateDocument; body: unknown }>('SELECT name, body FROM state_documents WHERE name = ANY($1::text[]) ORDER BY name', [[...stateDocuments]]);
      yield* rows;
    },
    async *tasks(): AsyncGenerator<{ task: Task }> {
      for await (const r of byId<{ id: string; doc: Task; lease: Date | null }>(db, 'SELECT id, doc, lease_until AS lease FROM tasks', page)) {
        const task = r.doc;
        if (r.lease) task.leaseUntil = new Date(r.lease).toISOString();
        yield { task };
      }
    },
    async *workers(): AsyncGenerator<Worker> {
      for await (const r of byId<{ id: string; doc: Worker; seen: Date }>(db, 'SELECT id, doc, last_seen AS seen FROM workers', page)) {
        const worker = r.doc;
        worker.lastSeen = new Date(r.seen).toISOString();
        yield worker;
      }
    },
  };
}

/** The rows of `select` (a SELECT with `id` and no WHERE) by id, a page at a time. */
async function* byId<R extends { id: string }>(db: Queryable, select: string, page: number): AsyncGenerator<R> {
  let after: string | undefined;
  for (;;) {
    const rows = after === undefined
      ? await db.query<R>(`${select} ORDER BY id LIMIT $1`, [page])
      : await db.query<R>(`${select} WHERE id > $2 ORDER BY id LIMIT $1`, [page, after]);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < page) return;
    after = last.id;
  }
}
