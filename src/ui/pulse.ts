// What changed, for live pages: one timer (running only while a page listens) computes a cheap
// fingerprint per topic every second and tells each listener which of its topics changed. A
// fingerprint is a string that changes when what a page shows of that topic may have changed; a
// page then fetches its main content again. Computing them costs microseconds to milliseconds
// whatever the number of open tabs, since every tab shares the one timer.
import type { ApiDeps } from '../api/deps.ts';
import type { TaskQueue } from '../tasks/queue.ts';
import type { Topic } from './page.ts';

export type Fingerprints = Readonly<Record<Topic, () => string | Promise<string>>>;

/**
 * What a task queue has told since the pages first asked: how many changes of tasks and workers
 * (a task's state, attempt, worker, execution; a worker registering, draining, going offline,
 * ending a task), and which workers are online. Counting what the queue tells costs nothing per
 * beat, where recounting its tasks would cost a pass over thousands. With a queue shared by
 * several replicas the changes any of them made are told. A worker's progress reports (log
 * lines) change nothing the pages show and are not told to these listeners.
 */
const queues = new WeakMap<TaskQueue, { changes: number; online: Set<string> }>();

function watch(queue: TaskQueue): { changes: number; online: Set<string> } {
  let w = queues.get(queue);
  if (!w) {
    const seen = { changes: 0, online: new Set<string>() };
    // Workers told about before the first list arrives are as told; the list fills in the rest.
    const told = new Set<string>();
    let listed = false;
    queue.on((e) => {
      seen.changes++;
      if (e.type === 'worker') {
        if (!listed) told.add(e.worker.id);
        if (e.worker.state === 'offline') seen.online.delete(e.worker.id); else seen.online.add(e.worker.id);
      }
    });
    void queue.workers().then((ws) => {
      for (const x of ws) if (!told.has(x.id) && x.state !== 'offline') seen.online.add(x.id);
      listed = true;
      told.clear();
    }, () => undefined);
    queues.set(queue, w = seen);
  }
  return w;
}

/** The default fingerprints over what the API reads. */
export function fingerprints(deps: ApiDeps): Fingerprints {
  return {
    checks: () => {
      const m = deps.monitor();
      let unhealthy = 0;
      for (const c of m.checks()) if (!c.healthy) unhealthy++;
      // Results flow all the time: a page's latencies and counts refresh at most every 30 s, a health change at once.
      return `${unhealthy}|${m.counters.checksFailed}|${m.counters.checksRun > 0 ? Math.floor(deps.now() / 30_000) : 0}`;
    },
    incidents: () => {
      let entries = 0, states = '';
      const all = deps.monitor().incidents();
      for (const i of all) { entries += i.timeline.length; states += i.status[0]; }
      return `${all.length}|${entries}|${states}`;
    },
    executions: () => deps.runs.runningIds().sort().join(','),
    // Each decision counts: a first approval of two changes what the page shows.
    approvals: async () => (await deps.store.list({ status: 'waiting' })).map((r) => `${r.id}:${Object.values(r.approvals ?? {}).map((a) => a.decisions.length).join('.')}`).join(','),
    remediation: () => {
      const r = deps.remediation();
      return `${r.records().length}|${r.breakers().length}`;
    },
    controls: () => String(deps.controls?.().state.seq ?? 0),
    config: () => { const s = deps.status(); return `${s.configLoadedAt}|${s.configError ?? ''}`; },
    optimization: () => {
      const o = deps.optimizer?.();
      if (!o) return '';
      // A state change or a new value at once; fresher evidence at most every 30 s; a source failing or recovering, and an analysis's verdict kind.
      let updated = 0, seen = 0;
      for (const s of o.list()) { if (s.updatedAt > updated) updated = s.updatedAt; if (s.seenAt > seen) seen = s.seenAt; }
      const st = o.status();
      const failing = st.sources.filter((s) => !s.ok).length;
      const verdicts = st.analyses.map((a) => a.analyses.map((x) => ('reason' in x ? x.reason[0] : 'f')).join('')).join(',');
      return `${Object.values(o.counts()).join('.')}|${updated}|${Math.floor(seen / 30_000)}|${failing}|${verdicts}`;
    },
    tasks: () => {
      const hub = deps.tasks?.();
      if (!hub) return '';
      // Every change of a task or a worker at once; a worker's "last seen" (heartbeats are not told) at most every 30 s while one is online.
      const w = watch(hub.queue);
      return `${w.changes}|${w.online.size > 0 ? Math.floor(deps.now() / 30_000) : 0}`;
    },
  };
}

export type Listener = (changed: Topic[]) => void;

export interface Pulse {
  /** Calls `listener` with the changed topics among `wanted`; returns the unsubscribe. */
  subscribe(wanted: readonly Topic[], listener: Listener): () => void;
  readonly listeners: number;
}

export function createPulse(prints: Fingerprints, everyMs = 1000, onError: (topic: Topic, err: unknown) => void = () => {}): Pulse {
  const listeners = new Map<Listener, readonly Topic[]>();
  let last: Partial<Record<Topic, string>> = {};
  let timer: NodeJS.Timeout | undefined;
  let busy = false;

  async function beat(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      const wanted = new Set([...listeners.values()].flat());
      const changed: Topic[] = [];
      const next: Partial<Record<Topic, string>> = { ...last };
      for (const topic of wanted) {
        try {
          const print = await prints[topic]();
          if (last[topic] !== undefined && last[topic] !== print) changed.push(topic);
          next[topic] = print;
        } catch (err) { onError(topic, err); }
      }
      last = next;
      if (changed.length) for (const [l, topics] of listeners) { const mine = changed.filter((t) => topics.includes(t)); if (mine.length) l(mine); }
    } finally { busy = false; }
  }

  return {
    subscribe(wanted, listener) {
      listeners.set(listener, wanted);
      if (!timer) { timer = setInterval(() => { void beat(); }, everyMs); timer.unref(); void beat(); }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) { clearInterval(timer); timer = undefined; last = {}; }
      };
    },
    get listeners() { return listeners.size; },
  };
}
