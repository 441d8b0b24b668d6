// Shared builders for the monitor-math tests: a window from a list of values, and a from-scratch
// (two-pass) reference the incremental sums are compared against.
import { RollingWindow, type Sample } from '../../src/monitor/math/rolling.ts';

/** A window holding `values` at t0, t0 + step, … (ms); capacity defaults to the number of values. */
export function windowOf(values: number[], o: { t0?: number; stepMs?: number; capacity?: number } = {}): RollingWindow {
  const w = new RollingWindow(o.capacity ?? Math.max(1, values.length));
  values.forEach((v, i) => w.push((o.t0 ?? 0) + i * (o.stepMs ?? 1000), v));
  return w;
}

/** Mean, sample variance, slope and the fitted value at the newest sample, in two passes. */
export function fromScratch(samples: Sample[]) {
  const n = samples.length;
  const t0 = samples[0]!.t;
  const mt = samples.reduce((a, s) => a + (s.t - t0), 0) / n;
  const mv = samples.reduce((a, s) => a + s.v, 0) / n;
  let stt = 0, stv = 0, svv = 0;
  for (const s of samples) {
    const dt = s.t - t0 - mt, dv = s.v - mv;
    stt += dt * dt; stv += dt * dv; svv += dv * dv;
  }
  const slope = stv / stt;
  const last = samples[n - 1]!;
  return { mean: mv, variance: svv / (n - 1), slope, fittedLast: mv + slope * (last.t - t0 - mt), r2: (stv * stv) / (stt * svv) };
}

/** |a − b| ≤ rel × |b| (or ≤ rel when b is 0). */
export function close(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(b), Number.MIN_VALUE) || a === b;
}
