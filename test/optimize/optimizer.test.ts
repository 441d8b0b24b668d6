// The Optimizer on a virtual clock, with a fake metric reader (a plugin whose latency follows its
// worker count) and a fake apply port (runs that succeed, fail or hang when told to): suggestions
// from analyses, the states through apply and verification, the guardrails (etag, idempotency
// key, one change per plugin, cooldown, stale evidence), a failed or hung runbook, dismissal, a
// source that goes down, too little data, and the book read again after a restart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../../bench/stats.ts';
import type { OptimizationConfig, OptimizationItem } from '../../src/optimize/config.ts';
import { defaults } from '../../src/optimize/config.ts';
import { OptimizationError } from '../../src/optimize/errors.ts';
import { Optimizer } from '../../src/optimize/optimizer.ts';
import type { ApplyPort, MetricReader, StartApply } from '../../src/optimize/ports.ts';
import type { Suggestion } from '../../src/optimize/suggestion.ts';
import { etagOf } from '../../src/optimize/suggestion.ts';
import type { RunState } from '../../src/remediation/ports.ts';

const minute = 60_000;
const hour = 60 * minute;
const t0 = Date.UTC(2026, 11, 1);

/** A plugin whose p90 latency is `perWorker / workers` ms, with noise; its worker count changes when a run sets it. */
class World {
  now = t0;
  down = false;
  readonly workers = new Map<string, Array<{ at: number; n: number }>>();
  readonly perWorker = new Map<string, number>();
  readonly random = prng(7);
  constructor(plugins: Record<string, { workers: number; perWorker: number }>) {
    for (const [p, v] of Object.entries(plugins)) { this.workers.set(p, [{ at: 0, n: v.workers }]); this.perWorker.set(p, v.perWorker); }
  }
  workersAt(plugin: string, t: number): number { return this.workers.get(plugin)!.filter((c) => c.at <= t).at(-1)!.n; }
  set(plugin: string, n: number): void { this.workers.get(plugin)!.push({ at: this.now, n }); }
  value(plugin: string, metric: string, t: number): number {
    const n = this.workersAt(plugin, t);
    if (metric === 'workers') return n;
    return (this.perWorker.get(plugin)! / n) * (0.9 + 0.2 * this.random());
  }
  reader(): MetricReader {
    return {
      read: async ({ plugin, metric, since, now }) => {
        if (this.down && metric === 'latency') return { ok: false, error: 'connection refused' };
        const samples = [];
        for (let t = Math.floor(since / minute) * minute + minute; t <= now; t += minute) if (t >= t0 - 6 * hour) samples.push({ t, v: this.value(plugin, metric, t) });
        return { ok: true, samples };
      },
    };
  }
}

type Mode = 'succeed' | 'fail' | 'hang' | 'wait';
class Port implements ApplyPort {
  readonly started: StartApply[] = [];
  readonly cancelled: string[] = [];
  readonly runs = new Map<string, { req: StartApply; polls: number }>();
  mode: Mode = 'succeed';
  constructor(private readonly world: World) {}
  plans() { return new Map([['set_workers', { id: 'set_workers', approvalRequired: false, parameters: ['plugin', 'workers'] }]]); }
  async start(req: StartApply) {
    if (this.mode === 'fail' && req.data.workers === 'boom') throw new Error('no such plan');
    const id = `run-${this.started.length + 1}`;
    this.started.push(req);
    this.runs.set(id, { req, polls: 0 });
    return { id };
  }
  async state(id: string): Promise<RunState | undefined> {
    const r = this.runs.get(id);
    if (!r) return undefined;
    if (this.mode === 'hang') return { status: 'running' };
    if (this.mode === 'wait') return { status: 'waiting' };
    if (r.polls++ === 0) return { status: 'running' };
    if (this.mode === 'fail') return { status: 'failed', error: 'step set exited 1' };
    if (r.polls === 2) this.world.set(String(r.req.data.plugin), Number(r.req.data.workers));
    return { status: 'success' };
  }
  async cancel(id: string) { this.cancelled.push(id); }
}

function item(id: string, plugins: string[], o: Partial<OptimizationItem> = {}): OptimizationItem {
  return {
    id, file: `${id}.yml`, plugins, everyMs: 15 * minute, windowMs: 6 * hour, halfLifeMs: 24 * hour, minSamples: 100, minSpanMs: 3 * hour,
    metrics: { latency: { pushed: 'latency_ms', unit: 'ms' }, workers: { pushed: 'workers' } },
    analyzers: { workers: { latency: 'latency', current: 'workers', target: 200, max: 16, apply: { runbook: 'set_workers', with: { plugin: '${{ plugin }}', workers: '${{ value }}' } } } },
    verify: { ...defaults.verify }, guardrails: { ...defaults.guardrails }, ...o,
  };
}

const config = (...items: OptimizationItem[]): OptimizationConfig => ({ items: new Map(items.map((i) => [i.id, i])) });

const opened: Optimizer[] = [];
test.after(async () => { for (const o of opened) await o.close(); });

async function setup(plugins: Record<string, { workers: number; perWorker: number }>, items: OptimizationItem[], dir = mkdtempSync(join(tmpdir(), 'pluginops-opt-'))) {
  const world = new World(plugins);
  const port = new Port(world);
  const ended: Suggestion[] = [];
  const opt = await Optimizer.open(config(...items), { now: () => world.now, port, reader: world.reader(), bookPath: join(dir, 'optimization.jsonl'), onEnded: (s) => ended.push(s) });
  opened.push(opt);
  return { world, port, opt, ended, dir };
}

/** Advances the virtual clock in steps, ticking (runs followed, verdicts judged) at each. */
async function advance(opt: Optimizer, world: World, ms: number, step = minute): Promise<void> {
  for (const end = world.now + ms; world.now < end;) { world.now = Math.min(end, world.now + step); await opt.tick(); await opt.idle(); }
}

const open = (opt: Optimizer, plugin: string) => opt.list({ state: 'open', plugin });

async function conflict(p: Promise<unknown>, code: OptimizationError['code']): Promise<OptimizationError> {
  try { await p; } catch (e) { assert.instance(e, OptimizationError); assert.is((e as OptimizationError).code, code, (e as Error).message); return e as OptimizationError; }
  throw new Error(`expected ${code}`);
}

test('latency over target: a workers suggestion with evidence; applied, verified better → succeeded with the numbers', async () => {
  const { world, port, opt, ended } = await setup({ resizer: { workers: 4, perWorker: 1400 } }, [item('o', ['resizer'])]);
  await opt.analyze({ all: true });
  const [s] = open(opt, 'resizer');
  assert.ok(s, 'a suggestion');
  assert.is(s!.state, 'active');
  assert.is(s!.previous, 4);
  assert.ok(s!.value! >= 8 && s!.value! <= 16, `value ${s!.value}`);
  assert.ok(s!.evidence.samples >= 300 && s!.confidence > 0);
  assert.equal(s!.apply, { runbook: 'set_workers', parameters: { plugin: 'resizer', workers: s!.value } });
  assert.equal(s!.revert, { runbook: 'set_workers', parameters: { plugin: 'resizer', workers: 4 } });

  const applying = await opt.apply(s!.id, { by: 'ana', etag: etagOf(s!), key: 'k1' }) as Suggestion;
  assert.is(applying.state, 'applying');
  assert.is((await opt.apply(s!.id, { by: 'ana', etag: etagOf(s!), key: 'k1' }) as Suggestion).run!.id, applying.run!.id, 'the same key answers the same');
  await conflict(opt.apply(s!.id, { by: 'bob', etag: etagOf(s!) }), 'E_SUGGESTION_STATE');
  assert.is(port.started.length, 1);

  await advance(opt, world, 2 * minute);
  assert.is(opt.get(s!.id)!.state, 'verifying');
  await advance(opt, world, 40 * minute);
  const done = opt.get(s!.id)!;
  assert.is(done.state, 'succeeded', done.reason);
  assert.is(done.verification!.outcome, 'better');
  assert.ok(done.verification!.after.median < done.verification!.before.median * 0.7);
  assert.ok(done.verification!.before.n >= 20 && done.verification!.after.n >= 20);
  assert.equal(ended.map((e) => e.state), ['succeeded']);
  assert.equal(opt.history().map((h) => h.id), [s!.id]);
  assert.equal(done.transitions.map((t) => t.state), ['active', 'approved', 'applying', 'verifying', 'succeeded']);
});

test('a flat series within target and too little data give no suggestion, and say why', async () => {
  const { world, opt } = await setup({ ok: { workers: 4, perWorker: 500 } }, [item('o', ['ok'])]);
  let [a] = await opt.analyze({ all: true });
  assert.is(open(opt, 'ok').length, 0);
  assert.is(a!.analyses[0]!.analyzer, 'workers');
  assert.ok(!('evidence' in a!.analyses[0]!));
  // A plugin seen for 30 minutes only.
  const young = await setup({ young: { workers: 2, perWorker: 2000 } }, [item('o', ['young'])]);
  young.world.now = t0;
  (young.world as { reader: () => MetricReader }).reader = () => ({ read: async ({ since, now }) => ({ ok: true, samples: Array.from({ length: 30 }, (_, i) => ({ t: now - (29 - i) * minute, v: 900 })).filter((p) => p.t > since) }) });
  const opt2 = await Optimizer.open(config(item('o', ['young'])), { now: () => young.world.now, port: young.port, reader: young.world.reader(), bookPath: join(young.dir, 'b.jsonl') });
  opened.push(opt2);
  [a] = await opt2.analyze({ all: true });
  assert.is(opt2.list({ state: 'open' }).length, 0);
  const note = a!.analyses[0]! as { reason: string; message: string };
  assert.is(note.reason, 'insufficient-data');
  assert.match(note.message, /30/);
  assert.match(note.message, /100/);
  void world;
});

test('worse after the change → the revert runs → reverted, and the same change is not suggested again within the cooldown', async () => {
  const { world, port, opt, ended } = await setup({ slow: { workers: 4, perWorker: 1400 } }, [item('o', ['slow'])]);
  // More workers make this plugin slower (contention).
  world.value = function (plugin, metric, t) { const n = this.workersAt(plugin, t); return metric === 'workers' ? n : 80 * n * (0.9 + 0.2 * this.random()); };
  await opt.analyze({ all: true });
  const [s] = open(opt, 'slow');
  assert.ok(s);
  await opt.apply(s!.id, { by: 'ana' });
  await advance(opt, world, 45 * minute);
  const done = opt.get(s!.id)!;
  assert.is(done.state, 'reverted', done.reason);
  assert.is(done.verification!.outcome, 'worse');
  assert.equal(port.started.map((r) => r.data.workers), [s!.value, 4]);
  assert.is(world.workersAt('slow', world.now), 4);
  assert.equal(ended.map((e) => e.state), ['reverted']);
  await advance(opt, world, 16 * minute);
  assert.is(open(opt, 'slow').length, 0, 'not suggested again within the cooldown');
});

test('fewer workers (a saving) succeed when latency holds, and are reverted when it climbs past what was expected', async () => {
  const { world, port, opt } = await setup({ idle: { workers: 8, perWorker: 400 }, tight: { workers: 8, perWorker: 400 } }, [item('o', ['idle', 'tight'])]);
  // idle: over-provisioned, its latency does not depend on the count; tight: 5× slower with fewer than 8.
  world.value = function (plugin, metric, t) {
    const n = this.workersAt(plugin, t);
    if (metric === 'workers') return n;
    return (plugin === 'tight' && n < 8 ? 250 : 50) * (0.9 + 0.2 * this.random());
  };
  await opt.analyze({ all: true });
  const [idle] = open(opt, 'idle');
  const [tight] = open(opt, 'tight');
  assert.ok(idle && tight);
  assert.ok(idle!.value! < 8 && idle!.expected.hold === true, JSON.stringify(idle!.expected));
  await opt.apply(idle!.id, { by: 'ana' });
  await opt.apply(tight!.id, { by: 'ana' });
  await advance(opt, world, 45 * minute);
  const held = opt.get(idle!.id)!;
  assert.is(held.state, 'succeeded', held.reason);
  assert.match(held.reason!, /^held: /);
  const climbed = opt.get(tight!.id)!;
  assert.is(climbed.state, 'reverted', climbed.reason);
  assert.is(world.workersAt('tight', world.now), 8);
  assert.is(port.started.length, 3);
});

test('guardrails: a stale etag, one change per plugin, the cooldown, and dismissed suggestions', async () => {
  const { world, opt } = await setup({ p: { workers: 4, perWorker: 1400 } }, [item('a', ['p']), item('b', ['p'])]);
  await opt.analyze({ all: true });
  const [x, y] = open(opt, 'p');
  assert.ok(x && y && x.optimization !== y.optimization);
  await conflict(opt.apply(x!.id, { by: 'ana', etag: '"sg-x.99"' }), 'E_STALE_ETAG');
  await opt.apply(x!.id, { by: 'ana', etag: etagOf(x!) });
  const busy = await conflict(opt.apply(y!.id, { by: 'bob' }), 'E_PLUGIN_BUSY');
  assert.is(busy.details.busy, x!.id);
  await advance(opt, world, 45 * minute);
  assert.is(opt.get(x!.id)!.state, 'succeeded');
  const cool = await conflict(opt.apply(y!.id, { by: 'bob' }), 'E_COOLDOWN');
  assert.ok(Number(cool.details.retryAfterSeconds) > 0);
  const dismissed = await opt.dismiss(y!.id, { by: 'bob', reason: 'not now' });
  assert.is(dismissed.state, 'dismissed');
  await conflict(opt.apply(y!.id, { by: 'bob' }), 'E_SUGGESTION_STATE');
  await conflict(opt.dismiss(y!.id, { by: 'bob' }), 'E_SUGGESTION_STATE');
  await conflict(opt.apply('sg-none', { by: 'bob' }), 'E_UNKNOWN_SUGGESTION');
});

test('a runbook that fails or hangs ends the suggestion failed with the reason; the cooldown still holds', async () => {
  const { world, port, opt, ended } = await setup({ p: { workers: 4, perWorker: 1400 }, q: { workers: 4, perWorker: 1400 } }, [item('o', ['p', 'q'], { guardrails: { ...defaults.guardrails, timeoutMs: 10 * minute } })]);
  await opt.analyze({ all: true });
  port.mode = 'fail';
  const [s] = open(opt, 'p');
  await opt.apply(s!.id, { by: 'ana' });
  await advance(opt, world, 3 * minute);
  assert.is(opt.get(s!.id)!.state, 'failed');
  assert.match(opt.get(s!.id)!.reason!, /step set exited 1/);
  port.mode = 'hang';
  const [h] = open(opt, 'q');
  await opt.apply(h!.id, { by: 'ana' });
  await advance(opt, world, 12 * minute);
  const hung = opt.get(h!.id)!;
  assert.is(hung.state, 'failed');
  assert.match(hung.reason!, /cancelled/);
  assert.equal(port.cancelled, [hung.run!.id]);
  assert.equal(ended.map((e) => e.state), ['failed', 'failed']);
  // The failed change still counts for the cooldown.
  port.mode = 'succeed';
  await opt.analyze({ all: true });
  for (const again of open(opt, 'q')) await conflict(opt.apply(again.id, { by: 'ana' }), 'E_COOLDOWN');
});

test('a safety backup is taken before the run; when it fails, nothing runs and the suggestion fails with why', async () => {
  const { world, port, opt } = await setup({ p: { workers: 4, perWorker: 1400 }, q: { workers: 4, perWorker: 1400 } }, [item('o', ['p', 'q'])]);
  const taken: string[] = [];
  let broken = false;
  const withSnapshot = await Optimizer.open(config(item('o', ['p', 'q'])), {
    now: () => world.now, port, reader: world.reader(), bookPath: join(mkdtempSync(join(tmpdir(), 'pluginops-opt-')), 'b.jsonl'),
    snapshot: async (s) => { if (broken) throw new Error('disk full'); taken.push(s.id); return `backup-${taken.length}`; },
  });
  opened.push(withSnapshot);
  await withSnapshot.analyze({ all: true });
  const [a] = open(withSnapshot, 'p');
  const applied = await withSnapshot.apply(a!.id, { by: 'ana' }) as Suggestion;
  assert.equal([applied.state, applied.backup, taken], ['applying', 'backup-1', [a!.id]]);
  broken = true;
  const [b] = open(withSnapshot, 'q');
  const failed = await withSnapshot.apply(b!.id, { by: 'ana' }) as Suggestion;
  assert.is(failed.state, 'failed');
  assert.match(failed.reason!, /the safety backup failed, so nothing was run: disk full/);
  assert.is(port.started.length, 1);
  void opt;
});

test('an apply nobody approves is cancelled at the timeout; an approval left by a stopped process fails; removed optimizations expire', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-opt-'));
  const timed = item('o', ['p', 'q', 'r'], { guardrails: { ...defaults.guardrails, timeoutMs: 10 * minute, requireApproval: true } });
  const { world, port, opt } = await setup({ p: { workers: 4, perWorker: 1400 }, q: { workers: 4, perWorker: 1400 }, r: { workers: 4, perWorker: 1400 } }, [timed], dir);
  await opt.analyze({ all: true });
  port.mode = 'wait';
  const [s] = open(opt, 'p');
  await opt.apply(s!.id, { by: 'ana' });
  assert.is(port.started[0]!.requireApproval, true);
  await advance(opt, world, 12 * minute);
  const waited = opt.get(s!.id)!;
  assert.is(waited.state, 'failed');
  assert.match(waited.reason!, /still waiting for approval after 600 s \(guardrails\.timeout\) and was cancelled/);
  assert.equal(port.cancelled, [waited.run!.id]);
  // A line left `approved` by a process that stopped before the run started.
  const [q] = open(opt, 'q');
  await opt.close();
  opened.splice(opened.indexOf(opt), 1);
  const { appendFileSync } = await import('node:fs');
  appendFileSync(join(dir, 'optimization.jsonl'), `${JSON.stringify({ ...q!, state: 'approved', version: q!.version + 1 })}\n`);
  const again = await Optimizer.open(config(timed), { now: () => world.now, port, reader: world.reader(), bookPath: join(dir, 'optimization.jsonl') });
  opened.push(again);
  await again.tick();
  await again.idle();
  assert.is(again.get(q!.id)!.state, 'failed');
  assert.match(again.get(q!.id)!.reason!, /stopped between the approval and the run/);
  // The Optimization is removed: its active suggestions expire.
  await again.analyze({ all: true });
  const active = again.list({ state: 'active' });
  assert.equal(active.map((a) => a.plugin), ['r']);
  again.reload(config());
  await again.idle();
  for (const a of active) {
    assert.is(again.get(a.id)!.state, 'expired');
    assert.match(again.get(a.id)!.reason!, /no longer analyses/);
  }
  assert.equal(again.status().analyses, []);
});

test('the window before a change is kept with the suggestion: a restart that loses the history still gets a verdict', async () => {
  const first = await setup({ p: { workers: 4, perWorker: 1400 } }, [item('o', ['p'])]);
  await first.opt.analyze({ all: true });
  const [s] = open(first.opt, 'p');
  const applying = await first.opt.apply(s!.id, { by: 'ana' }) as Suggestion;
  assert.ok(applying.before!.length >= 20, `${applying.before?.length} samples kept`);
  assert.ok(applying.before!.every(([t]) => t < first.world.now && t >= first.world.now - 30 * minute));
  await first.opt.close();
  opened.splice(opened.indexOf(first.opt), 1);
  // The new process's source has nothing before its start (pushed metrics, checks, processes).
  const restartedAt = first.world.now;
  const base = first.world.reader();
  const reader: MetricReader = { read: (req) => base.read({ ...req, since: Math.max(req.since, restartedAt) }) };
  const again = await Optimizer.open(config(item('o', ['p'])), { now: () => first.world.now, port: first.port, reader, bookPath: join(first.dir, 'optimization.jsonl') });
  opened.push(again);
  await advance(again, first.world, 45 * minute);
  const done = again.get(s!.id)!;
  assert.is(done.state, 'succeeded', done.reason);
  assert.is(done.verification!.before.n, applying.before!.length);
});

test('a source that goes down: the status says which and why, the history is kept, a dry run changes nothing', async () => {
  const { world, port, opt } = await setup({ p: { workers: 4, perWorker: 1400 } }, [item('o', ['p'])]);
  await opt.analyze({ all: true });
  const [s] = open(opt, 'p');
  world.down = true;
  world.now += 15 * minute;
  await opt.analyze({ all: true });
  const latency = opt.status().sources.find((x) => x.metric === 'latency')!;
  assert.is(latency.ok, false);
  assert.match(latency.error!, /connection refused/);
  assert.ok(latency.lastGoodAt! < world.now && latency.samples >= 300);
  assert.is(opt.get(s!.id)!.state, 'active', 'kept on the last good data');
  const dry = await opt.apply(s!.id, { by: 'ana', dryRun: true });
  assert.ok('dryRun' in dry);
  assert.is(port.started.length, 0);
  assert.is(opt.get(s!.id)!.state, 'active');
  // Nothing confirms it for longer than the evidence stays fresh: expired.
  world.now += 4 * hour;
  await opt.analyze({ all: true });
  assert.is(opt.get(s!.id)!.state, 'expired');
  assert.match(opt.get(s!.id)!.reason!, /stale/);
});

test('the book is read again after a restart, and a torn last line is skipped', async () => {
  const first = await setup({ p: { workers: 4, perWorker: 1400 } }, [item('o', ['p'])]);
  await first.opt.analyze({ all: true });
  const [s] = open(first.opt, 'p');
  await first.opt.apply(s!.id, { by: 'ana' });
  await first.opt.close();
  opened.splice(opened.indexOf(first.opt), 1);
  const { appendFileSync } = await import('node:fs');
  appendFileSync(join(first.dir, 'optimization.jsonl'), '{"id":"torn');
  const again = await Optimizer.open(config(item('o', ['p'])), { now: () => first.world.now, port: first.port, reader: first.world.reader(), bookPath: join(first.dir, 'optimization.jsonl') });
  opened.push(again);
  const back = again.get(s!.id)!;
  assert.is(back.state, 'applying');
  assert.is(back.run!.id, 'run-1');
  await advance(again, first.world, 45 * minute);
  assert.is(again.get(s!.id)!.state, 'succeeded');
});

test.run();
