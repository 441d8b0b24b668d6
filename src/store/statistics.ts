// Pure figures over executions: totals, success rate, average and 95th-percentile duration and
// the status distribution, overall, per workflow and per UTC day of a window, and, with a window,
// the failure risk assessed before the runs beside how they ended. `stats` in the stores and
// GET /api/statistics answer these.
import { isFinished } from './fold.ts';
import type { RiskAssessment } from './risk.ts';
import type { DayFigures, ExecutionRecord, ExecutionStatus, Figures, RiskFigures, Stats, StatsQuery } from './types.ts';

/** What the figures read of a run's risk: a record's `risk` fits, and a store may keep only these fields. */
export type RiskInput = Pick<RiskAssessment, 'score' | 'probability' | 'level'>;

/** What the figures read of an execution. */
export type StatsInput = Pick<ExecutionRecord, 'workflow' | 'status' | 'createdAt' | 'durationMs'> & { risk?: RiskInput };

/** The part of `risk` the figures read, for a store that keeps a little of each execution. */
export const riskInput = (risk: RiskInput | undefined): RiskInput | undefined =>
  risk && { score: risk.score, level: risk.level, ...(typeof risk.probability === 'number' ? { probability: risk.probability } : {}) };

const dayMs = 86_400_000;

/** The nearest-rank percentile (`q` from 0 to 1) of `values`; 0 when there are none. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/** successRate = success / finished (0 when none finished); durations over finished executions that have one. */
export function summarize(records: readonly StatsInput[]): Figures {
  const byStatus: Partial<Record<ExecutionStatus, number>> = {};
  let finished = 0;
  let successes = 0;
  const durations: number[] = [];
  for (const r of records) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    if (!isFinished(r.status)) continue;
    finished++;
    if (r.status === 'success') successes++;
    if (r.durationMs !== undefined) durations.push(r.durationMs);
  }
  return {
    total: records.length,
    finished,
    successRate: finished === 0 ? 0 : successes / finished,
    averageDurationMs: durations.length === 0 ? 0 : durations.reduce((a, b) => a + b, 0) / durations.length,
    p95DurationMs: percentile(durations, 0.95),
    byStatus,
  };
}

/** The endings the observed failure rate counts: the run itself went wrong (not cancelled, not interrupted). */
const failures: ReadonlySet<ExecutionStatus> = new Set(['failed', 'timed_out']);

/** Risk figures over the executions with a numeric `risk.score`; a null score is left out. */
export function riskFigures(records: readonly StatsInput[]): RiskFigures {
  let assessed = 0, scores = 0, probable = 0, probabilities = 0, high = 0, finished = 0, failed = 0;
  for (const { risk, status } of records) {
    if (typeof risk?.score !== 'number') continue;
    assessed++;
    scores += risk.score;
    if (typeof risk.probability === 'number') { probable++; probabilities += risk.probability; }
    if (risk.level === 'high') high++;
    if (!isFinished(status)) continue;
    finished++;
    if (failures.has(status)) failed++;
  }
  return {
    assessed,
    meanScore: assessed === 0 ? null : scores / assessed,
    ...(probable > 0 ? { meanProbability: probabilities / probable } : {}),
    high, finished, failed,
    failureRate: finished === 0 ? null : failed / finished,
  };
}

/** Midnight UTC of the day `at` falls in. */
export const utcDay = (at: number): number => Math.floor(at / dayMs) * dayMs;

/** The window of `days` whole UTC days ending with the day of `now`: [from, to). */
export function windowOf(days: number, now: number): { from: number; to: number } {
  const to = utcDay(now) + dayMs;
  return { from: to - days * dayMs, to };
}

/** One entry per UTC day of the window, oldest first, each with the figures of the executions created that day. */
export function dailySeries(records: readonly StatsInput[], days: number, now: number): DayFigures[] {
  return bucketed(records, days, now).daily;
}

/** The executions created within the window of `days` and their figures per day, parsing each time once. */
function bucketed(records: readonly StatsInput[], days: number, now: number): { inWindow: StatsInput[]; daily: DayFigures[] } {
  const { from } = windowOf(days, now);
  const buckets: StatsInput[][] = Array.from({ length: days }, () => []);
  const inWindow: StatsInput[] = [];
  for (const r of records) {
    const i = Math.floor((Date.parse(r.createdAt) - from) / dayMs);
    if (i >= 0 && i < days) { buckets[i]!.push(r); inWindow.push(r); }
  }
  return { inWindow, daily: buckets.map((rs, i) => ({ day: new Date(from + i * dayMs).toISOString().slice(0, 10), ...summarize(rs), risk: riskFigures(rs) })) };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The figures of the executions `query` selects: of one workflow (`workflow`) and created within
 * the last `days` UTC days (with one entry per day in `daily`, and the window's `risk`);
 * `workflows` names every workflow with executions, whatever the query, so a client can offer
 * them as a filter.
 */
export function computeStats(records: readonly StatsInput[], query: StatsQuery = {}, now = Date.now()): Stats {
  const workflows = [...new Set(records.map((r) => r.workflow))].sort();
  let selected = query.workflow === undefined ? records : records.filter((r) => r.workflow === query.workflow);
  let series: Pick<Stats, 'window' | 'daily' | 'risk'> | undefined;
  if (query.days !== undefined) {
    const { from, to } = windowOf(query.days, now);
    const { inWindow, daily } = bucketed(selected, query.days, now);
    selected = inWindow;
    series = { window: { days: query.days, from: new Date(from).toISOString(), to: new Date(to).toISOString() }, daily, risk: riskFigures(inWindow) };
  }
  const perWorkflow = Object.fromEntries([...groupBy(selected, (r) => r.workflow)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, rs]) => [name, summarize(rs)]));
  return { ...summarize(selected), perWorkflow, workflows, ...series };
}
