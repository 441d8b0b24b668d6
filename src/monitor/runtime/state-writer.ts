// Writing the monitor's state: one snapshot at a time, coalesced. A change to incidents or to the
// outbox (its `mark` moves) is written at once, so nothing is sent before the write that owes it;
// other changes — check results, alert baselines (`touch`) — are written at most once per
// `saveEveryMs`, so thousands of checks do not serialise the state thousands of times. Check
// histories, bulky and only informative, go with a write at most once per `historiesEveryMs`,
// and with the last one. A write that fails is logged; the next change tries again.
import type { Clock } from '../../engine/clock.ts';
import type { LogLevel } from '../../store/types.ts';
import type { Persistence, Snapshot } from './state.ts';

export const defaultSaveEveryMs = 1_000;
/** Check histories are written at most this often (and at stop). */
export const historiesEveryMs = 5 * 60_000;

export interface StateWriterEdges {
  clock: Clock;
  persistence: Persistence;
  log: (line: string, level: LogLevel) => void;
  /** Longest wait before a `touch`ed change is written (1 s). */
  saveEveryMs?: number;
  /** The state to write, taken when its write starts. */
  snapshot: () => Snapshot;
  /** Changes whenever something that must be written at once changed (incidents, the outbox). */
  mark: () => string;
  /** Told after each commit, once the write it waited for (if any) is done: sends what is now owed. */
  afterCommit: () => void;
}

export class StateWriter {
  readonly #e: StateWriterEdges;
  #saving: Promise<void> = Promise.resolve();
  #queued = false;
  /** What the last write held, as `mark` put it. */
  #savedMark = '';
  #deferred: (() => void) | undefined;
  #historiesSavedAt = Number.NEGATIVE_INFINITY;
  #historiesDue = false;
  /** Check results or alert states changed since the last write. */
  #dirty = false;

  constructor(edges: StateWriterEdges) { this.#e = edges; }

  /** Something that may wait for a deferred write changed (check results, alert states). */
  touch(): void { this.#dirty = true; }

  /** Resolves when the writes started so far are done. */
  written(): Promise<void> { return this.#saving; }

  /** Writes now when `mark` moved (or `force`), later when only `touch`ed; then `afterCommit`. */
  commit(force = false): Promise<void> {
    if (!force && this.#e.mark() === this.#savedMark) {
      if (this.#dirty) {
        this.#deferred ??= this.#e.clock.setTimer(this.#e.saveEveryMs ?? defaultSaveEveryMs, () => {
          this.#deferred = undefined;
          void this.commit(true);
        });
      }
      this.#e.afterCommit();
      return this.#saving;
    }
    this.#deferred?.();
    this.#deferred = undefined;
    if (!this.#queued) {
      this.#queued = true;
      this.#saving = this.#saving.then(() => this.#write());
    }
    return this.#saving.then(() => this.#e.afterCommit());
  }

  /** The last write, histories included. */
  final(): Promise<void> {
    this.#historiesDue = true;
    return this.commit(true);
  }

  async #write(): Promise<void> {
    this.#queued = false;
    const mark = this.#e.mark();
    this.#dirty = false;
    try {
      const now = this.#e.clock.now();
      const histories = this.#historiesDue || now - this.#historiesSavedAt >= historiesEveryMs;
      this.#historiesDue = false;
      await this.#e.persistence.save(this.#e.snapshot(), { histories });
      if (histories) this.#historiesSavedAt = now;
      this.#savedMark = mark;
    } catch (e) {
      this.#e.log(`could not write the monitor state: ${(e as Error).message}`, 'error');
    }
  }
}
