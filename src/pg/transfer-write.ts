// The PostgreSQL store written by an import (`pluginops store import`), safe while replicas run:
// every row is inserted with ON CONFLICT DO NOTHING, so what exists (an id, a state document, an
// online worker's name) is left as it is and reported as skipped. An execution and its log are
// one transaction, the log inserted chunk by chunk as the archive is read: a log that ends badly
// rolls the execution back with it. The columns beside each jsonb are derived from it as the
// stores derive them (executions-sql.ts for executions, migration 003 for tasks and workers).
import type { ExecutionRecord, LogRecord } from '../store/types.ts';
import { priorityRank, type Task, type Worker } from '../tasks/model.ts';
import type { Db } from './db.ts';
import { columnsOf, jsonbText, timeParam } from './executions-sql.ts';
import type { StateDocument } from './transfer.ts';

/** The same statement as the store's log buffer: sequence numbers follow the chunk's order. */
const insertLogs = `INSERT INTO execution_logs (execution, record)
  SELECT $1, t.record FROM unnest($2::jsonb[]) WITH ORDINALITY AS t(record, n) ORDER BY t.n`;

/** Imported state documents carry epoch 0: older than any leader's, whose first save replaces them. */
const importEpoch = 0;

export function pgTransferTarget(db: Db) {
  return {
    /**
     * Inserts the execution and then its log, in one transaction; false (nothing read from
     * `logs`) when the id exists. The owner column stays empty: an imported run belongs to no
     * replica of this database (the importer settles runs that were still going).
     */
    async execution(record: ExecutionRecord, logs: AsyncIterable<LogRecord[]>): Promise<boolean> {
      const { status, endedAt } = columnsOf(record);
      return db.tx(async (q) => {
        const rows = await q.query(`INSERT INTO executions (id, workflow, kind, category, plugin, status, created_at, ended_at, owner, record)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [record.id, record.workflow, record.kind ?? null, record.category ?? null, record.plugin ?? null, status, timeParam(record.createdAt), endedAt, jsonbText(record)]);
        if (rows.length === 0) return false;
        for await (const chunk of logs) {
          if (chunk.length) await q.query(insertLogs, [record.id, chunk.map(jsonbText)]);
        }
        return true;
      });
    },
    async state(name: StateDocument, body: unknown): Promise<boolean> {
      const rows = await db.query(`INSERT INTO state_documents (name, epoch, updated_at, body) VALUES ($1, $2, now(), $3::jsonb)
        ON CONFLICT (name) DO NOTHING RETURNING name`, [name, importEpoch, jsonbText(body)]);
      return rows.length === 1;
    },
    async task(task: Task): Promise<boolean> {
      const rows = await db.query(`INSERT INTO tasks (id, state, priority, capabilities, run_at, created_at, deadline, worker, claim, lease_until, ended_at, execution, doc)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb) ON CONFLICT DO NOTHING RETURNING id`, [
        task.id, task.state, priorityRank(task.priority), task.capabilities, task.runAt, task.createdAt, task.deadline ?? null, task.worker ?? null,
        task.claim ?? null, task.leaseUntil ?? null, task.endedAt ?? null, task.execution ?? null, jsonbText(task),
      ]);
      return rows.length === 1;
    },
    /** Also skipped: an online worker whose name an online worker of this database has (one per name). */
    async worker(worker: Worker): Promise<boolean> {
      const rows = await db.query(`INSERT INTO workers (id, name, capabilities, online, last_seen, doc) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
        ON CONFLICT DO NOTHING RETURNING id`, [worker.id, worker.name, worker.capabilities, !worker.offlineAt, worker.lastSeen, jsonbText(worker)]);
      return rows.length === 1;
    },
  };
}
