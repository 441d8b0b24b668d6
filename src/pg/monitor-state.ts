// The monitor's state in PostgreSQL, for replicas that take turns leading. The snapshot (incidents,
// alerts, escalation, the outbox) is one row of `state_documents`, written only by the leader and
// under its epoch (LeaderLease.fenced): a replica that lost the lease cannot overwrite its
// successor's state. In the same transaction each notification the snapshot owes becomes a row of
// `notifications`, keyed by what owes it (`<incident>/<step>.<round>/<channel>`), so the row exists
// exactly when the state change that owes it was written.
//
// The ledger then makes each send exactly once as far as this side can: the leader claims the row
// (owed → sending, under its epoch) before it sends, and settles it (sent | failed | dropped) before
// its snapshot forgets the item. A new leader that finds the item in the snapshot asks the ledger
// first: a row already `sent` is not sent again. The one window left, a crash after the receiver
// got the message and before `sent` was written, resends it with the same idempotency key
// (`Idempotency-Key` for webhooks, PagerDuty's dedup_key, an email's Message-ID), on which
// receivers dedupe.
import type { Persistence, Snapshot } from '../monitor/runtime/state.ts';
import type { CheckResult } from '../monitor/checks/result.ts';
import type { LedgerClaim, NotificationLedger } from '../monitor/runtime/outbox.ts';
import { itemKey } from '../monitor/runtime/outbox.ts';
import type { Db } from './db.ts';
import type { LeaderLease } from './leader.ts';

export const monitorDocument = 'monitor';
export const historiesDocument = 'monitor.histories';

/** Reads the leader's last snapshot; writes only while leading. */
export function pgPersistence(db: Db, lease: LeaderLease): Persistence & { updatedAt(): Promise<string | undefined> } {
  return {
    async load() {
      const rows = await db.query<{ name: string; body: unknown }>('SELECT name, body FROM state_documents WHERE name = ANY($1)', [[monitorDocument, historiesDocument]]);
      const snap = rows.find((r) => r.name === monitorDocument)?.body as Snapshot | undefined;
      if (!snap) return undefined;
      const histories = (rows.find((r) => r.name === historiesDocument)?.body ?? {}) as Record<string, CheckResult[]>;
      for (const [id, rec] of Object.entries(snap.checks)) rec.history = Array.isArray(histories[id]) ? histories[id]! : [];
      return snap;
    },
    async save(snapshot, o = {}) {
      const checks = Object.fromEntries(Object.entries(snapshot.checks).map(([id, rec]) => [id, { health: rec.health, history: [] }]));
      const owed = snapshot.outbox.map((i) => ({ key: itemKey(i), incident: i.incidentId, channel: i.channel, created: i.createdAt, body: i }));
      await lease.fenced(async (q, epoch) => {
        const put = `INSERT INTO state_documents (name, epoch, updated_at, body) VALUES ($1, $2, now(), $3)
          ON CONFLICT (name) DO UPDATE SET epoch = EXCLUDED.epoch, updated_at = now(), body = EXCLUDED.body`;
        await q.query(put, [monitorDocument, epoch, JSON.stringify({ ...snapshot, checks })]);
        if (o.histories) await q.query(put, [historiesDocument, epoch, JSON.stringify(Object.fromEntries(Object.entries(snapshot.checks).map(([id, rec]) => [id, rec.history])))]);
        if (owed.length) {
          await q.query(`INSERT INTO notifications (key, incident, channel, state, epoch, created_at, body)
            SELECT x.key, x.incident, x.channel, 'owed', $1, to_timestamp(x.created / 1000.0), x.body
            FROM jsonb_to_recordset($2::jsonb) AS x(key text, incident text, channel text, created double precision, body jsonb)
            ON CONFLICT (key) DO NOTHING`, [epoch, JSON.stringify(owed)]);
        }
      });
    },
    async updatedAt() {
      const rows = await db.query<{ at: Date }>('SELECT updated_at AS at FROM state_documents WHERE name = $1', [monitorDocument]);
      return rows[0] ? new Date(rows[0].at).toISOString() : undefined;
    },
  };
}

/** Claims and settles sends in `notifications`, under the lease's epoch. */
export function pgLedger(db: Db, lease: LeaderLease, replica: string): NotificationLedger {
  return {
    async claim(item): Promise<LedgerClaim> {
      const { epoch, leading } = lease.state;
      if (!leading || epoch === undefined) return 'wait';
      const claimed = await db.query(
        `UPDATE notifications n SET state = 'sending', attempts = n.attempts + 1, claimed_at = now(), epoch = l.epoch
         FROM leases l
         WHERE n.key = $1 AND n.state IN ('owed', 'sending', 'failed')
           AND l.role = $2 AND l.holder = $3 AND l.epoch = $4 AND l.expires_at > now()
         RETURNING n.key`, [item.key, lease.role, replica, epoch]);
      if (claimed.length) return 'send';
      const rows = await db.query<{ state: string }>('SELECT state FROM notifications WHERE key = $1', [item.key]);
      return rows[0] && (rows[0].state === 'sent' || rows[0].state === 'dropped') ? 'sent' : 'wait';
    },
    async settle(item, outcome, error) {
      await db.query(
        `UPDATE notifications SET state = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, last_error = $3
         WHERE key = $1 AND state <> 'sent'`, [item.key, outcome, error ?? null]);
    },
  };
}

/** Notifications settled more than `days` ago are forgotten; returns how many. */
export async function forgetSettled(db: Db, days = 7): Promise<number> {
  const rows = await db.query("DELETE FROM notifications WHERE state IN ('sent', 'dropped') AND coalesce(sent_at, created_at) < now() - $1 * interval '1 day' RETURNING key", [days]);
  return rows.length;
}
