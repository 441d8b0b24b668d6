// The HTTP probe: one request through the injected fetch, bounded by a timeout that covers the
// body as well as the headers. Fields: status, responseTime (ms to the headers), body (first
// 64 KiB), json (the parsed body or null) and, for https, certificateDaysLeft.
import { certificateDaysLeft, readPeerCertificate } from './certificate.ts';
import { errorText, maxCapturedBytes, type CheckFields, type JsonValue, type ProbeOutcome } from './result.ts';
import { deadline, readBody } from './timeout.ts';

import type { ProbeFetch, ProbeResponse } from './lean-fetch.ts';

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpProbe {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpEdges {
  /** The global `fetch`, or `leanFetch` (the scheduler's: the same answers, far less garbage). */
  fetch: ProbeFetch;
  now: () => number;
  signal?: AbortSignal;
}

export async function probeHttp(probe: HttpProbe, edges: HttpEdges): Promise<ProbeOutcome> {
  const fields: CheckFields = { status: null, responseTime: null, body: null, json: null, certificateDaysLeft: null };
  let url: URL;
  try { url = new URL(probe.url); } catch { return { ok: false, fields, error: `\`${probe.url}\` is not a URL; expected one such as https://example.com/health` }; }
  const limit = deadline(probe.timeoutMs, edges.signal);
  const started = edges.now();
  try {
    const certificate = url.protocol === 'https:' ? readPeerCertificate(url, limit.signal) : undefined;
    const response = await edges.fetch(url.href, {
      method: probe.method ?? 'GET', headers: probe.headers, body: probe.body, signal: limit.signal, redirect: 'follow',
    });
    fields.responseTime = edges.now() - started;
    fields.status = response.status;
    const { text, complete } = await readCapped(response, maxCapturedBytes);
    fields.body = text;
    fields.json = complete ? parseJson(text) : null;
    if (certificate) {
      const peer = await certificate;
      if (peer.validTo) fields.certificateDaysLeft = certificateDaysLeft(peer.validTo, edges.now());
    }
    return { ok: true, fields };
  } catch (e) {
    return { ok: false, fields, error: limit.reason() ?? `request to ${url.href} failed: ${causeText(e)}` };
  } finally {
    limit.dispose();
  }
}

/** The body as text, at most `max` bytes of it. */
async function readCapped(response: ProbeResponse, max: number): Promise<{ text: string; complete: boolean }> {
  const { bytes, complete } = await readBody(response.body, max);
  return { text: bytes.toString('utf8'), complete };
}

function parseJson(text: string): JsonValue {
  if (text.trim() === '') return null;
  try { return JSON.parse(text) as JsonValue; } catch { return null; }
}

/** undici hides the reason (ECONNREFUSED, …) in `cause`. */
const causeText = (e: unknown): string => {
  const cause = e instanceof Error ? (e as { cause?: unknown }).cause : undefined;
  return cause ? `${errorText(e)} (${errorText(cause)})` : errorText(e);
};
