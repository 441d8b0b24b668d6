// Which monitor a replica has. On one machine, and on the replica that leads, the monitor runs:
// checks, rules, escalations, the outbox. A replica that does not lead keeps a copy that never
// runs, read again from the database when the leader wrote a newer state (at most every
// `refreshMs`), so its API and dashboard show what the leader sees. When the lease changes hands
// the slot swaps: the new leader opens the state its predecessor last wrote and goes on from there
// (escalation steps already notified stay notified); the old one stops its scheduler.
import type { Monitor } from '../monitor/runtime/monitor.ts';
import type { HealingMonitor } from '../remediation/remediator.ts';

export interface SlotEdges {
  /** A monitor on the state the persistence holds now. */
  open: () => Promise<Monitor>;
  /** When the state in the database last changed; undefined on one machine. */
  updatedAt?: () => Promise<string | undefined>;
  log: (line: string, level: 'info' | 'warn' | 'error') => void;
  refreshMs?: number;
}

export class MonitorSlot {
  #monitor: Monitor;
  #running = false;
  #seen: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Role changes one at a time, in order. */
  #turn: Promise<void> = Promise.resolve();

  private constructor(first: Monitor, private readonly e: SlotEdges) { this.#monitor = first; }

  static async open(e: SlotEdges): Promise<MonitorSlot> {
    const slot = new MonitorSlot(await e.open(), e);
    slot.#seen = await e.updatedAt?.().catch(() => undefined);
    return slot;
  }

  get monitor(): Monitor { return this.#monitor; }
  get running(): boolean { return this.#running; }

  /** Runs the monitor (one machine, or this replica took the lease): the latest state, then start. */
  lead(start: boolean): Promise<void> {
    return this.#queue(async () => {
      this.#stopRefresh();
      if (this.#running) return;
      if (this.e.updatedAt) this.#monitor = await this.e.open();
      if (start) this.#monitor.start();
      this.#running = true;
    });
  }

  /** Stops running (the lease went elsewhere) and follows the leader's state. */
  follow(graceMs: number): Promise<void> {
    return this.#queue(async () => {
      if (this.#running) {
        this.#running = false;
        await this.#monitor.stop(graceMs);
        this.#monitor = await this.e.open();
      }
      this.#startRefresh();
    });
  }

  async stop(graceMs: number): Promise<void> {
    await this.#turn;
    this.#stopRefresh();
    if (this.#running) await this.#monitor.stop(graceMs);
    this.#running = false;
  }

  /** The monitor as self-healing sees it: always the slot's current one. */
  healing(): HealingMonitor {
    const m = () => this.#monitor;
    return {
      get config() { return m().config; },
      maintenanceWindows: (...a) => m().maintenanceWindows(...a),
      incident: (...a) => m().incident(...a),
      alerts: (...a) => m().alerts(...a),
      runCheck: (...a) => m().runCheck(...a),
      evaluateRule: (...a) => m().evaluateRule(...a),
      resolve: (...a) => m().resolve(...a),
      note: (...a) => m().note(...a),
      escalateNow: (...a) => m().escalateNow(...a),
    };
  }

  #queue(fn: () => Promise<void>): Promise<void> {
    this.#turn = this.#turn.then(fn).catch((e: unknown) => this.e.log(`monitor role change: ${(e as Error).message}`, 'error'));
    return this.#turn;
  }

  #startRefresh(): void {
    if (!this.e.updatedAt || this.#timer) return;
    const every = this.e.refreshMs ?? 2_000;
    const tick = async () => {
      try {
        const at = await this.e.updatedAt!();
        if (!this.#running && at !== this.#seen) {
          const next = await this.e.open();
          if (!this.#running) { this.#monitor = next; this.#seen = at; }
        }
      } catch (e) {
        this.e.log(`cannot read the leader's monitor state: ${(e as Error).message}`, 'warn');
      }
      if (this.#timer) { this.#timer = setTimeout(() => void tick(), every); this.#timer.unref(); }
    };
    this.#timer = setTimeout(() => void tick(), every);
    this.#timer.unref();
  }

  #stopRefresh(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
