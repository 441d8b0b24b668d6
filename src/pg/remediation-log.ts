// The remediation log in PostgreSQL (`remediation_events`, migration 004), for replicas that take
// turns leading: a new leader folds the same events as the one before it, so breakers, learning
// and pending remediations survive a failover to another machine. The CLI appends to it too.
//
// Readers follow it by `seq`, which only works if rows become visible in `seq` order: a sequence
// hands out numbers when rows are inserted, not when they commit, so two appends racing could
// commit 11 before 10, and a reader that already saw 11 would never see 10. Every append therefore
// takes a transaction-scoped advisory lock before its insert, and commits before releasing it:
// appends are serialised (there are few), and what is visible is always a prefix of the log.
//
// Compaction takes the same lock in one transaction: it reads what its reader has not read,
// deletes every row up to there and inserts the snapshot, which gets a `seq` after them. Appends
// wait for the lock and land after the snapshot. A reader that was behind finds its next rows
// deleted and reads the snapshot, which replaces its state as a whole.
//
// Reads are pages of `pageSize` rows, so a long log is folded without holding it all at once.
import { parseEvent, type LogEvent } from '../remediation/events.ts';
import type { CompactionFold, LogRead, LogReader, RemediationLog } from '../remediation/log-port.ts';
import type { Db, Queryable } from './db.ts';
import { monitorDocument } from './monitor-state.ts';

/** The advisory lock key of the remediation log ('remedlog' in ASCII). */
const logLock = 0x72656d65646c6f67n.toString();

const defaultPageSize = 500;

export interface PgRemediationLogOptions {
  /** Rows per read (default 500). */
  pageSize?: number;
}

export function pgRemediationLog(db: Db, o: PgRemediationLogOptions = {}): RemediationLog {
  const pageSize = Math.max(1, o.pageSize ?? defaultPageSize);
  return {
    where: `${db.where} (remediation_events)`,
    async append(event) {
      await db.tx(async (q) => {
        await q.query('SELECT pg_advisory_xact_lock($1)', [logLock]);
        await q.query('INSERT INTO remediation_events (event) VALUES ($1::json)', [JSON.stringify(event)]);
      });
    },
    reader: (warn) => new PgReader(db, pageSize, `${db.where} (remediation_events)`, warn),
  };
}

class PgReader implements LogReader {
  /** The last `seq` read, as text (a bigint). */
  #after = '0';
  #size = 0;

  constructor(
    private readonly db: Db, private readonly pageSize: number, private readonly where: string,
    private readonly warn: (line: string) => void = () => {},
  ) {}

  get size(): number { return this.#size; }

  rewind(): void {
    this.#after = '0';
    this.#size = 0;
  }

  read(): Promise<LogRead> { return this.#page(this.db); }

  async compact(fold: CompactionFold): Promise<void> {
    const done = await this.db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1)', [logLock]);
      for (;;) {
        const read = await this.#page(q);
        fold.apply(read);
        if (!read.more) break;
      }
      const snapshot = fold.snapshot();
      await q.query('DELETE FROM remediation_events WHERE seq <= $1', [this.#after]);
      const text = JSON.stringify(snapshot);
      const [row] = await q.query<{ seq: string }>('INSERT INTO remediation_events (event) VALUES ($1::json) RETURNING seq', [text]);
      return { seq: row!.seq, size: Buffer.byteLength(text) + 1 };
    });
    this.#after = done.seq;
    this.#size = done.size;
  }

  async #page(q: Queryable): Promise<LogRead> {
    const rows = await q.query<{ seq: string; text: string }>(
      'SELECT seq, event::text AS text FROM remediation_events WHERE seq > $1 ORDER BY seq LIMIT $2', [this.#after, this.pageSize]);
    const events: LogEvent[] = [];
    for (const row of rows) {
      this.#after = row.seq;
      const event = parseEvent(row.text);
      // Sizes count a line's newline too, so the compaction threshold means what it means for the file.
      const bytes = Buffer.byteLength(row.text) + 1;
      if (!event) { this.warn(`${this.where}: event ${row.seq} is not a remediation event; skipped`); continue; }
      // A snapshot starts the log over, whoever wrote it.
      this.#size = event.type === 'snapshot' ? bytes : this.#size + bytes;
      events.push(event);
    }
    return { restart: false, events, more: rows.length === this.pageSize };
  }
}

/** The ids of the incidents the leader's monitor knows, from its last snapshot (feedback checks against them). */
export async function knownIncidents(db: Db): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>(
    "SELECT i->>'id' AS id FROM state_documents, jsonb_array_elements(coalesce(body->'incidents', '[]'::jsonb)) AS i WHERE name = $1", [monitorDocument]);
  return new Set(rows.map((r) => r.id));
}
