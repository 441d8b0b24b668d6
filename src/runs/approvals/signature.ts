// Slack request signing (v0): Slack sends `X-Slack-Request-Timestamp` (unix seconds) and
// `X-Slack-Signature` = `v0=` + hex(HMAC-SHA256(signing secret, `v0:${timestamp}:${rawBody}`)).
// A request is accepted only when both headers are present, the timestamp is within `maxAgeMs`
// of `nowMs` in either direction (older is a replay, newer is a forged or skewed clock), and the
// signature matches. The comparison hashes both sides to equal-length digests and compares them
// with timingSafeEqual, so neither the length nor the content of the expected value leaks. Pure:
// the clock is a parameter, nothing throws.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureErrorCode = 'E_SIGNATURE_MISSING' | 'E_SIGNATURE_STALE' | 'E_SIGNATURE_BAD';

export type SignatureCheck = { ok: true } | { ok: false; code: SignatureErrorCode; message: string };

export interface SlackRequest {
  /** The app's signing secret (Basic Information → App Credentials). */
  secret: string;
  /** The `X-Slack-Request-Timestamp` header, as received. */
  timestamp: string | undefined;
  /** The `X-Slack-Signature` header, as received. */
  signature: string | undefined;
  /** The body exactly as received, before any parsing. */
  rawBody: string;
  nowMs: number;
  /** How far the timestamp may be from `nowMs`, either way; default 5 minutes. */
  maxAgeMs?: number;
}

export const defaultMaxAgeMs = 5 * 60_000;

const fail = (code: SignatureErrorCode, message: string): SignatureCheck => ({ ok: false, code, message });

/** `v0=` + hex HMAC-SHA256 of `v0:${timestamp}:${rawBody}`, as Slack computes it. */
export function slackSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Equal-time comparison of two strings of any lengths. */
function sameSecretText(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function verifySlackRequest(o: SlackRequest): SignatureCheck {
  const maxAgeMs = o.maxAgeMs ?? defaultMaxAgeMs;
  if (o.secret === '') return fail('E_SIGNATURE_BAD', 'no Slack signing secret is configured, so no request can be verified');
  if (o.timestamp === undefined || o.timestamp.trim() === '') {
    return fail('E_SIGNATURE_MISSING', 'the X-Slack-Request-Timestamp header is missing; expected unix seconds');
  }
  if (o.signature === undefined || o.signature.trim() === '') {
    return fail('E_SIGNATURE_MISSING', 'the X-Slack-Signature header is missing; expected "v0=" followed by 64 hex digits');
  }
  if (!/^\d{1,15}$/.test(o.timestamp)) {
    return fail('E_SIGNATURE_BAD', `the X-Slack-Request-Timestamp header is ${JSON.stringify(o.timestamp.slice(0, 40))}; expected unix seconds`);
  }
  const skewMs = o.nowMs - Number(o.timestamp) * 1_000;
  if (Math.abs(skewMs) > maxAgeMs) {
    const when = skewMs > 0 ? `${Math.round(skewMs / 1_000)}s old` : `${Math.round(-skewMs / 1_000)}s in the future`;
    return fail('E_SIGNATURE_STALE', `the request timestamp is ${when}; at most ${Math.round(maxAgeMs / 1_000)}s either way is accepted`);
  }
  if (!o.signature.startsWith('v0=')) {
    return fail('E_SIGNATURE_BAD', 'the X-Slack-Signature header is not a v0 signature; expected "v0=" followed by 64 hex digits');
  }
  if (!sameSecretText(o.signature, slackSignature(o.secret, o.timestamp, o.rawBody))) {
    return fail('E_SIGNATURE_BAD', 'the X-Slack-Signature header does not match the body and the signing secret');
  }
  return { ok: true };
}
