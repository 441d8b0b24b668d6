// Self-healing across a change of leader, with the remediation log in PostgreSQL: the first
// leader's restart plan fails (its breaker opens) and the fallback hangs (a pending remediation);
// a Remediator on another connection pool, as another replica's, finds both (also when the first
// compacted the log, and when it was opened as a standby before any of it happened), and follows
// the run it did not start until its time limit. Then the CLI's remediation commands on a project
// whose store is `store.postgres` read and append the same log.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openDb, type Db } from '../../src/pg/db.ts';
import { migrate } from '../../src/pg/migrate.ts';
import { pgRemediationLog } from '../../src/pg/remediation-log.ts';
import { readRemediationLog } from '../../src/remediation/log.ts';
import type { Remediator } from '../../src/remediation/remediator.ts';
import { cli, project } from '../cli/helpers.ts';
import { attempt, t0 } from '../remediation/log-contract.ts';
import { apiWith, healing, min, plan, planDocs, sec, type Healing } from '../remediation/remediator-world.ts';
import { freshDatabase } from './cluster.ts';

async function database(): Promise<{ url: string; pool(): Promise<Db>; close(): Promise<void> }> {
  const url = await freshDatabase('lead');
  const pools: Db[] = [];
  const pool = async () => { const db = await openDb(url, { max: 4 }); pools.push(db); return db; };
  await migrate(await pool());
  return { url, pool, close: async () => { await Promise.all(pools.map((p) => p.close())); } };
}

/** restart fails (threshold 1 opens its breaker), then the fallback clear-cache hangs; it compacts the log on every tick. */
async function firstLeader(d: Awaited<ReturnType<typeof database>>): Promise<Healing> {
  const h = await healing({
    compactAtBytes: 1,
    documents: apiWith(['remediate: { plans: [restart, clear-cache] }']) + planDocs('restart', 'clear-cache'),
    project: ['remediation: { breakerThreshold: 1, cooldown: 0s, timeout: 2m }'],
    plans: [plan('restart', 'fail'), plan('clear-cache', 'hang')],
    remediationLog: pgRemediationLog(await d.pool()),
  });
  h.w.monitor.start();
  h.w.service.mode = 'down';
  await h.run(60 * sec);
  assert.equal(h.rem.breakers().map((k) => [k.plan, k.target, k.breaker.status]), [['restart', 'api', 'open']]);
  assert.equal(h.rem.records({ pending: true }).map((r) => [r.plan, r.runId]), [['clear-cache', 'run-2']]);
  return h;
}

const seen = (r: Remediator) => ({ breakers: r.breakers(), pending: r.records({ pending: true }), patterns: r.patterns() });

/** The new leader follows run-2 to its time limit and cancels it; nothing is started again. */
async function followsToTheLimit(h: Healing, leader: Remediator): Promise<void> {
  await h.run(2 * min + 10 * sec);
  assert.equal(h.port.cancelled, ['run-2']);
  assert.is(leader.records().find((r) => r.runId === 'run-2')!.outcome, 'timed-out');
  assert.is(h.port.started.length, 2, 'nothing was started twice');
  assert.not.ok(existsSync(h.logPath), 'the file log was never written');
}

test('a second leader opening the log finds the breakers and pending remediations the first recorded, and follows the run', async () => {
  const d = await database();
  const h = await firstLeader(d);
  try {
    const before = seen(h.rem);
    const rows = await (await d.pool()).query<{ type: string }>("SELECT event->>'type' AS type FROM remediation_events ORDER BY seq");
    assert.is(rows[0]!.type, 'snapshot', 'the first leader compacted the log');
    const second = await h.restart({ remediationLog: pgRemediationLog(await d.pool()) });
    assert.equal(seen(second), before);
    await followsToTheLimit(h, second);
  } finally { await h.close(); await d.close(); }
});

test('a standby opened before anything happened takes over: its first tick adopts the previous leader\'s pending run', async () => {
  const d = await database();
  let standby: Remediator | undefined;
  const h = await healing({
    documents: apiWith(['remediate: { plans: [restart, clear-cache] }']) + planDocs('restart', 'clear-cache'),
    project: ['remediation: { breakerThreshold: 1, cooldown: 0s, timeout: 2m }'],
    plans: [plan('restart', 'fail'), plan('clear-cache', 'hang')],
    remediationLog: pgRemediationLog(await d.pool()),
  });
  try {
    standby = await h.standby(pgRemediationLog(await d.pool()));
    assert.equal(standby.records(), []);
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    const before = seen(h.rem);
    assert.is(before.pending.length, 1);

    h.lead(standby);
    await h.run(sec);
    assert.equal(seen(standby), before);
    await followsToTheLimit(h, standby);
  } finally { await h.close(); await d.close(); }
});

const projectFile = 'apiVersion: pluginops/v1\nkind: Project\nstore:\n  postgres: { url: { env: PLUGINOPS_DATABASE_URL } }\n';

test('with store.postgres the CLI lists, learns from, gives feedback to and resets breakers in the PostgreSQL log', async () => {
  const d = await database();
  try {
    const dir = project({ 'pluginops.yml': projectFile });
    const env = { PLUGINOPS_DATABASE_URL: d.url };
    const db = await d.pool();
    const log = pgRemediationLog(db);
    await log.append(attempt('a', t0));
    await log.append({ type: 'outcome', at: t0 + 60_000, id: 'a', outcome: 'fixed' });
    // The leader's monitor knows incident inc-a (its saved state).
    await db.query("INSERT INTO state_documents (name, epoch, updated_at, body) VALUES ('monitor', 1, now(), $1)", [JSON.stringify({ incidents: [{ id: 'inc-a' }] })]);

    const list = await cli(['remediation', 'list', '--json'], dir, { env });
    assert.is(list.code, 0, list.stderr);
    assert.equal(JSON.parse(list.stdout).map((r: { id: string; outcome: string }) => [r.id, r.outcome]), [['a', 'fixed']]);

    const unknown = await cli(['feedback', 'inc-nope', '--positive'], dir, { env });
    assert.is(unknown.code, 1);
    assert.match(unknown.stderr, /E_UNKNOWN_INCIDENT/);
    const given = await cli(['feedback', 'inc-a', '--positive', '--reason', 'quick', '--as', 'dana'], dir, { env });
    assert.is(given.code, 0, given.stderr);
    const reset = await cli(['remediation', 'reset', 'restart', 'billing', '--as', 'alice'], dir, { env });
    assert.is(reset.code, 0, reset.stderr);

    const state = await readRemediationLog(pgRemediationLog(await d.pool()));
    assert.equal(state.records.get('a')!.feedback.map((f) => [f.by, f.positive, f.reason]), [['dana', true, 'quick']]);
    assert.equal(Object.values(state.guard.keys)[0]!.lastReset?.by, 'alice');
    const patterns = await cli(['remediation', 'patterns', '--scope', 'api-down', '--json'], dir, { env });
    assert.equal(JSON.parse(patterns.stdout).map((p: { successes: number; positive: number }) => [p.successes, p.positive]), [[1, 1]]);
    assert.not.ok(existsSync(join(dir, '.pluginops', 'remediation.jsonl')), 'nothing went to a file');

    const onDisk = await cli(['remediation', 'list', '--store', '.pluginops'], dir, { env });
    assert.is(onDisk.stdout, 'no remediations\n', '--store names the embedded store, which wins');
  } finally { await d.close(); }
});

test.run();
