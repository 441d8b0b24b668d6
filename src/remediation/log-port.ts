// The remediation log as a port: where events are appended and read back, in one order every
// reader agrees on. The file in the store (log-file.ts) is one implementation; PostgreSQL
// (src/pg/remediation-log.ts) is the other, for replicas that take turns leading, so a new leader
// on another machine folds the same history (breakers, pending remediations, learning).
//
// The port only moves events. Folding them into the remediation state, and deciding what a
// compacted log keeps, is the same for every implementation (log-follower.ts).
import type { LogEvent, SnapshotEvent } from './events.ts';

/** What one read of a log returned. */
export interface LogRead {
  /**
   * The log was replaced under the reader (compacted by another process into a new file): what
   * was folded so far no longer matches the position, so the fold starts over from empty.
   */
  restart: boolean;
  /** Events appended since the previous read, by any process, in log order. */
  events: LogEvent[];
  /** There is more to read: reads are bounded, and a large log takes several. */
  more: boolean;
}

/** What compaction asks of the one who folds: take the events read under the log's lock, then say what replaces them. */
export interface CompactionFold {
  apply(read: LogRead): void;
  snapshot(): SnapshotEvent;
}

/** One reader's position in the log. */
export interface LogReader {
  /** Events appended since the last read (at most a bounded batch; `more` says when to read again). */
  read(): Promise<LogRead>;
  /** Forgets the position: the next read starts at the log's start. */
  rewind(): void;
  /**
   * Bytes of events read since the log's start (its last snapshot, once compacted): what the
   * Remediator compares with its compaction threshold.
   */
  readonly size: number;
  /**
   * With every append held off: reads what this reader has not read yet (`fold.apply`), and
   * replaces the log up to there by `fold.snapshot()`. Events appended after the lock is released
   * follow the snapshot, so nothing is lost; this reader goes on after the snapshot.
   */
  compact(fold: CompactionFold): Promise<void>;
}

export interface RemediationLog {
  /** Where the log is, for messages: a file's path or a database's table. */
  readonly where: string;
  /** Appends one event; once it resolves, every reader's next read returns it. */
  append(event: LogEvent): Promise<void>;
  /** A reader at the log's start; `warn` is told of what it skips (an entry that is not an event). */
  reader(warn?: (line: string) => void): LogReader;
}
