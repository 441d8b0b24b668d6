// A server's Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP date.

/** The wait Retry-After asks for, in ms; undefined when the value is neither form. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1_000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
