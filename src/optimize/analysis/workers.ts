// The worker count from the latency p90 (decaying) against `target`, and the utilisation p90 (a
// share of busy time, 0–1) when the document names one. The count is assumed to scale the
// capacity linearly, so latency over target by a factor f needs f times the workers.
//
// With n the current count (the `current` metric's newest value, rounded), m the margin
// (default 0.15) and ⌈·⌉ rounding up:
//   up   when p90 > target:  s = ⌈n × p90 / target × (1 + m)⌉, and when utilisation p90 > 0.85
//        at least ⌈n × util / 0.7⌉ (back to 70% busy);
//   down when p90 < target / 2 and (no utilisation or utilisation p90 < 0.4):
//        s = max(min, ⌈n × max(p90 / target, util / 0.7) × (1 + m)⌉), only when s < n;
//   then s is clamped to [min, max] (defaults 1, 64); s = n is no change.
//
// Expected effect, what the verifier checks after the change:
//   up   → latency down by the share 1 − n / s (the load spread over s workers instead of n);
//   down → a saving held (`hold`): the utilisation (or, without one, the latency) may rise by up to
//          n / s − 1, fewer workers carrying the same load; the verifier checks it rose no further.
// Severity: up from how far the p90 is over target (severity.ts); down is always low.
import { dataGate, missingMetric, withinTarget } from './answers.ts';
import { confidence } from './confidence.ts';
import { evidenceOf } from './evidence.ts';
import { formatPercent, formatValue } from './format.ts';
import { josa } from './korean.ts';
import { severityOfChange } from './severity.ts';
import type { Analysis, MetricView, Scope } from './types.ts';
import type { WorkersSettings } from '../../documents/schema/optimization.ts';

export interface WorkersInput extends Scope {
  latency?: MetricView;
  utilization?: MetricView;
  current?: MetricView;
}

export const busyHigh = 0.85;
export const busyLow = 0.4;
export const busyTarget = 0.7;

/** ⌈x⌉ that ignores rounding noise just above an integer (4.000000001 → 4). */
const ceil = (x: number): number => Math.ceil(x - 1e-9);

/** The suggested count (before the no-change check); `util` is the utilisation p90 when known. */
export function suggestWorkers(current: number, p90: number, target: number, util: number | undefined, s: Pick<WorkersSettings, 'margin' | 'min' | 'max'>): number {
  const margin = s.margin ?? 0.15, min = s.min ?? 1, max = Math.max(min, s.max ?? 64);
  let next = current;
  if (p90 > target) {
    next = ceil(current * (p90 / target) * (1 + margin));
    if (util !== undefined && util > busyHigh) next = Math.max(next, ceil((current * util) / busyTarget));
  } else if (p90 < target / 2 && (util === undefined || util < busyLow)) {
    const down = Math.max(min, ceil(current * Math.max(p90 / target, (util ?? 0) / busyTarget) * (1 + margin)));
    if (down < current) next = down;
  }
  return Math.min(max, Math.max(min, next));
}

export function analyzeWorkers(input: WorkersInput, s: WorkersSettings, _now: number): Analysis {
  const { latency, utilization, current } = input;
  if (!latency) return missingMetric('workers', 'latency', s.latency);
  if (!current) return missingMetric('workers', 'current', s.current);
  if (s.utilization !== undefined && !utilization) return missingMetric('workers', 'utilization', s.utilization);
  const short = dataGate('workers', latency, input.rule);
  if (short) return short;
  const n = Math.round(current.last);
  if (!(n >= 1)) return { analyzer: 'workers', reason: 'missing-metric', message: `metric ${s.current} (current) has no usable worker count: last value ${current.last}` };

  const p90 = latency.quantile(0.9);
  const util = utilization && utilization.count > 0 ? utilization.quantile(0.9) : undefined;
  const next = suggestWorkers(n, p90, s.target, util, s);
  const v = (x: number): string => formatValue(x, latency.unit);
  if (next === n) {
    const bound = p90 > s.target ? ` but ${n} workers is already the ceiling` : '';
    return withinTarget('workers', `latency p90 ${v(p90)} against the target ${v(s.target)}${bound}: keep ${n} workers`);
  }

  const up = next > n;
  const utilEn = util === undefined ? '' : ` and utilisation p90 is ${formatPercent(util)}`;
  const description = up
    ? {
        en: `Latency p90 ${v(p90)} is over the target ${v(s.target)}${utilEn}. Raise workers from ${n} to ${next}.`,
        ko: `지연 p90 ${josa(v(p90), '이')} 목표 ${josa(v(s.target), '을')} 넘습니다${util === undefined ? '' : `(사용률 p90 ${formatPercent(util)})`}. 워커를 ${n}개에서 ${next}개로 늘리세요.`,
      }
    : {
        en: `Latency p90 ${v(p90)} is under half the target ${v(s.target)}${utilEn}. Lower workers from ${n} to ${next}.`,
        ko: `지연 p90 ${josa(v(p90), '이')} 목표 ${v(s.target)}의 절반보다 낮${util === undefined ? '습니다' : `고 사용률 p90도 ${formatPercent(util)}입니다`}. 워커를 ${n}개에서 ${next}개로 줄이세요.`,
      };
  const figures: Record<string, number> = { target: s.target, latencyP90: p90, current: n, suggested: next, margin: s.margin ?? 0.15 };
  if (util !== undefined) figures.utilizationP90 = util;
  return {
    analyzer: 'workers',
    type: 'scale_workers',
    value: next,
    previous: n,
    unit: 'workers',
    description,
    evidence: evidenceOf(latency, input.windowMs, figures),
    expected: up
      ? { metric: latency.name, direction: 'down', size: 1 - n / next }
      : { metric: utilization?.name ?? latency.name, direction: 'up', size: n / next - 1, hold: true },
    severity: up ? severityOfChange(p90 / s.target - 1) : 'low',
    confidence: confidence(latency, input.rule, input.windowMs),
  };
}
