// A process in the `replicas` table: a `serve` replica (with the address other replicas forward to
// it at), or a CLI command's execution store. It owns the executions it creates or takes up; another
// replica counts those as running only while this row is not stopped and was seen within
// `staleMs`, so it is kept seen while the process runs and marked stopped when it ends.
import { hostname } from 'node:os';
import type { Db } from './db.ts';

/** A replica not seen for this long is taken for dead, and the executions it owned are recovered. */
export const staleReplicaMs = 15_000;

export class ReplicaPresence {
  readonly #db: Db;
  readonly #id: string;
  #timer: NodeJS.Timeout | undefined;

  private constructor(db: Db, id: string) {
    this.#db = db;
    this.#id = id;
  }

  /** Records the replica as started (again) and seen now; refreshes it every `staleMs / 3`. */
  static async start(db: Db, id: string, staleMs: number): Promise<ReplicaPresence> {
    await db.query(`INSERT INTO replicas (id, host, pid, started_at, seen_at) VALUES ($1, $2, $3, now(), now())
      ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, seen_at = now(), stopped_at = NULL,
        started_at = CASE WHEN replicas.stopped_at IS NULL THEN replicas.started_at ELSE now() END`, [id, hostname(), process.pid]);
    const presence = new ReplicaPresence(db, id);
    presence.#timer = setInterval(() => {
      // A missed beat is not fatal: the next one, or a later start, records the replica again.
      db.query('UPDATE replicas SET seen_at = now() WHERE id = $1 AND stopped_at IS NULL', [id]).catch(() => undefined);
    }, Math.max(100, Math.floor(staleMs / 3))).unref();
    return presence;
  }

  /** Where other replicas reach this one (serve's listening address). */
  async setUrl(url: string): Promise<void> {
    await this.#db.query('UPDATE replicas SET url = $2 WHERE id = $1', [this.#id, url]);
  }

  /** Stops the beats and marks the replica stopped: what it still owned is recovered at once. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#db.query('UPDATE replicas SET stopped_at = now() WHERE id = $1', [this.#id]).catch(() => undefined);
  }
}
