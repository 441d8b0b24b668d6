// How suggestions and findings read in a terminal: one line in lists, a block for `show` and for
// `optimize analyze`, with the change, the evidence and (after an apply) the verdict's numbers.
import { formatDuration, formatValue } from '../../optimize/analysis/format.ts';
import { fmt as num, formatChange, formatP } from '../../optimize/report.ts';
import type { Finding } from '../../optimize/analysis/types.ts';
import type { Suggestion } from '../../optimize/suggestion.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function change(x: Pick<Finding, 'value' | 'previous' | 'unit'>): string {
  if (x.value === undefined) return '';
  return ` ${x.previous !== undefined ? `${formatValue(x.previous, x.unit === 'workers' ? undefined : x.unit)} → ` : ''}${formatValue(x.value, x.unit)}`;
}

export function suggestionLine(s: Suggestion): string {
  const v = s.verification;
  const measured = v && num(v.before.median) !== 'n/a' && num(v.after.median) !== 'n/a';
  const verdict = v ? ` · ${measured ? `${v.metric} ${num(v.before.median)} → ${num(v.after.median)} (${formatChange(v.change)})` : `${v.metric} not measured`}` : '';
  const why = s.reason && (s.state === 'dismissed' || s.state === 'failed' || s.state === 'expired') ? ` · ${s.reason}` : '';
  return `${s.id}  ${s.state.padEnd(12)} ${s.plugin} ${s.type}${change(s)} · ${s.severity} · confidence ${Math.round(s.confidence * 100)}%${verdict}${why}\n`;
}

function expected(e: Finding['expected']): string {
  const share = `${Math.round(e.size * 100)}%`;
  if (!e.hold) return `${e.metric} ${e.direction} by ${share}`;
  return e.size > 0 ? `a saving: ${e.metric} may go ${e.direction} by up to ${share}` : `a saving: ${e.metric} about the same`;
}

export function findingText(f: Finding): string {
  const p = f.evidence.percentiles;
  const v = (x: number) => formatValue(x, f.evidence.unit);
  return [
    `  • ${f.type}${change(f)} [${f.severity}, confidence ${Math.round(f.confidence * 100)}%]`,
    `    ${f.description.en}`,
    `    evidence: ${f.evidence.metric} p50 ${v(p.p50)} p90 ${v(p.p90)} p95 ${v(p.p95)} max ${v(p.max)} from ${f.evidence.samples} samples over ${formatDuration(f.evidence.spanMs)}`,
    `    expected: ${expected(f.expected)}`,
    ...(f.likelyCause ? [`    likely cause: ${f.likelyCause}`] : []),
    ...(f.signatures ?? []).slice(0, 3).map((sig) => `    ${sig.count}× ${sig.template}`),
  ].join('\n') + '\n';
}

export function suggestionText(s: Suggestion): string {
  const lines = [
    suggestionLine(s).trimEnd(),
    findingText(s).trimEnd(),
    ...(s.apply ? [`  runbook: ${s.apply.runbook} ${JSON.stringify(s.apply.parameters)}`] : ['  runbook: none configured']),
    ...(s.run ? [`  run: ${s.run.id}${s.run.status ? ` (${s.run.status})` : ''}`] : []),
    ...(s.revertRun ? [`  revert run: ${s.revertRun.id}${s.revertRun.status ? ` (${s.revertRun.status})` : ''}`] : []),
    ...(s.verification ? [`  verification: ${s.verification.outcome}; before median ${num(s.verification.before.median)} (n=${s.verification.before.n}), after ${num(s.verification.after.median)} (n=${s.verification.after.n}), ${formatP(s.verification.p)}`] : []),
    ...(s.reason ? [`  ${s.reason}`] : []),
    `  etag: "${s.id}.${s.version}"`,
    ...s.transitions.map((t) => `  ${iso(t.at)} ${t.state}${t.by ? ` by ${t.by}` : ''}${t.note ? `: ${t.note}` : ''}`),
  ];
  return lines.join('\n') + '\n';
}
