// The leader lease on a real PostgreSQL: one holder at a time, a takeover only after expiry with a
// higher epoch, a hand-over on stop, fenced writes refused once the epoch moved on, and the
// notification ledger's claims and settlements under the epoch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openDb, type Db } from '../../src/pg/db.ts';
import { DatabaseError } from '../../src/pg/errors.ts';
import { currentLeader, LeaderLease } from '../../src/pg/leader.ts';
import { migrate } from '../../src/pg/migrate.ts';
import { pgLedger, pgPersistence } from '../../src/pg/monitor-state.ts';
import { emptyCounters, type OutboxItem, type Snapshot } from '../../src/monitor/runtime/state.ts';
import { freshDatabase } from './cluster.ts';

async function database(): Promise<Db> {
  const db = await openDb(await freshDatabase('leader'));
  await migrate(db);
  return db;
}

const until = async (fn: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!fn()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 10)); }
};

const refused = (e: unknown) => { assert.instance(e, DatabaseError); assert.is((e as DatabaseError).code, 'E_NOT_LEADER'); };

test('one replica leads; a frozen leader is replaced after its lease, with a higher epoch, and its fenced writes are refused', async () => {
  const db = await database();
  // A leader that took the lease and then froze: it never renews (its next try is a minute away).
  const frozen = new LeaderLease(db, { replica: 'a', leaseMs: 1_000, renewMs: 60_000 });
  const b = new LeaderLease(db, { replica: 'b', leaseMs: 1_000, renewMs: 100 });
  try {
    await frozen.start();
    assert.ok(frozen.leading);
    assert.is(frozen.state.epoch, 1);
    const t0 = Date.now();
    await b.start();
    assert.not.ok(b.leading, 'the lease is held');
    await frozen.fenced(async () => undefined);
    await until(() => b.leading);
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took <= 1_200 + 300, `took over after ${took} ms`);
    assert.is(b.state.epoch, 2);
    assert.equal((await currentLeader(db))?.holder, 'b');
    // The frozen one still believes it leads; the database says otherwise.
    assert.ok(frozen.leading);
    await frozen.fenced(async () => undefined).then(() => assert.unreachable('fenced'), refused);
  } finally {
    await b.stop();
    await frozen.stop();
    await db.close();
  }
});

test('a leader that stops hands the lease over at once', async () => {
  const db = await database();
  const a = new LeaderLease(db, { replica: 'a', leaseMs: 5_000, renewMs: 100 });
  const b = new LeaderLease(db, { replica: 'b', leaseMs: 5_000, renewMs: 100 });
  try {
    await a.start();
    await b.start();
    const t0 = Date.now();
    await a.stop();
    await until(() => b.leading, 2_000);
    assert.ok(Date.now() - t0 < 1_000);
    assert.is(b.state.epoch, 2);
  } finally { await b.stop(); await db.close(); }
});

test('the state is written only under the current epoch, with the outbox rows in the same transaction', async () => {
  const db = await database();
  const a = new LeaderLease(db, { replica: 'a', leaseMs: 1_000, renewMs: 60_000 });
  const b = new LeaderLease(db, { replica: 'b', leaseMs: 1_000, renewMs: 100 });
  try {
    await a.start();
    const item: OutboxItem = { id: 1, key: 'inc1/step1.round1/ops', incidentId: 'inc1', channel: 'ops', notification: { kind: 'incident', title: 't' } as never, createdAt: Date.now(), attempts: 0, nextAt: 0 };
    const snap: Snapshot = { version: 1, savedAt: 1, checks: {}, alerts: [], incidents: [], outbox: [item], nextOutboxId: 2, counters: emptyCounters() };
    await pgPersistence(db, a).save(snap);
    assert.equal((await db.query('SELECT key, state, epoch FROM notifications')).map((r) => ({ ...r, epoch: Number(r.epoch) })), [{ key: 'inc1/step1.round1/ops', state: 'owed', epoch: 1 }]);
    assert.is((await pgPersistence(db, b).load())?.outbox[0]?.key, 'inc1/step1.round1/ops');

    const ledgerA = pgLedger(db, a, 'a');
    assert.is(await ledgerA.claim({ ...item, key: item.key! }), 'send');
    await b.start();
    await until(() => b.leading);
    // The old leader can neither write the state nor claim a send any more.
    await pgPersistence(db, a).save({ ...snap, outbox: [] }).then(() => assert.unreachable('fenced'), refused);
    assert.is(await ledgerA.claim({ ...item, key: item.key! }), 'wait');
    // The new leader finds the row claimed by a leader that may have sent it: it sends again (same key).
    const ledgerB = pgLedger(db, b, 'b');
    assert.is(await ledgerB.claim({ ...item, key: item.key! }), 'send');
    await ledgerB.settle({ ...item, key: item.key! }, 'sent');
    assert.is(await ledgerB.claim({ ...item, key: item.key! }), 'sent', 'never twice once settled');
    // A key whose owing state never landed is not sent.
    assert.is(await ledgerB.claim({ ...item, key: 'inc2/step1.round1/ops' }), 'wait');
  } finally { await b.stop(); await a.stop(); await db.close(); }
});

test.run();
