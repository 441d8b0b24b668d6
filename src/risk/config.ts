// The project's `risk:` section with its defaults filled in: the weights, the thresholds, how much
// history the factors read and what counts as working hours.
import type { ProjectDoc } from '../documents/schema/project.ts';
import { factorNames, type FactorName, type RiskLevel } from '../store/risk.ts';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface RiskConfig {
  weights: Record<FactorName, number>;
  thresholds: { medium: number; high: number };
  /** Recent finished runs each history factor reads. */
  window: number;
  /** Finished runs of a workflow needed for a score. */
  minHistory: number;
  calibration: { minRuns: number; minFailures: number };
  workingHours: { start: number; end: number; days: Weekday[]; timeZone: string };
}

export const defaultWeights: Record<FactorName, number> = {
  workflowFailures: 3, stepFailures: 3, pluginFailures: 2, changeSize: 2, sensitiveFiles: 2,
  flakySteps: 1, sinceLastSuccess: 1, untestedChange: 1, complexity: 1, offHours: 0.5,
};

export function riskConfig(doc: ProjectDoc['risk'] = {}): RiskConfig {
  const weights = { ...defaultWeights };
  for (const name of factorNames) {
    const w = doc.weights?.[name];
    if (typeof w === 'number') weights[name] = w;
  }
  const medium = doc.thresholds?.medium ?? 0.3;
  const high = doc.thresholds?.high ?? Math.max(0.6, medium);
  return {
    weights,
    thresholds: { medium: Math.min(medium, high), high },
    window: doc.window ?? 20,
    minHistory: doc.minHistory ?? 5,
    calibration: { minRuns: doc.calibration?.minRuns ?? 50, minFailures: doc.calibration?.minFailures ?? 5 },
    workingHours: {
      start: doc.workingHours?.start ?? 9, end: doc.workingHours?.end ?? 18,
      days: doc.workingHours?.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'], timeZone: doc.workingHours?.timeZone ?? 'UTC',
    },
  };
}

/** The level of a score or probability. */
export function levelOf(value: number, t: RiskConfig['thresholds']): RiskLevel {
  return value >= t.high ? 'high' : value >= t.medium ? 'medium' : 'low';
}

const rank: Record<RiskLevel | 'unknown', number> = { unknown: -1, low: 0, medium: 1, high: 2 };

/** Whether `level` is at least `floor`. */
export const atLeast = (level: RiskLevel | 'unknown', floor: RiskLevel): boolean => rank[level] >= rank[floor];
