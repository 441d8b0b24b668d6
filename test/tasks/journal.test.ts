// FileJournal on real files in a temp dir: a board written to tasks.jsonl and read again (tasks,
// workers and their states; pending tasks claimable again, held ones keep their claim), a torn last
// line and other junk skipped with a warning, unfinished step tasks cancelled on open, compaction
// past compactAtBytes down to one line per id, and keepEnded dropping the oldest ended tasks.
import { leaseMs, minute, second, t0, test } from './helpers.ts';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../src/engine/clock.ts';
import { TaskBoard, type NewTask } from '../../src/tasks/board.ts';
import { TaskError } from '../../src/tasks/errors.ts';
import { FileJournal, journalName, journalPath } from '../../src/tasks/journal.ts';
import type { StepWork, Task, Worker } from '../../src/tasks/model.ts';



const dirs: string[] = [];
test.after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pluginops-tasks-'));
  dirs.push(d);
  return d;
}

interface Opened {
  journal: FileJournal;
  board: TaskBoard;
  restored: Awaited<ReturnType<typeof FileJournal.open>>['restored'];
  warnings: string[];
}

/** Opens the journal in `dir` at the clock's time and builds a board on what it restored. */
async function open(dir: string, clock: VirtualClock, o: { compactAtBytes?: number; keepEnded?: number } = {}): Promise<Opened> {
  const warnings: string[] = [];
  const { journal, restored } = await FileJournal.open(journalPath(dir), { now: clock.now(), warn: (l) => warnings.push(l), ...o });
  const board = new TaskBoard({ clock, leaseMs }, journal, restored);
  return { journal, board, restored, warnings };
}

const lines = (dir: string) => readFileSync(journalPath(dir), 'utf8').split('\n').filter((l) => l !== '');
const ids = (dir: string) => lines(dir).map((l) => { const v = JSON.parse(l) as { task?: Task; worker?: Worker }; return (v.task ?? v.worker)!.id; });
const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const wf = (n: number): NewTask => ({ type: 'build', work: { kind: 'workflow', workflow: `wf-${n}` } });
const step = (execution: string, id: string): NewTask => {
  const work: StepWork = { kind: 'step', execution, workflow: 'wf', step: { id, name: id, uses: 'run', inputs: { run: 'make' }, env: { A: '1' }, attempt: 1 } };
  return { type: 'step', work, execution, maxAttempts: 1 };
};

test('journalPath: tasks.jsonl in the store dir', () => {
  assert.is(journalName, 'tasks.jsonl');
  assert.is(journalPath('/var/store'), '/var/store/tasks.jsonl');
});

test('a missing file: nothing restored, no warning, and the file is made', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const { journal, board, restored, warnings } = await open(dir, clock);
  assert.equal(restored, { tasks: [], workers: [], skipped: 0 });
  assert.equal(warnings, []);
  assert.ok(readdirSync(dir).includes(journalName));
  const t = board.submit(wf(1));
  await journal.flush();
  assert.equal(lines(dir).map((l) => JSON.parse(l) as unknown), [{ task: json(t) }]);
  await journal.close();
});

test('round trip: tasks, workers and their states come back; pending tasks are claimable again, held ones keep their claim', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const b = first.board;
  const a = b.register({ name: 'a', capabilities: ['deploy'], concurrency: 3, host: 'h1', pid: 42, version: '1.0.0' });
  const draining = b.register({ name: 'b', capabilities: [] });
  b.drain(draining.id);
  const gone = b.register({ name: 'c', capabilities: [] });
  const holder = b.register({ name: 'd', capabilities: [], concurrency: 5 });

  // Ended first, through worker d: one succeeds, one fails.
  const ok = b.submit({ ...wf(1), maxAttempts: 1 });
  const okClaim = b.claim(holder.id)!;
  b.complete(ok.id, holder.id, okClaim.claim!, { status: 'succeeded', outputs: { v: '1' } });
  const bad = b.submit({ ...wf(2), maxAttempts: 1 });
  const badClaim = b.claim(holder.id)!;
  b.complete(bad.id, holder.id, badClaim.claim!, { status: 'failed', error: 'exit 1', exitCode: 1 });
  // One waiting out a backoff.
  const later = b.submit({ ...wf(3), backoffMs: minute });
  const laterClaim = b.claim(holder.id)!;
  b.complete(later.id, holder.id, laterClaim.claim!, { status: 'failed', error: 'flaky' });
  // One running on d.
  const running = b.submit(wf(4));
  const runningClaim = b.claim(holder.id)!;
  assert.is(runningClaim.id, running.id);
  b.progress(running.id, holder.id, runningClaim.claim!);
  // Pending ones.
  await clock.advance(1);
  const high = b.submit({ ...wf(5), priority: 'high', requestedBy: 'alice' });
  await clock.advance(1);
  const low = b.submit({ ...wf(6), priority: 'low', capabilities: ['deploy'], deadline: new Date(t0 + 10 * minute).toISOString() });
  b.deregister(gone.id);

  const tasksBefore = json(b.list());
  const workersBefore = json(b.workers());
  const statsBefore = b.stats();
  await first.journal.close();
  for (const l of lines(dir)) assert.ok(/^\{"(task|worker)":\{/.test(l), l);

  await clock.advance(5 * second);
  const second_ = await open(dir, clock);
  assert.equal(second_.warnings, []);
  assert.is(second_.restored.skipped, 0);
  // A task a worker held gets one lease from the opening to be reported again (heartbeats are not journalled).
  const withoutLease = (ts: Task[]) => byId(ts.map(({ leaseUntil: _l, ...t }) => t));
  assert.equal(withoutLease(second_.restored.tasks), withoutLease(tasksBefore), 'every task as it was');
  const held = second_.restored.tasks.find((t) => t.id === running.id)!;
  assert.is(held.leaseUntil, new Date(clock.now() + leaseMs).toISOString(), 'the held task\'s lease runs from the opening');
  const restoredWorkers = byId(second_.restored.workers);
  assert.equal([...restoredWorkers.keys()].sort(), workersBefore.map((w) => w.id).sort());
  for (const w of workersBefore) {
    const r = restoredWorkers.get(w.id)!;
    for (const k of ['name', 'capabilities', 'concurrency', 'host', 'pid', 'version', 'registeredAt', 'draining', 'offlineAt', 'completed', 'failed'] as const) {
      assert.equal(r[k], w[k], `${w.name}.${k}`);
    }
  }

  const nb = second_.board;
  const s = nb.stats();
  assert.equal(s.byState, statsBefore.byState);
  assert.equal(s.queueDepth, statsBefore.queueDepth);
  assert.is(s.completedTasks, 1);
  assert.is(s.failedTasks, 1);
  assert.is(s.successRate, 0.5);
  assert.equal(Object.fromEntries(nb.workers().map((w) => [w.name, w.state])), { a: 'idle', b: 'draining', c: 'offline', d: 'busy' });
  assert.equal(nb.findWorker('d')?.tasks, [running.id]);
  assert.is(nb.findWorker('d')?.completed, 1);
  assert.is(nb.findWorker('d')?.failed, 2);

  // Pending tasks are claimable again, in their order; the delayed one after its backoff.
  assert.is(nb.claim(a.id)?.id, high.id);
  assert.is(nb.claim(a.id)?.id, low.id);
  assert.is(nb.claim(a.id), undefined);
  // The running task's claim is still good after the restart.
  assert.is(nb.complete(running.id, holder.id, runningClaim.claim!, { status: 'succeeded' }).state, 'succeeded');
  await clock.advance(minute);
  nb.heartbeat(a.id);
  const again = nb.claim(a.id)!;
  assert.is(again.id, later.id);
  assert.is(again.attempts, 2);
  assert.is(nb.get(high.id)?.requestedBy, 'alice');
  await second_.journal.close();

  // What the second board did is in the file too.
  const third = await open(dir, clock);
  const t3 = byId(third.restored.tasks);
  assert.is(t3.get(running.id)?.state, 'succeeded');
  assert.is(t3.get(high.id)?.state, 'claimed');
  assert.is(t3.get(later.id)?.attempts, 2);
  assert.is(byId(third.restored.workers).get(holder.id)?.completed, 2);
  await third.journal.close();
});

test('a worker that comes back in time after a restart ends its task as if nothing happened', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const w = first.board.register({ name: 'w', capabilities: [] });
  const t = first.board.submit(wf(1));
  const c = first.board.claim(w.id)!;
  await first.journal.close();
  await clock.advance(10 * second);
  const { board, journal } = await open(dir, clock);
  board.tick();
  assert.is(board.get(t.id)?.state, 'claimed');
  board.heartbeat(w.id);
  await clock.advance(25 * second);
  board.tick();
  assert.is(board.get(t.id)?.state, 'claimed', 'its lease runs from its heartbeat');
  board.progress(t.id, w.id, c.claim!);
  assert.is(board.complete(t.id, w.id, c.claim!, { status: 'succeeded' }).state, 'succeeded');
  await journal.close();
});

// BUG (board.ts heartbeat, journal.ts): heartbeat() moves a held task's leaseUntil (and the worker's
// lastSeen) in memory only, never through the journal; after a restart the board has the lease of
// the claim (or of the last journaled change), so the first tick takes the task away from a worker
// that heartbeated a second before the restart, and marks the worker offline.
test('BUG: a lease kept alive by heartbeats survives a restart', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const w = first.board.register({ name: 'w', capabilities: [] });
  const t = first.board.submit(wf(1));
  first.board.claim(w.id);
  for (let i = 1; i <= 3; i++) {
    await clock.advance(20 * second);
    first.board.heartbeat(w.id);
  }
  await first.journal.close();
  await clock.advance(second);
  const { board, journal } = await open(dir, clock);
  board.tick();
  const workerState = board.findWorker(w.id)?.state;
  const taskState = board.get(t.id)?.state;
  await journal.close();
  // The worker heartbeated 1s before the restart: it is still there, and so is its claim.
  assert.equal({ worker: workerState, task: taskState }, { worker: 'busy', task: 'claimed' });
});

test('a torn last line is skipped with a warning; the next write starts on a line of its own', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const kept = first.board.submit(wf(1));
  const w = first.board.register({ name: 'w', capabilities: [] });
  await first.journal.close();
  const full = JSON.stringify({ task: { ...kept, state: 'cancelled', version: kept.version + 1 } });
  appendFileSync(journalPath(dir), full.slice(0, Math.floor(full.length / 2)));

  const second_ = await open(dir, clock);
  assert.is(second_.restored.skipped, 1);
  assert.is(second_.warnings.length, 1);
  assert.match(second_.warnings[0]!, /tasks\.jsonl: 1 line that are no task or worker skipped \(a torn write\?\)/);
  assert.equal(second_.restored.tasks.map((t) => [t.id, t.state, t.version]), [[kept.id, 'pending', kept.version]], 'the torn change is not applied');
  assert.equal(second_.restored.workers.map((x) => x.id), [w.id]);
  const added = second_.board.submit(wf(2));
  await second_.journal.close();

  const third = await open(dir, clock);
  assert.is(third.restored.skipped, 1, 'the torn line stays torn, the new one is whole');
  assert.equal(third.restored.tasks.map((t) => t.id).sort(), [kept.id, added.id].sort());
  await third.journal.close();
});

test('lines that are no task or worker are skipped and counted', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const t = first.board.submit(wf(1));
  await first.journal.close();
  appendFileSync(journalPath(dir), [
    'not json',
    'null',
    '42',
    '{"foo":1}',
    '{"task":{"id":"tk-x"}}',
    `{"task":${JSON.stringify({ ...t, state: 'exploded' })}}`,
    '{"worker":{"id":"wk-x","name":"x"}}',
    '',
    '   ',
  ].join('\n') + '\n');
  const { restored, warnings, journal } = await open(dir, clock);
  assert.is(restored.skipped, 7);
  assert.match(warnings[0]!, /7 lines that are no task or worker skipped/);
  assert.equal(restored.tasks.map((x) => [x.id, x.state]), [[t.id, 'pending']]);
  assert.equal(restored.workers, []);
  await journal.close();
});

test('the last line of an id wins', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const w = first.board.register({ name: 'w', capabilities: [], concurrency: 2 });
  const t = first.board.submit(wf(1));
  const c = first.board.claim(w.id)!;
  first.board.progress(t.id, w.id, c.claim!);
  first.board.complete(t.id, w.id, c.claim!, { status: 'succeeded' });
  const final = json(first.board.get(t.id)!);
  await first.journal.close();
  assert.ok(ids(dir).filter((id) => id === t.id).length >= 4);
  const { restored, journal } = await open(dir, clock);
  assert.equal(restored.tasks, [final]);
  assert.is(restored.workers[0]?.completed, 1);
  await journal.close();
});

test('unfinished step tasks are cancelled on open (and written so); finished steps and workflows stay', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const b = first.board;
  const w = b.register({ name: 'w', capabilities: [], concurrency: 10 });
  const done = b.submit(step('ex-1', 'done'));
  const cd = b.claim(w.id)!;
  b.complete(done.id, w.id, cd.claim!, { status: 'succeeded', outputs: { x: '1' } });
  await clock.advance(1);
  const claimed = b.submit(step('ex-1', 'claimed'));
  b.claim(w.id);
  await clock.advance(1);
  const running = b.submit(step('ex-1', 'running'));
  const cr = b.claim(w.id)!;
  b.progress(running.id, w.id, cr.claim!);
  await clock.advance(1);
  const wfRunning = b.submit(wf(9));
  const cw = b.claim(w.id)!;
  assert.is(cw.id, wfRunning.id);
  await clock.advance(1);
  const pending = b.submit(step('ex-2', 'pending'));
  const versions = new Map(b.list().map((t) => [t.id, t.version]));
  await first.journal.close();

  await clock.advance(minute);
  const second_ = await open(dir, clock);
  const r = byId(second_.restored.tasks);
  for (const t of [claimed, running, pending]) {
    const x = r.get(t.id)!;
    assert.is(x.state, 'cancelled', t.work.kind === 'step' ? t.work.step.id : t.id);
    assert.is(x.endedAt, new Date(clock.now()).toISOString());
    assert.is(x.updatedAt, x.endedAt);
    assert.is(x.version, versions.get(t.id)! + 1);
    assert.is(x.claim, undefined);
    assert.is(x.leaseUntil, undefined);
    const execution = (t.work as StepWork).execution;
    assert.equal(x.result, { error: `the execution ${execution} that sent it ended when the server stopped` });
    assert.equal(x.history.at(-1), { at: x.endedAt, state: 'cancelled', message: x.result!.error });
  }
  assert.is(r.get(done.id)?.state, 'succeeded');
  assert.is(r.get(done.id)?.version, versions.get(done.id));
  assert.is(r.get(wfRunning.id)?.state, 'claimed');
  const nb = second_.board;
  assert.equal(nb.findWorker(w.id)?.tasks, [wfRunning.id]);
  assert.is(nb.stats().byState.cancelled, 3);
  assert.is(nb.stats().pendingTasks, 0);
  await second_.journal.close();

  // Written: the next open finds them cancelled already and changes nothing.
  await clock.advance(minute);
  const third = await open(dir, clock);
  const r3 = byId(third.restored.tasks);
  for (const t of [claimed, running, pending]) {
    assert.is(r3.get(t.id)?.version, versions.get(t.id)! + 1);
    assert.is(r3.get(t.id)?.endedAt, r.get(t.id)?.endedAt);
  }
  await third.journal.close();
});

test('compaction: a file past compactAtBytes is rewritten with one line per id, the latest', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const b = first.board;
  const w = b.register({ name: 'w', capabilities: [] });
  const other = b.register({ name: 'other', capabilities: [] });
  b.deregister(other.id);
  const made: Task[] = [];
  for (let i = 0; i < 5; i++) {
    const t = b.submit({ ...wf(i), backoffMs: 0 });
    made.push(t);
    for (let k = 0; k < 3; k++) {
      const c = b.claim(w.id)!;
      b.progress(t.id, w.id, c.claim!);
      b.complete(t.id, w.id, c.claim!, { status: k === 2 ? 'succeeded' : 'failed', error: 'x' });
    }
  }
  const pending = b.submit(wf(99));
  await first.journal.close();
  const before = readFileSync(journalPath(dir), 'utf8');
  const size = Buffer.byteLength(before);
  const idsBefore = ids(dir);
  assert.ok(idsBefore.length > new Set(idsBefore).size * 3, 'many lines per id');

  // Not past it: the file stays as it is.
  const same = await open(dir, clock, { compactAtBytes: size });
  const uncompacted = same.restored;
  await same.journal.close();
  assert.is(readFileSync(journalPath(dir), 'utf8'), before);

  const compacted = await open(dir, clock, { compactAtBytes: size - 1 });
  await compacted.journal.close();
  const after = ids(dir);
  assert.is(after.length, new Set(after).size, 'one line per id');
  assert.equal(after.sort(), [w.id, other.id, ...made.map((t) => t.id), pending.id].sort());
  assert.ok(Buffer.byteLength(readFileSync(journalPath(dir), 'utf8')) < size / 3);
  assert.equal(compacted.restored, uncompacted, 'the same restored either way');
  assert.equal(readdirSync(dir), [journalName], 'no temp file left');

  // And read again, the same once more.
  const again = await open(dir, clock);
  assert.equal(byId(again.restored.tasks), byId(uncompacted.tasks));
  assert.equal(byId(again.restored.workers), byId(uncompacted.workers));
  assert.is(again.restored.tasks.find((t) => t.id === made[0]!.id)?.state, 'succeeded');
  assert.is(again.restored.workers.find((x) => x.id === other.id)?.offlineAt !== undefined, true);
  // Still appendable after the rewrite.
  const added = again.board.submit(wf(100));
  await again.journal.close();
  assert.equal(ids(dir).at(-1), added.id);
});

test('compaction drops a torn line', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const t = first.board.submit(wf(1));
  await first.journal.close();
  appendFileSync(journalPath(dir), '{"task":{"id":');
  const second_ = await open(dir, clock, { compactAtBytes: 1 });
  assert.is(second_.restored.skipped, 1);
  await second_.journal.close();
  assert.equal(ids(dir), [t.id]);
  assert.ok(readFileSync(journalPath(dir), 'utf8').endsWith('\n'));
  const third = await open(dir, clock);
  assert.is(third.restored.skipped, 0);
  await third.journal.close();
});

test('keepEnded: the oldest ended tasks (by their last change) are dropped; unfinished ones always stay', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const first = await open(dir, clock);
  const b = first.board;
  const w = b.register({ name: 'w', capabilities: [], concurrency: 10 });
  const e = [1, 2, 3, 4, 5].map((n) => b.submit({ ...wf(n), maxAttempts: 1 }));
  const claims = new Map<string, string>();
  for (let i = 0; i < 5; i++) { const c = b.claim(w.id)!; claims.set(c.id, c.claim!); }
  // Ended out of creation order: e3, e1, e5, e2, e4.
  for (const i of [2, 0, 4, 1, 3]) {
    await clock.advance(second);
    b.complete(e[i]!.id, w.id, claims.get(e[i]!.id)!, { status: i === 1 ? 'failed' : 'succeeded' });
  }
  const p1 = b.submit(wf(6));
  const p2 = b.submit(wf(7));
  await first.journal.close();

  const kept = await open(dir, clock, { keepEnded: 2 });
  assert.equal(kept.restored.tasks.map((t) => t.id).sort(), [e[1]!.id, e[3]!.id, p1.id, p2.id].sort());
  assert.is(kept.board.stats().completedTasks, 1);
  assert.is(kept.board.stats().failedTasks, 1);
  await kept.journal.close();
  assert.is(new Set(ids(dir)).size, 8, 'without compaction the file keeps them');

  const none = await open(dir, clock, { keepEnded: 0, compactAtBytes: 1 });
  assert.equal(none.restored.tasks.map((t) => t.id).sort(), [p1.id, p2.id].sort());
  await none.journal.close();
  assert.equal(ids(dir).sort(), [w.id, p1.id, p2.id].sort(), 'compaction writes only what is kept');

  const all = await open(dir, clock, { keepEnded: 100 });
  assert.equal(all.restored.tasks.map((t) => t.id).sort(), [p1.id, p2.id].sort(), 'dropped for good');
  await all.journal.close();
});

test('flush: every line so far is in the file when it resolves; writes of one turn land together, in order', async () => {
  const dir = tempDir();
  const clock = new VirtualClock(t0);
  const { board, journal } = await open(dir, clock);
  const w = board.register({ name: 'w', capabilities: [] });
  const t = board.submit(wf(1));
  const c = board.claim(w.id)!;
  board.complete(t.id, w.id, c.claim!, { status: 'succeeded' });
  await journal.flush();
  const versions = lines(dir).map((l) => JSON.parse(l) as { task?: Task; worker?: Worker }).filter((v) => v.task).map((v) => v.task!.version);
  assert.equal(versions, [1, 2, 3]);
  assert.equal(ids(dir), [w.id, t.id, t.id, w.id, t.id], 'the worker (its counters) is written before the task it ended');
  writeFileSync(join(dir, 'unrelated'), 'x');
  await journal.close();
});

test.run();
