// The remediation log in PostgreSQL: the contract every log keeps (test/remediation/log-contract.ts),
// each instance on a pool of its own as another process would open it; then what only a shared
// database makes hard: appends from two pools at once seen by every follower exactly once and in
// one order, compaction while the other pool appends, reads in bounded pages, and rows that are
// not events.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openDb, type Db } from '../../src/pg/db.ts';
import { migrate } from '../../src/pg/migrate.ts';
import { pgRemediationLog } from '../../src/pg/remediation-log.ts';
import type { LogEvent } from '../../src/remediation/events.ts';
import { guardPolicy } from '../../src/remediation/guard.ts';
import { readRemediationLog, RemediationFollower } from '../../src/remediation/log.ts';
import { attempt, logContract, t0 } from '../remediation/log-contract.ts';
import { freshDatabase } from './cluster.ts';

/** A migrated database of its own; `pool()` opens another connection pool on it, closed with the rest. */
async function database(): Promise<{ pool(): Promise<Db>; close(): Promise<void> }> {
  const url = await freshDatabase('rem');
  const pools: Db[] = [];
  const pool = async () => { const db = await openDb(url, { max: 4 }); pools.push(db); return db; };
  await migrate(await pool());
  return { pool, close: async () => { await Promise.all(pools.map((p) => p.close())); } };
}

logContract('PostgreSQL', async () => {
  const d = await database();
  return { open: async () => pgRemediationLog(await d.pool()), close: d.close };
}).run();

const loose = guardPolicy({ cooldownMs: 0, maxPerWindow: 100_000, breakerThreshold: 100_000 });
const idOf = (e: LogEvent) => (e as { id: string }).id;

test('two pools appending at once: each follower sees every event exactly once, in the one order of the log', async () => {
  const d = await database();
  try {
    const [a, b] = [pgRemediationLog(await d.pool()), pgRemediationLog(await d.pool())];
    const followers = [new RemediationFollower(a), new RemediationFollower(b)];
    const seen: string[][] = [[], []];
    let writing = true;
    const follow = followers.map(async (f, i) => {
      while (writing) {
        for (const x of await f.sync()) seen[i]!.push(idOf(x.event));
        await new Promise((ok) => setTimeout(ok, 3));
      }
      for (const x of await f.sync()) seen[i]!.push(idOf(x.event));
    });
    // Four writers per pool, each appending its own events one after the other.
    const writers = [a, b].flatMap((log, p) => Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 40; i++) await log.append(attempt(`p${p}-w${w}-${i}`, t0 + i, { policy: loose, target: `p${p}-w${w}` }));
    }));
    await Promise.all(writers);
    writing = false;
    await Promise.all(follow);

    const all = [...(await readRemediationLog(a)).records.keys()];
    assert.is(all.length, 320);
    for (const ids of seen) {
      assert.is(new Set(ids).size, ids.length, 'no event twice');
      assert.equal(ids, all, 'every event, in the order of the log');
    }
    for (const [p, w] of [[0, 0], [1, 3]] as const) {
      const mine = all.filter((id) => id.startsWith(`p${p}-w${w}-`));
      assert.equal(mine, Array.from({ length: 40 }, (_, i) => `p${p}-w${w}-${i}`), 'each writer\'s events in the order it appended them');
    }
  } finally { await d.close(); }
});

test('compacting again and again while another pool appends loses nothing, and its follower stays whole', async () => {
  const d = await database();
  try {
    const [mine, theirs] = [pgRemediationLog(await d.pool()), pgRemediationLog(await d.pool())];
    for (let i = 0; i < 20; i++) await mine.append(attempt(`old${i}`, t0 + i, { policy: loose, target: `old${i}` }));
    const compactor = new RemediationFollower(mine);
    const watcher = new RemediationFollower(theirs);
    await watcher.sync();
    let appending = true;
    const appends = (async () => {
      await Promise.all(Array.from({ length: 3 }, async (_, w) => {
        for (let i = 0; i < 60; i++) {
          await theirs.append(attempt(`new-${w}-${i}`, t0 + 1000 + i, { policy: loose, target: `new-${w}` }));
          if (i % 10 === 0) await watcher.sync();
        }
      }));
      appending = false;
    })();
    let compactions = 0;
    while (appending) {
      await compactor.compact(t0 + 500);
      compactions++;
      await new Promise((ok) => setTimeout(ok, 5));
    }
    await appends;
    assert.ok(compactions >= 2, `compacted ${compactions} times`);

    const whole = await readRemediationLog(await d.pool().then((db) => pgRemediationLog(db)));
    assert.is(whole.records.size, 200, 'the 20 before and the 180 appended during the compactions');
    for (const f of [compactor, watcher]) {
      await f.sync();
      assert.equal([...f.state.records.keys()].sort(), [...whole.records.keys()].sort());
    }
    const rows = await (await d.pool()).query<{ type: string }>("SELECT event->>'type' AS type FROM remediation_events ORDER BY seq LIMIT 1");
    assert.is(rows[0]!.type, 'snapshot', 'the log starts with the last snapshot');
  } finally { await d.close(); }
});

test('reads are pages of bounded size; a follower reads them all, in order', async () => {
  const d = await database();
  try {
    const db = await d.pool();
    const log = pgRemediationLog(db, { pageSize: 7 });
    for (let i = 0; i < 30; i++) await log.append(attempt(`r${i}`, t0 + i, { policy: loose, target: `r${i}` }));
    const reader = log.reader();
    const first = await reader.read();
    assert.equal([first.events.length, first.more], [7, true]);
    const follower = new RemediationFollower(log);
    assert.equal((await follower.sync()).map((x) => idOf(x.event)), Array.from({ length: 30 }, (_, i) => `r${i}`));
    let pages = 1;
    for (let r = first; r.more; pages++) r = await reader.read();
    assert.is(pages, 5, '30 events in pages of 7');
  } finally { await d.close(); }
});

test('a row that is not an event is skipped with a warning naming its seq', async () => {
  const d = await database();
  try {
    const db = await d.pool();
    const log = pgRemediationLog(db);
    await log.append(attempt('a', t0));
    await db.query('INSERT INTO remediation_events (event) VALUES ($1::json)', ['{"type":"attempt","at":1}']);
    await log.append({ type: 'outcome', at: t0 + 1000, id: 'a', outcome: 'fixed' });
    const warnings: string[] = [];
    const follower = new RemediationFollower(log, (w) => warnings.push(w));
    await follower.sync();
    assert.is(follower.state.records.get('a')!.outcome, 'fixed');
    assert.is(warnings.length, 1);
    assert.match(warnings[0]!, /remediation_events\): event \d+ is not a remediation event; skipped/);
  } finally { await d.close(); }
});

test.run();
