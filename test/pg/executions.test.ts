// What only the PostgreSQL execution store does: replicas sharing one database, recovery of a
// replica that stopped being seen, locks across pools, a database that goes away, and logs
// written in batches. What every store does is in test/store/contract/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openDb, type Db } from '../../src/pg/db.ts';
import { DatabaseError } from '../../src/pg/errors.ts';
import { openPgExecutionStore, type PgExecutionStoreOptions } from '../../src/pg/executions.ts';
import { migrate } from '../../src/pg/migrate.ts';
import { StoreError } from '../../src/store/errors.ts';
import type { ExecutionStore } from '../../src/store/types.ts';
import { execution, step } from '../store/helpers.ts';
import { clusterUrl, freshDatabase } from './cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A migrated database and a way to open stores on it, each with a pool of its own; `close` ends them all. */
async function setup() {
  const url = await freshDatabase('exec');
  const dbs: Db[] = [];
  const stores: ExecutionStore[] = [];
  const pool = async () => { const db = await openDb(url); dbs.push(db); return db; };
  const admin = await pool();
  await migrate(admin);
  return {
    url, admin,
    async store(replica: string, o: Omit<PgExecutionStoreOptions, 'replica'> = {}) {
      const s = await openPgExecutionStore(await pool(), { replica, ...o });
      stores.push(s);
      return s;
    },
    async close() {
      for (const s of stores) await s.close().catch(() => undefined);
      for (const db of dbs) await db.close();
    },
  };
}

test('two replicas on one database see each other\'s executions; the owner is the replica that runs it', async () => {
  const t = await setup();
  try {
    const a = await t.store('replica-a');
    const b = await t.store('replica-b');
    await a.create(execution('e1', { workflow: 'ship' }));
    await a.update('e1', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });
    await b.update('e1', { type: 'status', status: 'waiting', at: '2026-01-01T00:00:02Z' });
    const ownerBefore = (await t.admin.query<{ owner: string }>('SELECT owner FROM executions WHERE id = $1', ['e1']))[0]?.owner;
    await b.update('e1', { type: 'resumed', at: '2026-01-01T00:00:03Z', reason: 'approved', owner: { pid: process.pid, host: 'b' } });
    const ownerAfter = (await t.admin.query<{ owner: string }>('SELECT owner FROM executions WHERE id = $1', ['e1']))[0]?.owner;

    assert.equal((await b.list()).map((r) => r.id), ['e1']);
    assert.is((await a.get('e1'))?.status, 'running');
    assert.equal((await a.get('e1'))?.resumes?.map((r) => r.reason), ['approved']);
    assert.is(ownerBefore, 'replica-a');
    assert.is(ownerAfter, 'replica-b');
    assert.equal((await a.stats()).byStatus, { running: 1 });
  } finally { await t.close(); }
});

test('a replica is recorded while its store is open and stopped when it closes', async () => {
  const t = await setup();
  try {
    const a = await t.store('replica-a');
    const row = async () => (await t.admin.query<{ pid: number; stopped: boolean }>('SELECT pid, stopped_at IS NOT NULL AS stopped FROM replicas WHERE id = $1', ['replica-a']))[0];
    const open = await row();
    await a.close();
    const closed = await row();
    await t.store('replica-a');
    const reopened = await row();

    assert.equal(open, { pid: process.pid, stopped: false });
    assert.equal(closed, { pid: process.pid, stopped: true });
    assert.equal(reopened, { pid: process.pid, stopped: false });
  } finally { await t.close(); }
});

test('replica B recovers the running executions of replica A once A is stale, and leaves a live replica\'s alone', async () => {
  const t = await setup();
  try {
    const a = await t.store('replica-a');
    const b = await t.store('replica-b', { staleMs: 15_000, clock: () => Date.parse('2026-01-01T00:10:00Z') });
    for (const [store, id] of [[a, 'of-a'], [b, 'of-b']] as const) {
      await store.create(execution(id));
      await store.update(id, { type: 'status', status: 'running', at: '2026-01-01T00:00:00Z' });
      await store.update(id, { type: 'step', step: step('work', { status: 'running' }) });
    }
    const whileSeen = await b.recover();
    await t.admin.query("UPDATE replicas SET seen_at = now() - interval '1 minute' WHERE id = 'replica-a'");

    const seen = await b.get('of-a');
    const recovered = await b.recover();
    const stored = await a.get('of-a');

    assert.equal(whileSeen, []);
    assert.is(seen?.status, 'interrupted');
    assert.equal(recovered, ['of-a']);
    assert.is(stored?.status, 'interrupted');
    assert.is(stored?.endedAt, '2026-01-01T00:10:00.000Z');
    assert.is(stored?.steps.work?.status, 'interrupted');
    assert.is((await a.get('of-b'))?.status, 'running');
    assert.equal((await t.admin.query('SELECT status FROM executions WHERE id = $1', ['of-a']))[0], { status: 'interrupted' });
  } finally { await t.close(); }
});

test('an execution whose owner replica has no row at all counts as gone', async () => {
  const t = await setup();
  try {
    const a = await t.store('replica-a');
    await a.create(execution('lost', { status: 'running' }));
    await t.admin.query("UPDATE executions SET owner = 'never-registered' WHERE id = 'lost'");

    assert.equal((await a.list({ status: 'interrupted' })).map((r) => r.id), ['lost']);
    assert.equal(await a.recover(), ['lost']);
  } finally { await t.close(); }
});

test('exclusive across two pools: the second waits for the first, and past its wait gets E_LOCKED', async () => {
  const t = await setup();
  try {
    const a = await t.store('replica-a');
    const b = await t.store('replica-b', { lockWaitMs: 200 });
    const events: string[] = [];
    const hold = (who: string, ms: number) => async () => { events.push(`${who}:in`); await sleep(ms); events.push(`${who}:out`); return who; };

    const held = a.exclusive('x', hold('a', 100));
    await sleep(30);
    const waited = await b.exclusive('x', hold('b', 0));
    await held;
    const long = a.exclusive('x', hold('a2', 1_000));
    await sleep(50);
    const refused = await b.exclusive('x', hold('never', 0)).then(() => undefined, (e: unknown) => e);
    await long;
    const after = await b.exclusive('x', async () => 'free');

    assert.is(waited, 'b');
    assert.equal(events, ['a:in', 'a:out', 'b:in', 'b:out', 'a2:in', 'a2:out']);
    assert.instance(refused, StoreError);
    assert.is((refused as StoreError).code, 'E_LOCKED');
    assert.is(after, 'free');
  } finally { await t.close(); }
});

test('logs buffered then flushed keep their order across 1,000 lines of two executions', async () => {
  const t = await setup();
  try {
    const a = await t.store('replica-a');
    await a.create(execution('one'));
    await a.create(execution('two'));
    for (let i = 0; i < 1_000; i++) {
      a.log(i % 3 === 0 ? 'two' : 'one', { timestamp: `t${i}`, level: 'info', message: `line ${i}` });
      if (i === 400) await sleep(300); // the timer writes a batch mid-way
      if (i === 700) await a.update('one', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });
    }
    await a.flush();
    const one = (await a.logs('one')).map((l) => Number(l.message.slice(5)));
    const two = (await a.logs('two')).map((l) => Number(l.message.slice(5)));

    assert.equal(one, Array.from({ length: 1_000 }, (_, i) => i).filter((i) => i % 3 !== 0));
    assert.equal(two, Array.from({ length: 1_000 }, (_, i) => i).filter((i) => i % 3 === 0));
    assert.equal((await a.logs('one', 600)).map((l) => l.message), one.slice(600).map((i) => `line ${i}`));
  } finally { await t.close(); }
});

test('a NUL character in a log line or a step\'s output is kept as U+FFFD, not refused by jsonb', async () => {
  const t = await setup();
  try {
    const a = await t.store('replica-a');
    await a.create(execution('nul', { parameters: { text: 'a\u0000b', literal: 'c\\u0000d' } }));
    a.log('nul', { timestamp: 't', level: 'info', message: 'x\u0000y' });
    await a.update('nul', { type: 'step', step: step('s', { outputs: { out: '\u0000' } }) });

    const r = await a.get('nul');
    assert.equal(r?.parameters, { text: 'a\ufffdb', literal: 'c\\u0000d' });
    assert.is(r?.steps.s?.outputs.out, '\ufffd');
    assert.equal((await a.logs('nul')).map((l) => l.message), ['x\ufffdy']);
  } finally { await t.close(); }
});

test('a database that goes away mid-use gives DatabaseErrors, not a crash', async () => {
  const t = await setup();
  try {
    const a = await t.store('replica-a');
    await a.create(execution('e'));
    a.log('e', { timestamp: 't', level: 'info', message: 'buffered' });
    const name = new URL(t.url).pathname.slice(1);
    const server = await openDb(await clusterUrl());
    try { await server.query(`DROP DATABASE ${name} WITH (FORCE)`); } finally { await server.close(); }
    await sleep(400); // the log timer fires against the missing database

    const failures = [
      await a.update('e', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' }).then(() => undefined, (e: unknown) => e),
      await a.get('e').then(() => undefined, (e: unknown) => e),
      await a.list().then(() => undefined, (e: unknown) => e),
      await a.exclusive('e', async () => 'ran').then(() => undefined, (e: unknown) => e),
      await a.close().then(() => undefined, (e: unknown) => e),
    ];

    for (const f of failures) {
      assert.instance(f, DatabaseError);
      assert.is((f as DatabaseError).code, 'E_DATABASE_UNREACHABLE', String(f));
    }
  } finally { await t.close(); }
});

test.run();
