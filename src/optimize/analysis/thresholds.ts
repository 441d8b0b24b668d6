// Static levels held for a while: a metric at or beyond a level (levels.ts, `direction` above or
// below) for all of `for` (default 10m) → the rule's runbook, with `value` as the value it sets.
//
// Judged on the raw samples in [now − for, now]: every one of them must be at or beyond a level,
// and they must cover the span: the first within one sampling interval of now − for and the last
// within one of now (the interval is the mean gap between those samples; fewer than two samples
// cover nothing). The level reported is the worst one every sample reached; its severity comes
// from severity.ts (warning medium, danger high, critical critical).
//
// Confidence: the common formula (confidence.ts) over the `for` span with a minimum of 3 samples,
// so a level held through the whole span with 12 samples or more is certain.
// Expected effect: the metric back past the first level given, by |median − level| / |median|
// of the samples (the plain distance when the median is 0), down for `above`, up for `below`.
// One answer per rule, in the order of the settings.
import { insufficientData, missingMetric, withinTarget } from './answers.ts';
import { confidence, spanOf } from './confidence.ts';
import { evidenceOf } from './evidence.ts';
import { formatDuration, formatValue } from './format.ts';
import { severityOfLevel } from './severity.ts';
import { median } from './stats.ts';
import type { Analysis, Finding, MetricView, Sample, Scope } from './types.ts';
import type { ThresholdSettings } from '../../documents/schema/optimization.ts';
import { durationMs } from '../../documents/duration.ts';
import { levelOf, type Level } from '../../monitor/math/levels.ts';

export interface ThresholdsInput extends Scope {
  /** The views by metric name (undefined: the metric had no data). */
  views: Readonly<Record<string, MetricView | undefined>>;
}

export const defaultForMs = 600_000;

const rank: Record<Level, number> = { ok: 0, warning: 1, danger: 2, critical: 3 };
const levels: readonly Level[] = ['ok', 'warning', 'danger', 'critical'];
const levelKo: Record<Level, string> = { ok: '정상', warning: '경고', danger: '위험', critical: '심각' };

/** Whether `samples` (in [from, now], oldest first) cover the span to within one mean sampling interval at each end. */
export function covers(samples: readonly Sample[], from: number, now: number): boolean {
  const n = samples.length;
  if (n < 2) return false;
  const first = samples[0]!.t, last = samples[n - 1]!.t;
  const gap = (last - first) / (n - 1);
  return first - from <= gap && now - last <= gap;
}

function analyzeRule(input: ThresholdsInput, rule: ThresholdSettings, now: number): Analysis {
  const view = input.views[rule.metric];
  if (!view) return missingMetric('thresholds', 'metric', rule.metric);
  const forMs = (rule.for === undefined ? undefined : durationMs(rule.for)) ?? defaultForMs;
  const direction = rule.direction ?? 'above';
  const from = now - forMs;
  const samples = view.since(from).filter((x) => x.t <= now);
  const n = samples.length;
  const first = samples[0], last = samples[n - 1];
  if (!first || !last || !covers(samples, from, now)) {
    const span = formatDuration(first && last ? last.t - first.t : 0);
    return insufficientData('thresholds', `${view.name}: ${n} sample${n === 1 ? '' : 's'} over ${span}; needs samples covering the last ${formatDuration(forMs)}`);
  }

  let held = rank.critical;
  for (const x of samples) held = Math.min(held, rank[levelOf(x.v, rule.levels, direction)]);
  const level = levels[held]!;
  const show = (x: number): string => formatValue(x, view.unit);
  const mid = median(samples.map((x) => x.v));
  if (level === 'ok') return { ...withinTarget('thresholds', `${view.name} was not beyond a level for all of the last ${formatDuration(forMs)} (now ${show(last.v)})`), metric: view.name };

  const bound = rule.levels[level]!;
  const firstLevel = rule.levels.warning ?? rule.levels.danger ?? rule.levels.critical ?? bound;
  const beyond = direction === 'above' ? 'at or above' : 'at or below';
  const beyondKo = direction === 'above' ? '이상이었습니다' : '이하였습니다';
  const span = { count: n, firstAt: first.t, lastAt: last.t };
  const finding: Finding = {
    analyzer: 'thresholds',
    type: `threshold_${view.name}`,
    description: {
      en: `${view.name} has been ${beyond} the ${level} level ${show(bound)} for ${formatDuration(forMs)} (now ${show(last.v)}, median ${show(mid)}).`,
      ko: `${view.name} 값이 ${formatDuration(forMs)} 동안 ${levelKo[level]} 수준 ${show(bound)} ${beyondKo}(현재 ${show(last.v)}, 중앙값 ${show(mid)}).`,
    },
    evidence: evidenceOf(view, input.windowMs, { level: bound, heldMs: spanOf(span), median: mid, forMs }),
    expected: {
      metric: view.name,
      direction: direction === 'above' ? 'down' : 'up',
      size: mid === 0 ? Math.abs(firstLevel - mid) : Math.abs(mid - firstLevel) / Math.abs(mid),
    },
    severity: severityOfLevel(level),
    confidence: confidence(span, { minSamples: 3, minSpanMs: forMs }, forMs),
  };
  if (rule.value !== undefined) finding.value = rule.value;
  return finding;
}

/** One answer per threshold rule, in order. */
export function analyzeThresholds(input: ThresholdsInput, rules: readonly ThresholdSettings[], now: number): Analysis[] {
  return rules.map((rule) => analyzeRule(input, rule, now));
}
