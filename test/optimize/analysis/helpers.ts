// Shared builders for the analysis tests: a day of synthetic samples at one a minute, the scope
// the analyzers get (a 24h window, at least 100 samples over 3h), and seeded noise.
import { prng } from '../../../bench/stats.ts';
import { MetricHistory } from '../../../src/optimize/analysis/history.ts';
import type { Scope } from '../../../src/optimize/analysis/types.ts';

export const minute = 60_000;
export const hour = 60 * minute;
export const day = 24 * hour;
/** The end of every synthetic series, and the analyzers' `now`. */
export const now = Date.UTC(2025, 0, 15);

export const scope: Scope = { windowMs: day, rule: { minSamples: 100, minSpanMs: 3 * hour } };

export interface SeriesOptions {
  /** Samples, one every `stepMs`, the last at `end` (default 1440: a day at one a minute). */
  n?: number;
  stepMs?: number;
  end?: number;
  unit?: string;
  ringCapacity?: number;
}

/** A history whose i-th sample (0 = oldest) has the value `value(i, n)`. */
export function series(name: string, value: (i: number, n: number) => number, o: SeriesOptions = {}): MetricHistory {
  const n = o.n ?? 1440, stepMs = o.stepMs ?? minute, end = o.end ?? now;
  const h = new MetricHistory({ name, windowMs: day, halfLifeMs: 6 * hour, chartStepMs: 15 * minute, ringCapacity: o.ringCapacity ?? 4096, ...(o.unit ? { unit: o.unit } : {}) });
  for (let i = 0; i < n; i++) h.add(end - (n - 1 - i) * stepMs, value(i, n));
  return h;
}

/** A constant series. */
export const flat = (name: string, v: number, o: SeriesOptions = {}): MetricHistory => series(name, () => v, o);

/** `before` for the first half of the series, `after` for the second. */
export const step = (name: string, before: number, after: number, o: SeriesOptions = {}): MetricHistory =>
  series(name, (i, n) => (i < n / 2 ? before : after), o);

/** `v` times (1 + spread × u) with u uniform in [−1, 1), from a seeded generator. */
export function noisy(name: string, v: number, spread: number, seed: number, o: SeriesOptions = {}): MetricHistory {
  const rand = prng(seed);
  return series(name, () => v * (1 + spread * (2 * rand() - 1)), o);
}

/** |a − b| ≤ rel × |b|. */
export const near = (a: number, b: number, rel: number): boolean => Math.abs(a - b) <= rel * Math.abs(b);
