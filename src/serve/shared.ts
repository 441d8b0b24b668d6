// `serve` on PostgreSQL: the database opened (waiting for it with backoff when it is not there
// yet), the schema migrated, this replica registered and heartbeating, the leader lease tried, and
// the stores the rest of serve uses. Every replica serves the API and the dashboard and runs
// executions; the one that holds the scheduler lease runs the monitor, escalations and the other
// clocks (serve.ts decides what each role runs).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DatabaseConfig } from '../pg/config.ts';
import { openDb, type Db } from '../pg/db.ts';
import { DatabaseError } from '../pg/errors.ts';
import { migrate } from '../pg/migrate.ts';
import { currentLeader, LeaderLease } from '../pg/leader.ts';
import { ReplicaPresence, staleReplicaMs } from '../pg/executions-replica.ts';
import { pgLedger, pgPersistence } from '../pg/monitor-state.ts';
import { openPgExecutionStore } from '../pg/executions.ts';
import type { ExecutionStore } from '../store/types.ts';
import type { Persistence } from '../monitor/runtime/state.ts';
import type { NotificationLedger } from '../monitor/runtime/outbox.ts';
import type { Logger } from './log.ts';

export interface Shared {
  db: Db;
  replica: string;
  lease: LeaderLease;
  presence: ReplicaPresence;
  store: ExecutionStore;
  persistence: Persistence & { updatedAt(): Promise<string | undefined> };
  ledger: NotificationLedger;
  /** Whether the database answers now (a query of at most a second, remembered for a second). */
  reachable(): Promise<boolean>;
  leader(): Promise<{ holder: string; epoch: number; url?: string } | undefined>;
  close(): Promise<void>;
}

export interface SharedOptions {
  log: Logger;
  signal: AbortSignal;
  leaseMs?: number;
  /** The longest pause between two tries while the database is not there (30 s). */
  maxWaitMs?: number;
}

/** Opens the database and migrates it, trying again with a growing pause while it does not answer. */
async function reach(config: DatabaseConfig, o: SharedOptions, replica: string): Promise<Db> {
  let pause = 500;
  for (let attempt = 1; ; attempt++) {
    const db = await openDb(config.url, { max: config.pool ?? 8, applicationName: `pluginops ${replica}`, onIdleError: (e) => o.log(e.message, 'warn') });
    try {
      const { applied, status } = await migrate(db);
      if (applied.length) o.log(`database schema migrated to version ${status.current}`, 'info', { applied });
      return db;
    } catch (e) {
      await db.close().catch(() => undefined);
      if (!(e instanceof DatabaseError) || e.code !== 'E_DATABASE_UNREACHABLE') throw e;
      if (o.signal.aborted) throw e;
      o.log(`waiting for the database (${config.env}): ${e.message}; trying again in ${Math.round(pause / 100) / 10}s`, 'warn', { attempt });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pause);
        o.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
      });
      if (o.signal.aborted) throw e;
      pause = Math.min(o.maxWaitMs ?? 30_000, pause * 2);
    }
  }
}

export async function openShared(config: DatabaseConfig, o: SharedOptions): Promise<Shared> {
  const replica = `${hostname().replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const db = await reach(config, o, replica);
  const presence = await ReplicaPresence.start(db, replica, staleReplicaMs);
  const lease = new LeaderLease(db, { replica, ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}), log: (line, level) => o.log(line, level) });
  // The replica's row is kept by `presence` (with its address), not by the store.
  const store = await openPgExecutionStore(db, { replica, register: false });
  let checked = { at: 0, ok: true };
  return {
    db, replica, lease, presence, store,
    persistence: pgPersistence(db, lease),
    ledger: pgLedger(db, lease, replica),
    async reachable() {
      if (Date.now() - checked.at < 1_000) return checked.ok;
      const ok = await Promise.race([
        db.query('SELECT 1').then(() => true, () => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1_000).unref()),
      ]);
      checked = { at: Date.now(), ok };
      return ok;
    },
    leader: () => currentLeader(db, lease.role).catch(() => undefined),
    async close() {
      await lease.stop();
      await presence.stop();
      await db.close();
    },
  };
}
