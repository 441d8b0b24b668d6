// Logistic regression with an L2 penalty, fitted by Newton's method: small, dense and exact for
// the ten factors of a risk score. Pure numbers in, coefficients out.

export interface Fitted { intercept: number; weights: number[] }

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function predict(m: Fitted, x: ArrayLike<number>): number {
  let z = m.intercept;
  for (let j = 0; j < m.weights.length; j++) z += m.weights[j]! * (x[j] ?? 0);
  return sigmoid(z);
}

/** Fits P(y=1 | x); `lambda` shrinks the weights (not the intercept) toward 0. */
export function fitLogistic(xs: ReadonlyArray<ArrayLike<number>>, ys: readonly number[], lambda = 1, iterations = 50): Fitted {
  const d = (xs[0]?.length ?? 0) + 1;
  const w = new Array<number>(d).fill(0);
  const rate = ys.reduce((a, b) => a + b, 0) / Math.max(1, ys.length);
  w[0] = Math.log(Math.min(0.999, Math.max(0.001, rate)) / (1 - Math.min(0.999, Math.max(0.001, rate))));
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(d).fill(0);
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    const row = new Float64Array(d);
    row[0] = 1;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      for (let j = 1; j < d; j++) row[j] = x[j - 1] ?? 0;
      let z = 0;
      for (let j = 0; j < d; j++) z += w[j]! * row[j]!;
      const p = sigmoid(z);
      const r = p - ys[i]!;
      const v = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < d; j++) {
        g[j]! += r * row[j]!;
        for (let k = j; k < d; k++) h[j]![k]! += v * row[j]! * row[k]!;
      }
    }
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) h[j]![k] = h[k]![j]!;
    for (let j = 1; j < d; j++) { g[j]! += lambda * w[j]!; h[j]![j]! += lambda; }
    h[0]![0]! += 1e-9;
    const step = solve(h, g);
    let moved = 0;
    for (let j = 0; j < d; j++) { w[j]! -= step[j]!; moved = Math.max(moved, Math.abs(step[j]!)); }
    if (moved < 1e-8) break;
  }
  return { intercept: w[0]!, weights: w.slice(1) };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const p = m[c]![c]!;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / p;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

/** The mean squared difference between the predicted probabilities and what happened (0 or 1). */
export function brier(predicted: readonly number[], ys: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < ys.length; i++) sum += (predicted[i]! - ys[i]!) ** 2;
  return ys.length === 0 ? 0 : sum / ys.length;
}
