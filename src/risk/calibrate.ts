// Calibration on the project's own history: every past run is scored as it would have been
// before it started (history as of its creation, its recorded change, its hour), a logistic
// regression is fitted on the older 70% and judged on the newer 30% against the base rate — the
// Brier score and buckets of predicted against observed — then refitted on all of them. The
// probability is offered only when it beats the base rate on runs it was not fitted on.
import { factorNames, type FactorName, type RiskFactor } from '../store/risk.ts';
import type { RiskConfig } from './config.ts';
import { factorValues, round } from './factors.ts';
import { HistoryIndex, outcomeOf, type HistoryRecord } from './history.ts';
import { brier, fitLogistic, predict, type Fitted } from './logistic.ts';

/** A past run as the score saw it before it started — its factor values in `factorNames` order — and how it ended (1: failed). */
export interface Sample { id: string; workflow: string; at: number; values: Float64Array; score: number; failed: 0 | 1 }

export interface Bucket { from: number; to: number; runs: number; meanPredicted: number; observed: number }

export interface Calibration {
  /** Whether the probability is used: enough data, and better than the base rate on held-out runs. */
  usable: boolean;
  /** Why it is not. */
  reason?: string;
  /** Scored past runs, and the failures among them. */
  runs: number;
  failures: number;
  baseRate: number;
  /** Judged on the newest 30% after fitting on the older 70%. */
  heldOut?: {
    runs: number; failures: number;
    brier: { model: number; baseRate: number; score: number };
    buckets: Bucket[];
  };
  /** The model fitted on every scored run: log-odds per unit of each factor. */
  coefficients?: { intercept: number } & Partial<Record<FactorName, number>>;
}

export interface Calibrated { report: Calibration; probability?: (factors: readonly RiskFactor[]) => number }

/** Every past finished workflow run that had enough history to be scored, oldest first. */
export function samples(records: readonly HistoryRecord[], config: RiskConfig): Sample[] {
  const index = new HistoryIndex(records, config.window);
  const runs = records
    .filter((r) => r.kind !== 'ActionPlan' && outcomeOf(r.status) !== undefined)
    .map((r) => ({ r, at: Date.parse(r.createdAt) }))
    .sort((a, b) => a.at - b.at);
  const out: Sample[] = [];
  for (const { r, at } of runs) {
    index.advance(at);
    const h = index.figures(r.workflow, Object.keys(r.steps), r.pluginId, at);
    if (h.finished < config.minHistory) continue;
    const { values, score } = factorValues({ history: h, ...(r.risk?.change ? { change: r.risk.change } : {}), at, hours: config.workingHours }, config.weights);
    out.push({ id: r.id, workflow: r.workflow, at, values, score, failed: outcomeOf(r.status) === 'failure' ? 1 : 0 });
  }
  return out;
}

/** The factors of an assessment as the model reads them. */
const vector = (factors: readonly RiskFactor[]): Float64Array => {
  const byName = new Map(factors.map((f) => [f.name, f.value]));
  return Float64Array.from(factorNames, (n) => byName.get(n) ?? 0);
};

export function calibrate(all: readonly Sample[], config: RiskConfig): Calibrated {
  const failures = all.filter((s) => s.failed).length;
  const report: Calibration = { usable: false, runs: all.length, failures, baseRate: round(all.length ? failures / all.length : 0, 4) };
  const { minRuns, minFailures } = config.calibration;
  const successes = all.length - failures;
  if (all.length < minRuns || failures < minFailures || successes < minFailures) {
    report.reason = `not enough data: ${all.length} scored run${all.length === 1 ? '' : 's'} (${failures} failed, ${successes} succeeded); the calibration needs ${minRuns} with at least ${minFailures} of each`;
    return { report };
  }
  const cut = Math.floor(all.length * 0.7);
  const train = all.slice(0, cut), test = all.slice(cut);
  const trainRate = train.filter((s) => s.failed).length / train.length;
  const model = fitLogistic(train.map((s) => s.values), train.map((s) => s.failed));
  const ys = test.map((s) => s.failed);
  const predicted = test.map((s) => predict(model, s.values));
  const b = {
    model: round(brier(predicted, ys), 4),
    baseRate: round(brier(test.map(() => trainRate), ys), 4),
    score: round(brier(test.map((s) => s.score), ys), 4),
  };
  report.heldOut = { runs: test.length, failures: ys.filter(Boolean).length, brier: b, buckets: buckets(predicted, ys) };
  const final = fitLogistic(all.map((s) => s.values), all.map((s) => s.failed));
  report.coefficients = coefficients(final);
  if (b.model >= b.baseRate) {
    report.reason = `the calibrated model (Brier ${b.model}) is no better than the base rate (${b.baseRate}) on the newest ${test.length} runs`;
    return { report };
  }
  report.usable = true;
  return { report, probability: (factors) => round(predict(final, vector(factors))) };
}

function coefficients(m: Fitted): Calibration['coefficients'] {
  return { intercept: round(m.intercept), ...Object.fromEntries(factorNames.map((n, i) => [n, round(m.weights[i]!)])) };
}

/** Ten buckets of predicted probability, with the runs in each and the failure rate observed. */
function buckets(predicted: readonly number[], ys: readonly number[]): Bucket[] {
  const out: Bucket[] = [];
  for (let b = 0; b < 10; b++) {
    const from = b / 10, to = (b + 1) / 10;
    const inside = predicted.flatMap((p, i) => (p >= from && (p < to || (b === 9 && p <= 1)) ? [i] : []));
    if (inside.length === 0) continue;
    out.push({
      from, to, runs: inside.length,
      meanPredicted: round(inside.reduce((a, i) => a + predicted[i]!, 0) / inside.length),
      observed: round(inside.reduce((a, i) => a + ys[i]!, 0) / inside.length),
    });
  }
  return out;
}
