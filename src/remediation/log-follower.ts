// Following a remediation log, whichever implementation of the port holds it: the events read are
// folded into the remediation state in log order (fold.ts), and compaction replaces the log by one
// snapshot of that state, keeping every pending remediation and the newest `keptRecords` finished
// ones. Both live here so the file and PostgreSQL keep exactly the same things.
import type { SnapshotEvent } from './events.ts';
import { applyEvent, emptyRemediationState, isPending, type Applied, type RemediationState } from './fold.ts';
import type { LogRead, LogReader, RemediationLog } from './log-port.ts';

/** Finished remediations a compacted log keeps (the newest); pending ones are always kept. */
export const keptRecords = 1_000;

/** The snapshot a compacted log starts with: the guard and learning whole, records trimmed. */
export function snapshotOf(state: RemediationState, at: number): SnapshotEvent {
  const all = [...state.records.values()];
  const finished = all.filter((r) => !isPending(r));
  const keep = new Set([...all.filter(isPending), ...finished.slice(-keptRecords)].map((r) => r.id));
  // The event's schema checks only the outline of the state's parts; the fold gives them their shapes back.
  return {
    type: 'snapshot', at, guard: state.guard as never, learning: state.learning as never,
    records: all.filter((r) => keep.has(r.id)) as never, ...(state.skipped.length ? { skipped: state.skipped } : {}),
  };
}

/** Follows a log: `sync` applies whatever was appended since the last call, by any process. */
export class RemediationFollower {
  state: RemediationState = emptyRemediationState();
  readonly #reader: LogReader;

  constructor(readonly log: RemediationLog, private readonly warn: (line: string) => void = () => {}) {
    this.#reader = log.reader(warn);
  }

  /** Bytes of events read since the log's start (or its last snapshot). */
  get size(): number { return this.#reader.size; }

  /** Reads until nothing is left, applying each event in order. */
  async sync(): Promise<Applied[]> {
    const applied: Applied[] = [];
    for (;;) {
      const read = await this.#reader.read();
      this.#apply(read, applied);
      if (!read.more) return applied;
    }
  }

  /** Forgets what was read and reads the log again from its start. */
  async restart(): Promise<Applied[]> {
    this.state = emptyRemediationState();
    this.#reader.rewind();
    return this.sync();
  }

  /**
   * Replaces the log by a snapshot of this follower's state, brought up to date while appends are
   * held off, so no event appended meanwhile is lost; returns what the catching up applied.
   */
  async compact(now: number): Promise<Applied[]> {
    const applied: Applied[] = [];
    let snapshot: SnapshotEvent | undefined;
    await this.#reader.compact({ apply: (read) => this.#apply(read, applied), snapshot: () => (snapshot = snapshotOf(this.state, now)) });
    // The log now starts with the snapshot; what it left out (the oldest finished records) is forgotten here too.
    if (snapshot) applyEvent(this.state, snapshot);
    return applied;
  }

  #apply(read: LogRead, into: Applied[]): void {
    if (read.restart) this.state = emptyRemediationState();
    for (const event of read.events) {
      try { into.push(applyEvent(this.state, event)); } catch (e) {
        this.warn(`${this.log.where}: an ${event.type} event could not be applied (${(e as Error).message}); skipped`);
      }
    }
  }
}
