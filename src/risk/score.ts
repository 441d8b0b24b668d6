// The transparent score: the weighted mean of the factors present, from 0 to 1.
import type { RiskFactor } from '../store/risk.ts';
import { round } from './factors.ts';

export function weightedScore(factors: readonly RiskFactor[]): number {
  let sum = 0, total = 0;
  for (const f of factors) { sum += f.value * f.weight; total += f.weight; }
  return total === 0 ? 0 : round(sum / total);
}
