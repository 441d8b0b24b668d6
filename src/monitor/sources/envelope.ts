// The JSON envelope Prometheus and Loki share: `{ status: "success", data, warnings? }` or
// `{ status: "error", errorType, error }`, and the small shape readers the clients use on `data`.
// A body that is not what the documented API says becomes "malformed answer from X: <what was
// wrong>"; an error body becomes "X answered <status>: <errorType>: <error>".
import { snippet, type Failed } from './request.ts';
import { PluginopsError } from '../../errors/base.ts';

export type Server = 'Prometheus' | 'Loki';

export type Envelope = { ok: true; data: Record<string, unknown>; warnings?: string[] } | Failed;

/** Thrown by the shape readers below and caught by the client that called them. */
export class Malformed extends PluginopsError {
  readonly code = 'E_MALFORMED_ANSWER';
  readonly kind = 'failed';
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readEnvelope(what: Server, status: number, text: string): Envelope {
  let body: unknown;
  try { body = JSON.parse(text); } catch {
    if (status >= 400) return { ok: false, error: `${what} answered ${status}: ${snippet(text) || '(no message)'}` };
    return malformed(what, `the body is not JSON (${text.trim() === '' ? 'it is empty' : `it starts with "${snippet(text).slice(0, 60)}"`})`);
  }
  if (isRecord(body) && body.status === 'error') {
    const kind = typeof body.errorType === 'string' && body.errorType !== '' ? `${body.errorType}: ` : '';
    const message = typeof body.error === 'string' ? body.error : '(no message)';
    return { ok: false, error: `${what} answered ${status}: ${kind}${message}` };
  }
  if (status < 200 || status >= 300) return { ok: false, error: `${what} answered ${status}: ${snippet(text) || '(no message)'}` };
  if (!isRecord(body)) return malformed(what, 'the body is not a JSON object');
  if (body.status !== 'success') return malformed(what, `\`status\` is ${JSON.stringify(body.status) ?? 'missing'}; expected "success" or "error"`);
  if (!isRecord(body.data)) return malformed(what, '`data` is missing or not an object');
  const warnings = Array.isArray(body.warnings) ? body.warnings.filter((w): w is string => typeof w === 'string') : [];
  return warnings.length ? { ok: true, data: body.data, warnings } : { ok: true, data: body.data };
}

export const malformed = (what: Server, why: string): Failed => ({ ok: false, error: `malformed answer from ${what}: ${why}` });

export function list(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new Malformed(`\`${path}\` is not a list`);
  return v;
}

export function record(v: unknown, path: string): Record<string, unknown> {
  if (!isRecord(v)) throw new Malformed(`\`${path}\` is not an object`);
  return v;
}

/** A label set: an object of strings. */
export function labels(v: unknown, path: string): Record<string, string> {
  const r = record(v, path);
  for (const [name, value] of Object.entries(r)) {
    if (typeof value !== 'string') throw new Malformed(`\`${path}.${name}\` is not a string`);
  }
  return r as Record<string, string>;
}

/** A sample value as the APIs write it: a string such as "1.5", "NaN", "+Inf" or "-Inf". */
export function sampleValue(v: unknown, path: string): number {
  if (typeof v !== 'string') throw new Malformed(`\`${path}\` is not a string holding a number`);
  const text = v.trim();
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const n = text === '' ? NaN : Number(text);
  if (Number.isNaN(n)) throw new Malformed(`\`${path}\` is "${snippet(text).slice(0, 40)}", not a number`);
  return n;
}

/** `[unix seconds, "value"]` → ms since the epoch and the value. */
export function sample(v: unknown, path: string): { at: number; value: number } {
  if (!Array.isArray(v) || v.length < 2 || typeof v[0] !== 'number' || !Number.isFinite(v[0])) {
    throw new Malformed(`\`${path}\` is not a [time, "value"] pair`);
  }
  return { at: Math.round(v[0] * 1000), value: sampleValue(v[1], `${path}[1]`) };
}
