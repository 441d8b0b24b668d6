// Log lines of executions on PostgreSQL: kept in memory as they come, and written in order, a
// batch at a time, by the next update, an explicit flush, or a short timer. One statement per
// batch, not one per line: a step that prints a thousand lines costs one round trip.
import type { Db } from './db.ts';
import { jsonbText } from './executions-sql.ts';
import type { LogRecord } from '../store/types.ts';

/** At most this long between a line and its write when nothing else flushes. */
export const logFlushDelayMs = 250;
/** Rows per INSERT, so one statement's parameters stay small whatever was buffered. */
const rowsPerInsert = 1_000;
/** Lines kept while the database does not answer; memory stays bounded if it never does. */
const maxPending = 100_000;

// The sequence numbers follow the batch's order (ORDER BY the position in the arrays). A line of
// an execution that does not exist (never created, or removed by cleanup) is dropped rather than
// failing the lines of every other execution in the batch.
const insert = `INSERT INTO execution_logs (execution, record)
  SELECT t.execution, t.record FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS t(execution, record, n)
  WHERE EXISTS (SELECT 1 FROM executions e WHERE e.id = t.execution)
  ORDER BY t.n`;

interface Line { execution: string; record: string }

export class LogBuffer {
  readonly #db: Db;
  #pending: Line[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** Batches are written one after the other, so a later batch never gets earlier numbers. */
  #chain: Promise<void> = Promise.resolve();

  constructor(db: Db) {
    this.#db = db;
  }

  add(execution: string, record: LogRecord): void {
    this.#pending.push({ execution, record: jsonbText(record) });
    if (this.#pending.length > maxPending) this.#pending.splice(0, this.#pending.length - maxPending);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch(() => undefined); // nobody to tell; the next update or flush reports it
    }, logFlushDelayMs).unref();
  }

  /** Writes what is buffered (after any batch already under way). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const run = this.#chain.then(() => this.#write());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer; lines still buffered are written only by a flush. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #write(): Promise<void> {
    while (this.#pending.length > 0) {
      // A batch that fails goes back to the front: while the database is away the lines wait,
      // in order, for the next flush (the oldest dropped past `maxPending`).
      const batch = this.#pending.splice(0, rowsPerInsert);
      try {
        await this.#db.query(insert, [batch.map((l) => l.execution), batch.map((l) => l.record)]);
      } catch (err) {
        this.#pending.unshift(...batch);
        throw err;
      }
    }
  }
}
