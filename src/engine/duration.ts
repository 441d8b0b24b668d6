// Durations as written in documents (`500ms`, `30s`, `1h30m`) to milliseconds, and back.

import { parseDuration } from '../documents/duration.ts';

export { parseDuration };

export const optionalDuration = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : parseDuration(text);

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60_000), s = Math.round((ms % 60_000) / 1_000);
  return m < 60 ? `${m}m${s ? `${s}s` : ''}` : `${Math.floor(m / 60)}h${m % 60 ? `${m % 60}m` : ''}`;
}
