// Long synchronous loops (hashing, packing, walking) hand the event loop back every few
// milliseconds, and notice an abort there, without paying a promise per file.

export class Pacer {
  private last = performance.now();

  constructor(private readonly signal: AbortSignal | undefined, private readonly sliceMs = 15) {}

  /** True when the current slice is used up: call `pause()` then. */
  due(): boolean {
    return performance.now() - this.last >= this.sliceMs;
  }

  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
    this.signal?.throwIfAborted();
  }
}
