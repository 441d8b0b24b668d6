// Group commit: items submitted while a commit is in flight are committed together by the next
// one, so N concurrent writers cost a few write+fsync rounds instead of N.

interface Waiter<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T> {
  private queue: Array<Waiter<T>> = [];
  private running = false;
  private readonly commit: (items: T[]) => Promise<void>;
  private readonly onIdle: () => void;

  /** `commit` writes one batch; every item of the batch settles with its outcome. */
  /**
   * `lingerMs` waits that long before each batch so that transitions arriving close together
   * (parallel steps finishing) share one fsync; 0 commits as soon as possible.
   */
  constructor(commit: (items: T[]) => Promise<void>, onIdle: () => void = () => undefined, private readonly lingerMs = 0) {
    this.commit = commit;
    this.onIdle = onIdle;
  }

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Start on a microtask so that items submitted in the same tick share the first batch.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  get idle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.lingerMs > 0) await new Promise((r) => setTimeout(r, this.lingerMs));
      const batch = this.queue.splice(0);
      try {
        await this.commit(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.running = false;
    this.onIdle();
  }
}
