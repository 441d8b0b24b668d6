// The outbox: every notification the monitor owes, one item per channel, kept in the snapshot
// until the channel took it. Items of one channel go out in order (a resolved notification never
// overtakes its firing one); different channels do not wait for each other.
//
// Each send is `deliver` (rate limit, timeout, a few quick retries with backoff). When that still
// fails, the item stays at the head of its channel's queue and is tried again later with a
// growing pause (1 min doubling to 30 min), so a receiver that is down for an hour still gets
// everything, in order, once it is back. An item older than `maxAgeMs` (a day unless given) is
// dropped with an error line and counted: by then the news is stale, and a dead channel must not
// hold the others' memory forever.
import type { ChannelDoc } from '../../documents/schema/project.ts';
import type { Clock } from '../../engine/clock.ts';
import { deliver, type DeliveryPolicy, type NotifyDeps } from '../../notify/deliver.ts';
import type { Locale } from '../../notify/catalog/index.ts';
import type { Notification } from '../../notify/message.ts';
import { backoffDelay, type RetryPolicy } from '../../retry/policy.ts';
import type { Counters, OutboxItem } from './state.ts';

export interface OutboxState {
  outbox: OutboxItem[];
  nextOutboxId: number;
  counters: Counters;
}

export interface OutboxDeps {
  clock: Clock;
  notify: Omit<NotifyDeps, 'clock' | 'policy'>;
  channels: () => Record<string, ChannelDoc>;
  /** The language of the words a channel adds (read at each send, so a reload takes effect). */
  locale: () => Locale;
  /** The server's public URL, read at each send. */
  publicUrl?: () => string | undefined;
  policy?: Partial<DeliveryPolicy>;
  /** Persist the state; called after every change the outbox makes. */
  commit: () => Promise<void>;
  /**
   * Where each send is claimed before it goes out and settled after, when several processes may
   * take turns sending (replicas on PostgreSQL). Without it, the snapshot alone says what is owed.
   */
  ledger?: NotificationLedger;
  maxAgeMs?: number;
}

/**
 * `send`: this process may send it now. `sent`: an earlier sender already delivered (or dropped)
 * it; forget the item. `wait`: not yet owed where the ledger is kept (the write that owes it has
 * not landed) or this process no longer sends; keep the item and try later.
 */
export type LedgerClaim = 'send' | 'sent' | 'wait';

export interface NotificationLedger {
  claim(item: OutboxItem & { key: string }): Promise<LedgerClaim>;
  settle(item: OutboxItem & { key: string }, outcome: 'sent' | 'failed' | 'dropped', error?: string): Promise<void>;
}

export const itemKey = (item: OutboxItem): string => item.key ?? `${item.incidentId}/n${item.id}/${item.channel}`;

/** The pause before an item that failed `attempts` sends is tried again: 1 min doubling to 30 min, for as long as the item is kept. */
const laterTries: RetryPolicy = { attempts: Number.POSITIVE_INFINITY, delayMs: 60_000, factor: 2, maxDelayMs: 30 * 60_000 };
export const retryPauseMs = (attempts: number): number => backoffDelay(laterTries, Math.max(1, attempts));
export const defaultMaxAgeMs = 24 * 3_600_000;

export class Outbox {
  readonly #busy = new Map<string, Promise<void>>();
  #timer: (() => void) | undefined;
  #stopped = false;
  /** Aborted by `stop`: a send waiting to retry gives up at once (its item stays owed). */
  readonly #abort = new AbortController();

  constructor(private readonly state: OutboxState, private readonly deps: OutboxDeps) {}

  /** Queues `notification` for each channel. The caller commits the state, then calls `pump`. */
  enqueue(incidentId: string, channels: readonly string[], notification: Notification, at: number, owedFor?: string): void {
    for (const channel of new Set(channels)) {
      const id = this.state.nextOutboxId++;
      this.state.outbox.push({ id, key: `${incidentId}/${owedFor ?? `n${id}`}/${channel}`, incidentId, channel, notification, createdAt: at, attempts: 0, nextAt: at });
    }
  }

  get pending(): number { return this.state.outbox.length; }

  /** Channels with a send in flight. */
  get sending(): number { return this.#busy.size; }

  /** Starts a send on every channel whose first item is due and that is not sending already. */
  pump(): void {
    if (this.#stopped) return;
    const now = this.deps.clock.now();
    const heads = new Map<string, OutboxItem>();
    for (const item of this.state.outbox) if (!heads.has(item.channel)) heads.set(item.channel, item);
    for (const [channel, item] of heads) {
      if (this.#busy.has(channel) || item.nextAt > now) continue;
      const run = this.#send(item).finally(() => {
        this.#busy.delete(channel);
        this.pump();
      });
      this.#busy.set(channel, run);
    }
    this.#arm();
  }

  /** Resolves when no send is in flight (items waiting for a later retry do not count). */
  async idle(): Promise<void> {
    while (this.#busy.size > 0) await Promise.all([...this.#busy.values()]);
  }

  stop(): void {
    this.#stopped = true;
    this.#abort.abort();
    this.#timer?.();
    this.#timer = undefined;
  }

  async #send(item: OutboxItem): Promise<void> {
    const key = itemKey(item);
    const ledger = this.deps.ledger;
    if (ledger) {
      let claim: LedgerClaim;
      try { claim = await ledger.claim({ ...item, key }); } catch (e) {
        claim = 'wait';
        this.deps.notify.log(`${item.channel}: cannot claim ${describe(item.notification)}: ${(e as Error).message}`, 'warn');
      }
      if (this.#stopped) return;
      if (claim === 'sent') {
        this.#remove(item);
        await this.deps.commit();
        return;
      }
      if (claim === 'wait') {
        item.nextAt = this.deps.clock.now() + 1_000;
        return;
      }
    }
    const now = this.deps.clock.now();
    const channel = this.deps.channels()[item.channel];
    const maxAge = this.deps.maxAgeMs ?? defaultMaxAgeMs;
    if (!channel || now - item.createdAt > maxAge) {
      const why = channel ? `not delivered within ${Math.round(maxAge / 60_000)} min` : 'the channel is no longer configured';
      this.deps.notify.log(`dropped a ${describe(item.notification)} for ${item.channel}: ${why}${item.lastError ? ` (last error: ${item.lastError})` : ''}`, 'error');
      this.state.counters.notificationsDropped++;
      await ledger?.settle({ ...item, key }, 'dropped', why).catch(() => undefined);
      this.#remove(item);
      await this.deps.commit();
      return;
    }
    const result = await deliver(item.channel, channel, item.notification, { ...this.deps.notify, deliveryId: key, signal: this.#abort.signal, locale: this.deps.locale(), publicUrl: this.deps.publicUrl?.(), clock: this.deps.clock, ...(this.deps.policy ? { policy: this.deps.policy } : {}) });
    if (!result.ok && this.#stopped) return; // stopped mid-send: the item stays owed, untouched
    // Settled before the snapshot forgets the item: a crash in between finds the row sent.
    await ledger?.settle({ ...item, key }, result.ok ? 'sent' : 'failed', result.error).catch((e: unknown) => {
      this.deps.notify.log(`${item.channel}: cannot record the send of ${describe(item.notification)}: ${(e as Error).message}`, 'warn');
    });
    if (result.ok) {
      this.state.counters.notificationsSent++;
      this.#remove(item);
    } else {
      this.state.counters.notificationsFailed++;
      item.attempts++;
      item.lastError = result.error ?? 'failed';
      item.nextAt = this.deps.clock.now() + retryPauseMs(item.attempts);
      this.deps.notify.log(`${item.channel}: ${describe(item.notification)} kept for a later try at ${new Date(item.nextAt).toISOString()}`, 'warn');
    }
    await this.deps.commit();
  }

  #remove(item: OutboxItem): void {
    const i = this.state.outbox.indexOf(item);
    if (i >= 0) this.state.outbox.splice(i, 1);
  }

  /** One timer for the earliest retry that is not due yet. */
  #arm(): void {
    this.#timer?.();
    this.#timer = undefined;
    if (this.#stopped) return;
    const now = this.deps.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const item of this.state.outbox) if (!this.#busy.has(item.channel) && item.nextAt > now) next = Math.min(next, item.nextAt);
    if (Number.isFinite(next)) this.#timer = this.deps.clock.setTimer(next - now, () => { this.#timer = undefined; this.pump(); });
  }
}

const describe = (n: Notification): string => (n.kind === 'incident' ? `${n.status} notification "${n.title}"` : `notification "${n.title}"`);
