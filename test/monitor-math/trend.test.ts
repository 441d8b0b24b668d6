// The least-squares line against hand-computed slope, intercept and R², the time to cross a level
// (ahead, already beyond, moving away, flat), and the forecast: a perfect line is predicted with
// an exact eta, a noisy one is not, one moving away has no eta.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { forecast, linearFit, timeToCross, valueAt, type Forecast } from '../../src/monitor/math/trend.ts';
import { windowOf } from './helpers.ts';

// t = 0, 1000, 2000, 3000, 4000 ms; v = 1, 3, 2, 5, 4.
//   t̄ = 2000, v̄ = 3; Δt = −2000 −1000 0 1000 2000; Δv = −2 0 −1 2 1
//   Σ Δt·Δv = 4000 + 0 + 0 + 2000 + 2000 = 8000; Σ Δt² = 1e7; Σ Δv² = 4 + 0 + 1 + 4 + 1 = 10
//   slope = 8000 / 1e7 = 0.0008 per ms; intercept = 3 − 0.0008 × 2000 = 1.4
//   R² = 8000² / (1e7 × 10) = 0.64; fitted at t = 4000: 1.4 + 3.2 = 4.6
//   eta to 6 above: (6 − 4.6) / 0.0008 = 1750 ms
const fitCases: Array<{ name: string; values: number[]; slope: number; intercept: number; r2: number; fittedNow: number }> = [
  { name: 'noisy rise', values: [1, 3, 2, 5, 4], slope: 0.0008, intercept: 1.4, r2: 0.64, fittedNow: 4.6 },
  // v = 50 + 2 per second exactly: slope 0.002 per ms, intercept 50, R² 1
  { name: 'perfect line', values: [50, 52, 54, 56, 58, 60, 62, 64, 66, 68], slope: 0.002, intercept: 50, r2: 1, fittedNow: 68 },
  // 10 8 6 4: slope −2 per 1000 ms, intercept 10; the line fits exactly
  { name: 'perfect fall', values: [10, 8, 6, 4], slope: -0.002, intercept: 10, r2: 1, fittedNow: 4 },
  // Δv = 1 −1 1 −1 (v̄ = 1), Δt = −1500 −500 500 1500: Σ Δt·Δv = −1500 + 500 + 500 − 1500 = −2000,
  // Σ Δt² = 5e6 → slope −0.0004; Σ Δv² = 4 → R² = 4e6 / (5e6 × 4) = 0.2; intercept 1 + 0.0004 × 1500 = 1.6
  { name: 'zigzag', values: [2, 0, 2, 0], slope: -0.0004, intercept: 1.6, r2: 0.2, fittedNow: 0.4 },
  // flat: slope 0, R² 1 by definition (the guard, not 0 / 0)
  { name: 'flat', values: [7, 7, 7, 7, 7], slope: 0, intercept: 7, r2: 1, fittedNow: 7 },
];
for (const c of fitCases) {
  test(`fit of the ${c.name} [${c.values.join(', ')}]: slope ${c.slope}, intercept ${c.intercept}, R² ${c.r2}`, () => {
    const fit = linearFit(windowOf(c.values))!;

    assert.ok(Math.abs(fit.slope - c.slope) < 1e-15, `slope ${fit.slope}`);
    assert.ok(Math.abs(fit.intercept - c.intercept) < 1e-12, `intercept ${fit.intercept}`);
    assert.ok(Math.abs(fit.r2 - c.r2) < 1e-12, `r2 ${fit.r2}`);
    assert.ok(Math.abs(fit.fittedNow - c.fittedNow) < 1e-12, `fitted ${fit.fittedNow}`);
    assert.ok(Math.abs(valueAt(fit, 0) - c.intercept) < 1e-12);
  });
}

test('no fit below two samples or when every timestamp is the same', () => {
  assert.is(linearFit(windowOf([1])), undefined);
  assert.is(linearFit(windowOf([1, 2, 3], { stepMs: 0 })), undefined);
});

const noisy = linearFit(windowOf([1, 3, 2, 5, 4]))!;
const perfect = linearFit(windowOf([50, 52, 54, 56, 58, 60, 62, 64, 66, 68]))!;
const crossCases: Array<{ name: string; fit: typeof noisy; level: number; direction: 'above' | 'below'; eta: number | undefined }> = [
  { name: 'noisy rise to 6', fit: noisy, level: 6, direction: 'above', eta: 1750 },
  { name: 'perfect line to 80: (80 − 68) / 0.002', fit: perfect, level: 80, direction: 'above', eta: 6000 },
  { name: 'perfect line already above 60', fit: perfect, level: 60, direction: 'above', eta: 0 },
  { name: 'perfect line exactly at 68', fit: perfect, level: 68, direction: 'above', eta: 0 },
  { name: 'perfect line rising, away from 40 below', fit: perfect, level: 40, direction: 'below', eta: undefined },
  { name: 'perfect line already at or below 70', fit: perfect, level: 70, direction: 'below', eta: 0 },
  { name: 'falling line to 0: (0 − 4) / −0.002', fit: linearFit(windowOf([10, 8, 6, 4]))!, level: 0, direction: 'below', eta: 2000 },
  { name: 'falling line, away from 20 above', fit: linearFit(windowOf([10, 8, 6, 4]))!, level: 20, direction: 'above', eta: undefined },
  { name: 'flat line below 8', fit: linearFit(windowOf([7, 7, 7, 7, 7]))!, level: 8, direction: 'above', eta: undefined },
];
for (const c of crossCases) {
  test(`time to cross, ${c.name}: ${c.eta ?? 'none'}`, () => {
    const eta = timeToCross(c.fit, c.level, c.direction);
    if (c.eta === undefined) assert.is(eta, undefined);
    else assert.ok(eta !== undefined && Math.abs(eta - c.eta) < 1e-9 * Math.max(1, c.eta), `eta ${eta}`);
  });
}

const forecastCases: Array<{ name: string; values: number[]; level: number; direction: 'above' | 'below'; horizonMs: number; minSamples?: number; expect: Forecast }> = [
  { name: 'perfect line within the horizon', values: [50, 52, 54, 56, 58, 60, 62, 64, 66, 68], level: 80, direction: 'above', horizonMs: 10_000, expect: { kind: 'predicted', slope: 0.002, r2: 1, etaMs: 6000 } },
  { name: 'perfect line beyond the horizon', values: [50, 52, 54, 56, 58, 60, 62, 64, 66, 68], level: 80, direction: 'above', horizonMs: 5_000, expect: { kind: 'ok', slope: 0.002, r2: 1, etaMs: 6000 } },
  { name: 'perfect line moving away', values: [50, 52, 54, 56, 58, 60, 62, 64, 66, 68], level: 40, direction: 'below', horizonMs: 10_000, expect: { kind: 'ok', slope: 0.002, r2: 1 } },
  { name: 'noisy line, R² 0.64 < 0.7', values: [1, 3, 2, 5, 4], level: 6, direction: 'above', horizonMs: 10_000, minSamples: 5, expect: { kind: 'ok', slope: 0.0008, r2: 0.64, etaMs: 1750 } },
  { name: 'too few samples (5 < 10)', values: [1, 3, 2, 5, 4], level: 6, direction: 'above', horizonMs: 10_000, expect: { kind: 'insufficient', count: 5 } },
];
for (const c of forecastCases) {
  test(`forecast, ${c.name}: ${c.expect.kind}`, () => {
    const r = forecast(windowOf(c.values), { level: c.level, direction: c.direction, horizonMs: c.horizonMs, ...(c.minSamples ? { minSamples: c.minSamples } : {}) });

    assert.is(r.kind, c.expect.kind);
    if (r.kind === 'insufficient' || c.expect.kind === 'insufficient') return assert.equal(r, c.expect);
    assert.ok(Math.abs(r.slope - c.expect.slope) < 1e-15, `slope ${r.slope}`);
    assert.ok(Math.abs(r.r2 - c.expect.r2) < 1e-12, `r2 ${r.r2}`);
    assert.is(r.etaMs === undefined, c.expect.etaMs === undefined);
    if (c.expect.etaMs !== undefined) assert.ok(Math.abs(r.etaMs! - c.expect.etaMs) < 1e-9 * c.expect.etaMs, `eta ${r.etaMs}`);
  });
}

test('a perfect line on epoch timestamps still gives R² 1 and the exact eta', () => {
  const w = windowOf([50, 52, 54, 56, 58, 60, 62, 64, 66, 68], { t0: 1_724_000_000_000 });

  const r = forecast(w, { level: 80, direction: 'above', horizonMs: 10_000, minR2: 0.999999 });

  assert.is(r.kind, 'predicted');
  if (r.kind === 'predicted') assert.ok(Math.abs(r.etaMs - 6000) < 1e-6, `eta ${r.etaMs}`);
});

test.run();
