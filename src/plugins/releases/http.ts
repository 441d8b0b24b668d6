// Deploying to an HTTP target: the archive uploaded with PUT or POST, headers from the
// environment, retried with backoff on network errors, 5xx and 429.
import { readFile } from 'node:fs/promises';
import type { TargetDoc } from '../../documents/schema/index.ts';
import { sleep, type Clock } from '../../engine/clock.ts';
import { parseDuration } from '../../engine/duration.ts';
import { readValue } from '../../documents/values/values.ts';
import { PluginopsError } from '../../errors/base.ts';
import { nextRetry, type RetryPolicy } from '../../retry/policy.ts';
import { parseRetryAfter } from '../../retry/retry-after.ts';

type HttpTarget = Extract<TargetDoc, { type: 'http' }>;

export interface UploadRequest {
  target: HttpTarget;
  archive: string;
  sha256: string;
  plugin: string;
  version: string;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof globalThis.fetch;
  clock: Clock;
  signal: AbortSignal;
  log: (message: string) => void;
}

export class UploadError extends PluginopsError {
  readonly code = 'E_UPLOAD';
  readonly kind = 'failed';
}

/** `{plugin}` and `{version}` in the URL are replaced (URL-encoded). */
export async function uploadArchive(r: UploadRequest): Promise<{ status: number; attempts: number; url: string }> {
  const url = readValue(r.target.url, r.env, 'the target URL')
    .replaceAll('{plugin}', encodeURIComponent(r.plugin)).replaceAll('{version}', encodeURIComponent(r.version));
  const headers: Record<string, string> = { 'content-type': 'application/gzip', 'x-pluginops-sha256': r.sha256 };
  for (const [k, v] of Object.entries(r.target.headers ?? {})) headers[k] = readValue(v, r.env, `header ${k}`);
  const body = await readFile(r.archive);
  const policy: RetryPolicy = { attempts: (r.target.retries ?? 3) + 1, delayMs: 1_000, factor: 2 };
  const timeoutMs = r.target.timeout ? parseDuration(r.target.timeout) : 60_000;
  let last = '';
  for (let attempt = 1; ; attempt++) {
    let status: number | undefined;
    let serverDelayMs: number | undefined;
    try {
      const res = await r.fetch(url, { method: r.target.method ?? 'PUT', headers, body, signal: AbortSignal.any([r.signal, AbortSignal.timeout(timeoutMs)]) });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { status, attempts: attempt, url: redact(url) };
      last = `${redact(url)} answered ${status}`;
      const retryAfter = res.headers.get('retry-after');
      if (retryAfter !== null) serverDelayMs = parseRetryAfter(retryAfter, r.clock.now());
      if (status < 500 && status !== 429) break;
    } catch (e) {
      if (r.signal.aborted) throw e;
      last = `${redact(url)} could not be reached: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`;
    }
    const next = nextRetry(policy, attempt, { serverDelayMs });
    if (!next.retry) break;
    r.log(`upload attempt ${attempt} failed (${last}); retrying in ${next.delayMs}ms`);
    await sleep(r.clock, next.delayMs, r.signal);
  }
  throw new UploadError(`upload failed: ${last}`);
}

/** Query strings often carry tokens: never print them. */
const redact = (url: string) => url.replace(/\?.*$/, '?…');
