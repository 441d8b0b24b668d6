// What people are told when a suggestion ends after an apply: a notification (title, text, the
// severity a channel shows) and the `/metrics` lines. One sentence in English or Korean, the
// before/after numbers when there is a verification; and the git journal's record of it.
import type { OptimizationEntry } from '../journal/optimization.ts';
import { formatNumber } from './analysis/format.ts';
import type { Suggestion, SuggestionState } from './suggestion.ts';
import { suggestionStates } from './suggestion.ts';

export interface VerdictMessage { title: string; text: string; severity: 'success' | 'warning' | 'danger' | 'info' }

const severityOf: Partial<Record<SuggestionState, VerdictMessage['severity']>> = {
  succeeded: 'success', reverted: 'warning', inconclusive: 'info', failed: 'danger',
};

const words = {
  en: { succeeded: 'succeeded', reverted: 'was reverted', inconclusive: 'is inconclusive', failed: 'failed', title: 'Optimization' },
  ko: { succeeded: '성공', reverted: '되돌림', inconclusive: '판단 보류', failed: '실패', title: '최적화' },
} as const;

export function verdictMessage(s: Suggestion, locale: 'en' | 'ko' = 'en'): VerdictMessage {
  const w = words[locale];
  const state = s.state as 'succeeded' | 'reverted' | 'inconclusive' | 'failed';
  const v = s.verification;
  const numbers = v ? ` ${v.metric}: ${fmt(v.before.median)} → ${fmt(v.after.median)} (${formatChange(v.change)}, ${formatP(v.p)}).` : '';
  const change = s.value !== undefined ? `${s.previous !== undefined ? `${fmt(s.previous)} → ` : ''}${fmt(s.value)}${s.unit ? ` ${s.unit}` : ''}` : '';
  const title = locale === 'ko'
    ? `${w.title}: ${s.plugin} ${s.type} ${w[state] ?? s.state}`
    : `${w.title}: ${s.type} on ${s.plugin} ${w[state] ?? s.state}`;
  return { title, text: `${s.description[locale]}${change ? ` (${change})` : ''}${numbers}${s.reason ? ` ${s.reason}` : ''}`.trim(), severity: severityOf[s.state] ?? 'info' };
}

/** Prometheus text lines: suggestions by state. */
export function optimizationMetrics(counts: Record<SuggestionState, number>): string {
  return [
    '# HELP pluginops_optimization_suggestions Optimization suggestions by state.',
    '# TYPE pluginops_optimization_suggestions gauge',
    ...suggestionStates.map((s) => `pluginops_optimization_suggestions{state="${s}"} ${counts[s] ?? 0}`),
  ].join('\n') + '\n';
}

/** A number as the verdicts say it; `n/a` for a side without samples (NaN, or null once read back as JSON). */
export const fmt = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : formatNumber(n));

/** A relative change with its sign: `+25.0%`, `-73.3%`. */
export const formatChange = (change: number | null): string => (change === null || Number.isNaN(change) ? 'n/a' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`);

/** A p-value: `p<0.001` below a thousandth. */
export const formatP = (p: number): string => (p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`);

/** The git journal's record of an ended suggestion: the change, the verdict, the evidence, the runs and the numbers. */
export function journalEntry(s: Suggestion): OptimizationEntry {
  const change = `${s.type}${s.value !== undefined ? ` ${s.previous !== undefined ? `${fmt(s.previous)} → ` : ''}${fmt(s.value)}${s.unit ? ` ${s.unit}` : ''}` : ''}`;
  const v = s.verification;
  const p = s.evidence.percentiles;
  const text = [
    `# ${s.plugin}: ${change} — ${s.state}`,
    '',
    s.description.en,
    '',
    `- suggestion: ${s.id} (${s.optimization}), severity ${s.severity}, confidence ${Math.round(s.confidence * 100)}%`,
    `- evidence: ${s.evidence.metric} p50 ${fmt(p.p50)}, p90 ${fmt(p.p90)}, p95 ${fmt(p.p95)}, max ${fmt(p.max)} from ${s.evidence.samples} samples`,
    `- expected: ${s.expected.metric} ${s.expected.direction} by ${Math.round(s.expected.size * 100)}%`,
    ...(s.approvedBy ? [`- applied by: ${s.approvedBy}`] : []),
    ...(s.apply ? [`- runbook: ${s.apply.runbook} ${JSON.stringify(s.apply.parameters)}`] : []),
    ...(s.run ? [`- run: ${s.run.id} (${s.run.status ?? 'unknown'})`] : []),
    ...(s.revertRun ? [`- revert run: ${s.revertRun.id} (${s.revertRun.status ?? 'unknown'})`] : []),
    ...(v ? [`- verification: ${v.outcome}; ${v.metric} median ${fmt(v.before.median)} (n=${v.before.n}) → ${fmt(v.after.median)} (n=${v.after.n}), p90 ${fmt(v.before.p90)} → ${fmt(v.after.p90)}, ${formatP(v.p)}`] : []),
    ...(s.reason ? ['', s.reason] : []),
  ].join('\n');
  return { suggestion: s.id, plugin: s.plugin, change, verdict: s.state, at: s.updatedAt, ...(s.approvedBy ? { by: s.approvedBy } : {}), text };
}
