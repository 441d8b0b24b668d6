// Delivering one notification to one channel: rate-limited per channel, each attempt bounded
// by a timeout, retried with exponential backoff on the clock (network errors, timeouts, 5xx,
// 429 after its Retry-After), not retried on other answers. It never throws: every problem,
// a missing environment variable included, comes back as a failed DeliveryResult and a log line.
import { AbortedError, sleep, type Clock } from '../engine/clock.ts';
import { formatDuration } from '../engine/duration.ts';
import type { ChannelDoc } from '../documents/schema/project.ts';
import type { LogLevel } from '../store/types.ts';
import { prepareSend, senderOf } from './channels/index.ts';
import type { ChannelKind, Env, PreparedSend, SendOutcome } from './channels/types.ts';
import { catalogFor, type Locale } from './catalog/index.ts';
import { sharedRateLimiter, type RateLimiter } from './limiter.ts';
import { executionLink, incidentLink } from './links.ts';
import type { Notification } from './message.ts';
import { maskDeep, type Mask } from '../engine/mask.ts';
import { nextRetry, type RetryPolicy } from '../retry/policy.ts';
import { parseRetryAfter } from '../retry/retry-after.ts';

/**
 * The retry policy (a 429 asking, through Retry-After, for more than `maxServerDelayMs` is given
 * up on) plus the real time one attempt may take (it bounds real network I/O, so it is not on
 * the clock).
 */
export interface DeliveryPolicy extends RetryPolicy {
  timeoutMs: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  attempts: 5, delayMs: 1_000, factor: 2, maxDelayMs: 30_000, timeoutMs: 10_000, maxServerDelayMs: 60_000,
};

export interface NotifyDeps {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  /** Where `{ env: NAME }` values are read from. */
  env: Env;
  /** The language of notification texts (the project's `locale`; default `en`). */
  locale?: Locale;
  /** The server's `publicUrl`: links in notifications start there. */
  publicUrl?: string;
  log: (message: string, level?: LogLevel) => void;
  /** Aborting it stops waiting and sending (the result is a failure). */
  signal?: AbortSignal;
  /** Defaults to one limiter shared by everything on the same clock. */
  limiter?: RateLimiter;
  policy?: Partial<DeliveryPolicy>;
  /** Applied to every text of the notification before it is sent (the project's secrets). */
  mask?: Mask;
  /** The same for every attempt and every resend of one notification: receivers dedupe on it. */
  deliveryId?: string;
}

export interface DeliveryResult {
  channel: string;
  kind?: ChannelKind;
  ok: boolean;
  /** Sends made; 0 when the channel could not be used at all. */
  attempts: number;
  /** The last HTTP status (for email, the SMTP reply code), when there was an answer. */
  status?: number;
  error?: string;
}

export async function deliver(channelName: string, channel: ChannelDoc, notification: Notification, deps: NotifyDeps): Promise<DeliveryResult> {
  const label = `${channelName} (${channel.type})`;
  const state = { attempts: 0, status: undefined as number | undefined };
  let result: DeliveryResult;
  try {
    result = await attemptAll(channelName, channel, notification, deps, label, state);
  } catch (e) {
    const error = e instanceof AbortedError ? 'cancelled before it was delivered' : messageOf(e);
    result = { channel: channelName, kind: channel.type, ok: false, attempts: state.attempts, ...statusOf(state.status), error };
  }
  if (result.ok) deps.log(`notified ${label}${result.attempts > 1 ? ` after ${result.attempts} attempts` : ''}`, 'info');
  else deps.log(`could not notify ${label}: ${result.error}`, 'warn');
  return result;
}

async function attemptAll(
  name: string, channel: ChannelDoc, n: Notification, deps: NotifyDeps, label: string,
  state: { attempts: number; status: number | undefined },
): Promise<DeliveryResult> {
  const policy = { ...defaultDeliveryPolicy, ...deps.policy };
  const base = { channel: name, kind: channel.type };
  let send: PreparedSend;
  try {
    send = prepareSend(channel, withLink(deps.mask ? maskDeep(n, deps.mask) : n, deps.publicUrl), { env: deps.env, catalog: catalogFor(deps.locale), channel: name, ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}), ...(deps.deliveryId ? { deliveryId: deps.deliveryId } : {}) });
  } catch (e) {
    return { ...base, ok: false, attempts: 0, error: messageOf(e) };
  }
  const limiter = deps.limiter ?? sharedRateLimiter(deps.clock);
  const { minIntervalMs } = senderOf(channel);
  for (;;) {
    await limiter.acquire(name, minIntervalMs, deps.signal);
    state.attempts++;
    const outcome = await sendOnce(send, deps, policy.timeoutMs);
    state.status = outcome.status;
    if (outcome.ok) return { ...base, ok: true, attempts: state.attempts, ...statusOf(outcome.status) };
    const failed = { ...base, ok: false, attempts: state.attempts, ...statusOf(outcome.status) };
    if (!outcome.retry) return { ...failed, error: outcome.error };
    const serverDelayMs = outcome.retryAfter === undefined ? undefined : parseRetryAfter(outcome.retryAfter, deps.clock.now());
    const next = nextRetry(policy, state.attempts, { serverDelayMs });
    if (!next.retry && next.reason === 'attempts') return { ...failed, error: `${outcome.error} (gave up after ${state.attempts} attempts)` };
    if (!next.retry) return { ...failed, error: `${outcome.error}; Retry-After asks for ${formatDuration(next.askedMs)}, more than the ${formatDuration(next.maxMs)} delivery waits` };
    deps.log(`${label}: attempt ${state.attempts} failed: ${outcome.error}; retrying in ${formatDuration(next.delayMs)}`, 'warn');
    await sleep(deps.clock, next.delayMs, deps.signal);
  }
}

async function sendOnce(send: PreparedSend, deps: NotifyDeps, timeoutMs: number): Promise<SendOutcome> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${formatDuration(timeoutMs)}`)), timeoutMs);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout.signal]) : timeout.signal;
  try {
    return await send({ fetch: deps.fetch, signal });
  } catch (e) {
    // A sender that throws is treated like a network error.
    return { ok: false, retry: true, error: messageOf(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** The notification with a link to what it is about, when it has none and there is a public URL. */
export function withLink(n: Notification, publicUrl: string | undefined): Notification {
  if (n.url || !publicUrl) return n;
  if (n.kind === 'incident') return n.incidentId ? { ...n, url: incidentLink(publicUrl, n.incidentId) } : n;
  return { ...n, url: executionLink(publicUrl, n.executionId) };
}

const statusOf = (status: number | undefined) => (status === undefined ? {} : { status });
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
