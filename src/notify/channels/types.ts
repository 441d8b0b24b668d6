// The channel port: each channel kind has one sender that turns a notification into a single
// send. Preparing reads configured values (and may fail with MissingValueError before anything
// is sent); each call of the prepared send is one attempt, classified so delivery can retry it.
import type { ChannelDoc } from '../../documents/schema/project.ts';
import type { Catalog } from '../catalog/index.ts';
import type { Notification } from '../message.ts';
import { PluginopsError } from '../../errors/base.ts';

export type ChannelKind = ChannelDoc['type'];
export type ChannelMap = { [K in ChannelKind]: Extract<ChannelDoc, { type: K }> };

export type Env = Readonly<Record<string, string | undefined>>;

/** One attempt's outcome. `retry` says whether trying again could help (network, 5xx, 429). */
export type SendOutcome =
  | { ok: true; status?: number }
  | { ok: false; retry: boolean; status?: number; error: string; /** Raw Retry-After header. */ retryAfter?: string };

export interface SendIo {
  fetch: typeof globalThis.fetch;
  /** Aborted when the attempt times out or the caller gives up. */
  signal: AbortSignal;
}

/** What a sender reads besides the channel and the notification. */
export interface SendContext {
  env: Env;
  /** The texts in the project's `locale`. */
  catalog: Catalog;
  /** The channel's key under `channels:` in the project file. */
  channel: string;
  /** The server's `publicUrl`, when the project file sets one. */
  publicUrl?: string;
  /**
   * One notification's idempotency key, the same on every resend: webhooks carry it as
   * `Idempotency-Key` (and `X-Pluginops-Delivery`), email as its Message-ID.
   */
  deliveryId?: string;
}

export type PreparedSend = (io: SendIo) => Promise<SendOutcome>;

export interface Sender<C extends ChannelDoc> {
  /** Least time between two messages to one channel of this kind (0: no limit). */
  minIntervalMs: number;
  /** Reads the channel's values from `ctx.env` and builds the message; throws on a configuration problem. */
  prepare(channel: C, notification: Notification, ctx: SendContext): PreparedSend;
}

export class ChannelConfigError extends PluginopsError {
  readonly code = 'E_CHANNEL_CONFIG';
  readonly kind = 'invalid';
}
