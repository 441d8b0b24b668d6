// Health from a run of results: a check turns unhealthy after `failureThreshold` failures in a
// row and healthy again after `successThreshold` successes in a row. Pure; the history ring keeps
// the latest results for display.

export interface HealthState {
  healthy: boolean;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Set only on the step that changed `healthy`. */
  changed?: 'unhealthy' | 'healthy';
}

export interface Thresholds {
  failureThreshold?: number;
  successThreshold?: number;
}

/** A check starts healthy. */
export const initialHealth: HealthState = { healthy: true, consecutiveFailures: 0, consecutiveSuccesses: 0 };

export function healthStep(prev: HealthState | undefined, result: { ok: boolean }, thresholds: Thresholds = {}): { next: HealthState } {
  const { failureThreshold = 3, successThreshold = 2 } = thresholds;
  const from = prev ?? initialHealth;
  const consecutiveFailures = result.ok ? 0 : from.consecutiveFailures + 1;
  const consecutiveSuccesses = result.ok ? from.consecutiveSuccesses + 1 : 0;
  let healthy = from.healthy;
  if (healthy && consecutiveFailures >= failureThreshold) healthy = false;
  else if (!healthy && consecutiveSuccesses >= successThreshold) healthy = true;
  const next: HealthState = { healthy, consecutiveFailures, consecutiveSuccesses };
  if (healthy !== from.healthy) next.changed = healthy ? 'healthy' : 'unhealthy';
  return { next };
}

/** The last `capacity` items (100 unless given), oldest first. */
export class History<T> {
  private readonly items: T[] = [];
  private start = 0;
  constructor(readonly capacity = 100) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity ${capacity}: expected a whole number of at least 1`);
  }
  push(item: T): void {
    if (this.items.length < this.capacity) { this.items.push(item); return; }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }
  get size(): number { return this.items.length; }
  get latest(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.items[(this.start + this.items.length - 1) % this.items.length];
  }
  list(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}
