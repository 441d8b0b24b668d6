// The `risk` expression context a run sees: `${{ risk.level }}`, `risk.score`, `risk.probability`,
// `risk.confidence` and `risk.summary` (the heaviest factors in words).
import type { RiskAssessment } from '../store/risk.ts';

export interface RiskContext {
  level: RiskAssessment['level'];
  /** '' when there is no score. */
  score: number | '';
  probability: number | '';
  confidence: RiskAssessment['confidence'] | '';
  summary: string;
}

export function riskContext(risk: RiskAssessment | undefined): RiskContext {
  if (!risk) return { level: 'unknown', score: '', probability: '', confidence: '', summary: 'not assessed' };
  return {
    level: risk.level, score: risk.score ?? '', probability: risk.probability ?? '', confidence: risk.confidence,
    summary: risk.score === null ? risk.reason ?? 'not enough data' : topFactors(risk).join('; ') || 'no factor stands out',
  };
}

/** The factors that weigh most in the score, in words. */
export function topFactors(risk: RiskAssessment, n = 3): string[] {
  return [...risk.factors]
    .filter((f) => f.value > 0)
    .sort((a, b) => b.value * b.weight - a.value * a.weight)
    .slice(0, n)
    .map((f) => f.detail);
}
