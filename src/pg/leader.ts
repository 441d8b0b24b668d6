// One leader among the `serve` replicas that share a database, through a lease row per role with a
// fencing epoch (no advisory lock: those die with their connection and do not survive a pooler
// in transaction mode). Every replica tries to take or renew the lease every `renewMs`; the row
// changes hands only when its holder let it expire, and each change of hands raises the epoch.
// Time is the database's (`now()`), so replicas' clocks do not matter.
//
// The bound: a leader that dies holds the lease at most `leaseMs` more; a replica notices within
// `renewMs` after that. So another replica leads within `leaseMs + renewMs` (12 s by default).
// A leader that cannot renew (the database is unreachable from it) steps down by itself once
// `leaseMs - renewMs` has passed since its last renewal, before any other replica can take the
// lease, and every write it makes on the leader's behalf carries its epoch (`fenced`), refused
// once the epoch moved on.
import type { Db, Queryable } from './db.ts';
import { DatabaseError } from './errors.ts';
import { staleReplicaMs } from './executions-replica.ts';

export const defaultLeaseMs = 10_000;
export const schedulerRole = 'scheduler';

export interface Leadership {
  leading: boolean;
  epoch?: number;
}

export interface LeaderOptions {
  replica: string;
  role?: string;
  leaseMs?: number;
  /** How often the lease is tried or renewed (default leaseMs / 5). */
  renewMs?: number;
  now?: () => number;
  log?: (line: string, level: 'info' | 'warn' | 'error') => void;
}

export class LeaderLease {
  readonly role: string;
  readonly leaseMs: number;
  readonly renewMs: number;
  #state: Leadership = { leading: false };
  #lastRenewed = 0;
  #timer: NodeJS.Timeout | undefined;
  #busy: Promise<void> = Promise.resolve();
  #listeners = new Set<(s: Leadership) => void>();
  #stopped = false;
  #failing = false;

  constructor(private readonly db: Db, private readonly o: LeaderOptions) {
    this.role = o.role ?? schedulerRole;
    this.leaseMs = o.leaseMs ?? defaultLeaseMs;
    this.renewMs = o.renewMs ?? Math.max(200, Math.floor(this.leaseMs / 5));
  }

  get state(): Leadership { return { ...this.#state }; }
  get leading(): boolean { return this.#state.leading; }

  onChange(fn: (s: Leadership) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Tries at once, then every `renewMs`. */
  start(): Promise<void> {
    const tick = () => {
      if (this.#stopped) return;
      this.#busy = this.#busy.then(() => this.#round());
      this.#timer = setTimeout(tick, this.renewMs);
      this.#timer.unref();
    };
    tick();
    return this.#busy;
  }

  async #round(): Promise<void> {
    const now = this.o.now ?? Date.now;
    try {
      const rows = await this.db.query<{ epoch: string }>(
        `INSERT INTO leases AS l (role, holder, epoch, acquired_at, expires_at)
         VALUES ($1, $2, 1, now(), now() + $3 * interval '1 millisecond')
         ON CONFLICT (role) DO UPDATE SET
           epoch = CASE WHEN l.holder = EXCLUDED.holder THEN l.epoch ELSE l.epoch + 1 END,
           acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE now() END,
           holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
         RETURNING epoch`, [this.role, this.o.replica, this.leaseMs]);
      if (this.#failing) this.o.log?.('the database answers again', 'info');
      this.#failing = false;
      if (rows.length) {
        this.#lastRenewed = now();
        this.#set({ leading: true, epoch: Number(rows[0]!.epoch) });
      } else {
        this.#set({ leading: false });
      }
    } catch (e) {
      if (!this.#failing) this.o.log?.(`cannot renew the ${this.role} lease: ${(e as Error).message}`, 'warn');
      this.#failing = true;
      // Step down before anyone else may take the lease.
      if (this.#state.leading && now() - this.#lastRenewed >= this.leaseMs - this.renewMs) this.#set({ leading: false });
    }
  }

  #set(next: Leadership): void {
    const prev = this.#state;
    this.#state = next;
    if (prev.leading !== next.leading || prev.epoch !== next.epoch) for (const fn of this.#listeners) fn({ ...next });
  }

  /** Stops renewing and, when leading, gives the lease up so another replica takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#busy;
    if (this.#state.leading) {
      await this.db.query("UPDATE leases SET expires_at = now() - interval '1 second' WHERE role = $1 AND holder = $2 AND epoch = $3", [this.role, this.o.replica, this.#state.epoch])
        .catch(() => undefined);
    }
    this.#set({ leading: false });
  }

  /**
   * Runs `fn` in a transaction that first checks, and holds until it ends, that this replica still
   * leads with its epoch (a shared row lock: a takeover waits for the transaction).
   */
  async fenced<T>(fn: (q: Queryable, epoch: number) => Promise<T>): Promise<T> {
    const epoch = this.#state.epoch;
    if (!this.#state.leading || epoch === undefined) throw new DatabaseError('E_NOT_LEADER', `this replica does not lead (${this.role})`);
    return this.db.tx(async (q) => {
      const ok = await q.query("SELECT 1 FROM leases WHERE role = $1 AND holder = $2 AND epoch = $3 AND expires_at > now() FOR SHARE",
        [this.role, this.o.replica, epoch]);
      if (!ok.length) throw new DatabaseError('E_NOT_LEADER', `this replica no longer leads (${this.role}, epoch ${epoch})`);
      return fn(q, epoch);
    });
  }
}

/** Who leads a role, as the database says. */
export async function currentLeader(db: Queryable, role = schedulerRole): Promise<{ holder: string; epoch: number; expiresAt: string; url?: string } | undefined> {
  const rows = await db.query<{ holder: string; epoch: string; expires_at: Date; url: string | null }>(
    'SELECT l.holder, l.epoch, l.expires_at, r.url FROM leases l LEFT JOIN replicas r ON r.id = l.holder WHERE l.role = $1 AND l.expires_at > now()', [role]);
  const r = rows[0];
  return r ? { holder: r.holder, epoch: Number(r.epoch), expiresAt: new Date(r.expires_at).toISOString(), ...(r.url ? { url: r.url } : {}) } : undefined;
}

/** The replicas seen within `withinMs`, newest first. */
export async function liveReplicas(db: Queryable, withinMs = staleReplicaMs): Promise<Array<{ id: string; host: string; pid: number; url?: string; seenAt: string }>> {
  const rows = await db.query<{ id: string; host: string; pid: number; url: string | null; seen_at: Date }>(
    "SELECT id, host, pid, url, seen_at FROM replicas WHERE stopped_at IS NULL AND seen_at > now() - $1 * interval '1 millisecond' ORDER BY seen_at DESC", [withinMs]);
  return rows.map((r) => ({ id: r.id, host: r.host, pid: r.pid, seenAt: new Date(r.seen_at).toISOString(), ...(r.url ? { url: r.url } : {}) }));
}
