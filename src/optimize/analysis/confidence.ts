// How far to trust a metric's history, in the manner of the VPA recommender (whose confidence is
// the days of history, capped by samples / a day's worth):
//
//   confidence = √min(1, span / window) × √min(1, count / (4 × minSamples))
//
// with span = lastAt − firstAt of the window. A full window with four times the minimum sample
// count is 1; a quarter of the window with the minimum count is √0.25 × √0.25 = 0.25. The square
// roots make the first days count most, as the VPA's widening does.
//
// `enoughData` is the gate before any suggestion: at least `minSamples` samples spanning at least
// `minSpanMs`, else the reason in words with both the numbers found and the numbers needed.
//
// `widen` turns a point estimate into a safer bound when confidence is short, as the VPA
// multiplies its upper bound by (1 + 1 / confidence): here value × (1 + ½ (1 − confidence)), at
// most 1.5 × the value with no confidence and the value itself at full confidence. The VPA's own
// factor doubles even a well-supported value, too much for a suggestion a person reviews.
import { formatDuration } from './format.ts';
import type { DataRule, MetricView } from './types.ts';

/** The span (ms) the view's window covers; 0 when it holds fewer than two samples. */
export function spanOf(view: Pick<MetricView, 'count' | 'firstAt' | 'lastAt'>): number {
  return view.count > 1 ? Math.max(0, view.lastAt - view.firstAt) : 0;
}

/** In [0, 1]: see the header. */
export function confidence(view: Pick<MetricView, 'count' | 'firstAt' | 'lastAt'>, rule: DataRule, windowMs: number): number {
  if (view.count === 0 || !(windowMs > 0)) return 0;
  const spanShare = Math.min(1, spanOf(view) / windowMs);
  const countShare = Math.min(1, view.count / (4 * Math.max(1, rule.minSamples)));
  return Math.sqrt(spanShare) * Math.sqrt(countShare);
}

/** Undefined when the view holds enough data for `rule`; else why not, e.g. `12 samples over 40m; needs 100 samples over 3h`. */
export function enoughData(view: Pick<MetricView, 'count' | 'firstAt' | 'lastAt'>, rule: DataRule): string | undefined {
  const span = spanOf(view);
  if (view.count >= rule.minSamples && span >= rule.minSpanMs) return undefined;
  const found = `${view.count} sample${view.count === 1 ? '' : 's'} over ${formatDuration(span)}`;
  return `${found}; needs ${rule.minSamples} samples over ${formatDuration(rule.minSpanMs)}`;
}

/** `value` widened for short confidence: value × (1 + ½ (1 − confidence)). */
export function widen(value: number, confidence: number): number {
  const c = Math.min(1, Math.max(0, Number.isNaN(confidence) ? 0 : confidence));
  return value * (1 + 0.5 * (1 - c));
}
