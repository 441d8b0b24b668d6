// Durations as written in documents (`500ms`, `30s`, `1h30m`) to milliseconds. A duration is a
// whole number of milliseconds that JavaScript holds exactly: `999999999999999999999d` is not a
// duration. Schemas bound each duration field with the `maxDuration` keyword (below), checked by
// ajv with a located error like every other structural rule.

import type { KeywordDefinition } from 'ajv';
import { PluginopsError } from '../errors/base.ts';

/** Text that is no duration, or too long a one to count in milliseconds. */
export class DurationError extends PluginopsError {
  readonly code = 'E_DURATION';
  readonly kind = 'invalid';
  override name = 'DurationError';
}

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number {
  const re = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)/gy;
  let total = 0, at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * unitMs[m[2] as keyof typeof unitMs];
    at = re.lastIndex;
  }
  if (at === 0 || at !== text.length) throw new DurationError(`"${text}" is not a duration such as 500ms, 30s, 5m, 1h30m`);
  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) throw new DurationError(`"${text}" is too long a duration to count in milliseconds`);
  return ms;
}

/** Milliseconds of `text`, or undefined when it is no duration at all. */
export const durationMs = (text: unknown): number | undefined => {
  if (typeof text !== 'string') return undefined;
  try { return parseDuration(text); } catch { return undefined; }
};

/** The longest any duration field may be; fields used as timers have their own, shorter bound. */
export const maxAnyDuration = '365d';
/** The longest a timeout, a wait or a retry delay may be. */
export const maxTimeout = '7d';

/**
 * The ajv keyword `maxDuration: "7d"`: a duration string longer than that (or too long to count)
 * is refused. Text that is no duration at all is left to the `pattern` of the same schema.
 */
export const maxDurationKeyword: KeywordDefinition = {
  keyword: 'maxDuration',
  type: 'string',
  schemaType: 'string',
  validate: (max: string, data: string): boolean => {
    if (!/^([0-9]+(\.[0-9]+)?(ms|s|m|h|d))+$/.test(data)) return true;
    const ms = durationMs(data);
    return ms !== undefined && ms <= parseDuration(max);
  },
};
