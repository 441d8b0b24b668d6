// Time as an edge: the engine asks a Clock for the time and for timers, so tests can drive a
// virtual clock and never wait for real time.
import { PluginopsError } from '../errors/base.ts';

export interface Clock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels the timer. */
  setTimer(ms: number, fn: () => void): () => void;
}

/** setTimeout's largest delay (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * A timer of any length from timers of at most `maxChunkMs`: each chunk that ends early arms the
 * next for what is left, measured on `now`, until the deadline is reached. The cancel function
 * cancels whichever chunk is armed.
 */
export function chainedTimer(base: Clock, ms: number, fn: () => void, maxChunkMs = maxTimerMs): () => void {
  const deadline = base.now() + Math.max(0, ms);
  let cancel: () => void;
  const arm = () => {
    const left = deadline - base.now();
    cancel = left > maxChunkMs ? base.setTimer(maxChunkMs, arm) : base.setTimer(Math.max(0, left), fn);
  };
  arm();
  return () => cancel();
}

const nodeTimers: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** Real time. A timer longer than setTimeout can count is chained, never fired at once. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => chainedTimer(nodeTimers, ms === Infinity ? Number.MAX_SAFE_INTEGER : ms, fn),
};

export class AbortedError extends PluginopsError {
  readonly code = 'E_ABORTED';
  readonly kind = 'cancelled';
  constructor(readonly reason: unknown) { super('aborted'); }
}

/** Resolves after `ms` on `clock`, or rejects with AbortedError when `signal` aborts first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError(signal.reason));
    const onAbort = () => { cancel(); reject(new AbortedError(signal?.reason)); };
    const cancel = clock.setTimer(ms, () => { signal?.removeEventListener('abort', onAbort); resolve(); });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Timer { at: number; seq: number; fn: () => void; }

/** A clock that moves only when told to. Timers fire in time order, with pending promises settled between them. */
export class VirtualClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;
  constructor(private time = 0) {}

  now(): number { return this.time; }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => { this.timers = this.timers.filter((t) => t !== timer); };
  }

  /** Timers still waiting. */
  get pending(): number { return this.timers.length; }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (let next = this.next(end); next; next = this.next(end)) {
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.fn();
      await settle();
    }
    this.time = end;
    await settle();
  }

  /** Advances until no timer is left (or `limitMs` has passed), returning the time moved. */
  async runAll(limitMs = 365 * 86_400_000): Promise<number> {
    const start = this.time;
    await settle();
    while (this.timers.length > 0 && this.time - start < limitMs) {
      const next = this.next(start + limitMs);
      if (!next) break;
      await this.advance(next.at - this.time);
    }
    return this.time - start;
  }

  private next(until: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) if (t.at <= until && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    return best;
  }
}

/** Lets every already-settled promise chain run (several macrotask turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
