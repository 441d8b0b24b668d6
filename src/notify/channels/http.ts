// One JSON POST as a send attempt: 2xx is delivered; a network error, a timeout, 5xx and 429 may
// retry; any other answer will not. Messages never include the URL (it is often a secret).
import type { Env, PreparedSend, SendOutcome } from './types.ts';
import { ChannelConfigError } from './types.ts';
import { readValue } from '../../documents/values/values.ts';
import type { ValueDoc } from '../../documents/schema/project.ts';

const maxErrorBody = 200;

/** Reads a URL value and checks it is http(s), so a typo fails once instead of retrying. */
export function readUrl(v: ValueDoc, env: Env, what: string): string {
  const text = readValue(v, env, what);
  let url: URL;
  try { url = new URL(text); } catch { throw new ChannelConfigError(`${what} is not a URL`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ChannelConfigError(`${what} must be an http:// or https:// URL, not ${url.protocol}`);
  return text;
}

export const postJson = (url: string, body: unknown, extraHeaders: Record<string, string> = {}): PreparedSend => {
  const payload = JSON.stringify(body);
  const headers = new Headers(extraHeaders);
  headers.set('content-type', 'application/json');
  return async ({ fetch, signal }) => {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body: payload, signal });
    } catch (e) {
      return { ok: false, retry: true, error: describeFetchError(e, signal) };
    }
    let text = '';
    try { text = await res.text(); } catch { /* the status is what matters */ }
    return classify(res, text);
  };
};

function classify(res: Response, text: string): SendOutcome {
  if (res.ok) return { ok: true, status: res.status };
  const detail = text.trim().slice(0, maxErrorBody);
  const error = `HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
  const retryAfter = res.headers.get('retry-after');
  const retry = res.status >= 500 || res.status === 429;
  return { ok: false, retry, status: res.status, error, ...(retryAfter !== null ? { retryAfter } : {}) };
}

function describeFetchError(e: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted');
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  return cause ? `${e.message}: ${cause}` : e.message;
}
