// The failure risk of a run about to start: the factors from the store's history, the change and
// the hour, their weighted score, and the probability when the project's history calibrates it.
import type { ChangeSummary, RiskAssessment } from '../store/risk.ts';
import { calibrate, samples, type Calibration } from './calibrate.ts';
import { levelOf, type RiskConfig } from './config.ts';
import { factorsOf, factorValues } from './factors.ts';
import { HistoryIndex, type HistoryRecord } from './history.ts';

/** The newest runs the assessment reads at most: its cost stays bounded whatever the store holds. */
export const historyLimit = 10_000;

export interface RunToAssess {
  workflow: string;
  /** The plan's step ids. */
  steps: readonly string[];
  pluginId?: string;
  change?: ChangeSummary;
  /** ms since the epoch. */
  now: number;
}

export interface Assessed { risk: RiskAssessment; calibration: Calibration }

export function assessRun(records: readonly HistoryRecord[], run: RunToAssess, config: RiskConfig): Assessed {
  const recent = newest(records, historyLimit);
  const index = new HistoryIndex(recent, config.window);
  index.advance(run.now);
  const h = index.figures(run.workflow, run.steps, run.pluginId, run.now);
  const inputs = { history: h, ...(run.change ? { change: run.change } : {}), at: run.now, hours: config.workingHours };
  const factors = factorsOf(inputs, config.weights);
  const { report, probability } = calibrate(samples(recent, config), config);
  const at = new Date(run.now).toISOString();
  const base = { factors, history: h.finished, at, ...(run.change ? { change: run.change } : {}) };
  if (h.finished < config.minHistory) {
    return {
      calibration: report,
      risk: {
        score: null, level: 'unknown', confidence: 'low', ...base,
        reason: `not enough data: ${h.finished} finished run${h.finished === 1 ? '' : 's'} of ${run.workflow}, ${config.minHistory} needed`,
      },
    };
  }
  const { score } = factorValues(inputs, config.weights);
  const p = probability?.(factors);
  const confidence = report.usable && h.finished >= config.window ? 'high' : h.finished >= Math.min(config.window, 2 * config.minHistory) ? 'medium' : 'low';
  return {
    calibration: report,
    risk: { score, ...(p !== undefined ? { probability: p } : {}), level: levelOf(p ?? score, config.thresholds), confidence, ...base },
  };
}

function newest(records: readonly HistoryRecord[], limit: number): readonly HistoryRecord[] {
  if (records.length <= limit) return records;
  return [...records].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).slice(0, limit);
}
