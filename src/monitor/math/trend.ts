// A least-squares line of value over time for a window, its R², when it crosses a level, and the
// forecast an alert rule acts on. "Now" is the newest sample's timestamp (no clock here), and
// crossings are judged on the FITTED line, not on the last raw value: the fitted value at now is
// the trend's best estimate of the current level.
//
// A flat series (sample std of the values below 1e-9 × max(1, |mean|)) is a horizontal line:
// slope 0 and R² = 1 (the line explains all of the, zero, variance), so it never crosses a level
// it is not already beyond.
import { isBeyond, type Direction } from './levels.ts';
import type { RollingWindow } from './rolling.ts';
import { defaultMinStd } from './zscore.ts';

export interface LinearFit {
  n: number;
  /** Value units per ms. */
  slope: number;
  /** Fitted value at t = 0 (epoch ms); for display. Use `fittedNow` / `valueAt` for anything numeric. */
  intercept: number;
  /** Coefficient of determination, 0…1. */
  r2: number;
  /** Mean timestamp (ms) and mean value: the line passes through this point. */
  meanT: number;
  meanV: number;
  /** Newest sample's timestamp (ms) and the line's value there. */
  now: number;
  fittedNow: number;
}

export interface ForecastOptions {
  level: number;
  direction: Direction;
  /** Only a crossing within this many ms from now is `predicted`. */
  horizonMs: number;
  /** R² at or above this makes a crossing believable (default 0.7). */
  minR2?: number;
  /** Fewer samples than this (at least 3) is `insufficient` (default 10). */
  minSamples?: number;
}

export type Forecast =
  | { kind: 'insufficient'; count: number }
  | { kind: 'ok'; slope: number; r2: number; etaMs?: number }
  | { kind: 'predicted'; slope: number; r2: number; etaMs: number };

/** The least-squares line over the window; undefined below 2 samples or when all timestamps are equal. */
export function linearFit(w: RollingWindow): LinearFit | undefined {
  const s = w.leastSquares();
  if (s.n < 2 || !(s.suu > 0)) return undefined;
  const flat = Math.sqrt(s.svv / (s.n - 1)) < defaultMinStd(s.meanV);
  const slope = flat ? 0 : s.suv / s.suu;
  const r2 = flat ? 1 : Math.min(1, Math.max(0, (s.suv * s.suv) / (s.suu * s.svv)));
  const meanT = s.origin + s.meanU;
  const now = w.newestTime;
  // (now − origin) − ū keeps epoch milliseconds out of the product.
  const fittedNow = s.meanV + slope * (now - s.origin - s.meanU);
  return { n: s.n, slope, intercept: s.meanV - slope * meanT, r2, meanT, meanV: s.meanV, now, fittedNow };
}

/** The fitted line's value at timestamp `t` (ms). */
export function valueAt(fit: LinearFit, t: number): number {
  return fit.fittedNow + fit.slope * (t - fit.now);
}

/**
 * Ms from now until the fitted line reaches `level` going `direction`: 0 when the line is already
 * at or beyond it, undefined when it is flat or moving away.
 */
export function timeToCross(fit: LinearFit, level: number, direction: Direction): number | undefined {
  if (isBeyond(fit.fittedNow, level, direction)) return 0;
  const towards = direction === 'above' ? fit.slope > 0 : fit.slope < 0;
  if (!towards) return undefined;
  const eta = (level - fit.fittedNow) / fit.slope;
  return Number.isFinite(eta) ? eta : undefined;
}

/** `predicted` when the line crosses within the horizon and R² ≥ minR2; `ok` (with the eta, if any) otherwise. */
export function forecast(w: RollingWindow, o: ForecastOptions): Forecast {
  const fit = w.count >= Math.max(3, o.minSamples ?? 10) ? linearFit(w) : undefined;
  if (!fit) return { kind: 'insufficient', count: w.count };
  const { slope, r2 } = fit;
  const etaMs = timeToCross(fit, o.level, o.direction);
  if (etaMs === undefined) return { kind: 'ok', slope, r2 };
  if (etaMs <= o.horizonMs && r2 >= (o.minR2 ?? 0.7)) return { kind: 'predicted', slope, r2, etaMs };
  return { kind: 'ok', slope, r2, etaMs };
}
