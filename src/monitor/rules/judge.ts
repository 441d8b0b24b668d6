// Judging one alert's newest value: static levels, anomaly against its own baseline, trend toward
// a level. The baselines are rolling windows kept per alert (rule and label set) and updated in
// O(1) per sample (O(log n) for the median variant), so an evaluation never rescans its window.
//
// - Levels: the worst level the value reaches, in the rule's direction; its name is the severity.
// - Anomaly: the value is scored against the window BEFORE it joins it, so an outlier does not
//   widen the spread it is judged by. Too few samples, or a near-constant series that the value
//   does not leave, is not an anomaly. Deviations count both ways unless the rule gives a
//   `direction` (then only toward worse: a sudden improvement is no alert).
// - Trend: the value joins the window, then a least-squares line is fitted; a crossing of the
//   level predicted within the horizon, with R² at least the minimum, fires.
// - Anomaly and trend fire at the rule's `severity`. When several fire, the most severe wins and
//   its reason is the alert's message.
// - A non-finite value (NaN from 0/0, ±Inf) is an error verdict: it says nothing about health and
//   never enters a window.
import type { Severity } from '../../documents/schema/alerting.ts';
import { severities } from '../../documents/schema/alerting.ts';
import { levelOf } from '../math/levels.ts';
import { MedianWindow, madScore } from '../math/mad.ts';
import { RollingWindow } from '../math/rolling.ts';
import { forecast } from '../math/trend.ts';
import { zscore } from '../math/zscore.ts';
import type { CompiledRule } from './compile.ts';

export type Reason =
  | { kind: 'unhealthy'; check: string; detail: string }
  | { kind: 'level'; level: 'warning' | 'danger' | 'critical'; threshold: number; value: number }
  | { kind: 'anomaly'; value: number; z: number; center: number }
  | { kind: 'trend'; value: number; threshold: number; etaMs: number; r2: number };

export type Verdict =
  | { condition: 'firing'; severity: Severity; reason: Reason; value?: number }
  | { condition: 'ok'; value?: number }
  | { condition: 'nodata' }
  | { condition: 'error'; message: string };

/** The baselines of one alert. Plain samples go to the store; the windows are rebuilt from them. */
export class Baseline {
  readonly zs?: RollingWindow;
  readonly median?: MedianWindow;
  readonly line?: RollingWindow;
  lastT = Number.NEGATIVE_INFINITY;
  constructor(rule: CompiledRule) {
    if (rule.anomaly?.method === 'zscore') this.zs = new RollingWindow(rule.anomaly.window);
    if (rule.anomaly?.method === 'mad') this.median = new MedianWindow(rule.anomaly.window);
    // One window serves both when they are the same size (it keeps the moments and the line).
    if (rule.trend) this.line = this.zs && this.zs.capacity === rule.trend.window ? this.zs : new RollingWindow(rule.trend.window);
  }
  push(t: number, v: number): void {
    this.zs?.push(t, v);
    this.median?.push(t, v);
    if (this.line !== this.zs) this.line?.push(t, v);
    this.lastT = t;
  }
  /** The newest samples, oldest first, as many as the largest window holds. */
  samples(): Array<[number, number]> {
    const w = this.line ?? this.zs ?? this.median?.window;
    if (!w) return [];
    const out: Array<[number, number]> = [];
    for (let i = 0; i < w.count; i++) out.push([w.timeAt(i), w.valueAt(i)]);
    return out;
  }
}

const rank = (s: Severity): number => severities.indexOf(s);

/** Judges the sample (t ms, v) and adds it to the baseline. A sample not newer than the last one is ignored (undefined). */
export function judge(rule: CompiledRule, base: Baseline, t: number, v: number): Verdict | undefined {
  if (!Number.isFinite(v)) return { condition: 'error', message: `the value is ${v}, not a finite number` };
  if (!(t > base.lastT)) return undefined;
  const fired: Array<{ severity: Severity; reason: Reason }> = [];
  if (rule.levels) {
    const level = levelOf(v, rule.levels, rule.direction);
    if (level !== 'ok') fired.push({ severity: level, reason: { kind: 'level', level, threshold: rule.levels[level]!, value: v } });
  }
  const a = rule.anomaly;
  if (a) {
    const o = { threshold: a.threshold, minSamples: a.minSamples, ...(a.minStd !== undefined ? { minStd: a.minStd } : {}) };
    if (base.zs) {
      const r = zscore(base.zs, v, o);
      if (r.kind === 'anomaly' && beyond(r.z, rule)) fired.push({ severity: rule.severity, reason: { kind: 'anomaly', value: v, z: r.z, center: r.mean } });
    } else if (base.median) {
      const r = madScore(base.median, v, o);
      if (r.kind === 'anomaly' && beyond(r.z, rule)) fired.push({ severity: rule.severity, reason: { kind: 'anomaly', value: v, z: r.z, center: r.median } });
    }
  }
  base.push(t, v);
  const tr = rule.trend;
  if (tr && base.line) {
    const f = forecast(base.line, { level: tr.level, direction: rule.direction, horizonMs: tr.horizonMs, minR2: tr.minR2, minSamples: tr.minSamples });
    if (f.kind === 'predicted') fired.push({ severity: rule.severity, reason: { kind: 'trend', value: v, threshold: tr.level, etaMs: f.etaMs, r2: f.r2 } });
  }
  if (fired.length === 0) return { condition: 'ok', value: v };
  const worst = fired.reduce((a, b) => (rank(b.severity) > rank(a.severity) ? b : a));
  return { condition: 'firing', severity: worst.severity, reason: worst.reason, value: v };
}

/** Deviations count both ways, or only toward worse when the rule gives a direction. */
const beyond = (z: number, rule: CompiledRule): boolean => {
  const sides = rule.anomaly?.sides ?? 'both';
  return sides === 'both' || (sides === 'above' ? z > 0 : z < 0);
};
