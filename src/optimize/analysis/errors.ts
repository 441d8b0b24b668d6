// A rise of the error rate (a share of failed requests or results, 0–1) over its baseline → a
// diagnosis: the top error signatures of the plugin's log lines and what the top one points at.
//
//   recent   = the mean of the raw samples in (now − recent, now] (`recent` default 1h);
//   blocks   = the time before now − recent cut into blocks of the same length, counted back
//              from now − recent, each block's mean from the chart's buckets (a bucket belongs to
//              the block it starts in);
//   baseline = the median of the block means (one earlier burst does not raise the bar);
//   a rise   when recent ≥ rise × baseline (default 2), recent ≥ floor (default 0.01) and recent
//            is above the 95th percentile of the block means: unusual for this plugin, not just
//            twice a quiet median. The last condition keeps sparse 0-or-1 samples (a health
//            check's errorRate) from rising on two failures in an hour.
// Severity from how far past the bar it is: severityOfChange(recent / (rise × max(baseline,
// floor)) − 1). Expected effect: the error rate down to the baseline, by 1 − baseline / recent.
// The finding carries no value: the runbook diagnoses, it does not set anything.
import { dataGate, insufficientData, missingMetric, withinTarget } from './answers.ts';
import { likelyCause } from './causes.ts';
import { confidence } from './confidence.ts';
import { evidenceOf } from './evidence.ts';
import { formatDuration, formatNumber, formatPercent } from './format.ts';
import { josa } from './korean.ts';
import { severityOfChange } from './severity.ts';
import { topSignatures } from './signatures.ts';
import { ascending, percentile } from './stats.ts';
import type { Analysis, ChartPoint, IncidentRef, MetricView, Scope } from './types.ts';
import type { ErrorsSettings } from '../../documents/schema/optimization.ts';
import { durationMs } from '../../documents/duration.ts';

export interface ErrorsInput extends Scope {
  errorRate?: MetricView;
  /** The plugin's error log lines, newest first. */
  lines?: readonly string[];
  /** The plugin's open incidents (at most five are carried, newest first). */
  incidents?: readonly IncidentRef[];
}

export const defaultRecentMs = 3_600_000;

/** Means of `blockMs`-long blocks of chart buckets before `end`, counted back from it (oldest first). */
export function blockMeans(chart: readonly ChartPoint[], end: number, blockMs: number): number[] {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const p of chart) {
    if (p.t >= end || p.n === 0) continue;
    const block = Math.ceil((end - p.t) / blockMs) - 1;
    const b = sums.get(block) ?? { sum: 0, n: 0 };
    b.sum += p.mean * p.n;
    b.n += p.n;
    sums.set(block, b);
  }
  return [...sums.entries()].sort((x, y) => y[0] - x[0]).map(([, b]) => b.sum / b.n);
}

export function analyzeErrors(input: ErrorsInput, s: ErrorsSettings, now: number): Analysis {
  const view = input.errorRate;
  if (!view) return missingMetric('errors', 'errorRate', s.errorRate);
  const short = dataGate('errors', view, input.rule);
  if (short) return short;

  const recentMs = (s.recent === undefined ? undefined : durationMs(s.recent)) ?? defaultRecentMs;
  const from = now - recentMs, span = formatDuration(recentMs);
  const recentSamples = view.since(from).filter((x) => x.t > from && x.t <= now);
  if (recentSamples.length === 0) return insufficientData('errors', `${view.name}: no samples in the last ${span}`);
  const blocks = blockMeans(view.chart(Number.MAX_SAFE_INTEGER), from, recentMs);
  if (blocks.length === 0) return insufficientData('errors', `${view.name}: no samples before the last ${span} to compare with`);

  const recent = recentSamples.reduce((a, x) => a + x.v, 0) / recentSamples.length;
  const sorted = ascending(blocks);
  const baseline = percentile(sorted, 0.5), usual = percentile(sorted, 0.95);
  const rise = s.rise ?? 2, floor = s.floor ?? 0.01;
  if (recent < floor || recent < rise * baseline || recent <= usual) {
    return withinTarget('errors', `error rate ${formatPercent(recent)} over the last ${span} against a baseline of ${formatPercent(baseline)} (p95 ${formatPercent(usual)} of ${blocks.length} earlier ${span} blocks): no rise (needs ${formatNumber(rise)}× the baseline, above the p95 and at least ${formatPercent(floor)})`);
  }

  const signatures = topSignatures(input.lines ?? []);
  const cause = likelyCause(signatures[0]);
  const times = baseline > 0 ? formatNumber(recent / baseline) : undefined;
  const top = signatures[0];
  const en = [
    `Error rate rose to ${formatPercent(recent)} over the last ${span} from a baseline of ${formatPercent(baseline)}${times ? ` (${times}×)` : ''}.`,
    top ? `Top error: "${top.template}" (${top.count} line${top.count === 1 ? '' : 's'}).` : 'No error lines were given.',
    `Likely cause: ${cause.en}.`,
  ];
  const ko = [
    `최근 ${span} 동안 오류율이 기준 ${formatPercent(baseline)}에서 ${josa(formatPercent(recent), '으로')} 올랐습니다${times ? `(${times}배)` : ''}.`,
    top ? `가장 많은 오류: "${top.template}" (${top.count}줄).` : '오류 로그가 없습니다.',
    `추정 원인: ${cause.ko}.`,
  ];
  const incidents = [...(input.incidents ?? [])].sort((a, b) => b.openedAt - a.openedAt).slice(0, 5);
  return {
    analyzer: 'errors',
    type: 'diagnose_errors',
    description: { en: en.join(' '), ko: ko.join(' ') },
    evidence: evidenceOf(view, input.windowMs, { recent, baseline, usualP95: usual, rise, floor, recentMs, recentSamples: recentSamples.length, blocks: blocks.length }),
    expected: { metric: view.name, direction: 'down', size: recent > 0 ? 1 - baseline / recent : 0 },
    severity: severityOfChange(recent / (rise * Math.max(baseline, floor)) - 1),
    confidence: confidence(view, input.rule, input.windowMs),
    signatures,
    likelyCause: cause.en,
    ...(incidents.length > 0 ? { incidents } : {}),
  };
}
