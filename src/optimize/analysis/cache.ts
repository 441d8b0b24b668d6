// Cache size or TTL from a hit ratio (a share, 0–1) under `target` (default 0.8).
//
// hit = the hit ratio's decaying median (recent samples weigh most). Under target:
//   factor = min(4, target / max(hit, 0.01))   (4: no more than quadrupling in one step)
//   with the current size or TTL known (the `current` metric's newest value, > 0):
//     suggested = ⌈min(current × factor, max)⌉, suggested only when above the current one;
//   without it the value is the factor itself (unit `×`), and the words say the current one is
//   unknown. A bigger cache or a longer TTL is assumed to raise the hit ratio in proportion.
// Expected effect: with a latency metric, latency down by the share of misses removed,
// 1 − (1 − target) / (1 − hit) (an upper estimate: it assumes misses make the latency); without
// one, the hit ratio up by target / hit − 1. Severity from (target − hit) / target.
import { dataGate, missingMetric, withinTarget } from './answers.ts';
import { confidence } from './confidence.ts';
import { evidenceOf } from './evidence.ts';
import { formatNumber, formatPercent, formatValue } from './format.ts';
import { josa } from './korean.ts';
import { severityOfChange } from './severity.ts';
import type { Analysis, Finding, MetricView, Scope } from './types.ts';
import type { CacheSettings } from '../../documents/schema/optimization.ts';

export interface CacheInput extends Scope {
  hitRatio?: MetricView;
  latency?: MetricView;
  current?: MetricView;
}

export const maxFactor = 4;
const minHit = 0.01;

/** How many times bigger the cache (or longer the TTL) should be. */
export function cacheFactor(hit: number, target: number): number {
  return Math.min(maxFactor, target / Math.max(hit, minHit));
}

export function analyzeCache(input: CacheInput, s: CacheSettings, _now: number): Analysis {
  const { hitRatio, latency } = input;
  if (!hitRatio) return missingMetric('cache', 'hitRatio', s.hitRatio);
  if (s.current !== undefined && !input.current) return missingMetric('cache', 'current', s.current);
  const short = dataGate('cache', hitRatio, input.rule);
  if (short) return short;

  const target = s.target ?? 0.8, adjust = s.adjust ?? 'size';
  const hit = hitRatio.quantile(0.5);
  if (hit >= target) return withinTarget('cache', `hit ratio p50 ${formatPercent(hit)} meets the target ${formatPercent(target)}`);
  const factor = cacheFactor(hit, target);
  const last = input.current?.last;
  const current = last !== undefined && Number.isFinite(last) && last > 0 ? last : undefined;
  const what = adjust === 'size' ? { en: 'cache size', ko: '캐시 크기' } : { en: 'cache TTL', ko: '캐시 TTL' };
  const show = (x: number): string => formatValue(x, input.current?.unit);
  const lead = {
    en: `Cache hit ratio p50 is ${formatPercent(hit)}, under the target ${formatPercent(target)}.`,
    ko: `캐시 적중률 p50은 ${josa(formatPercent(hit), '으로')} 목표 ${formatPercent(target)}보다 낮습니다.`,
  };

  let value: number, unit: string | undefined, act: { en: string; ko: string };
  if (current !== undefined) {
    value = Math.ceil(Math.min(current * factor, s.max ?? Infinity) - 1e-9);
    if (value <= current) return withinTarget('cache', `hit ratio p50 ${formatPercent(hit)} is under the target ${formatPercent(target)}, but the ${what.en} ${show(current)} is already at the ceiling ${show(s.max ?? current)}`);
    unit = input.current?.unit;
    act = { en: `Raise the ${what.en} from ${show(current)} to ${show(value)}.`, ko: `${josa(what.ko, '을')} ${show(current)}에서 ${josa(show(value), '으로')} 늘리세요.` };
  } else {
    value = Math.round(factor * 100) / 100;
    unit = '×';
    act = {
      en: `Raise the ${what.en} ${formatNumber(value)}× (the current ${what.en} is unknown).`,
      ko: `${josa(what.ko, '을')} ${formatNumber(value)}배로 늘리세요(현재 값은 알 수 없습니다).`,
    };
  }

  const figures: Record<string, number> = { hitRatioP50: hit, target, factor };
  if (current !== undefined) figures.current = current;
  const finding: Finding = {
    analyzer: 'cache',
    type: adjust === 'size' ? 'cache_size' : 'cache_ttl',
    value,
    description: { en: `${lead.en} ${act.en}`, ko: `${lead.ko} ${act.ko}` },
    evidence: evidenceOf(hitRatio, input.windowMs, figures),
    expected: latency
      ? { metric: latency.name, direction: 'down', size: 1 - (1 - target) / (1 - hit) }
      : { metric: hitRatio.name, direction: 'up', size: target / Math.max(hit, minHit) - 1 },
    severity: severityOfChange((target - hit) / target),
    confidence: confidence(hitRatio, input.rule, input.windowMs),
  };
  if (unit !== undefined) finding.unit = unit;
  if (current !== undefined) finding.previous = current;
  return finding;
}
