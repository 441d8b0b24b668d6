// The TaskBoard's own behaviour on a virtual clock with an in-memory journal: the pure model
// (capabilities, aging, claim order, backoff), claims made within the call that allows them, the
// ended tasks it forgets, the journal written before listeners are told, and a board rebuilt from
// the journal. What every queue does (claim order, routing, leases, stale claims, backoff, cancel,
// deadlines, retry, the long poll, stats, events) is the contract (contract.ts), run on the board
// by contract-memory.test.ts.
import { leaseMs, minute, t0, test } from './helpers.ts';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../src/engine/clock.ts';
import { TaskBoard, type BoardEvent, type BoardJournal, type BoardOptions, type NewTask, type Registration } from '../../src/tasks/board.ts';
import { capable, claimOrder, effectiveRank, priorities, retryDelay, type Priority, type Task, type TaskWork, type Worker } from '../../src/tasks/model.ts';

const agingMs = 10 * minute;

class MemoryJournal implements BoardJournal {
  readonly tasks: Task[] = [];
  readonly workers: Worker[] = [];
  putTask(task: Task): void { this.tasks.push(structuredClone(task)); }
  putWorker(worker: Worker): void { this.workers.push(structuredClone(worker)); }
  /** The last line written for a task. */
  lastTask(id: string): Task | undefined { return this.tasks.filter((t) => t.id === id).at(-1); }
}

function setup(o: Partial<Omit<BoardOptions, 'clock'>> = {}) {
  const clock = new VirtualClock(t0);
  const journal = new MemoryJournal();
  const board = new TaskBoard({ clock, leaseMs, agingMs, ...o }, journal);
  const events: BoardEvent[] = [];
  board.on((e) => events.push(e));
  let n = 0;
  const submit = (t: Partial<NewTask> = {}) => board.submit({ type: 'build', work: wf(`wf-${++n}`), ...t });
  const worker = (name: string, capabilities: string[] = [], more: Partial<Registration> = {}) => board.register({ name, capabilities, ...more });
  return { clock, journal, board, events, submit, worker };
}

const wf = (workflow = 'wf'): TaskWork => ({ kind: 'workflow', workflow });

// ———————————————————————————————————————————— model

test('capable: a worker needs every capability of the task', () => {
  const cases: Array<[string[], string[], boolean]> = [
    [[], [], true],
    [['deploy'], [], true],
    [[], ['deploy'], false],
    [['deploy'], ['deploy'], true],
    [['deploy'], ['deploy', 'python3.11'], false],
    [['python3.11', 'deploy', 'docker'], ['deploy', 'python3.11'], true],
    [['python3.1'], ['python3.11'], false],
  ];
  for (const [has, needs, want] of cases) assert.is(capable(has, needs), want, `${has} / ${needs}`);
});

test('effectiveRank: one level per agingMs waited, capped at critical; agingMs 0 disables aging', () => {
  const created = new Date(t0).toISOString();
  const cases: Array<[Priority, number, number, number]> = [
    ['low', 0, agingMs, 0],
    ['low', agingMs - 1, agingMs, 0],
    ['low', agingMs, agingMs, 1],
    ['low', 2 * agingMs, agingMs, 2],
    ['low', 3 * agingMs - 1, agingMs, 2],
    ['low', 3 * agingMs, agingMs, 3],
    ['low', 100 * agingMs, agingMs, 3],
    ['high', agingMs, agingMs, 3],
    ['critical', 0, agingMs, 3],
    ['low', 100 * agingMs, 0, 0],
    ['normal', -5 * agingMs, agingMs, 1],
  ];
  for (const [priority, waited, aging, want] of cases) {
    assert.is(effectiveRank({ priority, createdAt: created }, t0 + waited, aging), want, `${priority} after ${waited}ms (aging ${aging})`);
  }
});

test('retryDelay: backoff doubled per attempt, at most an hour', () => {
  const cases: Array<[number, number, number]> = [
    [10_000, 0, 10_000], [10_000, 1, 10_000], [10_000, 2, 20_000], [10_000, 3, 40_000], [10_000, 4, 80_000],
    [0, 5, 0], [1_000_000, 3, 3_600_000], [10_000, 60, 3_600_000],
  ];
  for (const [backoff, attempt, want] of cases) assert.is(retryDelay(backoff, attempt), want, `${backoff} after attempt ${attempt}`);
});

test('claimOrder: rank, then age, then id', () => {
  const mk = (id: string, priority: Priority, createdAtMs: number) => ({ id, priority, createdAt: new Date(createdAtMs).toISOString() }) as Task;
  const a = mk('a', 'normal', t0);
  const b = mk('b', 'normal', t0 + 1);
  const c = mk('c', 'high', t0 + 2);
  const d = mk('d', 'normal', t0);
  assert.ok(claimOrder(c, a, t0 + 2, agingMs) < 0);
  assert.ok(claimOrder(a, b, t0 + 2, agingMs) < 0);
  assert.ok(claimOrder(b, a, t0 + 2, agingMs) > 0);
  assert.ok(claimOrder(a, d, t0 + 2, agingMs) < 0);
  assert.is(claimOrder(a, a, t0 + 2, agingMs), 0);
  // After one agingMs the older normal task has the rank of the high one and is older.
  assert.ok(claimOrder(a, c, t0 + agingMs, agingMs) < 0);
});

// ———————————————————————————————————————————— the board's own

// The board claims for a waiting worker within the call that made the task claimable; the port
// only promises that the long poll gets it (contract: leases).
test('a retry without backoff is claimed by a waiting worker within the complete call', async () => {
  const { board, submit, worker, clock } = setup();
  const t = submit({ backoffMs: 0 });
  const a = worker('a');
  const b = worker('b');
  const c = board.claim(a.id)!;
  const waiting = board.waitClaim(b.id, minute);
  board.complete(t.id, a.id, c.claim!, { status: 'failed' });
  assert.is(board.get(t.id)?.state === 'claimed' ? board.get(t.id)?.worker : 'not claimed', b.id, 'the waiting worker b got the retry at once');
  await clock.advance(minute);
  assert.is((await waiting)?.id, t.id);
});

test('keepEnded: the oldest ended tasks are dropped from the board, the counters stay', () => {
  const { board, submit, worker } = setup({ keepEnded: 2 });
  const w = worker('w');
  const ended: string[] = [];
  for (let i = 0; i < 4; i++) {
    const t = submit();
    const c = board.claim(w.id)!;
    board.complete(t.id, w.id, c.claim!, { status: 'succeeded' });
    ended.push(t.id);
  }
  const pending = submit();
  assert.equal(ended.map((id) => board.get(id)?.state), [undefined, undefined, 'succeeded', 'succeeded']);
  assert.is(board.get(pending.id)?.state, 'pending');
  assert.is(board.stats().completedTasks, 4);
  assert.is(board.stats().byState.succeeded, 2);
});

test('events: every change is written to the journal, then told to listeners, in order', () => {
  const { board, submit, worker, journal } = setup();
  const told: string[] = [];
  const off = board.on((e) => {
    if (e.type === 'task') {
      told.push(`task ${e.task.state}`);
      assert.is(journal.lastTask(e.task.id)?.version, e.task.version, 'journaled before told');
    } else if (e.type === 'worker') told.push(`worker ${e.worker.name} ${e.worker.state}`);
    else told.push(`progress ${JSON.stringify(e.events)}`);
  });
  board.on(() => { throw new Error('a broken listener'); });
  const w = worker('w');
  const t = submit();
  const c = board.claim(w.id)!;
  board.progress(t.id, w.id, c.claim!, ['line 1', { type: 'step.started' }]);
  board.progress(t.id, w.id, c.claim!, []);
  board.progress(t.id, w.id, c.claim!, ['line 2']);
  board.complete(t.id, w.id, c.claim!, { status: 'succeeded', outputs: { version: '1.2.3' } });
  off();
  submit();
  assert.equal(told, [
    'worker w idle',
    'task pending',
    'task claimed',
    'worker w busy',
    'task running',
    'progress ["line 1",{"type":"step.started"}]',
    'progress ["line 2"]',
    'worker w busy',
    'task succeeded',
  ]);
  assert.equal(board.get(t.id)?.result, { outputs: { version: '1.2.3' } });
  assert.is(journal.lastTask(t.id)?.state, 'succeeded');
  assert.is(journal.workers.at(-1)?.completed, 1);
});

test('a board built from restored tasks and workers queues the pending ones and counts the ended ones', async () => {
  const first = setup();
  const w = first.worker('w');
  const done = first.submit();
  const c = first.board.claim(w.id)!;
  first.board.complete(done.id, w.id, c.claim!, { status: 'succeeded' });
  const lo = first.submit({ priority: 'low' });
  const hi = first.submit({ priority: 'high' });
  const later = first.submit({ backoffMs: minute });
  const w2 = first.worker('w2');
  const c2 = first.board.claim(w2.id)!;
  assert.is(c2.id, hi.id);
  const c3 = first.board.claim(w.id)!;
  assert.is(c3.id, later.id);
  first.board.complete(later.id, w.id, c3.claim!, { status: 'failed' });
  const clock = new VirtualClock(first.clock.now());
  const board = new TaskBoard({ clock, leaseMs, agingMs }, new MemoryJournal(), {
    tasks: first.board.list().reverse().map((t) => structuredClone(t)),
    workers: first.board.workers().map(({ state: _s, tasks: _t, ...wk }) => structuredClone(wk)),
  });
  assert.is(board.stats().completedTasks, 1);
  assert.is(board.stats().pendingTasks, 2);
  assert.is(board.stats().activeTasks, 1);
  assert.is(board.claim(w.id)?.id, lo.id, 'the delayed one waits out its backoff');
  assert.is(board.findWorker(w2.id)?.state, 'busy');
  assert.is(board.complete(hi.id, w2.id, c2.claim!, { status: 'succeeded' }).state, 'succeeded', 'its claim is still good');
  await clock.advance(minute);
  board.deregister(w.id);
  assert.is(board.claim(w2.id)?.id, later.id);
  assert.equal([...priorities], ['low', 'normal', 'high', 'critical']);
});

test.run();

test.run();
