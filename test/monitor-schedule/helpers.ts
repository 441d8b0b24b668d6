// Test edges for the scheduler: a clock whose time can jump without firing the timers on the way
// (a sleeping laptop, a blocked event loop), and a recorder for run reports and log lines.
import { settle, type Clock } from '../../src/engine/clock.ts';
import type { JobRun, LogLevel, RunReport, SchedulerOptions } from '../../src/monitor/schedule/scheduler.ts';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  live: boolean;
}

/**
 * Like VirtualClock (timers fire in time order, promises settled after each), with a binary heap
 * so ten thousand timers stay cheap, and `jump` to move time without firing anything.
 */
export class JumpClock implements Clock {
  private readonly heap: Timer[] = [];
  private seq = 0;
  private live = 0;
  /** How many timers were ever set. */
  timersSet = 0;

  /**
   * `settleEach: false` settles once per instant instead of after every timer, for scale tests
   * where the timers due at one instant do not depend on each other.
   */
  constructor(
    private time = 0,
    private readonly o: { settleEach?: boolean } = {},
  ) {}

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.push(timer);
    this.live++;
    this.timersSet++;
    return () => {
      if (!timer.live) return;
      timer.live = false;
      this.live--;
    };
  }

  get pending(): number {
    return this.live;
  }

  /** Moves time forward by `ms` without firing a timer: the ones now overdue fire on the next advance. */
  jump(ms: number): void {
    this.time += ms;
  }

  /** Moves time forward by `ms`, firing every timer due on the way (overdue ones first, late). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (let top = this.heap[0]; top !== undefined && top.at <= end; top = this.heap[0]) {
      this.pop();
      if (!top.live) continue;
      top.live = false;
      this.live--;
      this.time = Math.max(this.time, top.at);
      top.fn();
      if (this.o.settleEach !== false || this.heap[0]?.at !== top.at) await settle();
    }
    this.time = end;
    await settle();
  }

  private before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

export interface Recorder {
  reports: RunReport[];
  logs: Array<{ line: string; level: LogLevel }>;
  options: SchedulerOptions;
}

export function recorder(): Recorder {
  const reports: RunReport[] = [];
  const logs: Recorder['logs'] = [];
  return { reports, logs, options: { onRun: (r) => reports.push(r), log: (line, level) => logs.push({ line, level }) } };
}

/** The fields of a run that tests compare, as one line: `id scheduledAt startedAt lag missed`. */
export function line(r: Pick<JobRun, 'id' | 'scheduledAt' | 'startedAt' | 'lagMs' | 'missed'>): string {
  return `${r.id} s=${r.scheduledAt} t=${r.startedAt} lag=${r.lagMs} missed=${r.missed}`;
}

/** Counts how many bodies run at once, and the most ever seen. */
export function concurrency(): { enter(): void; leave(): void; readonly max: number; readonly now: number } {
  let now = 0;
  let max = 0;
  return {
    enter() {
      now++;
      max = Math.max(max, now);
    },
    leave() {
      now--;
    },
    get max() {
      return max;
    },
    get now() {
      return now;
    },
  };
}
